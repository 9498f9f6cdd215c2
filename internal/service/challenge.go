package service

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"kechuang/internal/domain"
	"kechuang/internal/evaluate"
	"kechuang/internal/store"
	"kechuang/internal/textnorm"
)

// Challenges is the 揭榜挂帅 module: an enterprise or the bureau builds a
// 榜单 (建榜), the bureau confirms it (定榜) and publishes it (发榜);
// universities, institutes and teams hand in answers (揭榜方案) until the
// deadline; each answer is reviewed through the evaluation engine (set
// challenge_answer), defended (答辩) and publicised (公示, the engine's
// window); the bureau selects the winner among the answers whose
// evaluation is final; the agreement, milestones with payments and the
// acceptance (验收) follow, or failure or exit.
type Challenges struct {
	*core
	eval *Evaluations
}

// Settings of the challenge rules (ChallengeRules): the government's
// share's largest ratio of the 榜额 (‰, [A]) and its cap per project (fen,
// 300万元 per S29 [S]).
const (
	SettingChallengeGovPermille = "challenge_gov_max_permille"
	SettingChallengeGovCapFen   = "challenge_gov_cap_fen"
)

// ChallengeEvaluationSet is the indicator set answers are scored with, and
// its one result type.
const (
	ChallengeEvaluationSet  = "challenge_answer"
	ChallengeEvaluationType = "answer"
)

// Rules reads the configurable challenge rules.
func (s *Challenges) Rules(ctx context.Context) (domain.ChallengeRules, error) {
	r := domain.DefaultChallengeRules()
	for _, f := range []struct {
		key string
		dst *int64
	}{{SettingChallengeGovPermille, &r.MaxGovPermille}, {SettingChallengeGovCapFen, &r.GovCapFen}} {
		v, err := s.store.Setting(ctx, f.key, strconv.FormatInt(*f.dst, 10))
		if err != nil {
			return r, err
		}
		if n, err := strconv.ParseInt(v, 10, 64); err == nil && n >= 0 {
			*f.dst = n
		}
	}
	return r, nil
}

// cleanChallenge checks the typed text for control, format and bidi
// characters (naming the field) and stores it cleaned.
func cleanChallenge(in *domain.Challenge) error {
	var c textCleaner
	c.line("title", &in.Title)
	c.prose("problem", &in.Problem)
	c.prose("eligibility", &in.Eligibility)
	c.line("deadline", &in.Deadline)
	c.line("chain_code", &in.ChainCode)
	for i := range in.Indicators {
		f := fmt.Sprintf("indicators[%d]", i)
		c.line(f+".indicator", &in.Indicators[i].Indicator)
		c.line(f+".target", &in.Indicators[i].Target)
		c.line(f+".unit", &in.Indicators[i].Unit)
		c.line(f+".method", &in.Indicators[i].Method)
	}
	return c.err()
}

func applyChallenge(x, in *domain.Challenge) {
	x.Title, x.Problem, x.Indicators, x.Eligibility = in.Title, in.Problem, orEmpty(in.Indicators), in.Eligibility
	x.BudgetFen, x.GovShareFen, x.Deadline, x.ChainCode, x.NeedID = in.BudgetFen, in.GovShareFen, in.Deadline, in.ChainCode, in.NeedID
}

// present fills what is computed on read and hides the project from those
// who may not read it.
func (s *Challenges) present(a *domain.Actor, x *domain.Challenge) *domain.Challenge {
	x.Open = x.AcceptsAnswers(s.today())
	if !domain.Challenges.CanSeeProject(a, x) {
		x.Project = nil
	}
	if x.Project != nil && x.Project.Milestones == nil {
		x.Project.Milestones = []domain.ChallengeMilestone{}
	}
	return x
}

// checkNeed checks the source need exists and is the owner's own, or, for
// the bureau, any published need.
func checkNeed(ctx context.Context, q *store.Q, a *domain.Actor, x *domain.Challenge) error {
	if x.NeedID == 0 {
		return nil
	}
	n, err := q.FindNeedByID(ctx, x.NeedID)
	if err != nil || !domain.Needs.CanSee(a, n) {
		return domain.FieldErrorf("need_id", "来源需求（%d）不存在", x.NeedID)
	}
	if n.OwnerOrgID != x.OwnerOrgID && !a.Is(domain.RoleBureau, domain.RoleAdmin) {
		return domain.FieldErrorf("need_id", "只能由本单位的技术需求建榜")
	}
	return nil
}

