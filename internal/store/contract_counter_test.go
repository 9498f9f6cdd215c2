package store_test

import (
	"context"
	"slices"
	"testing"

	"kechuang/internal/domain"
	"kechuang/internal/store"
	"kechuang/internal/store/storetest"
)

// TestListSearchTotalsAndPinyin (walkthrough #21): the keyword finds a
// contract by 合同编号 and by either party's credit code; the totals are the
// whole filter's count and sums, computed from the records; names sort by
// pinyin on both databases, and rows from before the sort keys get theirs.
func TestListSearchTotalsAndPinyin(t *testing.T) {
	eachStore(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		w := storetest.New(t, st)
		external := func(name string) domain.Party {
			return domain.Party{Name: name, USCC: w.USCC(), RegionCode: "210102", Type: domain.PartyEnterprise}
		}
		titles := []string{"沈阳数控机床技术开发", "鞍山钢铁工艺技术咨询", "北京软件许可合同", "大连港口技术服务"}
		buyers := []string{"中国重型机械有限公司", "阿里云计算有限公司", "本溪钢铁有限公司", "丹东化工有限公司"}
		var cs []*domain.Contract
		for i, title := range titles {
			b := w.Contract(func(c *domain.Contract) { c.ContractNo = "KW-" + string(rune('A'+i)) }).Title(title).BuyerParty(external(buyers[i])).
				Turnover(int64(100_000_00 * (i + 1)))
			if i%2 == 0 {
				b.Registered("2022-04-0"+string(rune('1'+i)), int64(i+1))
			} else {
				b.Submitted()
			}
			cs = append(cs, b.Insert(t))
		}
		scope := domain.ContractScope{All: true, OrgID: w.Registry.ID}
		find := func(f domain.ContractFilter) []string {
			f.Scope = scope
			got, _, err := st.FindContracts(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, c := range got {
				out = append(out, c.Title)
			}
			return out
		}
		for _, q := range []string{"KW-C", "kw-c", cs[2].Buyer.USCC, cs[2].RegNo} {
			if got := find(domain.ContractFilter{Query: q}); !slices.Equal(got, []string{titles[2]}) {
				t.Errorf("keyword %q finds %v", q, got)
			}
		}
		if got := find(domain.ContractFilter{Query: w.Univ.USCC}); len(got) != len(titles) {
			t.Errorf("the seller's credit code finds %d of %d", len(got), len(titles))
		}
		if got, want := find(domain.ContractFilter{Sort: "title"}), []string{"鞍山钢铁工艺技术咨询", "北京软件许可合同", "大连港口技术服务", "沈阳数控机床技术开发"}; !slices.Equal(got, want) {
			t.Errorf("by title %v", got)
		}
		if got, want := find(domain.ContractFilter{Sort: "-buyer"}), []string{titles[0], titles[3], titles[2], titles[1]}; !slices.Equal(got, want) {
			t.Errorf("by buyer, descending %v", got)
		}
		f := domain.ContractFilter{Scope: scope, Statuses: []domain.ContractStatus{domain.ContractRegistered}}
		var want domain.ContractTotals
		err := st.EachContract(ctx, f, func(c *domain.Contract) error {
			want.Count++
			want.TurnoverFen += c.TurnoverFen
			want.TechTransactionFen += c.TechTransactionFen
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
		got, err := st.ContractTotals(ctx, f)
		if err != nil || got != want || got.Count != 2 {
			t.Fatalf("totals %+v, want %+v (%v)", got, want, err)
		}

		// A row from before migration 0011 has no keys until they are filled.
		if err := store.ExecRaw(ctx, st, `UPDATE contracts SET title_key = '', seller_key = '', buyer_key = ''`); err != nil {
			t.Fatal(err)
		}
		var n int
		if err := st.InTx(ctx, func(q *store.Q) error { var err error; n, err = q.FillSortKeys(ctx); return err }); err != nil || n != len(titles) {
			t.Fatalf("filled %d, %v", n, err)
		}
		if got := find(domain.ContractFilter{Sort: "title"}); got[0] != "鞍山钢铁工艺技术咨询" {
			t.Errorf("after filling, by title %v", got)
		}
	})
}
