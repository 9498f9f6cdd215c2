package storetest

import (
	"context"
	"fmt"
	"testing"

	"kechuang/internal/domain"
	"kechuang/internal/store"
)

// ChallengeBuilder makes one valid 揭榜挂帅 榜单 of the world: by default a
// draft of the enterprise (w.Ent) on the first chain, 榜额 300万元 of which
// the government 100万元, answers due 30 days from today. The status
// methods move it along the workflow the way the service would, and Insert
// writes it with the history rows the workflow leaves behind.
type ChallengeBuilder struct {
	w     *World
	x     *domain.Challenge
	steps []domain.Event
}

// Challenge starts a 榜单; opts edit it before the status methods run.
func (w *World) Challenge(opts ...func(*domain.Challenge)) *ChallengeBuilder {
	b := &ChallengeBuilder{w: w, x: &domain.Challenge{
		Title:   "新能源汽车电驱系统高功率密度碳化硅控制器攻关",
		Problem: "我公司电驱系统控制器功率密度不足，碳化硅功率模块依赖进口，需攻克高功率密度控制器的设计与封装关键技术。",
		Indicators: []domain.ChallengeIndicator{{Indicator: "功率密度", Target: "≥45", Unit: "kW/L", Method: "第三方检测"},
			{Indicator: "最高效率", Target: "≥99", Unit: "%"}},
		Eligibility: "在沈阳或辽宁注册的高校、科研院所或企业，具有相关研究基础。",
		BudgetFen:   3_000_000_00, GovShareFen: 1_000_000_00,
		Deadline:  domain.DateOf(w.Clock.Now().AddDate(0, 0, 30)),
		ChainCode: w.City.Chains[0].Code, Publisher: "enterprise",
		Status: domain.ChallengeDraft, OwnerOrgID: w.Ent.ID,
	}}
	for _, f := range opts {
		f(b.x)
	}
	b.step("create", domain.ChallengeDraft, domain.ChallengeDraft)
	return b
}

func (b *ChallengeBuilder) step(action string, from, to domain.ChallengeStatus) {
	b.steps = append(b.steps, domain.Event{Entity: "challenge", At: b.w.Clock.Now(), Action: action, From: string(from), To: string(to)})
	b.x.Status = to
}

// Owner builds the 榜单 as o (the bureau: a 科技局发榜).
func (b *ChallengeBuilder) Owner(o *domain.Org) *ChallengeBuilder {
	b.x.OwnerOrgID = o.ID
	if o.Kind == domain.OrgBureau {
		b.x.Publisher = "bureau"
	}
	return b
}

// Submitted submits it for 定榜.
func (b *ChallengeBuilder) Submitted() *ChallengeBuilder {
	b.step("submit", b.x.Status, domain.ChallengeSubmitted)
	return b
}

// Confirmed has the bureau confirm it (定榜) today.
func (b *ChallengeBuilder) Confirmed() *ChallengeBuilder {
	if b.x.Status != domain.ChallengeSubmitted {
		b.Submitted()
	}
	b.x.ConfirmedOn = b.w.Today()
	b.step("confirm", b.x.Status, domain.ChallengeConfirmed)
	return b
}

// Published has the bureau publish it (发榜) today.
func (b *ChallengeBuilder) Published() *ChallengeBuilder {
	if b.x.Status != domain.ChallengeConfirmed {
		b.Confirmed()
	}
	b.x.PublishedOn = b.w.Today()
	b.step("publish", b.x.Status, domain.ChallengePublished)
	return b
}

// Closed has the bureau close the answers today.
func (b *ChallengeBuilder) Closed() *ChallengeBuilder {
	if b.x.Status != domain.ChallengePublished {
		b.Published()
	}
	b.x.ClosedOn = b.w.Today()
	b.step("close_answers", b.x.Status, domain.ChallengeClosed)
	return b
}

// Selected has the bureau select w.Univ's answer (answer id 0: the
// builder writes no answer) today.
func (b *ChallengeBuilder) Selected() *ChallengeBuilder {
	if b.x.Status != domain.ChallengeClosed {
		b.Closed()
	}
	b.x.WinnerOrgID, b.x.SelectedOn = b.w.Univ.ID, b.w.Today()
	b.step("select", b.x.Status, domain.ChallengeSelected)
	return b
}

// Contracted records the agreement today (200万元); milestones add a
// milestone each (due in 6, 12 … months, payments in fen).
func (b *ChallengeBuilder) Contracted(payments ...int64) *ChallengeBuilder {
	if b.x.Status != domain.ChallengeSelected {
		b.Selected()
	}
	b.x.Project = &domain.ChallengeProject{AgreementDate: b.w.Today(), AgreedFen: 2_000_000_00, Milestones: []domain.ChallengeMilestone{}}
	b.step("contract", b.x.Status, domain.ChallengeContracted)
	for i, fen := range payments {
		b.x.Project.Milestones = append(b.x.Project.Milestones, domain.ChallengeMilestone{Seq: i + 1, Title: fmt.Sprintf("里程碑%d", i+1),
			DueOn: domain.DateOf(b.w.Clock.Now().AddDate(0, 6*(i+1), 0)), PaymentFen: fen})
		b.step("milestone", b.x.Status, b.x.Status)
	}
	return b
}

