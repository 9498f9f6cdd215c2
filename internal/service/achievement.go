package service

import (
	"context"
	"fmt"
	"strconv"
	"strings"

	"kechuang/internal/domain"
	"kechuang/internal/store"
	"kechuang/internal/textnorm"
)

// Achievements is the achievement catalogue (科技成果): universities and
// institutes file their results (备案), the bureau checks them, the units
// publish them to the public catalogue, and each is followed by id
// through the chain.
type Achievements struct{ *core }

// Settings of the achievement rules ([V] ten years for the use right; the
// team's minimum share is each institution's, 0 by default).
const (
	SettingMinUseYears     = "achievement_min_use_years"
	SettingMinTeamPermille = "achievement_min_team_permille"
)

// rules reads the configurable achievement rules (before a transaction).
func (s *Achievements) rules(ctx context.Context) (domain.AchievementRules, error) {
	r := domain.DefaultAchievementRules()
	for _, f := range []struct {
		key string
		dst *int
	}{{SettingMinUseYears, &r.MinUseYears}, {SettingMinTeamPermille, &r.MinTeamPermille}} {
		v, err := s.store.Setting(ctx, f.key, strconv.Itoa(*f.dst))
		if err != nil {
			return r, err
		}
		if n, err := strconv.Atoi(v); err == nil {
			*f.dst = n
		}
	}
	return r, nil
}

// cleanAchievement checks the typed text for control, format and bidi
// characters (naming the field) and stores it cleaned.
func cleanAchievement(in *domain.Achievement) error {
	var c textCleaner
	c.line("title", &in.Title)
	c.prose("abstract", &in.Abstract)
	c.line("discipline", &in.Discipline)
	c.prose("trl_evidence", &in.TRLEvidence)
	for i := range in.Keywords {
		c.line(fmt.Sprintf("keywords[%d]", i), &in.Keywords[i])
	}
	for i := range in.Team {
		c.line(fmt.Sprintf("team[%d].name", i), &in.Team[i].Name)
		c.line(fmt.Sprintf("team[%d].title", i), &in.Team[i].Title)
	}
	for i := range in.IP {
		c.line(fmt.Sprintf("ip[%d].number", i), &in.IP[i].Number)
		in.IP[i].Number = strings.ToUpper(in.IP[i].Number)
		c.line(fmt.Sprintf("ip[%d].title", i), &in.IP[i].Title)
	}
	return c.err()
}

// applyAchievement copies what a filer may set.
func applyAchievement(x, in *domain.Achievement) {
	x.Title, x.Abstract, x.Keywords, x.Team = in.Title, in.Abstract, in.Keywords, in.Team
	x.Discipline, x.ChainCode, x.TRL, x.TRLEvidence, x.Stage = in.Discipline, in.ChainCode, in.TRL, in.TRLEvidence, in.Stage
	x.IP, x.Funding, x.Excluded, x.Empowerment, x.Modes, x.AskingFen = in.IP, in.Funding, in.Excluded, in.Empowerment, in.Modes, in.AskingFen
	// Lists are never null in the answers (as read back from the store).
	x.Keywords, x.Team, x.IP, x.Modes = orEmpty(x.Keywords), orEmpty(x.Team), orEmpty(x.IP), orEmpty(x.Modes)
}

// Create files a draft for the actor's own organisation.
func (s *Achievements) Create(ctx context.Context, a *domain.Actor, in *domain.Achievement) (*domain.Achievement, error) {
	if err := requireLogin(a); err != nil {
		return nil, err
	}
	if !domain.Achievements.CanFile(a) {
		return nil, forbidden("备案科技成果")
	}
	if a.OrgID == 0 {
		return nil, domain.FieldErrorf("owner_org_id", "请以所属单位的账号备案成果")
	}
	if err := cleanAchievement(in); err != nil {
		return nil, err
	}
	chains, err := s.chainCodes(ctx)
	if err != nil {
		return nil, err
	}
	r, err := s.rules(ctx)
	if err != nil {
		return nil, err
	}
	x := &domain.Achievement{Status: domain.AchievementDraft, OwnerOrgID: a.OrgID, CreatedBy: a.UserID}
	applyAchievement(x, in)
	if err := x.Validate(chains, r); err != nil {
		return nil, err
	}
	err = s.store.InTx(ctx, func(q *store.Q) error {
		o, err := q.FindOrgByID(ctx, a.OrgID)
		if err != nil {
			return err
		}
		if o.Kind != domain.OrgUniversity && o.Kind != domain.OrgInstitute {
			return domain.FieldErrorf("owner_org_id", "科技成果由高等院校或科研院所备案（本单位为%s）", domain.Msg(o.Kind.Label()))
		}
		x.OwnerName = o.Name
		if err := q.InsertAchievement(ctx, x); err != nil {
			return err
		}
		return created(ctx, q, achievementKind, a, x)
	})
	if err != nil {
		return nil, err
	}
	return x, nil
}