// Create builds a draft 榜单 for the actor's organisation (an enterprise,
// or the bureau).
func (s *Challenges) Create(ctx context.Context, a *domain.Actor, in *domain.Challenge) (*domain.Challenge, error) {
	if err := requireLogin(a); err != nil {
		return nil, err
	}
	if !domain.Challenges.CanCreate(a) {
		return nil, forbidden("建榜")
	}
	if err := cleanChallenge(in); err != nil {
		return nil, err
	}
	chains, err := s.chainCodes(ctx)
	if err != nil {
		return nil, err
	}
	rules, err := s.Rules(ctx)
	if err != nil {
		return nil, err
	}
	x := &domain.Challenge{Status: domain.ChallengeDraft, OwnerOrgID: a.OrgID, CreatedBy: a.UserID}
	applyChallenge(x, in)
	if err := x.Validate(chains, s.today(), rules); err != nil {
		return nil, err
	}
	err = s.store.InTx(ctx, func(q *store.Q) error {
		o, err := q.FindOrgByID(ctx, a.OrgID)
		if err != nil {
			return err
		}
		switch o.Kind {
		case domain.OrgEnterprise:
			x.Publisher = "enterprise"
		case domain.OrgBureau:
			x.Publisher = "bureau"
		default:
			return domain.FieldErrorf("owner_org_id", "榜单由企业或科技局发布（本单位为%s）", domain.Msg(o.Kind.Label()))
		}
		x.OwnerName = o.Name
		if err := checkNeed(ctx, q, a, x); err != nil {
			return err
		}
		if err := q.InsertChallenge(ctx, x); err != nil {
			return err
		}
		return created(ctx, q, challengeKind, a, x)
	})
	if err != nil {
		return nil, err
	}
	return s.present(a, x), nil
}

// Get returns a challenge the actor may see; a hidden one is "not found".
func (s *Challenges) Get(ctx context.Context, a *domain.Actor, id int64) (*domain.Challenge, error) {
	x, err := get(ctx, s.core, challengeKind, a, id)
	if err != nil {
		return nil, err
	}
	return s.present(a, x), nil
}

// List lists what the actor may see (the public: the board).
func (s *Challenges) List(ctx context.Context, a *domain.Actor, f domain.ChallengeFilter) ([]*domain.Challenge, int, error) {
	var v domain.Validator
	v.Check(f.Status == "" || domain.ChallengeStatuses.Valid(f.Status), "status", "状态无效")
	v.Check(f.Year == 0 || f.Year >= 2000 && f.Year <= 2100, "year", "年份应在2000至2100之间")
	v.Check(len([]rune(f.Query)) <= 100, "q", "搜索词不超过100字")
	v.Check(!f.Mine || a != nil && a.OrgID != 0, "mine", "请先登录单位账号")
	if err := v.Err(); err != nil {
		return nil, 0, err
	}
	if err := textnorm.CheckField("q", f.Query, textnorm.Options{}); err != nil {
		return nil, 0, err
	}
	xs, n, err := s.store.FindChallenges(ctx, f, domain.Challenges.ListScope(a))
	for _, x := range xs {
		s.present(a, x)
	}
	return xs, n, err
}

// Events returns a challenge's history (the owner's and the bureau's).
func (s *Challenges) Events(ctx context.Context, a *domain.Actor, id int64) ([]*domain.Event, error) {
	x, err := s.Get(ctx, a, id)
	if err != nil {
		return nil, err
	}
	return history(ctx, s.core, challengeKind, a, x, domain.Challenges.CanSeeHistory, "查看该榜单的办理记录")
}

// ChallengeStale is the module's stale-version refusal.
const ChallengeStale = "此榜单已被他人修改，您的操作未执行，请刷新后重试"

var challengeKind = &entityKind[domain.ChallengeStatus, *domain.Challenge]{
	name: "challenge", notFound: "榜单不存在", stale: ChallengeStale, flow: domain.ChallengeFlow,
	load: func(ctx context.Context, q *store.Q, id int64) (*domain.Challenge, error) {
		return q.FindChallengeByID(ctx, id)
	},
	save:   func(ctx context.Context, q *store.Q, x *domain.Challenge) error { return q.UpdateChallenge(ctx, x) },
	canSee: domain.Challenges.CanSee,
	id:     func(x *domain.Challenge) int64 { return x.ID }, version: func(x *domain.Challenge) int64 { return x.Version },
	clone: func(x *domain.Challenge) *domain.Challenge {
		b := *x
		if x.Project != nil {
			p := *x.Project
			b.Project = &p
		}
		return &b
	},
	remove: func(ctx context.Context, q *store.Q, id int64) error { return q.DeleteChallenge(ctx, id) },
	title:  func(x *domain.Challenge) string { return x.Title },
}

func (s *Challenges) mutate(ctx context.Context, a *domain.Actor, id, version int64, action string,
	fn func(q *store.Q, x *domain.Challenge) (step, error)) (*domain.Challenge, error) {
	x, err := mutate(ctx, s.core, challengeKind, a, id, version, action, fn)
	if err != nil {
		return nil, err
	}
	return s.present(a, x), nil
}

