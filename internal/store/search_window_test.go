package store_test

import (
	"context"
	"fmt"
	"slices"
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
func TestSearchWindow(t *testing.T) {
	eachStore(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		w := storetest.New(t, st)
		const n = store.SearchWindow + 45
		var bulk []*domain.Achievement
		for i := range n {
			x := w.Achievement().Build()
			x.Title = fmt.Sprintf("风电叶片检测方法 %d", i)
			x.Status, x.PublishedOn = domain.AchievementPublished, "2022-01-10"
			x.CreatedAt, x.UpdatedAt = w.Clock.Now(), w.Clock.Now()
			bulk = append(bulk, x)
		}
		if err := st.InTx(ctx, func(q *store.Q) error { return q.BulkInsertAchievements(ctx, bulk) }); err != nil {
			t.Fatal(err)
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
