package demo_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"kechuang/internal/demo"
	"kechuang/internal/domain"
	"kechuang/internal/enterprisefacts"
	"kechuang/internal/httpapi"
	"kechuang/internal/httpx"
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
			// the public statistics, counted from the assessment records of
			// the load's batch runs
			for _, y := range []int{2021, 2022, 2026} {
				st := enterpriseStats(t, svc, y)
				want := demo.EnterpriseTargets([]int{y})[0]
				got := demo.EnterpriseFigures{Year: st.Year, Tech: int(st.TechEnterprises), HighTech: int(st.HighTech),
					Eaglet: int(st.Eaglet), GazelleUnicorn: int(st.GazelleUnicorn)}
				if got != want {
					t.Errorf("GET /api/v1/stats/enterprises?year=%d: %+v, want %+v", y, got, want)
				}
				if y == 2022 && (st.TechEnterprisesAdded != 4238 || st.PoolIntake != int64(intake)) {
					t.Errorf("2022: added %d, pool intake %d (want 4238, %d)", st.TechEnterprisesAdded, st.PoolIntake, intake)
				}
				if y > 2021 && st.PoolIntake < demo.MinPoolIntake {
					t.Errorf("%d: pool intake %d", y, st.PoolIntake)
				}
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

// enterpriseStats is GET /api/v1/stats/enterprises?year=y, anonymous.
func enterpriseStats(t *testing.T, svc *service.Service, y int) service.EnterpriseStats {
	t.Helper()
	log := testutil.Log()
	k := httpx.New(svc.Auth, log)
	api, err := httpapi.New(svc, k)
	if err != nil {
		t.Fatal(err)
	}
	mux := http.NewServeMux()
	api.Routes(mux)
	rec := httptest.NewRecorder()
	k.Wrap(mux).ServeHTTP(rec, httptest.NewRequest("GET", fmt.Sprintf("/api/v1/stats/enterprises?year=%d", y), nil))
	var st service.EnterpriseStats
	if rec.Code != http.StatusOK || json.Unmarshal(rec.Body.Bytes(), &st) != nil {
		t.Fatalf("GET /api/v1/stats/enterprises?year=%d: %d %s", y, rec.Code, rec.Body.String())
	}
	return st
}
