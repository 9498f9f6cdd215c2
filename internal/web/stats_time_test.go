package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"kechuang/internal/demo"
	"kechuang/internal/domain"
	"kechuang/internal/service"
	"kechuang/internal/store"
	"kechuang/internal/testutil"
)

// TestStatsTellTheTime loads the demo city on 2026-12-01 and reads the
// dashboard as a newcomer does, in both languages: it opens on 2026 with
// its own target and a comparison with 2025 up to the same day; 数据截至 is
// the last day with registrations (yesterday, not the month's end nor
// today); 2022 shows no target (not 2023's as reached); the year selector
// is a real <select> offering only years with records or a target.
func TestStatsTellTheTime(t *testing.T) {
	for _, db := range testutil.Databases(t) {
		t.Run(db, func(t *testing.T) {
			at := time.Date(2026, 12, 1, 10, 0, 0, 0, domain.ChinaTZ)
			// The demo package's tests load this day the same way (the same
			// key and fill): one load for both binaries.
			st := testutil.CopyAcross(t, db, testutil.DemoAt("2026-12-01"), func(st *store.Store) error {
				svc := service.New(st, testutil.Log()).WithClock(domain.NewManualClock(at))
				_, err := demo.Load(context.Background(), svc, at, nil)
				return err
			})
			srv, _ := server(t, st.WithClock(domain.NewManualClock(at)))
			c := newClient(t, srv.URL)
			options := regexp.MustCompile(`<option value="(\d{4})"( selected)?>`)
			offered := func(body string) (years []string, selected string) {
				sel := body[strings.Index(body, `<select id="year"`):]
				sel = sel[:strings.Index(sel, "</select>")]
				for _, m := range options.FindAllStringSubmatch(sel, -1) {
					years = append(years, m[1])
					if m[2] != "" {
						selected = m[1]
					}
				}
				return years, selected
			}
			want := "[2027 2026 2025 2024 2023 2022 2021]" // 2027: a target, no records yet
			for _, lang := range []struct {
				q, asOf, target, prev, yoy, noTarget string
			}{
				{"", "数据截至 2026年11月30日", "2026年目标 650.00亿元", "上年同期（至2025年11月30日）", "与上年同期（至2025年11月30日）相比", "2022年未设定技术合同成交额目标"},
				{"lang=en", "data as of 30 Nov 2026", "2026 target: ", "Same period last year (to 30 Nov 2025)", "Against the same period last year (to 30 Nov 2025)", "No contract value target set for 2022"},
			} {
				st, _, body := c.do("GET", "/stats?"+lang.q, nil)
				if st != http.StatusOK {
					t.Fatalf("/stats?%s: %d", lang.q, st)
				}
				years, selected := offered(body)
				if selected != "2026" || strings.Join(years, " ") != strings.Trim(want, "[]") {
					t.Errorf("/stats?%s: selector offers %v, selected %q; want %s with 2026", lang.q, years, selected, want)
				}
				for _, s := range []string{lang.asOf, lang.target, lang.prev, lang.yoy} {
					if !strings.Contains(body, s) {
						t.Errorf("/stats?%s lacks %q", lang.q, s)
					}
				}
				_, _, body = c.do("GET", "/stats?year=2022&"+lang.q, nil)
				if !strings.Contains(body, lang.noTarget) || strings.Contains(body, "2023年目标") || strings.Contains(body, "2023 target") {
					t.Errorf("/stats?year=2022&%s: shows another year's target or none missing", lang.q)
				}
			}
			// The API opens on the same year and says so.
			res, err := http.Get(srv.URL + "/api/v1/stats/contracts")
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			var api struct {
				Year        int    `json:"year"`
				AsOf        string `json:"as_of"`
				PrevThrough string `json:"prev_through"`
				Years       []int  `json:"years"`
				Target      *struct {
					Year int `json:"year"`
				} `json:"target"`
			}
			if err := json.NewDecoder(res.Body).Decode(&api); err != nil {
				t.Fatal(err)
			}
			if b, _ := json.Marshal(api.Years); api.Year != 2026 || api.AsOf != "2026-11-30" || api.PrevThrough != "2025-11-30" ||
				api.Target == nil || api.Target.Year != 2026 || strings.ReplaceAll(string(b), ",", " ") != want {
				t.Errorf("API: %+v", api)
			}
		})
	}
}