// Update changes a draft or a returned 榜单.
func (s *Challenges) Update(ctx context.Context, a *domain.Actor, id, version int64, in *domain.Challenge) (*domain.Challenge, error) {
	if err := requireLogin(a); err != nil {
		return nil, err
	}
	if err := cleanChallenge(in); err != nil {
		return nil, err
	}
	chains, err := s.chainCodes(ctx)
	if err != nil {
		return nil, err
	}
	rules, err := s.Rules(ctx)
	if err != nil {
		return nil, err
	}
	return s.mutate(ctx, a, id, version, "update", func(q *store.Q, x *domain.Challenge) (step, error) {
		applyChallenge(x, in)
		if err := x.Validate(chains, s.today(), rules); err != nil {
			return step{}, err
		}
		return step{}, checkNeed(ctx, q, a, x)
	})
}

// Submit sends a draft (or a returned 榜单) to the bureau for 定榜.
func (s *Challenges) Submit(ctx context.Context, a *domain.Actor, id, version int64) (*domain.Challenge, error) {
	if err := requireLogin(a); err != nil {
		return nil, err
	}
	chains, err := s.chainCodes(ctx)
	if err != nil {
		return nil, err
	}
	rules, err := s.Rules(ctx)
	if err != nil {
		return nil, err
	}
	return s.mutate(ctx, a, id, version, "submit", func(q *store.Q, x *domain.Challenge) (step, error) {
		if err := x.Validate(chains, s.today(), rules); err != nil {
			return step{}, err
		}
		x.Status, x.ReturnReason = domain.ChallengeSubmitted, ""
		return step{}, nil
	})
}

// Confirm is the bureau's 定榜.
func (s *Challenges) Confirm(ctx context.Context, a *domain.Actor, id, version int64, comment string) (*domain.Challenge, error) {
	comment, err := stepNote("comment", comment, false)
	if err != nil {
		return nil, err
	}
	rules, err := s.Rules(ctx)
	if err != nil {
		return nil, err
	}
	return s.mutate(ctx, a, id, version, "confirm", func(q *store.Q, x *domain.Challenge) (step, error) {
		if err := x.Validate(nil, "", rules); err != nil { // the settings may have changed since submission
			return step{}, err
		}
		x.Status, x.ConfirmedOn = domain.ChallengeConfirmed, s.today()
		return step{Comment: comment}, nil
	})
}

// Return sends a submitted 榜单 back to its owner with a reason.
func (s *Challenges) Return(ctx context.Context, a *domain.Actor, id, version int64, reason string) (*domain.Challenge, error) {
	reason, err := stepNote("reason", reason, true)
	if err != nil {
		return nil, err
	}
	return s.mutate(ctx, a, id, version, "return", func(q *store.Q, x *domain.Challenge) (step, error) {
		x.Status, x.ReturnReason = domain.ChallengeReturned, reason
		return step{Comment: reason}, nil
	})
}

// Publish is the bureau's 发榜: the 榜单 goes on the public board and takes
// answers until its deadline.
func (s *Challenges) Publish(ctx context.Context, a *domain.Actor, id, version int64, comment string) (*domain.Challenge, error) {
	comment, err := stepNote("comment", comment, false)
	if err != nil {
		return nil, err
	}
	return s.mutate(ctx, a, id, version, "publish", func(q *store.Q, x *domain.Challenge) (step, error) {
		if x.PastDeadline(s.today()) {
			return step{}, domain.FieldErrorf("deadline", "揭榜截止日期（%s）已过，请退回修改", x.Deadline)
		}
		x.Status, x.PublishedOn = domain.ChallengePublished, s.today()
		return step{Comment: comment}, nil
	})
}

// Withdraw takes a 榜单 back before publication (撤榜), with a reason.
func (s *Challenges) Withdraw(ctx context.Context, a *domain.Actor, id, version int64, reason string) (*domain.Challenge, error) {
	reason, err := stepNote("reason", reason, true)
	if err != nil {
		return nil, err
	}
	return s.mutate(ctx, a, id, version, "withdraw", func(q *store.Q, x *domain.Challenge) (step, error) {
		x.Status, x.ReturnReason = domain.ChallengeWithdrawn, reason
		return step{Comment: reason}, nil
	})
}

// Delete removes the owner's own draft.
func (s *Challenges) Delete(ctx context.Context, a *domain.Actor, id, version int64) error {
	return deleteDraft(ctx, s.core, challengeKind, a, id, version)
}

