package store_test

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"kechuang/internal/domain"
	"kechuang/internal/store"
	"kechuang/internal/store/storetest"
)

func TestContractInsertFindUpdate(t *testing.T) {
	eachStore(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		city := storetest.New(t, st)
		c := city.Contract().Buyer(city.Other).Turnover(1_000_000_00).Build()
		c.BrokerID = city.Agency.ID
		c.CostItems = append(c.CostItems, domain.CostItem{Kind: "prototype", Description: "样机", UnitPriceFen: 5_000_00, Quantity: 3})
		if err := c.Compute(); err != nil {
			t.Fatal(err)
		}
		city.Insert(t, c)
		if c.ID == 0 || c.Version != 1 {
			t.Fatalf("after insert id=%d version=%d", c.ID, c.Version)
		}
		got, err := st.FindContractByID(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.Title != c.Title || got.Seller != c.Seller || got.Buyer != c.Buyer || got.BrokerID != city.Agency.ID ||
			got.BrokerName != city.Agency.Name || got.TurnoverFen != c.TurnoverFen || got.TechTransactionFen != c.TechTransactionFen ||
			!slices.Equal(got.CostItems, c.CostItems) || !slices.Equal(got.Flags, []string{domain.FlagPrototypeOverQuantity}) ||
			got.Status != domain.ContractDraft || got.RegNo != "" || got.Document != nil || got.SealsMatch != true || got.Version != 1 {
			t.Fatalf("round trip:\n got %+v\nwant %+v", got, c)
		}
		_, err = st.FindContractByID(ctx, c.ID+1000)
		wantCode(t, err, domain.ENOTFOUND, "")

		t.Run("OptimisticVersion", func(t *testing.T) {
			a, _ := st.FindContractByID(ctx, c.ID)
			b, _ := st.FindContractByID(ctx, c.ID)
			a.Title = "改名一"
			if err := inTx(t, st, func(tx *store.Q) error { return tx.UpdateContract(ctx, a, storetest.CityCode) }); err != nil {
				t.Fatal(err)
			}
			if a.Version != 2 {
				t.Fatalf("version after update = %d", a.Version)
			}
			b.Title = "改名二"
			err := inTx(t, st, func(tx *store.Q) error { return tx.UpdateContract(ctx, b, storetest.CityCode) })
			wantCode(t, err, domain.ECONFLICT, "")
			now, _ := st.FindContractByID(ctx, c.ID)
			if now.Title != "改名一" || now.Version != 2 {
				t.Fatalf("stale write landed: %q v%d", now.Title, now.Version)
			}
		})
		t.Run("DuplicateRegNo", func(t *testing.T) {
			r1 := city.Contract().Seller(city.Ent).Buyer(city.Ent2).Turnover(100_00).Registered("2022-05-01", 1).Build()
			city.Insert(t, r1)
			r2 := city.Contract().Seller(city.Ent).Buyer(city.Ent2).Turnover(100_00).Registered("2022-05-01", 1).Build()
			err := inTx(t, st, func(tx *store.Q) error { return tx.InsertContract(ctx, r2, storetest.CityCode) })
			wantCode(t, err, domain.EINVALID, "reg_no")
		})
	})
}

