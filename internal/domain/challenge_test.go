package domain_test

import (
	"strings"
	"testing"

	"kechuang/internal/domain"
)

func validChallenge() *domain.Challenge {
	return &domain.Challenge{Title: "高功率密度控制器攻关", Problem: strings.Repeat("碳化硅控制器功率密度不足", 3),
		Indicators:  []domain.ChallengeIndicator{{Indicator: "功率密度", Target: "≥45", Unit: "kW/L"}},
		Eligibility: "高校院所", BudgetFen: 3_000_000_00, GovShareFen: 1_000_000_00, Deadline: "2022-06-30", ChainCode: "robot"}
}

// TestChallengeValidate names every bad field; the government's share is
// compared exactly with the budget, the ratio and the cap.
func TestChallengeValidate(t *testing.T) {
	r := domain.DefaultChallengeRules()
	chains := []string{"robot"}
	if err := validChallenge().Validate(chains, "2022-03-01", r); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		field string
		edit  func(x *domain.Challenge, r *domain.ChallengeRules)
	}{
		{"title", func(x *domain.Challenge, _ *domain.ChallengeRules) { x.Title = "" }},
		{"problem", func(x *domain.Challenge, _ *domain.ChallengeRules) { x.Problem = "短" }},
		{"indicators", func(x *domain.Challenge, _ *domain.ChallengeRules) { x.Indicators = nil }},
		{"indicators[0].target", func(x *domain.Challenge, _ *domain.ChallengeRules) { x.Indicators[0].Target = "" }},
		{"eligibility", func(x *domain.Challenge, _ *domain.ChallengeRules) { x.Eligibility = "" }},
		{"budget_fen", func(x *domain.Challenge, _ *domain.ChallengeRules) { x.BudgetFen = 0 }},
		{"gov_share_fen", func(x *domain.Challenge, _ *domain.ChallengeRules) { x.GovShareFen = -1 }},
		{"gov_share_fen", func(x *domain.Challenge, _ *domain.ChallengeRules) { x.GovShareFen = x.BudgetFen + 1 }},
		{"gov_share_fen", func(x *domain.Challenge, r *domain.ChallengeRules) {
			r.MaxGovPermille = 333
			x.GovShareFen = 1_000_000_00
		}},
		{"gov_share_fen", func(x *domain.Challenge, r *domain.ChallengeRules) { r.GovCapFen = 99_999_999 }},
		{"deadline", func(x *domain.Challenge, _ *domain.ChallengeRules) { x.Deadline = "2022-02-30" }},
		{"deadline", func(x *domain.Challenge, _ *domain.ChallengeRules) { x.Deadline = "2022-02-28" }},
		{"chain_code", func(x *domain.Challenge, _ *domain.ChallengeRules) { x.ChainCode = "moon" }},
	}
	for _, c := range cases {
		x, r := validChallenge(), domain.DefaultChallengeRules()
		c.edit(x, &r)
		if err := x.Validate(chains, "2022-03-01", r); domain.ErrorField(err) != c.field {
			t.Errorf("%s: %v", c.field, err)
		}
	}
	// Exactly at the ratio and at the cap: allowed.
	x := validChallenge()
	x.GovShareFen = 1_000_000_00
	if err := x.Validate(chains, "", domain.ChallengeRules{MaxGovPermille: 334, GovCapFen: 1_000_000_00}); err != nil {
		t.Errorf("at the limits: %v", err)
	}
	if err := x.Validate(chains, "", domain.ChallengeRules{MaxGovPermille: 333, GovCapFen: 0}); domain.ErrorField(err) != "gov_share_fen" {
		t.Errorf("333‰ of 300万元 is below 100万元: %v", err)
	}
}

