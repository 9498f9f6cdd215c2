package store_test

import (
	"context"
	"fmt"
	"testing"

	"kechuang/internal/domain"
	"kechuang/internal/store"
	"kechuang/internal/store/storetest"
)

// mixedContracts returns registered contracts spread over two years, every
// month, several districts, categories, fields, party types and a chain,
// plus unregistered ones that must count nowhere.
func mixedContracts(city *storetest.World) []*domain.Contract {
	sellers := []*domain.Org{city.Univ, city.Ent, city.Ent2, city.Other}
	buyers := []*domain.Org{city.Ent, city.Other, city.Univ, city.Ent2, city.Other}
	cats := [][2]string{{"development", "cooperative_dev"}, {"transfer", "patent_transfer"}, {"license", "patent_license"}, {"consulting", "consulting"}, {"service", "intermediary"}}
	fields := []string{"electronics", "manufacturing", "biomedicine"}
	statuses := []domain.ContractStatus{domain.ContractDraft, domain.ContractSubmitted, domain.ContractReturned, domain.ContractRefused}
	var out []*domain.Contract
	serial := map[int]int64{}
	for i := range 90 {
		s, b := sellers[i%len(sellers)], buyers[i%len(buyers)]
		if s.ID == b.ID {
			b = city.Agency
		}
		cb := city.Contract(func(c *domain.Contract) {
			c.Category, c.SubType, c.Field = cats[i%5][0], cats[i%5][1], fields[i%3]
			if i%4 == 0 {
				c.ChainCode = "robot"
			}
		}).Seller(s).Buyer(b).Turnover(int64(10_000_00 + i*3_331_17))
		if i%7 == 3 {
			c := cb.Build()
			c.Status = statuses[i%4]
			out = append(out, c)
			continue
		}
		year := 2021 + i%2
		serial[year]++
		out = append(out, cb.Registered(fmt.Sprintf("%d-%02d-%02d", year, 1+i%12, 1+i%28), serial[year]).Build())
	}
	return out
}

func TestRollupEqualsNaive(t *testing.T) {
	eachStore(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		city := storetest.New(t, st)
		cs := mixedContracts(city)
		// Three ways in: one by one, in bulk, and registered later by update
		// with AddToRollup, as the service does.
		city.Insert(t, cs[:30]...)
		if err := inTx(t, st, func(tx *store.Q) error { return tx.BulkInsertContracts(ctx, cs[30:60], storetest.CityCode) }); err != nil {
			t.Fatal(err)
		}
		late := cs[60:]
		var regs []*domain.Contract
		for _, c := range late {
			reg := *c
			c.Status, c.RegNo, c.RegYear, c.RegSerial, c.RegisteredOn = domain.ContractSubmitted, "", 0, 0, ""
			regs = append(regs, &reg)
		}
		city.Insert(t, late...)
		err := inTx(t, st, func(tx *store.Q) error {
			for i, c := range late {
				regs[i].ID, regs[i].Version = c.ID, c.Version
				if err := tx.UpdateContract(ctx, regs[i], storetest.CityCode); err != nil {
					return err
				}
			}
			return tx.AddToRollup(ctx, regs, storetest.CityCode)
		})
		if err != nil {
			t.Fatal(err)
		}

		years := []int{2020, 2021, 2022, 2023}
		naive, err := st.RollupRowsNaive(ctx, years...)
		if err != nil {
			t.Fatal(err)
		}
		check := func(when string) {
			t.Helper()
			rolled, err := st.RollupRows(ctx, years...)
			if err != nil {
				t.Fatal(err)
			}
			diffRollup(t, when, rolled, naive)
		}
		check("maintained")

		// The naive figures themselves must match the records.
		var n, turnover, local int64
		for _, c := range append(cs[:60:60], regs...) {
			if c.Status == domain.ContractRegistered {
				n++
				turnover += c.TurnoverFen
				if domain.IsLocal(storetest.CityCode, c.Seller.RegionCode) && domain.IsLocal(storetest.CityCode, c.Buyer.RegionCode) {
					local++
				}
			}
		}
		var gotN, gotT, gotLocal int64
		for _, r := range naive {
			switch {
			case r.Dim == "all":
				gotN, gotT = gotN+r.N, gotT+r.TurnoverFen
			case r.Dim == "flow" && r.Key == "local":
				gotLocal += r.N
			}
		}
		if gotN != n || gotT != turnover || gotLocal != local || n < 60 {
			t.Fatalf("naive totals n=%d turnover=%d local=%d, records n=%d turnover=%d local=%d", gotN, gotT, gotLocal, n, turnover, local)
		}

		// Damage the rollup; RebuildRollup restores it from the records.
		storetest.Exec(t, st.URL(), `UPDATE contract_rollup SET n = n + 5 WHERE dim = 'all'`)
		storetest.Exec(t, st.URL(), `DELETE FROM contract_rollup WHERE dim = 'category'`)
		if rolled, _ := st.RollupRows(ctx, years...); len(rolled) == len(naive) {
			t.Fatal("damage did not change the rollup")
		}
		if err := st.RebuildRollup(ctx); err != nil {
			t.Fatal(err)
		}
		check("rebuilt")

		if d, err := st.LatestRegisteredOn(ctx, 2022); err != nil || d == "" || d[:4] != "2022" {
			t.Fatalf("LatestRegisteredOn = %q, %v", d, err)
		}
		if d, err := st.LatestRegisteredOn(ctx, 2019); err != nil || d != "" {
			t.Fatalf("LatestRegisteredOn(2019) = %q, %v", d, err)
		}
	})
}

func diffRollup(t *testing.T, when string, got, want []domain.RollupRow) {
	t.Helper()
	if len(got) != len(want) {
		t.Errorf("%s: rollup has %d cells, naive %d", when, len(got), len(want))
	}
	for i := range min(len(got), len(want)) {
		if got[i] != want[i] {
			t.Fatalf("%s: cell %d: rollup %+v, naive %+v", when, i, got[i], want[i])
		}
	}
}
