package demo_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"kechuang/internal/demo"
	"kechuang/internal/httpapi"
	"kechuang/internal/httpx"
	"kechuang/internal/service"
	"kechuang/internal/testutil"
)

// TestDemoChainFigures: the demo's chain figures come from its records: 2022
// gives exactly the seed's 1700 achievements converted locally (and its
// 2415 achievements published) through GET /api/v1/stats/chain; every year
// has needs and more linked contracts than local conversions, on both
// databases.
func TestDemoChainFigures(t *testing.T) {
	for _, db := range testutil.Databases(t) {
		t.Run(db, func(t *testing.T) {
			_, svc, _ := loadOn(t, db, "2024-03-15")
			k := httpx.New(svc.Auth, testutil.Log())
			api, err := httpapi.New(svc, k)
			if err != nil {
				t.Fatal(err)
			}
			mux := http.NewServeMux()
			api.Routes(mux)
			srv := httptest.NewServer(k.Wrap(mux))
			defer srv.Close()
			res, err := http.Get(srv.URL + "/api/v1/stats/chain?year=2022")
			if err != nil {
				t.Fatal(err)
			}
			var got service.ChainStats
			if err := json.NewDecoder(res.Body).Decode(&got); err != nil || res.StatusCode != http.StatusOK {
				t.Fatalf("GET /api/v1/stats/chain?year=2022: %d %v", res.StatusCode, err)
			}
			res.Body.Close()
			if got.LocalConversions != 1700 || got.AchievementsPublished != 2415 || got.Year != 2022 {
				t.Errorf("2022 through the API: %d converted locally, %d published", got.LocalConversions, got.AchievementsPublished)
			}
			ctx := context.Background()
			for _, y := range []int{2021, 2022, 2023, 2024} {
				st, err := svc.Chain.Stats(ctx, y, "")
				if err != nil {
					t.Fatal(err)
				}
				if want, ok := demo.LocalConversions[y]; ok && st.LocalConversions != int64(want) {
					t.Errorf("%d: %d achievements converted locally, want %d", y, st.LocalConversions, want)
				}
				if st.LocalConversions == 0 || st.NeedsPublished == 0 || st.ContractsLinked <= st.LocalConversions || st.AchievementsContracted < st.LocalConversions {
					t.Errorf("%d: implausible figures %+v", y, st)
				}
			}
		})
	}
}