// CloseAnswers is 揭榜: the bureau closes the answers (at the deadline or
// earlier) and the review begins.
func (s *Challenges) CloseAnswers(ctx context.Context, a *domain.Actor, id, version int64, comment string) (*domain.Challenge, error) {
	comment, err := stepNote("comment", comment, false)
	if err != nil {
		return nil, err
	}
	return s.mutate(ctx, a, id, version, "close_answers", func(q *store.Q, x *domain.Challenge) (step, error) {
		x.Status, x.ClosedOn = domain.ChallengeClosed, s.today()
		return step{Comment: comment}, nil
	})
}

// Select names the winning answer: only one under review whose evaluation
// is final. The other answers are told they were not selected, each with
// its own history step and audit row, in the same transaction.
func (s *Challenges) Select(ctx context.Context, a *domain.Actor, id, version, answerID int64, comment string) (*domain.Challenge, error) {
	comment, err := stepNote("comment", comment, false)
	if err != nil {
		return nil, err
	}
	return s.mutate(ctx, a, id, version, "select", func(q *store.Q, x *domain.Challenge) (step, error) {
		answers, err := q.FindChallengeAnswers(ctx, x.ID, 0)
		if err != nil {
			return step{}, err
		}
		var win *domain.ChallengeAnswer
		for _, an := range answers {
			if an.ID == answerID {
				win = an
			}
		}
		if win == nil {
			return step{}, domain.FieldErrorf("answer_id", "该揭榜方案不属于此榜单")
		}
		if win.Status != domain.AnswerEvaluating || win.EvaluationID == 0 {
			return step{}, domain.FieldErrorf("answer_id", "只能选择已组织评审的揭榜方案")
		}
		e, err := q.FindEvaluation(ctx, win.EvaluationID)
		if err != nil {
			return step{}, err
		}
		if e.Status != domain.EvaluationFinal {
			return step{}, domain.FieldErrorf("answer_id", "该方案的评审结果尚未定论（%s），公示期满且异议处理完毕后方可确定揭榜方", domain.Msg(e.Status.Label()))
		}
		for _, an := range answers {
			action, to := "not_select", domain.AnswerNotSelected
			if an.ID == win.ID {
				action, to = "select", domain.AnswerSelected
			}
			if an.Status != domain.AnswerSubmitted && an.Status != domain.AnswerEvaluating {
				continue
			}
			_, err := mutateIn(ctx, q, s.core, answerKind, a, an.ID, 0, action, func(_ *store.Q, an *domain.ChallengeAnswer) (step, error) {
				an.Status = to
				return step{}, nil
			})
			if err != nil {
				return step{}, err
			}
		}
		x.Status, x.WinnerAnswerID, x.WinnerOrgID, x.WinnerName, x.SelectedOn = domain.ChallengeSelected, win.ID, win.OrgID, win.OrgName, s.today()
		return step{Comment: strings.TrimSuffix(win.OrgName+"："+comment, "：")}, nil
	})
}

// Contract records the agreement with the selected answering organisation.
func (s *Challenges) Contract(ctx context.Context, a *domain.Actor, id, version int64, g domain.ChallengeAgreement) (*domain.Challenge, error) {
	return s.mutate(ctx, a, id, version, "contract", func(q *store.Q, x *domain.Challenge) (step, error) {
		if err := g.Validate(x, s.today()); err != nil {
			return step{}, err
		}
		x.Status = domain.ChallengeContracted
		x.Project = &domain.ChallengeProject{AgreementDate: g.Date, AgreedFen: g.AgreedFen, AttachmentID: g.AttachmentID,
			Milestones: []domain.ChallengeMilestone{}}
		return step{Comment: domain.FormatMoney(g.AgreedFen, "")}, nil
	})
}

// AddMilestone adds a milestone with its payment; the payments never sum
// above the agreed amount.
func (s *Challenges) AddMilestone(ctx context.Context, a *domain.Actor, id, version int64, m domain.ChallengeMilestone) (*domain.Challenge, error) {
	var c textCleaner
	c.line("title", &m.Title)
	c.line("due_on", &m.DueOn)
	c.prose("note", &m.Note)
	if err := c.err(); err != nil {
		return nil, err
	}
	return s.mutate(ctx, a, id, version, "milestone", func(q *store.Q, x *domain.Challenge) (step, error) {
		if err := m.Validate(x.Project); err != nil {
			return step{}, err
		}
		m.ID, m.ChallengeID, m.Seq, m.DoneOn = 0, x.ID, len(x.Project.Milestones)+1, ""
		if err := q.AddChallengeMilestone(ctx, &m); err != nil {
			return step{}, err
		}
		x.Project.Milestones = append(x.Project.Milestones, m)
		return step{Comment: fmt.Sprintf("%s（%s，%s）", m.Title, m.DueOn, domain.FormatMoney(m.PaymentFen, ""))}, nil
	})
}

