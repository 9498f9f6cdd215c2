package demo_test

import (
	"context"
	"strconv"
	"testing"

	"kechuang/internal/demo"
	"kechuang/internal/domain"
	"kechuang/internal/service"
)

// checkChallenges checks the 揭榜挂帅 board of a finished load: 2022 gives
// the seed's 147 challenges published on the city's 20 chains, counted from
// the records; every full year its plan; some selected, in projects and
// accepted with key technologies counted; every demo record passes the
// rules; the answers are private (the public lists none).
func checkChallenges(t *testing.T, svc *service.Service, today string) {
	t.Helper()
	ctx := context.Background()
	y0, _ := strconv.Atoi(today[:4])
	if cs, err := svc.Meta.Chains(ctx); err != nil || len(cs) != 20 {
		t.Errorf("the demo city has %d chains, want 20 (%v)", len(cs), err)
	}
	for y := 2021; y <= y0; y++ {
		xs, n, err := svc.Challenges.List(ctx, nil, domain.ChallengeFilter{Year: y, PerPage: 200})
		if err != nil {
			t.Fatal(err)
		}
		want := demo.ChallengesPublished[y]
		if y < y0 && n != want || y == y0 && (n == 0 || n > want) {
			t.Errorf("%d: %d challenges published, want %d", y, n, want)
		}
		chains := map[string]bool{}
		for _, x := range xs {
			chains[x.ChainCode] = true
			if err := x.Validate(nil, "", domain.DefaultChallengeRules()); err != nil {
				t.Errorf("demo challenge %d: %v", x.ID, err)
			}
		}
		if y == 2022 && (n != 147 || len(chains) != 20) {
			t.Errorf("2022: %d challenges on %d chains, want 147 on 20", n, len(chains))
		}
	}
	accepted, n, err := svc.Challenges.List(ctx, nil, domain.ChallengeFilter{Status: domain.ChallengeAccepted, PerPage: 200})
	if err != nil || n == 0 {
		t.Fatalf("no accepted project (%v)", err)
	}
	for _, x := range accepted {
		if x.KeyTechSolved < 1 || x.KeyTechIntl > x.KeyTechSolved || x.WinnerName == "" || x.Project != nil {
			t.Errorf("accepted %d: %d solved, %d international, winner %q, project shown to the public %v", x.ID, x.KeyTechSolved, x.KeyTechIntl, x.WinnerName, x.Project != nil)
		}
	}
	bureau, err := svc.Admin.UserByUsername(ctx, domain.SystemActor(), "bureau")
	if err != nil {
		t.Fatal(err)
	}
	x, err := svc.Challenges.Get(ctx, service.ActorOf(bureau), accepted[0].ID)
	if err != nil || x.Project == nil || x.Project.PaymentsFen() > x.Project.AgreedFen || len(x.Project.Milestones) == 0 {
		t.Fatalf("the bureau's view of an accepted project: %+v %v", x, err)
	}
	answers, err := svc.Challenges.Answers(ctx, service.ActorOf(bureau), x.ID)
	if err != nil || len(answers) == 0 || answers[0].EvaluationID == 0 {
		t.Errorf("answers of %d: %v %v", x.ID, answers, err)
	}
	if _, n, _ := svc.Challenges.List(ctx, nil, domain.ChallengeFilter{Status: domain.ChallengeInProject}); n == 0 {
		t.Error("no project in progress")
	}
}