// InProject starts the project (with one milestone of 100万元 if none).
func (b *ChallengeBuilder) InProject() *ChallengeBuilder {
	if b.x.Status != domain.ChallengeContracted {
		b.Contracted(1_000_000_00)
	}
	b.step("start", b.x.Status, domain.ChallengeInProject)
	return b
}

// Status sets the status without history (for the policy matrices).
func (b *ChallengeBuilder) Status(s domain.ChallengeStatus) *ChallengeBuilder {
	b.x.Status = s
	if b.x.Public() && b.x.PublishedOn == "" {
		b.x.PublishedOn = b.w.Today()
	}
	return b
}

// Build returns the record without writing it.
func (b *ChallengeBuilder) Build() *domain.Challenge { return b.x }

// Insert writes the 榜单 and its history.
func (b *ChallengeBuilder) Insert(tb testing.TB) *domain.Challenge {
	tb.Helper()
	x := b.x
	b.w.inTx(func(ctx context.Context, tx *store.Q) error {
		poster := b.w.userOf(x.OwnerOrgID)
		if x.CreatedBy == 0 && poster != nil {
			x.CreatedBy = poster.ID
		}
		if err := tx.InsertChallenge(ctx, x); err != nil {
			return err
		}
		if x.Project != nil {
			for i := range x.Project.Milestones {
				m := &x.Project.Milestones[i]
				m.ChallengeID = x.ID
				if err := tx.AddChallengeMilestone(ctx, m); err != nil {
					return err
				}
			}
		}
		bureau := b.w.userOf(b.w.Bureau.ID)
		for _, e := range b.steps {
			e.EntityID = x.ID
			by := poster
			if e.Action != "create" && e.Action != "submit" {
				by = bureau
			}
			if by != nil {
				e.ActorID, e.ActorName = by.ID, by.Username
			}
			if err := tx.AddEvent(ctx, &e); err != nil {
				return err
			}
		}
		return nil
	})
	return x
}

// ChallengeAnswer writes a submitted answer of org to the challenge x.
func (w *World) ChallengeAnswer(tb testing.TB, x *domain.Challenge, org *domain.Org, opts ...func(*domain.ChallengeAnswer)) *domain.ChallengeAnswer {
	tb.Helper()
	an := &domain.ChallengeAnswer{ChallengeID: x.ID, OrgID: org.ID, OrgName: org.Name, Team: "负责人：李教授；成员：王博士、赵工程师",
		Approach:   "采用双面散热碳化硅模块与平面母排集成设计，结合高频驱动与主动热管理，实现功率密度与效率的同步提升。",
		Milestones: "第6个月完成样机设计；第12个月完成样机台架测试；第18个月完成装车验证。", PriceFen: 2_800_000_00,
		Status: domain.AnswerSubmitted, ChallengeOwnerID: x.OwnerOrgID, ChallengeTitle: x.Title}
	for _, f := range opts {
		f(an)
	}
	w.inTx(func(ctx context.Context, tx *store.Q) error {
		if u := w.userOf(org.ID); u != nil {
			an.CreatedBy = u.ID
		}
		if err := tx.InsertChallengeAnswer(ctx, an); err != nil {
			return err
		}
		e := domain.Event{Entity: "challenge_answer", EntityID: an.ID, At: w.Clock.Now(), Action: "create", To: string(an.Status)}
		if u := w.userOf(org.ID); u != nil {
			e.ActorID, e.ActorName = u.ID, u.Username
		}
		return tx.AddEvent(ctx, &e)
	})
	return an
}

// SelectableAnswer writes w.Univ's answer to the closed challenge x, under
// review with an evaluation case whose result is final (as the engine
// leaves it after 公示), so the bureau may select it.
func (w *World) SelectableAnswer(tb testing.TB, x *domain.Challenge) *domain.ChallengeAnswer {
	tb.Helper()
	an := w.ChallengeAnswer(tb, x, w.Univ)
	w.inTx(func(ctx context.Context, tx *store.Q) error {
		e := &domain.Evaluation{SubjectKind: "challenge_answer", SubjectID: an.ID, ApplicantOrgID: an.OrgID,
			CoApplicantOrgIDs: []int64{x.OwnerOrgID}, SetID: "challenge_answer", SetVersion: 1, ResultType: "answer",
			Status: domain.EvaluationFinal, Round: 1, ResultTenths: 850}
		if err := tx.CreateEvaluation(ctx, e); err != nil {
			return err
		}
		an.Status, an.EvaluationID = domain.AnswerEvaluating, e.ID
		return tx.UpdateChallengeAnswer(ctx, an)
	})
	return an
}