// Get returns an achievement the actor may see (the public: published
// ones); a hidden one is "not found".
func (s *Achievements) Get(ctx context.Context, a *domain.Actor, id int64) (*domain.Achievement, error) {
	return get(ctx, s.core, achievementKind, a, id)
}

// List lists what the actor may see (the public: the catalogue).
func (s *Achievements) List(ctx context.Context, a *domain.Actor, f domain.AchievementFilter) ([]*domain.Achievement, int, error) {
	var v domain.Validator
	v.Check(f.Status == "" || domain.AchievementStatuses.Valid(f.Status), "status", "状态无效")
	v.Check(f.Stage == "" || domain.MaturityStages.Valid(f.Stage), "stage", "成熟阶段无效")
	v.Check(f.MinTRL >= 0 && f.MinTRL <= 9, "min_trl", "最低成熟度应为1至9级")
	v.Check(len([]rune(f.Query)) <= 100, "q", "搜索词不超过100字")
	if err := v.Err(); err != nil {
		return nil, 0, err
	}
	if err := textnorm.CheckField("q", f.Query, textnorm.Options{}); err != nil {
		return nil, 0, err
	}
	return s.store.FindAchievements(ctx, f, domain.Achievements.ListScope(a))
}

// Events returns an achievement's history.
func (s *Achievements) Events(ctx context.Context, a *domain.Actor, id int64) ([]*domain.Event, error) {
	x, err := s.Get(ctx, a, id)
	if err != nil {
		return nil, err
	}
	return history(ctx, s.core, achievementKind, a, x, domain.Achievements.CanSeeHistory, "查看该成果的办理记录")
}

// AchievementStale is the module's stale-version refusal.
const AchievementStale = "此成果已被他人修改，您的操作未执行，请刷新后重试"

var achievementKind = &entityKind[domain.AchievementStatus, *domain.Achievement]{
	name: "achievement", notFound: "成果不存在", stale: AchievementStale, flow: domain.AchievementFlow,
	load: func(ctx context.Context, q *store.Q, id int64) (*domain.Achievement, error) {
		return q.FindAchievementByID(ctx, id)
	},
	save:   func(ctx context.Context, q *store.Q, x *domain.Achievement) error { return q.UpdateAchievement(ctx, x) },
	canSee: domain.Achievements.CanSee,
	id:     func(x *domain.Achievement) int64 { return x.ID }, version: func(x *domain.Achievement) int64 { return x.Version },
	clone:  func(x *domain.Achievement) *domain.Achievement { b := *x; return &b },
	remove: func(ctx context.Context, q *store.Q, id int64) error { return q.DeleteAchievement(ctx, id) },
	title:  func(x *domain.Achievement) string { return x.Title },
}

func (s *Achievements) mutate(ctx context.Context, a *domain.Actor, id, version int64, action string,
	fn func(q *store.Q, x *domain.Achievement) (step, error)) (*domain.Achievement, error) {
	return mutate(ctx, s.core, achievementKind, a, id, version, action, fn)
}

// Update changes a draft or a returned filing.
func (s *Achievements) Update(ctx context.Context, a *domain.Actor, id, version int64, in *domain.Achievement) (*domain.Achievement, error) {
	if err := requireLogin(a); err != nil {
		return nil, err
	}
	if err := cleanAchievement(in); err != nil {
		return nil, err
	}
	chains, err := s.chainCodes(ctx)
	if err != nil {
		return nil, err
	}
	r, err := s.rules(ctx)
	if err != nil {
		return nil, err
	}
	return s.mutate(ctx, a, id, version, "update", func(q *store.Q, x *domain.Achievement) (step, error) {
		applyAchievement(x, in)
		return step{}, x.Validate(chains, r)
	})
}

// Submit sends a draft (or a returned filing) to the bureau for 备案; it
// is validated again against today's rules.
func (s *Achievements) Submit(ctx context.Context, a *domain.Actor, id, version int64) (*domain.Achievement, error) {
	if err := requireLogin(a); err != nil {
		return nil, err
	}
	chains, err := s.chainCodes(ctx)
	if err != nil {
		return nil, err
	}
	r, err := s.rules(ctx)
	if err != nil {
		return nil, err
	}
	return s.mutate(ctx, a, id, version, "submit", func(q *store.Q, x *domain.Achievement) (step, error) {
		if err := x.Validate(chains, r); err != nil {
			return step{}, err
		}
		x.Status, x.ReturnReason = domain.AchievementSubmitted, ""
		return step{}, nil
	})
}