// Start starts the project (at least one milestone arranged).
func (s *Challenges) Start(ctx context.Context, a *domain.Actor, id, version int64) (*domain.Challenge, error) {
	return s.mutate(ctx, a, id, version, "start", func(q *store.Q, x *domain.Challenge) (step, error) {
		if len(x.Project.Milestones) == 0 {
			return step{}, domain.FieldErrorf("milestones", "请先安排至少一个里程碑")
		}
		x.Status = domain.ChallengeInProject
		return step{}, nil
	})
}

// CompleteMilestone records a milestone of a project in progress done today.
func (s *Challenges) CompleteMilestone(ctx context.Context, a *domain.Actor, id, version, milestone int64, note string) (*domain.Challenge, error) {
	note, err := stepNote("note", note, false)
	if err != nil {
		return nil, err
	}
	return s.mutate(ctx, a, id, version, "complete_milestone", func(q *store.Q, x *domain.Challenge) (step, error) {
		for i := range x.Project.Milestones {
			m := &x.Project.Milestones[i]
			if m.ID != milestone {
				continue
			}
			if m.DoneOn != "" {
				return step{}, domain.FieldErrorf("milestone_id", "该里程碑已于%s完成", m.DoneOn)
			}
			m.DoneOn, m.Note = s.today(), note
			return step{Comment: m.Title}, q.CompleteChallengeMilestone(ctx, m.ID, m.DoneOn, note)
		}
		return step{}, domain.FieldErrorf("milestone_id", "该里程碑不属于此项目")
	})
}

// Accept is 验收: passed (accepted) or not (failed), with the report and
// the key technologies solved, of those at international level.
func (s *Challenges) Accept(ctx context.Context, a *domain.Actor, id, version int64, in domain.ChallengeAcceptance) (*domain.Challenge, error) {
	var c textCleaner
	c.prose("report", &in.Report)
	if err := c.err(); err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	return s.mutate(ctx, a, id, version, "accept", func(q *store.Q, x *domain.Challenge) (step, error) {
		x.Status = domain.ChallengeFailed
		label := "验收不通过"
		if in.Passed {
			x.Status, label = domain.ChallengeAccepted, "验收通过"
		}
		x.Project.EndedOn, x.Project.Report = s.today(), in.Report
		x.KeyTechSolved, x.KeyTechIntl = in.KeyTechSolved, in.KeyTechIntl
		return step{Comment: label}, nil
	})
}

// Fail ends a project in progress as failed (攻关失败) with a reason.
func (s *Challenges) Fail(ctx context.Context, a *domain.Actor, id, version int64, reason string) (*domain.Challenge, error) {
	return s.end(ctx, a, id, version, "fail", domain.ChallengeFailed, reason)
}

// Exit ends a contracted project or one in progress (退出) with a reason.
func (s *Challenges) Exit(ctx context.Context, a *domain.Actor, id, version int64, reason string) (*domain.Challenge, error) {
	return s.end(ctx, a, id, version, "exit", domain.ChallengeExited, reason)
}

func (s *Challenges) end(ctx context.Context, a *domain.Actor, id, version int64, action string, to domain.ChallengeStatus, reason string) (*domain.Challenge, error) {
	reason, err := stepNote("reason", reason, true)
	if err != nil {
		return nil, err
	}
	return s.mutate(ctx, a, id, version, action, func(q *store.Q, x *domain.Challenge) (step, error) {
		x.Status, x.Project.EndedOn, x.Project.Report = to, s.today(), reason
		return step{Comment: reason}, nil
	})
}

// Answers.

// AnswerStale is the answers' stale-version refusal.
const AnswerStale = "此揭榜方案已被他人修改，您的操作未执行，请刷新后重试"

var answerKind = &entityKind[domain.AnswerStatus, *domain.ChallengeAnswer]{
	name: "challenge_answer", notFound: "揭榜方案不存在", stale: AnswerStale, flow: domain.AnswerFlow,
	load: func(ctx context.Context, q *store.Q, id int64) (*domain.ChallengeAnswer, error) {
		return q.FindChallengeAnswer(ctx, id)
	},
	save: func(ctx context.Context, q *store.Q, x *domain.ChallengeAnswer) error {
		return q.UpdateChallengeAnswer(ctx, x)
	},
	canSee: domain.Challenges.CanSeeAnswer,
	id:     func(x *domain.ChallengeAnswer) int64 { return x.ID }, version: func(x *domain.ChallengeAnswer) int64 { return x.Version },
	clone: func(x *domain.ChallengeAnswer) *domain.ChallengeAnswer { b := *x; return &b },
}