func TestContractEventsAndDocuments(t *testing.T) {
	eachStore(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		city := storetest.New(t, st)
		c := city.Contract().Turnover(500_00).Build()
		city.Insert(t, c)
		steps := []domain.Event{
			{Action: "create", To: "draft"},
			{Action: "submit", From: "draft", To: "submitted"},
			{Action: "return", From: "submitted", To: "returned", Comment: "请补充技术指标"},
			{Action: "refuse", From: "submitted", To: "refused", Reason: "not_technology"},
		}
		for i := range steps {
			e := steps[i]
			e.Entity, e.EntityID, e.ActorID, e.ActorName = "contract", c.ID, 7, "li"
			if err := inTx(t, st, func(tx *store.Q) error { return tx.AddEvent(ctx, &e) }); err != nil {
				t.Fatal(err)
			}
		}
		evs, err := st.Events(ctx, "contract", c.ID)
		if err != nil || len(evs) != len(steps) {
			t.Fatalf("events = %d, %v", len(evs), err)
		}
		for i, e := range evs {
			w := steps[i]
			if e.Action != w.Action || e.From != w.From || e.To != w.To || e.Comment != w.Comment || e.Reason != w.Reason || e.ActorName != "li" || e.At.IsZero() {
				t.Errorf("event %d = %+v, want %+v", i, e, w)
			}
		}
		if evs, _ := st.Events(ctx, "contract", c.ID+99); len(evs) != 0 {
			t.Errorf("events of another contract: %d", len(evs))
		}

		_, _, err = st.AttachmentContent(ctx, c.ID, 1)
		wantCode(t, err, domain.ENOTFOUND, "")
		pdf := append([]byte("%PDF-1.7\n"), bytes.Repeat([]byte{0, 0xff, 'x'}, 1000)...)
		var ids []int64
		for i, content := range [][]byte{[]byte("\x89PNG\r\n\x1a\n licence"), pdf} {
			a := &domain.Attachment{ContractID: c.ID, Kind: []domain.AttachmentKind{domain.AttachLicence, domain.AttachContractText}[i],
				Name: fmt.Sprintf("f%d", i), Mime: domain.SniffAttachment(content), Size: int64(len(content)), SHA256: fmt.Sprintf("%x", len(content)), UploadedBy: 7, Uploader: "li"}
			if err := inTx(t, st, func(tx *store.Q) error { return tx.InsertAttachment(ctx, a, content) }); err != nil || a.ID == 0 {
				t.Fatal(a.ID, err)
			}
			ids = append(ids, a.ID)
		}
		a, b, err := st.AttachmentContent(ctx, c.ID, ids[1])
		if err != nil || !bytes.Equal(b, pdf) || a.Name != "f1" || a.Size != int64(len(pdf)) || a.Mime != domain.MimePDF || a.Uploader != "li" || a.UploadedAt.IsZero() {
			t.Fatalf("attachment = %+v (%d bytes), %v", a, len(b), err)
		}
		if _, _, err := st.AttachmentContent(ctx, c.ID+99, ids[1]); err == nil {
			t.Fatal("another contract's id reads the attachment")
		}
		list, err := st.Attachments(ctx, c.ID)
		if err != nil || len(list) != 2 || list[0].Kind != domain.AttachLicence || list[1].Kind != domain.AttachContractText {
			t.Fatalf("attachments = %+v, %v", list, err)
		}
		got, _ := st.FindContractByID(ctx, c.ID)
		if got.Document == nil || got.Document.Size != int64(len(pdf)) || got.Document.Name != "f1" {
			t.Fatalf("contract document = %+v", got.Document) // the contract text, not the licence
		}
		if err := inTx(t, st, func(tx *store.Q) error { return tx.DeleteAttachment(ctx, c.ID, ids[1]) }); err != nil {
			t.Fatal(err)
		}
		wantCode(t, inTx(t, st, func(tx *store.Q) error { return tx.DeleteAttachment(ctx, c.ID, ids[1]) }), domain.ENOTFOUND, "")
		if got, _ := st.FindContractByID(ctx, c.ID); got.Document != nil {
			t.Fatalf("contract document after deletion = %+v", got.Document)
		}
		if n, err := st.CountAttachments(ctx, c.ID); n != 1 || err != nil {
			t.Fatal(n, err)
		}
	})
}

