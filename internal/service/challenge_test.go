package service_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"kechuang/internal/domain"
	"kechuang/internal/evaluate"
	"kechuang/internal/service"
)

// challengeInput is a valid 榜单 as its owner sends it.
func challengeInput(w *world) *domain.Challenge {
	x := w.city.Challenge().Build()
	x.Status, x.OwnerOrgID, x.Publisher = "", 0, ""
	return x
}

func answerInput() *domain.ChallengeAnswer {
	return &domain.ChallengeAnswer{Team: "负责人：李教授；成员：王博士", Approach: "采用双面散热碳化硅模块与平面母排集成设计，结合主动热管理提升功率密度。",
		Milestones: "第6个月样机；第12个月台架测试。", PriceFen: 2_500_000_00}
}

// finalEvaluation drives an answer's evaluation case to its published
// result through the engine: a pool, the proposed panel, five forms, 公示,
// the window passing, publication. The clock ends 8 days later.
func finalEvaluation(t *testing.T, w *world, evalID int64) {
	t.Helper()
	ctx := context.Background()
	ev := w.svc.Evaluations
	pool := w.city.ExpertPool(t, 4, 1, w.city.City.Chains[0].Code)
	byID := map[int64]evaluate.Expert{}
	for _, x := range pool {
		byID[x.ID] = x
	}
	panel, err := ev.Propose(ctx, w.bureau, evalID)
	if err != nil {
		t.Fatal(err)
	}
	var ids []int64
	for _, x := range panel {
		ids = append(ids, x.ID)
	}
	e, _ := ev.Get(ctx, w.bureau, evalID)
	if e, err = ev.Assign(ctx, w.bureau, e.ID, e.Version, ids); err != nil {
		t.Fatal(err)
	}
	if e, err = ev.OpenScoring(ctx, w.bureau, e.ID, e.Version); err != nil {
		t.Fatal(err)
	}
	set, _ := ev.Set(e)
	rt, _ := set.ResultType(service.ChallengeEvaluationType)
	for _, id := range ids {
		f := evaluate.Form{Scores: map[string]int64{}, Opinion: "同意"}
		for _, it := range rt.Items {
			f.Scores[it.Code] = 850
		}
		if _, err := ev.Score(ctx, &domain.Actor{UserID: id, Role: domain.RoleExpert, OrgID: byID[id].Org.ID}, e.ID, f); err != nil {
			t.Fatal(err)
		}
	}
	e, _ = ev.Get(ctx, w.bureau, evalID)
	if e, err = ev.Publicise(ctx, w.bureau, e.ID, e.Version); err != nil {
		t.Fatal(err)
	}
	w.city.Clock.Set(w.city.Clock.Now().AddDate(0, 0, 8))
	if e, err = ev.Finalise(ctx, w.bureau, e.ID, e.Version); err != nil || e.Status != domain.EvaluationFinal {
		t.Fatalf("finalise: %v %+v", err, e)
	}
}