func cleanAnswer(in *domain.ChallengeAnswer) error {
	var c textCleaner
	c.prose("team", &in.Team)
	c.prose("approach", &in.Approach)
	c.prose("milestones", &in.Milestones)
	return c.err()
}

// Answer hands in the actor's organisation's answer to a published
// challenge before its deadline: one per organisation.
func (s *Challenges) Answer(ctx context.Context, a *domain.Actor, challengeID int64, in *domain.ChallengeAnswer) (*domain.ChallengeAnswer, error) {
	if err := requireLogin(a); err != nil {
		return nil, err
	}
	if err := cleanAnswer(in); err != nil {
		return nil, err
	}
	x := &domain.ChallengeAnswer{ChallengeID: challengeID, OrgID: a.OrgID, Team: in.Team, Approach: in.Approach,
		Milestones: in.Milestones, PriceFen: in.PriceFen, Status: domain.AnswerSubmitted, CreatedBy: a.UserID}
	err := s.store.InTx(ctx, func(q *store.Q) error {
		c, err := visible(ctx, q, challengeKind, a, challengeID)
		if err != nil {
			return err
		}
		if !domain.Challenges.CanAnswer(a, c) {
			if c.Status != domain.ChallengePublished {
				return domain.Errorf(domain.ECONFLICT, "该榜单不在揭榜期（%s）", domain.Msg(c.Status.Label()))
			}
			return forbidden("揭榜")
		}
		if !c.AcceptsAnswers(s.today()) {
			return domain.Errorf(domain.ECONFLICT, "揭榜截止日期（%s）已过", c.Deadline)
		}
		if err := x.Validate(c); err != nil {
			return err
		}
		mine, err := q.FindChallengeAnswers(ctx, c.ID, a.OrgID)
		if err != nil {
			return err
		}
		if len(mine) > 0 {
			return domain.FieldErrorf("challenge_id", "本单位已对该榜单提交过揭榜方案（每个单位限一份）")
		}
		x.ChallengeOwnerID, x.ChallengeTitle = c.OwnerOrgID, c.Title
		if err := q.InsertChallengeAnswer(ctx, x); err != nil {
			return err
		}
		o, err := q.FindOrgByID(ctx, a.OrgID)
		if err != nil {
			return err
		}
		x.OrgName = o.Name
		return createdHeard(ctx, q, s.core, answerKind, a, x)
	})
	if err != nil {
		return nil, err
	}
	return x, nil
}

// GetAnswer returns an answer its reader may see.
func (s *Challenges) GetAnswer(ctx context.Context, a *domain.Actor, id int64) (*domain.ChallengeAnswer, error) {
	if err := requireLogin(a); err != nil {
		return nil, err
	}
	return get(ctx, s.core, answerKind, a, id)
}

// Answers lists a challenge's answers the actor may read: all of them for
// the owner and the bureau, its own organisation's for others.
func (s *Challenges) Answers(ctx context.Context, a *domain.Actor, challengeID int64) ([]*domain.ChallengeAnswer, error) {
	if err := requireLogin(a); err != nil {
		return nil, err
	}
	c, err := s.Get(ctx, a, challengeID)
	if err != nil {
		return nil, err
	}
	if domain.Challenges.CanSeeAnswers(a, c) {
		return s.store.FindChallengeAnswers(ctx, c.ID, 0)
	}
	if a.OrgID == 0 {
		return []*domain.ChallengeAnswer{}, nil
	}
	return s.store.FindChallengeAnswers(ctx, c.ID, a.OrgID)
}

// MyAnswers lists the actor's organisation's answers.
func (s *Challenges) MyAnswers(ctx context.Context, a *domain.Actor) ([]*domain.ChallengeAnswer, error) {
	if err := requireLogin(a); err != nil {
		return nil, err
	}
	if a.OrgID == 0 {
		return []*domain.ChallengeAnswer{}, nil
	}
	return s.store.AnswersOfOrg(ctx, a.OrgID)
}

// AnswerEvents returns an answer's history (its readers').
func (s *Challenges) AnswerEvents(ctx context.Context, a *domain.Actor, id int64) ([]*domain.Event, error) {
	if _, err := s.GetAnswer(ctx, a, id); err != nil {
		return nil, err
	}
	return s.store.Events(ctx, "challenge_answer", id)
}

