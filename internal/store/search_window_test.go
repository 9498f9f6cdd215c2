package store_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"kechuang/internal/domain"
	"kechuang/internal/store"
	"kechuang/internal/store/storetest"
)

// TestSearchWindow: a term matching more rows than the ranked window. The
// pages, whatever their size, list every match exactly once; the window is
// the newest store.SearchWindow matches; the matches after it follow newest
// first, also on a page that straddles the window's end (the store serves
// them; the web and the API stop at the count's cap); the count stops at
// domain.SearchCountCap+1, the window and one more, not at a list's cap.
// The matches are written in five batches; on PostgreSQL their ids lie
// apart, with empty id buckets (migration 0030) between them, so that its walk
// (store newestWindow: a span of buckets at a time, newest first) crosses
// spans, empty ones among them, and stops inside one.
func TestSearchWindow(t *testing.T) {
	eachStore(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		w := storetest.New(t, st)
		const n = store.SearchWindow + 45
		const batches, gap = 5, 3 * 8192
		var bulk []*domain.Achievement
		for i := range n {
			x := w.Achievement().Build()
			x.Title = fmt.Sprintf("风电叶片检测方法 %d", i)
			x.Status, x.PublishedOn = domain.AchievementPublished, "2022-01-10"
			x.CreatedAt, x.UpdatedAt = w.Clock.Now(), w.Clock.Now()
			bulk = append(bulk, x)
			if len(bulk) < n/batches && i < n-1 {
				continue
			}
			if err := st.InTx(ctx, func(q *store.Q) error { return q.BulkInsertAchievements(ctx, bulk) }); err != nil {
				t.Fatal(err)
			}
			bulk = nil
			if st.Dialect().String() == "postgres" { // SQLite has no buckets (its ids follow the largest)
				if err := store.ExecRaw(ctx, st, `SELECT setval(pg_get_serial_sequence('achievements', 'id'), MAX(id) + $1) FROM achievements`, gap); err != nil {
					t.Fatal(err)
				}
			}
		}
		all, err := st.AchievementMatches(ctx, "风电", false)
		if err != nil || len(all) != n {
			t.Fatalf("matches: %d %v, want %d", len(all), err, n)
		}
		newest := slices.Clone(all)
		slices.Reverse(newest) // ids descending
		walk := func(per int) []int64 {
			t.Helper()
			var out []int64
			for page := 1; ; page++ {
				got, total, err := st.FindAchievements(ctx, domain.AchievementFilter{Query: "风电", Page: page, PerPage: per}, domain.AchievementScope{})
				if err != nil {
					t.Fatal(err)
				}
				if want := domain.SearchCountCap + 1; total != want {
					t.Fatalf("per %d page %d: count %d, want %d (capped)", per, page, total, want)
				}
				if len(got) == 0 {
					return out
				}
				for _, x := range got {
					out = append(out, x.ID)
				}
			}
		}
		if _, total, err := st.FindAchievements(ctx, domain.AchievementFilter{Query: "风电 1044"}, domain.AchievementScope{}); err != nil || total != 1 {
			t.Errorf("a search with fewer matches than the cap: count %d %v, want 1 (exact)", total, err)
		}
		if _, total, err := st.FindAchievements(ctx, domain.AchievementFilter{PerPage: 20}, domain.AchievementScope{}); err != nil || total != n {
			t.Errorf("the list without a query: count %d %v, want %d (a list's cap)", total, err, n)
		}
		for _, per := range []int{20, 30, 200} { // 30: page 34 straddles the window's end
			got := walk(per)
			if len(got) != n {
				t.Fatalf("per %d: %d rows, want %d", per, len(got), n)
			}
			window := slices.Clone(got[:store.SearchWindow])
			slices.Sort(window)
			if !slices.Equal(window, all[n-store.SearchWindow:]) {
				t.Errorf("per %d: the ranked window is not the newest %d matches", per, store.SearchWindow)
			}
			if tail := got[store.SearchWindow:]; !slices.Equal(tail, newest[store.SearchWindow:]) {
				t.Errorf("per %d: after the window %v, want the older matches newest first %v", per, tail, newest[store.SearchWindow:])
			}
		}
	})
}