// TestChallengePath: a 榜单 from 建榜 to 验收 through the service on both
// databases: the policy at every step, one answer per organisation, the
// deadline, answers private to their readers, selection only after a final
// evaluation, the agreement, payments ≤ the agreed amount, acceptance with
// the key technologies, notices, history and the chain's figures.
func TestChallengePath(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		cs := w.svc.Challenges
		other := w.city.Actor("other_tto")
		w.city.SetDay("2022-03-15")
		if _, err := cs.Create(ctx, w.univ, challengeInput(w)); domain.ErrorCode(err) != domain.EFORBIDDEN {
			t.Errorf("a university built a 榜单: %v", err)
		}
		in := challengeInput(w)
		in.GovShareFen = in.BudgetFen + 1
		if _, err := cs.Create(ctx, w.ent, in); domain.ErrorField(err) != "gov_share_fen" {
			t.Errorf("a government share above the budget: %v", err)
		}
		in = challengeInput(w)
		in.GovShareFen = 300_000_001
		in.BudgetFen = 5_000_000_00
		if _, err := cs.Create(ctx, w.ent, in); domain.ErrorField(err) != "gov_share_fen" || !strings.Contains(err.Error(), "300") {
			t.Errorf("a government share above the 300万元 cap: %v", err)
		}
		x, err := cs.Create(ctx, w.ent, challengeInput(w))
		if err != nil {
			t.Fatal(err)
		}
		if x.Publisher != "enterprise" || x.Status != domain.ChallengeDraft {
			t.Fatalf("created %+v", x)
		}
		if _, err := cs.Get(ctx, w.bureau, x.ID); domain.ErrorCode(err) != domain.ENOTFOUND {
			t.Errorf("the bureau saw a draft: %v", err)
		}
		if x, err = cs.Submit(ctx, w.ent, x.ID, x.Version); err != nil {
			t.Fatal(err)
		}
		if _, err := cs.Confirm(ctx, w.ent, x.ID, x.Version, ""); domain.ErrorCode(err) != domain.EFORBIDDEN {
			t.Errorf("the owner confirmed its own 榜单: %v", err)
		}
		if x, err = cs.Return(ctx, w.bureau, x.ID, x.Version, "请补充考核方式"); err != nil {
			t.Fatal(err)
		}
		if x, err = cs.Submit(ctx, w.ent, x.ID, x.Version); err != nil {
			t.Fatal(err)
		}
		if x, err = cs.Confirm(ctx, w.bureau, x.ID, x.Version, "同意定榜"); err != nil {
			t.Fatal(err)
		}
		if _, err := cs.Get(ctx, nil, x.ID); domain.ErrorCode(err) != domain.ENOTFOUND {
			t.Errorf("the public saw an unpublished 榜单: %v", err)
		}
		if _, err := cs.Answer(ctx, w.univ, x.ID, answerInput()); domain.ErrorCode(err) != domain.ENOTFOUND {
			t.Errorf("answered before 发榜: %v", err)
		}
		if x, err = cs.Publish(ctx, w.bureau, x.ID, x.Version, ""); err != nil {
			t.Fatal(err)
		}
		if pub, err := cs.Get(ctx, nil, x.ID); err != nil || !pub.Open {
			t.Fatalf("the public board: %+v %v", pub, err)
		}
		if _, err := cs.Answer(ctx, w.ent, x.ID, answerInput()); domain.ErrorCode(err) != domain.EFORBIDDEN {
			t.Errorf("the owner answered its own 榜单: %v", err)
		}
		big := answerInput()
		big.PriceFen = x.BudgetFen + 1
		if _, err := cs.Answer(ctx, w.univ, x.ID, big); domain.ErrorField(err) != "price_fen" {
			t.Errorf("a price above the budget: %v", err)
		}
		an, err := cs.Answer(ctx, w.univ, x.ID, answerInput())
		if err != nil {
			t.Fatal(err)
		}
		if _, err := cs.Answer(ctx, w.univ, x.ID, answerInput()); domain.ErrorField(err) != "challenge_id" {
			t.Errorf("a second answer of one organisation: %v", err)
		}
		an2, err := cs.Answer(ctx, other, x.ID, answerInput())
		if err != nil {
			t.Fatal(err)
		}
		// Answers are private: the other university sees its own only; the
		// owner and the bureau see both.
		if got, _ := cs.Answers(ctx, other, x.ID); len(got) != 1 || got[0].ID != an2.ID {
			t.Errorf("the other university lists %v", got)
		}
		if _, err := cs.GetAnswer(ctx, other, an.ID); domain.ErrorCode(err) != domain.ENOTFOUND {
			t.Errorf("a rival read an answer: %v", err)
		}
		if got, _ := cs.Answers(ctx, w.ent, x.ID); len(got) != 2 {
			t.Errorf("the owner lists %v", got)
		}
		if ns, _ := w.svc.Notify.About(ctx, "challenge", x.ID); !hasNotice(ns, w.city.User("enterprise").ID, "收到揭榜方案") {
			t.Errorf("the owner was not told of the answer: %+v", ns)
		}
		// The deadline passes: no more answers.
		w.city.Clock.Set(w.city.Clock.Now().AddDate(0, 0, 31))
		if _, err := cs.Answer(ctx, w.city.Actor("enterprise2"), x.ID, answerInput()); domain.ErrorCode(err) != domain.ECONFLICT {
			t.Errorf("an answer after the deadline: %v", err)
		}
		if _, err := cs.Evaluate(ctx, w.bureau, an.ID, an.Version); domain.ErrorCode(err) != domain.ECONFLICT {
			t.Errorf("review before the answers closed: %v", err)
		}
		if x, err = cs.CloseAnswers(ctx, w.bureau, x.ID, x.Version, ""); err != nil {
			t.Fatal(err)
		}
		if an, err = cs.Evaluate(ctx, w.bureau, an.ID, an.Version); err != nil {
			t.Fatal(err)
		}
		if an2, err = cs.Evaluate(ctx, w.bureau, an2.ID, an2.Version); err != nil {
			t.Fatal(err)
		}
		e, err := w.svc.Evaluations.Get(ctx, w.bureau, an.EvaluationID)
		if err != nil || e.SubjectKind != "challenge_answer" || e.SubjectID != an.ID || e.SetID != service.ChallengeEvaluationSet {
			t.Fatalf("the case %+v %v", e, err)
		}
		if row, err := w.svc.Evaluations.Row(ctx, w.bureau, e.ID); err != nil {
			t.Error(err)
		} else if row.Subject != x.Title || row.Link != fmt.Sprintf("/challenges/%d", x.ID) {
			t.Errorf("the case's row names %q (%s), want the challenge %q", row.Subject, row.Link, x.Title)
		}
		if an, err = cs.RecordDefence(ctx, w.bureau, an.ID, an.Version, w.city.Today(), "答辩陈述清楚，回答专家提问充分。"); err != nil {
			t.Fatal(err)
		}
		if _, err := cs.RecordDefence(ctx, w.bureau, an.ID, an.Version, "2099-01-01", "x"); domain.ErrorField(err) != "defence_on" {
			t.Errorf("a defence in the future: %v", err)
		}
		// Not final yet: refused.
		if _, err := cs.Select(ctx, w.bureau, x.ID, x.Version, an.ID, ""); domain.ErrorField(err) != "answer_id" {
			t.Errorf("selected before the evaluation was final: %v", err)
		}
		finalEvaluation(t, w, an.EvaluationID)
		if _, err := cs.Select(ctx, w.ent, x.ID, x.Version, an.ID, ""); domain.ErrorCode(err) != domain.EFORBIDDEN {
			t.Errorf("the owner selected: %v", err)
		}
		if _, err := cs.Select(ctx, w.bureau, x.ID, x.Version, an2.ID, ""); domain.ErrorField(err) != "answer_id" {
			t.Errorf("selected an answer whose evaluation is not final: %v", err)
		}
		if x, err = cs.Select(ctx, w.bureau, x.ID, x.Version, an.ID, "综合评分第一"); err != nil {
			t.Fatal(err)
		}
		if x.WinnerAnswerID != an.ID || x.WinnerOrgID != w.city.Univ.ID || x.Status != domain.ChallengeSelected {
			t.Fatalf("selected %+v", x)
		}
		if got, _ := cs.GetAnswer(ctx, other, an2.ID); got.Status != domain.AnswerNotSelected {
			t.Errorf("the other answer is %s", got.Status)
		}
		ns, _ := w.svc.Notify.About(ctx, "challenge", x.ID)
		if !hasNotice(ns, w.city.User("other_tto").ID, "揭榜方案未入选") || !hasNotice(ns, w.city.User("tto").ID, "揭榜方案入选") {
			t.Errorf("the answering organisations were not told: %+v", ns)
		}
		// The agreement, milestones and payments.
		today := w.city.Today()
		if _, err := cs.Contract(ctx, w.ent, x.ID, x.Version, domain.ChallengeAgreement{Date: today, AgreedFen: x.BudgetFen + 1}); domain.ErrorField(err) != "agreed_fen" {
			t.Errorf("an agreement above the budget: %v", err)
		}
		if _, err := cs.Contract(ctx, w.ent, x.ID, x.Version, domain.ChallengeAgreement{Date: today, AgreedFen: 2_500_000_00, AttachmentID: 1}); domain.ErrorField(err) != "attachment_id" {
			t.Errorf("an agreement naming an attachment nobody checked: %v", err)
		}
		if x, err = cs.Contract(ctx, w.ent, x.ID, x.Version, domain.ChallengeAgreement{Date: today, AgreedFen: 2_500_000_00}); err != nil {
			t.Fatal(err)
		}
		if pub, _ := cs.Get(ctx, nil, x.ID); pub.Project != nil {
			t.Errorf("the public read the project: %+v", pub.Project)
		}
		if _, err := cs.Start(ctx, w.ent, x.ID, x.Version); domain.ErrorField(err) != "milestones" {
			t.Errorf("started without a milestone: %v", err)
		}
		due := w.city.Clock.Now().AddDate(0, 6, 0).Format(time.DateOnly)
		if x, err = cs.AddMilestone(ctx, w.ent, x.ID, x.Version, domain.ChallengeMilestone{Title: "样机", DueOn: due, PaymentFen: 1_500_000_00}); err != nil {
			t.Fatal(err)
		}
		if _, err := cs.AddMilestone(ctx, w.ent, x.ID, x.Version, domain.ChallengeMilestone{Title: "装车", DueOn: due, PaymentFen: 1_000_000_01}); domain.ErrorField(err) != "payment_fen" {
			t.Errorf("payments above the agreed amount: %v", err)
		}
		if x, err = cs.AddMilestone(ctx, w.ent, x.ID, x.Version, domain.ChallengeMilestone{Title: "装车", DueOn: due, PaymentFen: 1_000_000_00}); err != nil {
			t.Fatal(err)
		}
		if x.Project.PaymentsFen() != x.Project.AgreedFen || len(x.Project.Milestones) != 2 {
			t.Fatalf("the project %+v", x.Project)
		}
		if x, err = cs.Start(ctx, w.ent, x.ID, x.Version); err != nil {
			t.Fatal(err)
		}
		// serve's hourly deadline sweep (Notify.Sweep) runs the milestone
		// sweep; once sent, a notice is not sent again.
		if r, err := w.svc.Notify.Sweep(ctx, 200); err != nil || r.Milestones == 0 {
			t.Errorf("the deadline sweep sent %d milestone notices: %v", r.Milestones, err)
		}
		if n, err := cs.MilestoneSweep(ctx, 200); err != nil || n != 0 {
			t.Errorf("the milestone sweep sent %d again: %v", n, err)
		}
		if _, err := cs.CompleteMilestone(ctx, w.univ, x.ID, x.Version, x.Project.Milestones[0].ID, ""); domain.ErrorCode(err) != domain.EFORBIDDEN {
			t.Errorf("the answering organisation completed a milestone: %v", err)
		}
		x, _ = cs.Get(ctx, w.ent, x.ID)
		if x, err = cs.CompleteMilestone(ctx, w.ent, x.ID, x.Version, x.Project.Milestones[0].ID, "样机通过台架测试"); err != nil {
			t.Fatal(err)
		}
		if _, err := cs.Accept(ctx, w.bureau, x.ID, x.Version, domain.ChallengeAcceptance{Passed: true, Report: "通过", KeyTechSolved: 2, KeyTechIntl: 3}); domain.ErrorField(err) != "key_tech_intl" {
			t.Errorf("more international than solved: %v", err)
		}
		if x, err = cs.Accept(ctx, w.bureau, x.ID, x.Version, domain.ChallengeAcceptance{Passed: true, Report: "各项指标均达到榜单要求。", KeyTechSolved: 3, KeyTechIntl: 1}); err != nil {
			t.Fatal(err)
		}
		if x.Status != domain.ChallengeAccepted || x.KeyTechSolved != 3 || x.KeyTechIntl != 1 {
			t.Fatalf("accepted %+v", x)
		}
		if pub, _ := cs.Get(ctx, nil, x.ID); pub.KeyTechSolved != 3 || pub.WinnerName == "" {
			t.Errorf("the public board's result %+v", pub)
		}
		evs, err := cs.Events(ctx, w.ent, x.ID)
		if err != nil || len(evs) != 14 {
			t.Errorf("history %d steps: %v", len(evs), err)
		}
		if _, err := cs.Events(ctx, nil, x.ID); domain.ErrorCode(err) != domain.EUNAUTHORIZED {
			t.Errorf("the public read the history: %v", err)
		}
		fig, err := w.svc.ChainFigures(ctx, 2022, "")
		if err != nil || fig[domain.ChainChallenges] != 1 || fig[domain.ChainChallengeChains] != 1 {
			t.Errorf("chain figures %v %v", fig, err)
		}
	})
}