// WithdrawAnswer takes the organisation's answer back while the challenge
// is still taking answers.
func (s *Challenges) WithdrawAnswer(ctx context.Context, a *domain.Actor, id, version int64, reason string) (*domain.ChallengeAnswer, error) {
	reason, err := stepNote("reason", reason, true)
	if err != nil {
		return nil, err
	}
	return mutate(ctx, s.core, answerKind, a, id, version, "withdraw", func(q *store.Q, x *domain.ChallengeAnswer) (step, error) {
		c, err := q.FindChallengeByID(ctx, x.ChallengeID)
		if err != nil {
			return step{}, err
		}
		if c.Status != domain.ChallengePublished {
			return step{}, domain.Errorf(domain.ECONFLICT, "揭榜已截止，方案不能撤回")
		}
		x.Status = domain.AnswerWithdrawn
		return step{Comment: reason}, nil
	})
}

// Evaluate sends an answer to review once the answers are closed: it opens
// the evaluation engine's case (set challenge_answer; the answering
// organisation the applicant, the challenge's owner a co-applicant for the
// conflicts of interest) in the same transaction.
func (s *Challenges) Evaluate(ctx context.Context, a *domain.Actor, id, version int64) (*domain.ChallengeAnswer, error) {
	return mutate(ctx, s.core, answerKind, a, id, version, "evaluate", func(q *store.Q, x *domain.ChallengeAnswer) (step, error) {
		c, err := q.FindChallengeByID(ctx, x.ChallengeID)
		if err != nil {
			return step{}, err
		}
		if c.Status != domain.ChallengeClosed {
			return step{}, domain.Errorf(domain.ECONFLICT, "请先截止揭榜，再组织评审")
		}
		app := evaluate.Application{Applicant: evaluate.Org{ID: x.OrgID, Name: x.OrgName},
			CoApplicants: []evaluate.Org{{ID: c.OwnerOrgID, Name: c.OwnerName}}, Fields: []string{c.ChainCode}}
		if x.CreatedBy != 0 {
			app.People = []int64{x.CreatedBy}
		}
		e, err := s.eval.openIn(ctx, q, a, ChallengeEvaluationSet, ChallengeEvaluationType, "challenge_answer", x.ID, app)
		if err != nil {
			return step{}, err
		}
		x.Status, x.EvaluationID = domain.AnswerEvaluating, e.ID
		return step{}, nil
	})
}

// RecordDefence records the 答辩: its date and the bureau's notes.
func (s *Challenges) RecordDefence(ctx context.Context, a *domain.Actor, id, version int64, day, notes string) (*domain.ChallengeAnswer, error) {
	var c textCleaner
	c.line("defence_on", &day)
	c.prose("defence_notes", &notes)
	if _, err := domain.ParseDate(day); err != nil {
		c.v.Add("defence_on", "答辩日期应为 YYYY-MM-DD 格式的有效日期")
	} else {
		c.v.Check(day <= s.today(), "defence_on", "答辩日期不能晚于今天")
	}
	c.v.Check(notes != "" && len([]rune(notes)) <= 5000, "defence_notes", "答辩记录必填，且不超过5000字")
	if err := c.err(); err != nil {
		return nil, err
	}
	return mutate(ctx, s.core, answerKind, a, id, version, "defence", func(q *store.Q, x *domain.ChallengeAnswer) (step, error) {
		x.DefenceOn, x.DefenceNotes = day, notes
		return step{Comment: day}, nil
	})
}

// challengeOthersDraft is the audit's redactor: a 榜单 draft (建榜) is its
// owner's alone, so the audit hides its snapshot from the bureau's other
// readers.
func challengeOthersDraft(raw json.RawMessage, a *domain.Actor) bool {
	var x struct {
		Status     domain.ChallengeStatus `json:"status"`
		OwnerOrgID int64                  `json:"owner_org_id"`
	}
	if json.Unmarshal(raw, &x) != nil {
		return false
	}
	return x.Status == domain.ChallengeDraft && x.OwnerOrgID != a.OrgID
}

// The chain.

// challengeChainFigures is the module's chainSource: the challenges
// published (发榜) in the year and their distinct chains.
func challengeChainFigures(ctx context.Context, q *store.Q, year int, chain string) (domain.ChainFigures, error) {
	n, chains, err := q.ChallengeYearFigures(ctx, year, chain)
	if err != nil {
		return nil, err
	}
	return domain.ChainFigures{domain.ChainChallenges: n, domain.ChainChallengeChains: chains}, nil
}

// challengeChainLinks is the module's chainLinkSource: on a need's
// timeline, each public challenge built from it (published, and its
// selection and acceptance when they came).
func challengeChainLinks(ctx context.Context, q *store.Q, ref domain.ChainRef) ([]domain.ChainLink, error) {
	if ref.Kind != "need" {
		return nil, nil
	}
	xs, err := q.ChallengesOfNeed(ctx, ref.ID)
	if err != nil {
		return nil, err
	}
	var out []domain.ChainLink
	for _, x := range xs {
		r := domain.ChainRef{Kind: "challenge", ID: x.ID}
		add := func(day, code, label string) {
			if t, err := domain.ParseDate(day); err == nil && day != "" {
				out = append(out, domain.ChainLink{At: t, Kind: "challenge", Step: code, Label: label, Ref: r, Title: x.Title})
			}
		}
		add(x.PublishedOn, "challenge_published", "发榜")
		add(x.SelectedOn, "challenge_selected", "确定揭榜方")
		if x.Status == domain.ChallengeAccepted && x.Project != nil {
			add(x.Project.EndedOn, "challenge_accepted", "项目验收通过")
		}
	}
	return out, nil
}