// scopeWorld stores one contract per interesting situation and names them.
func scopeWorld(t *testing.T, st *store.Store, city *storetest.World) map[string]*domain.Contract {
	t.Helper()
	mk := func(reg, seller, buyer *domain.Org, status domain.ContractStatus, owner *domain.Org) *domain.Contract {
		c := city.Contract().Registry(reg).Seller(seller).Buyer(buyer).Turnover(100_00).Build()
		c.Status, c.OwnerOrgID = status, owner.ID
		return c
	}
	w := map[string]*domain.Contract{
		"univDraft":        mk(city.Registry, city.Univ, city.Ent, domain.ContractDraft, city.Univ),
		"entDraftWithUniv": mk(city.Registry, city.Ent, city.Univ, domain.ContractDraft, city.Ent),
		"univSubmitted":    mk(city.Registry, city.Univ, city.Ent, domain.ContractSubmitted, city.Univ),
		"ent2Submitted":    mk(city.Registry, city.Ent2, city.Other, domain.ContractSubmitted, city.Ent2),
		"reg2Submitted":    mk(city.Registry2, city.Ent2, city.Univ, domain.ContractSubmitted, city.Ent2),
		"brokered":         mk(city.Registry, city.Ent2, city.Other, domain.ContractReturned, city.Ent2),
		"registrarDraft":   mk(city.Registry, city.Ent2, city.Other, domain.ContractDraft, city.Registry),
	}
	w["brokered"].BrokerID = city.Agency.ID
	var all []*domain.Contract
	for _, k := range slices.Sorted(func(yield func(string) bool) {
		for k := range w {
			if !yield(k) {
				return
			}
		}
	}) {
		all = append(all, w[k])
	}
	city.Insert(t, all...)
	return w
}

func TestContractScope(t *testing.T) {
	eachStore(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		city := storetest.New(t, st)
		w := scopeWorld(t, st, city)
		cases := []struct {
			name  string
			scope domain.ContractScope
			want  []string
		}{
			{"UniversitySeesOwnDraftAndPartySubmitted", domain.ContractScope{OrgID: city.Univ.ID},
				[]string{"univDraft", "univSubmitted", "reg2Submitted"}},
			{"EnterpriseNeverSeesOthersDraftsEvenAsParty", domain.ContractScope{OrgID: city.Ent.ID},
				[]string{"entDraftWithUniv", "univSubmitted"}},
			{"BuyerOutsideSeesSubmitted", domain.ContractScope{OrgID: city.Other.ID},
				[]string{"ent2Submitted", "brokered"}},
			{"BrokerSeesBrokered", domain.ContractScope{OrgID: city.Agency.ID}, []string{"brokered"}},
			{"RegistrarSeesOwnRegistryNoForeignDrafts", domain.ContractScope{All: true, OrgID: city.Registry.ID, RegistryID: city.Registry.ID},
				[]string{"univSubmitted", "ent2Submitted", "brokered", "registrarDraft"}},
			{"OtherRegistry", domain.ContractScope{All: true, OrgID: city.Registry2.ID, RegistryID: city.Registry2.ID},
				[]string{"reg2Submitted"}},
			{"BureauSeesAllButDrafts", domain.ContractScope{All: true, OrgID: 0},
				[]string{"univSubmitted", "ent2Submitted", "reg2Submitted", "brokered"}},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				got, total, err := st.FindContracts(ctx, domain.ContractFilter{Scope: tc.scope})
				if err != nil {
					t.Fatal(err)
				}
				var want []int64
				for _, k := range tc.want {
					want = append(want, w[k].ID)
				}
				if ids := idsOf(got); total != len(want) || !sameSet(ids, want) {
					t.Fatalf("saw %v (total %d), want %v %v", ids, total, want, tc.want)
				}
				var streamed []int64
				if err := st.EachContract(ctx, domain.ContractFilter{Scope: tc.scope}, func(c *domain.Contract) error {
					streamed = append(streamed, c.ID)
					return nil
				}); err != nil || !sameSet(streamed, want) || !slices.IsSorted(streamed) {
					t.Fatalf("EachContract = %v, %v", streamed, err)
				}
			})
		}
		t.Run("NoOrgNoAll", func(t *testing.T) {
			_, _, err := st.FindContracts(ctx, domain.ContractFilter{})
			wantCode(t, err, domain.EFORBIDDEN, "")
		})
	})
}

func idsOf(cs []*domain.Contract) []int64 {
	var out []int64
	for _, c := range cs {
		out = append(out, c.ID)
	}
	return out
}

func sameSet(a, b []int64) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