// TestSearchWindowOrder: within the window a search ranks by relevance (a
// title match before an abstract match), then by publication date, newest
// first, then by id, newest first, and its pages (of the one walk that
// also counts) cut that order without a gap or a repeat.
func TestSearchWindowOrder(t *testing.T) {
	eachStore(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		w := storetest.New(t, st)
		var bulk []*domain.Achievement
		days := []string{"2022-03-01", "2023-07-15", "2022-03-01", "2024-01-09", "2023-07-15", "2022-03-01"}
		for i := range 24 {
			x := w.Achievement().Build()
			x.Title, x.Abstract = "海上平台监测系统", "一种用于海上平台的监测系统，提高检测效率。"
			if i%2 == 0 { // the term in the title (and the same abstract, so the scores tie within a kind)
				x.Title = "风电叶片监测系统"
			} else {
				x.Abstract = "一种用于风电叶片的监测系统，提高检测效率。"
			}
			x.Status, x.PublishedOn = domain.AchievementPublished, days[i%len(days)]
			x.CreatedAt, x.UpdatedAt = w.Clock.Now(), w.Clock.Now()
			bulk = append(bulk, x)
		}
		if err := st.InTx(ctx, func(q *store.Q) error { return q.BulkInsertAchievements(ctx, bulk) }); err != nil {
			t.Fatal(err)
		}
		all, _, err := st.FindAchievements(ctx, domain.AchievementFilter{PerPage: 200}, domain.AchievementScope{})
		if err != nil || len(all) != len(bulk) {
			t.Fatalf("the list: %d %v", len(all), err)
		}
		want := slices.Clone(all)
		slices.SortStableFunc(want, func(a, b *domain.Achievement) int {
			ta, tb := strings.Contains(a.Title, "风电"), strings.Contains(b.Title, "风电")
			if ta != tb {
				if ta {
					return -1
				}
				return 1
			}
			if c := strings.Compare(b.PublishedOn, a.PublishedOn); c != 0 {
				return c
			}
			return int(b.ID - a.ID)
		})
		check := func(f domain.AchievementFilter, want []*domain.Achievement) {
			t.Helper()
			var got []*domain.Achievement
			for page := 1; page <= 3; page++ {
				f.Page, f.PerPage = page, 10
				xs, total, err := st.FindAchievements(ctx, f, domain.AchievementScope{})
				if err != nil || total != len(want) {
					t.Fatalf("%+v: count %d %v, want %d", f, total, err, len(want))
				}
				got = append(got, xs...)
			}
			if len(got) != len(want) {
				t.Fatalf("%+v: %d rows over the pages, want %d", f, len(got), len(want))
			}
			for i := range want {
				if got[i].ID != want[i].ID {
					t.Fatalf("%+v: position %d: %d (%s, %s), want %d (%s, %s)", f, i, got[i].ID, got[i].Title, got[i].PublishedOn,
						want[i].ID, want[i].Title, want[i].PublishedOn)
				}
			}
		}
		check(domain.AchievementFilter{Query: "风电"}, want)
		// narrowed by a filter (its tokens are part of the search's match):
		// the titles are still told apart
		var in2022 []*domain.Achievement
		for _, x := range want {
			if strings.HasPrefix(x.PublishedOn, "2022") {
				in2022 = append(in2022, x)
			}
		}
		check(domain.AchievementFilter{Query: "风电", Year: 2022}, in2022)
	})
}

// TestPostgresReadersPlanEachSearch: a PostgreSQL reader plans each
// execution with its arguments, so that a search's term chooses its plan
// (a generic plan would be one of them for every term).
func TestPostgresReadersPlanEachSearch(t *testing.T) {
	eachStore(t, func(t *testing.T, st *store.Store) {
		if st.Dialect().String() != "postgres" {
			t.Skip("PostgreSQL only")
		}
		if v, err := store.ReaderSetting(context.Background(), st, "plan_cache_mode"); err != nil || v != "force_custom_plan" {
			t.Errorf("plan_cache_mode on a reader: %q %v", v, err)
		}
	})
}