// TestChallengeWithdrawExit: a 榜单 withdrawn before publication never
// reaches the board; a project exits with a reason; a failed acceptance
// ends as failed.
func TestChallengeWithdrawExit(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		cs := w.svc.Challenges
		x := w.city.Challenge().Confirmed().Insert(t)
		if _, err := cs.Withdraw(ctx, w.ent, x.ID, x.Version, ""); domain.ErrorField(err) != "reason" {
			t.Errorf("withdrawn without a reason: %v", err)
		}
		x, err := cs.Withdraw(ctx, w.ent, x.ID, x.Version, "已自行解决")
		if err != nil || x.Status != domain.ChallengeWithdrawn {
			t.Fatalf("%+v %v", x, err)
		}
		if xs, _, _ := cs.List(ctx, nil, domain.ChallengeFilter{}); len(xs) != 0 {
			t.Errorf("the board lists %v", xs)
		}
		y := w.city.Challenge().Owner(w.city.Bureau).Published().Insert(t)
		if xs, n, _ := cs.List(ctx, nil, domain.ChallengeFilter{Query: "碳化硅"}); n != 1 || xs[0].ID != y.ID || xs[0].Publisher != "bureau" {
			t.Errorf("the board's search %v %d", xs, n)
		}
		if _, n, _ := cs.List(ctx, nil, domain.ChallengeFilter{Query: "燃气轮机"}); n != 0 {
			t.Errorf("a search that matches nothing: %d", n)
		}
		if _, n, _ := cs.List(ctx, nil, domain.ChallengeFilter{Year: 2021}); n != 0 {
			t.Errorf("the year filter: %d", n)
		}
		if _, _, err := cs.List(ctx, nil, domain.ChallengeFilter{Year: 3}); domain.ErrorField(err) != "year" {
			t.Errorf("a bad year: %v", err)
		}
	})
}

func hasNotice(ns []*domain.Notification, user int64, detail string) bool {
	for _, n := range ns {
		if n.UserID == user && strings.Contains(n.Detail, detail) {
			return true
		}
	}
	return false
}
