package service_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"kechuang/internal/domain"
	"kechuang/internal/service"
	"kechuang/internal/store"
)

func pct(n *json.Number) string {
	if n == nil {
		return "nil"
	}
	return string(*n)
}

func TestContractStats(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		c := w.city
		register := func(day string, a *domain.Actor, seller, buyer *domain.Org, turnover int64) {
			t.Helper()
			w.city.SetDay(day)
			x := w.submitted(t, a, w.input(seller, buyer, turnover))
			if _, err := w.svc.Contracts.Register(ctx, w.registrar, x.ID, x.Version, turnover/2, ""); err != nil {
				t.Fatal(err)
			}
		}
		// 2021: two contracts, 300万元.
		register("2021-05-10", w.univ, c.Univ, c.Ent, 1_000_000_00)
		register("2021-11-30", w.ent, c.Ent, c.Ent2, 2_000_000_00)
		// 2022: 400万元. A local→local, B local→outside, C outside→local (filed by the registrar).
		register("2022-03-15", w.univ, c.Univ, c.Ent, 1_500_000_00)
		register("2022-07-01", w.ent, c.Ent, c.Other, 1_700_000_00)
		register("2022-07-20", w.registrar, c.Other, c.Ent2, 800_000_00)
		// Not registered: must count nowhere.
		w.submitted(t, w.univ, w.input(c.Univ, c.Ent, 9_999_999_00))
		if err := w.st.InTx(ctx, func(tx *store.Q) error {
			return tx.SetTarget(ctx, 2022, service.TargetContractTurnover, 12_000_000_00)
		}); err != nil {
			t.Fatal(err)
		}

		// While 2022 runs (the clock on 25 July), it is compared with 2021
		// up to the same day as its last registration (20 July): one
		// contract, 100万元, not the whole of 2021.
		w.city.SetDay("2022-07-25")
		open, err := w.svc.Contracts.Stats(ctx, 2022)
		if err != nil {
			t.Fatal(err)
		}
		if open.PrevThrough != "2021-07-20" || open.Prev != (service.ContractAgg{Count: 1, TurnoverFen: 1_000_000_00, TechTransactionFen: 900_000_00}) ||
			pct(open.TurnoverYoYPct) != "300.00" || pct(open.CountYoYPct) != "200.00" {
			t.Errorf("2022 running: prev %+v through %s, yoy %s / %s", open.Prev, open.PrevThrough, pct(open.TurnoverYoYPct), pct(open.CountYoYPct))
		}

		// Once 2022 has ended it is compared with the whole of 2021.
		w.city.SetDay("2023-01-10")
		st, err := w.svc.Contracts.Stats(ctx, 2022)
		if err != nil {
			t.Fatal(err)
		}
		checks := []struct {
			name      string
			got, want any
		}{
			{"count", st.Count, int64(3)},
			{"turnover", st.TurnoverFen, int64(4_000_000_00)},
			{"tech", st.TechTransactionFen, int64(3_600_000_00)},
			{"prev", st.Prev, service.ContractAgg{Count: 2, TurnoverFen: 3_000_000_00, TechTransactionFen: 2_700_000_00}},
			{"turnover yoy", pct(st.TurnoverYoYPct), "33.33"},
			{"count yoy", pct(st.CountYoYPct), "50.00"},
			{"tech yoy", pct(st.TechYoYPct), "33.33"},
			{"output", st.Output.TurnoverFen, int64(3_200_000_00)},
			{"absorb", st.Absorb.TurnoverFen, int64(2_300_000_00)},
			{"local", st.Local, service.ContractAgg{Count: 1, TurnoverFen: 1_500_000_00, TechTransactionFen: 1_350_000_00}},
			{"local share", pct(st.LocalSharePct), "46.88"}, // 1500/3200 = 46.875, half away from zero
			{"target", st.Target != nil && st.Target.TurnoverFen == 12_000_000_00, true},
			{"target progress", pct(st.Target.ProgressPct), "33.33"},
			{"as of", st.AsOf, "2022-07-20"},
			{"prev through", st.PrevThrough, "2021-12-31"},
			{"years", fmt.Sprint(st.Years), fmt.Sprint(statsYears(t, w, 2022, 2021))},
			{"city", st.City, "沈阳市"},
			{"march", st.Monthly[2].TurnoverFen, int64(1_500_000_00)},
			{"july", st.Monthly[6].ContractAgg, service.ContractAgg{Count: 2, TurnoverFen: 2_500_000_00, TechTransactionFen: 2_250_000_00}},
			{"cumulative december", st.Monthly[11].CumulativeTurnoverFen, int64(4_000_000_00)},
			{"prev may", st.Monthly[4].PrevTurnoverFen, int64(1_000_000_00)},
			{"prev november", st.Monthly[10].PrevTurnoverFen, int64(2_000_000_00)},
			{"output districts", len(st.ByOutputDistrict), 2},
			{"top output district", st.ByOutputDistrict[0].Key + st.ByOutputDistrict[0].Label, "210112浑南区"},
			{"absorb districts", len(st.ByAbsorbDistrict), 2}, // 浑南 and 铁西; Beijing is outside
			{"top share", pct(st.ByOutputDistrict[0].SharePct), "42.50"},
			{"categories", len(st.ByCategory), 1},
			{"category label", st.ByCategory[0].Label, "技术开发"},
			{"seller types", len(st.BySellerType), 2},
		}
		for _, ch := range checks {
			if ch.got != ch.want {
				t.Errorf("%s = %v, want %v", ch.name, ch.got, ch.want)
			}
		}

		// The statistics from the rollup equal those from the records.
		naive, err := w.st.RollupRowsNaive(ctx, 2021, 2022)
		if err != nil {
			t.Fatal(err)
		}
		rolled, _ := w.st.RollupRows(ctx, 2021, 2022)
		if len(naive) != len(rolled) {
			t.Fatalf("rollup %d cells, naive %d", len(rolled), len(naive))
		}
		for i := range naive {
			if naive[i] != rolled[i] {
				t.Fatalf("cell %d: rollup %+v naive %+v", i, rolled[i], naive[i])
			}
		}

		first, err := w.svc.Contracts.Stats(ctx, 2021)
		if err != nil || first.Count != 2 || first.TurnoverYoYPct != nil {
			t.Fatalf("2021 stats %+v, %v", first, err)
		}
		// 2021 has no target of its own: it shows none, never 2022's as reached.
		if first.Target != nil {
			t.Fatalf("2021 target %+v, want none", first.Target)
		}
		// A target for a year to come makes the year worth choosing; with
		// nothing registered it is compared with nothing (no -100%).
		if err := w.st.InTx(ctx, func(tx *store.Q) error {
			return tx.SetTarget(ctx, 2023, service.TargetContractTurnover, 15_000_000_00)
		}); err != nil {
			t.Fatal(err)
		}
		next, err := w.svc.Contracts.Stats(ctx, 2023)
		if err != nil {
			t.Fatal(err)
		}
		if fmt.Sprint(next.Years) != fmt.Sprint(statsYears(t, w, 2023, 2022, 2021)) || next.Target == nil || next.Target.Year != 2023 || next.TurnoverYoYPct != nil || next.CountYoYPct != nil || next.PrevThrough != "" {
			t.Errorf("2023: years %v, target %+v, yoy %s / %s, prev through %q", next.Years, next.Target, pct(next.TurnoverYoYPct), pct(next.CountYoYPct), next.PrevThrough)
		}
		_, err = w.svc.Contracts.Stats(ctx, 1066)
		wantCode(t, err, domain.EINVALID, "year")
	})
}

// statsYears is what the year selector should offer: the registered years
// given and the years with a turnover target (the world's city file sets
// some), newest first, each once.
func statsYears(t *testing.T, w *world, registered ...int) []int {
	t.Helper()
	targets, err := w.st.Targets(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	seen := map[int]bool{}
	for _, y := range registered {
		seen[y] = true
	}
	for _, x := range targets {
		if x.Metric == service.TargetContractTurnover {
			seen[x.Year] = true
		}
	}
	var out []int
	for y := 2200; y >= 1980; y-- {
		if seen[y] {
			out = append(out, y)
		}
	}
	return out
}