// step moves an achievement to status to with a comment (a required
// reason when need), after set has changed what the step records.
func (s *Achievements) step(ctx context.Context, a *domain.Actor, id, version int64, action string, to domain.AchievementStatus,
	comment string, need bool, set func(x *domain.Achievement, comment string)) (*domain.Achievement, error) {
	comment, err := stepNote("comment", comment, need)
	if err != nil {
		return nil, err
	}
	return s.mutate(ctx, a, id, version, action, func(q *store.Q, x *domain.Achievement) (step, error) {
		x.Status = to
		if set != nil {
			set(x, comment)
		}
		return step{Comment: comment}, nil
	})
}

// File records the bureau's 备案 of a submitted achievement.
func (s *Achievements) File(ctx context.Context, a *domain.Actor, id, version int64, comment string) (*domain.Achievement, error) {
	return s.step(ctx, a, id, version, "file", domain.AchievementFiled, comment, false,
		func(x *domain.Achievement, _ string) { x.FiledOn = s.today() })
}

// Return sends a submitted achievement back to its unit with a reason.
func (s *Achievements) Return(ctx context.Context, a *domain.Actor, id, version int64, reason string) (*domain.Achievement, error) {
	return s.step(ctx, a, id, version, "return", domain.AchievementReturned, reason, true,
		func(x *domain.Achievement, reason string) { x.ReturnReason = reason })
}

// Publish puts a filed achievement in the public catalogue; the first
// publication's date counts for the year's figures.
func (s *Achievements) Publish(ctx context.Context, a *domain.Actor, id, version int64) (*domain.Achievement, error) {
	return s.step(ctx, a, id, version, "publish", domain.AchievementPublished, "", false, func(x *domain.Achievement, _ string) {
		if x.PublishedOn == "" {
			x.PublishedOn = s.today()
		}
	})
}

// Unpublish takes an achievement out of the catalogue (back to filed).
func (s *Achievements) Unpublish(ctx context.Context, a *domain.Actor, id, version int64, reason string) (*domain.Achievement, error) {
	return s.step(ctx, a, id, version, "unpublish", domain.AchievementFiled, reason, true, nil)
}

// Transfer marks an achievement converted exclusively: it stays readable
// in the catalogue but is no longer offered.
func (s *Achievements) Transfer(ctx context.Context, a *domain.Actor, id, version int64, comment string) (*domain.Achievement, error) {
	return s.step(ctx, a, id, version, "transfer", domain.AchievementTransferred, comment, false, nil)
}

// Withdraw takes an achievement back by its unit, with a reason.
func (s *Achievements) Withdraw(ctx context.Context, a *domain.Actor, id, version int64, reason string) (*domain.Achievement, error) {
	return s.step(ctx, a, id, version, "withdraw", domain.AchievementWithdrawn, reason, true, nil)
}

// Delete removes the unit's own draft.
func (s *Achievements) Delete(ctx context.Context, a *domain.Actor, id, version int64) error {
	return deleteDraft(ctx, s.core, achievementKind, a, id, version)
}

// PublishedIn counts the achievements first published in year (the
// city's 成果发布 figure), from the records; public.
func (s *Achievements) PublishedIn(ctx context.Context, year int) (int, error) {
	return s.store.AchievementsPublished(ctx, year)
}

// onAchievementStep tells a unit's filers of the bureau's steps on its
// achievement (备案, 退回修改, 发布, 撤下): the unit's own steps notify
// nobody.
func (s *Notify) onAchievementStep(ctx context.Context, q *store.Q, a *domain.Actor, ev *domain.Event, x *domain.Achievement) error {
	if a != nil && a.OrgID != 0 && a.OrgID == x.OwnerOrgID {
		return nil
	}
	n := domain.Notification{Kind: domain.NoticeAchievement, Entity: "achievement", EntityID: x.ID,
		Link: "/achievements/" + strconv.FormatInt(x.ID, 10), Title: x.Title, Detail: domain.AuditActionLabel("achievement." + ev.Action),
		Dedup: "event:" + strconv.FormatInt(ev.ID, 10)}
	users, err := q.FindUsers(ctx, x.OwnerOrgID)
	if err != nil {
		return err
	}
	actorID := int64(-1)
	if a != nil {
		actorID = a.UserID
	}
	for _, u := range users {
		if domain.AchievementNoticeRecipient(u, x, actorID) {
			if _, err := s.deliver(ctx, q, u, n); err != nil {
				return err
			}
		}
	}
	return nil
}