// Notices.

func challengeLink(id int64) string { return "/challenges/" + strconv.FormatInt(id, 10) }

// onChallengeStep says who hears of a challenge's step: the owner of 定榜,
// 退回, 发榜 and the project's course (and the winner, once selected); the
// owner of the selection.
func (s *Notify) onChallengeStep(ctx context.Context, q *store.Q, a *domain.Actor, ev *domain.Event, v *domain.Challenge) error {
	var orgs []int64
	n := challengeNotice(v.ID, v.Title, domain.AuditActionLabel("challenge."+ev.Action), ev)
	switch ev.Action {
	case "confirm", "return", "publish", "close_answers", "contract", "start", "milestone", "complete_milestone", "fail", "exit":
		orgs = []int64{v.OwnerOrgID, v.WinnerOrgID}
	case "accept":
		orgs = []int64{v.OwnerOrgID, v.WinnerOrgID}
		n.Detail = ev.Comment
	case "select":
		orgs = []int64{v.OwnerOrgID}
	}
	_, err := s.toOrgs(ctx, q, actorID(a), orgs, n)
	return err
}

// onAnswerStep says who hears of an answer's step: the challenge's owner
// of an answer received; the answering organisation of its review and of
// the selection's result.
func (s *Notify) onAnswerStep(ctx context.Context, q *store.Q, a *domain.Actor, ev *domain.Event, v *domain.ChallengeAnswer) error {
	var orgs []int64
	n := challengeNotice(v.ChallengeID, v.ChallengeTitle, domain.AuditActionLabel("challenge_answer."+ev.Action), ev)
	switch ev.Action {
	case "create":
		orgs, n.Detail = []int64{v.ChallengeOwnerID}, "收到揭榜方案"+domain.DetailSep+v.OrgName
	case "select", "not_select", "evaluate":
		orgs = []int64{v.OrgID}
	}
	_, err := s.toOrgs(ctx, q, actorID(a), orgs, n)
	return err
}

// challengeNotice is the notice of the step ev about challenge id.
func challengeNotice(id int64, title, detail string, ev *domain.Event) domain.Notification {
	return domain.Notification{Kind: domain.NoticeChallenge, Entity: "challenge", EntityID: id, Link: challengeLink(id),
		Title: title, Detail: detail, Dedup: "event:" + strconv.FormatInt(ev.ID, 10)}
}

// MilestoneSweep tells the parties of each project in progress of its
// milestones due within dueDays calendar days or overdue, once per
// milestone, kind and due date.
func (s *Challenges) MilestoneSweep(ctx context.Context, dueDays int) (int, error) {
	if dueDays < 0 {
		return 0, domain.FieldErrorf("due_days", "提前提醒的天数不能为负数")
	}
	today := s.today()
	t, err := domain.ParseDate(today)
	if err != nil {
		return 0, err
	}
	until := domain.DateOf(t.AddDate(0, 0, dueDays))
	notify := &Notify{core: s.core}
	sent := 0
	err = s.store.InTx(ctx, func(q *store.Q) error {
		ms, err := q.MilestonesDue(ctx, until)
		if err != nil {
			return err
		}
		for _, m := range ms {
			c, err := q.FindChallengeByID(ctx, m.ChallengeID)
			if err != nil {
				return err
			}
			kind, detail := domain.NoticeDueSoon, "里程碑即将到期"+domain.DetailSep+m.Title+domain.DetailSep+m.DueOn
			if m.Overdue(today) {
				kind, detail = domain.NoticeOverdue, "里程碑已超期"+domain.DetailSep+m.Title+domain.DetailSep+m.DueOn
			}
			n := domain.Notification{Kind: domain.NoticeChallenge, Entity: "challenge", EntityID: c.ID, Link: challengeLink(c.ID),
				Title: c.Title, Detail: detail, Dedup: fmt.Sprintf("milestone:%s:%d:%s", kind, m.ID, m.DueOn)}
			added, err := notify.toOrgs(ctx, q, -1, []int64{c.OwnerOrgID, c.WinnerOrgID}, n)
			if err != nil {
				return err
			}
			sent += added
		}
		return nil
	})
	return sent, err
}