// TestChallengeProjectRules: payments never above the agreed amount
// (exactly), milestones not before the agreement, acceptance's
// international count within the solved count.
func TestChallengeProjectRules(t *testing.T) {
	p := &domain.ChallengeProject{AgreementDate: "2022-05-01", AgreedFen: 100_00,
		Milestones: []domain.ChallengeMilestone{{PaymentFen: 60_00}}}
	if err := (&domain.ChallengeMilestone{Title: "M2", DueOn: "2022-09-01", PaymentFen: 40_00}).Validate(p); err != nil {
		t.Errorf("exactly the rest: %v", err)
	}
	if err := (&domain.ChallengeMilestone{Title: "M2", DueOn: "2022-09-01", PaymentFen: 40_01}).Validate(p); domain.ErrorField(err) != "payment_fen" {
		t.Errorf("one fen over: %v", err)
	}
	if err := (&domain.ChallengeMilestone{Title: "M2", DueOn: "2022-04-30"}).Validate(p); domain.ErrorField(err) != "due_on" {
		t.Errorf("due before the agreement: %v", err)
	}
	x := validChallenge()
	x.SelectedOn = "2022-05-01"
	if err := (&domain.ChallengeAgreement{Date: "2022-04-30", AgreedFen: 1}).Validate(x, "2022-06-01"); domain.ErrorField(err) != "agreement_date" {
		t.Errorf("signed before the selection: %v", err)
	}
	if err := (&domain.ChallengeAgreement{Date: "2022-05-02", AgreedFen: x.BudgetFen + 1}).Validate(x, "2022-06-01"); domain.ErrorField(err) != "agreed_fen" {
		t.Errorf("above the budget: %v", err)
	}
	if err := (&domain.ChallengeAcceptance{Report: "r", KeyTechSolved: 2, KeyTechIntl: 3}).Validate(); domain.ErrorField(err) != "key_tech_intl" {
		t.Errorf("more international than solved: %v", err)
	}
	if err := (&domain.ChallengeAcceptance{Report: "r", KeyTechSolved: 2, KeyTechIntl: 2}).Validate(); err != nil {
		t.Error(err)
	}
}

// TestChallengeFlowRoles: who may take each step.
func TestChallengeFlowRoles(t *testing.T) {
	owner := &domain.Actor{UserID: 1, Role: domain.RoleEnterprise, OrgID: 7}
	bureau := &domain.Actor{UserID: 2, Role: domain.RoleBureau, OrgID: 1}
	univ := &domain.Actor{UserID: 3, Role: domain.RoleTTO, OrgID: 9}
	x := validChallenge()
	x.OwnerOrgID = 7
	for _, c := range []struct {
		status domain.ChallengeStatus
		action string
		a      *domain.Actor
		want   bool
	}{
		{domain.ChallengeDraft, "submit", owner, true}, {domain.ChallengeDraft, "submit", bureau, false},
		{domain.ChallengeSubmitted, "confirm", bureau, true}, {domain.ChallengeSubmitted, "confirm", owner, false},
		{domain.ChallengeConfirmed, "publish", bureau, true}, {domain.ChallengeConfirmed, "withdraw", owner, true},
		{domain.ChallengePublished, "withdraw", owner, false}, {domain.ChallengeClosed, "select", bureau, true},
		{domain.ChallengeSelected, "contract", owner, true}, {domain.ChallengeSelected, "contract", univ, false},
		{domain.ChallengeInProject, "accept", bureau, true}, {domain.ChallengeInProject, "accept", owner, false},
		{domain.ChallengeInProject, "exit", owner, true}, {domain.ChallengeAccepted, "exit", owner, false},
	} {
		x.Status = c.status
		if got := domain.ChallengeFlow.Can(c.action, c.a, x); got != c.want {
			t.Errorf("%s %s by %s: %v", c.status, c.action, c.a.Role, got)
		}
	}
	x.Status = domain.ChallengePublished
	if !domain.Challenges.CanAnswer(univ, x) || domain.Challenges.CanAnswer(owner, x) || domain.Challenges.CanAnswer(bureau, x) {
		t.Error("who may answer")
	}
	an := &domain.ChallengeAnswer{OrgID: 9, ChallengeOwnerID: 7}
	rival := &domain.Actor{UserID: 4, Role: domain.RoleTTO, OrgID: 10}
	if !domain.Challenges.CanSeeAnswer(univ, an) || !domain.Challenges.CanSeeAnswer(owner, an) || !domain.Challenges.CanSeeAnswer(bureau, an) ||
		domain.Challenges.CanSeeAnswer(rival, an) || domain.Challenges.CanSeeAnswer(nil, an) {
		t.Error("who may read an answer")
	}
}
