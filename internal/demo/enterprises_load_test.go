package demo_test

import (
	"context"
	"testing"

	"kechuang/internal/demo"
	"kechuang/internal/domain"
	"kechuang/internal/enterprisefacts"
	"kechuang/internal/rules"
	"kechuang/internal/service"
	"kechuang/internal/store"
	"kechuang/internal/testutil"
)

// TestDemoEnterprises: the loaded demo's registry, read back from the
// records and assessed with the rules, gives the published figures of
// 2021 and 2022; the demo enterprise's account has its firm and filings.
func TestDemoEnterprises(t *testing.T) {
	for _, name := range testutil.Databases(t) {
		t.Run(name, func(t *testing.T) {
			_, svc, _ := loadOn(t, name, "2026-12-01")
			ctx := context.Background()
			sets, err := rules.LoadDir(rules.Embedded())
			if err != nil {
				t.Fatal(err)
			}
			m := rules.NewMulti([]*rules.Set{sets["sme"], sets["hnte"], sets["eaglet"], sets["gazelle"], sets["unicorn"]}, false)
			tech := map[int]map[int64]bool{}
			for _, y := range []int{2021, 2022} {
				got := demo.EnterpriseFigures{Year: y}
				tech[y] = map[int64]bool{}
				for after := int64(0); ; {
					var page []*domain.EnterpriseFiling
					if err := svc.Seed(ctx, func(q *store.Q) error {
						var err error
						page, err = q.EnterpriseFilingsOfYear(ctx, y, after, 5000)
						return err
					}); err != nil {
						t.Fatal(err)
					}
					for _, f := range page {
						facts, err := enterprisefacts.Decode(f.Facts)
						if err != nil {
							t.Fatal(err)
						}
						res, err := m.Assess(&facts)
						if err != nil {
							t.Fatal(err)
						}
						if res[0].Verdict == rules.Pass || res[1].Verdict == rules.Pass {
							got.Tech++
							tech[y][f.EnterpriseID] = true
						}
						if res[1].Verdict == rules.Pass {
							got.HighTech++
						}
						if res[2].Verdict == rules.Pass {
							got.Eaglet++
						}
						if res[3].Verdict == rules.Pass || res[4].Verdict == rules.Pass {
							got.GazelleUnicorn++
						}
					}
					if len(page) < 5000 {
						break
					}
					after = page[len(page)-1].ID
				}
				if want := demo.EnterprisePublished[y-2021]; got != want {
					t.Errorf("%d from the records: %+v, want %+v", y, got, want)
				}
			}
			intake := 0
			for id := range tech[2022] {
				if !tech[2021][id] {
					intake++
				}
			}
			if intake < demo.MinPoolIntake {
				t.Errorf("2022 pool intake %d", intake)
			}
			// the demo enterprise (the account that buys contracts) is a registry firm with filings
			a := enterpriseActor(t, svc)
			x, err := svc.Enterprises.Mine(ctx, a)
			if err != nil || x.Name != demo.OrgEnterprise {
				t.Fatalf("the demo enterprise's firm: %+v, %v", x, err)
			}
			fs, err := svc.Enterprises.Filings(ctx, a, x.ID)
			if err != nil || len(fs) != 6 || fs[0].Year != 2021 {
				t.Fatalf("its filings: %d, %v", len(fs), err)
			}
		})
	}
}

func enterpriseActor(t *testing.T, svc *service.Service) *domain.Actor {
	t.Helper()
	u, err := svc.Admin.UserByUsername(context.Background(), domain.SystemActor(), "enterprise")
	if err != nil {
		t.Fatal(err)
	}
	return service.ActorOf(u)
}