func TestContractFiltersSortPaging(t *testing.T) {
	eachStore(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		city := storetest.New(t, st)
		var cs []*domain.Contract
		for i := range 12 {
			b := city.Contract(func(c *domain.Contract) {
				c.Title = fmt.Sprintf("合同%02d", i)
				c.SignedOn = fmt.Sprintf("2022-%02d-01", 12-i)
				c.TermStart = c.SignedOn
				c.Status = domain.ContractAccepted
				c.StartClock(fmt.Sprintf("2022-%02d-10", 12-i), domain.DefaultRegimeRules(), nil) // 2000 regime: 30 calendar days
				switch {
				case i%3 == 0:
					c.Category, c.SubType, c.Field = "service", "training", "biomedicine"
				case i%3 == 1:
					c.Category, c.SubType = "consulting", "consulting"
				}
			}).Turnover(int64(1000+i*7%12) * 100)
			if i < 4 {
				b.Registered(fmt.Sprintf("%d-06-%02d", 2021+i%2, i+1), int64(i+1))
			}
			cs = append(cs, b.Build())
		}
		cs[5].Buyer.Name = "大连重工集团"
		city.Insert(t, cs...)
		all := domain.ContractScope{All: true}
		count := func(f domain.ContractFilter) int {
			t.Helper()
			f.Scope = all
			_, total, err := st.FindContracts(ctx, f)
			if err != nil {
				t.Fatal(err)
			}
			return total
		}
		filters := []struct {
			name string
			f    domain.ContractFilter
			want int
		}{
			{"All", domain.ContractFilter{}, 12},
			{"Registered", domain.ContractFilter{Statuses: []domain.ContractStatus{domain.ContractRegistered}}, 4},
			{"TwoStatuses", domain.ContractFilter{Statuses: []domain.ContractStatus{domain.ContractRegistered, domain.ContractAccepted}}, 12},
			{"Year2021", domain.ContractFilter{Year: 2021}, 2},
			{"Category", domain.ContractFilter{Category: "service"}, 4},
			{"Field", domain.ContractFilter{Field: "biomedicine"}, 4},
			{"QueryTitle", domain.ContractFilter{Query: "合同0"}, 10},
			{"QueryBuyer", domain.ContractFilter{Query: "大连"}, 1},
			{"QueryRegNo", domain.ContractFilter{Query: "2022210100000002"}, 1},
			{"Overdue", domain.ContractFilter{Overdue: true, OverdueBefore: "2022-05-11"}, 4}, // accepted 04-10 … 01-10, due 05-10 … 02-09
			{"Combined", domain.ContractFilter{Category: "service", Year: 2022}, 1},           // i=3
		}
		for _, tc := range filters {
			t.Run(tc.name, func(t *testing.T) {
				if got := count(tc.f); got != tc.want {
					t.Fatalf("total = %d, want %d", got, tc.want)
				}
			})
		}

		sorts := []struct {
			key  string
			less func(a, b *domain.Contract) bool
		}{
			{"signed_on", func(a, b *domain.Contract) bool { return a.SignedOn < b.SignedOn }},
			{"-turnover_fen", func(a, b *domain.Contract) bool { return a.TurnoverFen > b.TurnoverFen }},
			{"title", func(a, b *domain.Contract) bool { return a.Title < b.Title }},
			{"-id", func(a, b *domain.Contract) bool { return a.ID > b.ID }},
			{"accepted_on", func(a, b *domain.Contract) bool { return a.AcceptedOn < b.AcceptedOn }},
		}
		for _, s := range sorts {
			t.Run("Sort"+s.key, func(t *testing.T) {
				var seen []*domain.Contract
				for off := 0; off < 12; off += 5 { // pages of 5, 5, 2
					page, total, err := st.FindContracts(ctx, domain.ContractFilter{Scope: all, Sort: s.key, Limit: 5, Offset: off})
					if err != nil || total != 12 || len(page) != min(5, 12-off) {
						t.Fatalf("page at %d: %d rows, total %d, %v", off, len(page), total, err)
					}
					seen = append(seen, page...)
				}
				for i := 1; i < len(seen); i++ {
					if s.less(seen[i], seen[i-1]) {
						t.Fatalf("row %d out of order for %s", i, s.key)
					}
				}
				if ids := idsOf(seen); !sameSet(ids, idsOf(cs)) {
					t.Fatalf("pages lost or repeated rows: %v", ids)
				}
			})
		}
		t.Run("BadSort", func(t *testing.T) {
			_, _, err := st.FindContracts(ctx, domain.ContractFilter{Scope: all, Sort: "seller_name; DROP TABLE contracts"})
			wantCode(t, err, domain.EINVALID, "sort")
		})
		t.Run("SortKeysAllWork", func(t *testing.T) {
			for _, k := range domain.ContractSortKeys() {
				if _, _, err := st.FindContracts(ctx, domain.ContractFilter{Scope: all, Sort: "-" + k}); err != nil {
					t.Errorf("sort %s: %v", k, err)
				}
			}
		})
		t.Run("LimitClamped", func(t *testing.T) {
			page, _, err := st.FindContracts(ctx, domain.ContractFilter{Scope: all, Limit: 100000})
			if err != nil || len(page) != 12 {
				t.Fatalf("huge limit: %d, %v", len(page), err)
			}
		})
		if !strings.HasPrefix(cs[0].RegNo, "2021210100") {
			t.Fatalf("fixture reg no %q", cs[0].RegNo)
		}
	})
}

// TestContractDialectParity pins behaviour where SQLite and PostgreSQL
// differ by default: LIKE's case sensitivity and where NULLs sort.
func TestContractDialectParity(t *testing.T) {
	eachStore(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		city := storetest.New(t, st)
		a := city.Contract().Turnover(100_00).Build()
		a.Title = "AI芯片设计技术开发合同"
		b := city.Contract().Turnover(100_00).Registered("2022-05-01", 2).Build()
		c := city.Contract().Turnover(100_00).Registered("2022-04-01", 1).Build()
		city.Insert(t, a, b, c)
		all := domain.ContractScope{All: true, OrgID: city.Univ.ID}
		for _, q := range []string{"ai芯片", "AI芯片", "Ai芯"} {
			if _, total, err := st.FindContracts(ctx, domain.ContractFilter{Scope: all, Query: q}); err != nil || total != 1 {
				t.Errorf("query %q found %d, %v (want 1, case-insensitive on both databases)", q, total, err)
			}
		}
		// LIKE wildcards in the query are taken literally.
		for _, q := range []string{"%", "_", "AI_芯片", `\`} {
			if _, total, err := st.FindContracts(ctx, domain.ContractFilter{Scope: all, Query: q}); err != nil || total != 0 {
				t.Errorf("query %q found %d, %v (want 0: wildcards are literal)", q, total, err)
			}
		}
		abb := &domain.Org{Kind: domain.OrgEnterprise, Name: "ABB机器人（沈阳）有限公司", USCC: storetest.USCC(99), RegionCode: storetest.Hunnan}
		if err := inTx(t, st, func(tx *store.Q) error { return tx.CreateOrg(ctx, abb) }); err != nil {
			t.Fatal(err)
		}
		if _, total, err := st.FindOrgs(ctx, domain.OrgFilter{Query: "abb机器人"}); err != nil || total != 1 {
			t.Errorf("org query found %d, %v (want 1)", total, err)
		}
		for _, tc := range []struct {
			sort string
			want []int64
		}{
			{"reg_no", []int64{a.ID, c.ID, b.ID}}, {"-reg_no", []int64{b.ID, c.ID, a.ID}},
			{"registered_on", []int64{a.ID, c.ID, b.ID}}, {"-registered_on", []int64{b.ID, c.ID, a.ID}},
		} {
			got, _, err := st.FindContracts(ctx, domain.ContractFilter{Scope: all, Sort: tc.sort})
			if err != nil || !slices.Equal(idsOf(got), tc.want) {
				t.Errorf("sort %s = %v, %v; want %v (unregistered first ascending)", tc.sort, idsOf(got), err, tc.want)
			}
		}
	})
}
