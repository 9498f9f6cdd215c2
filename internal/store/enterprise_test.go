package store_test

import (
	"context"
	"encoding/json"
	"reflect"
	"testing"

	"kechuang/internal/domain"
	"kechuang/internal/rules"
	"kechuang/internal/store"
	"kechuang/internal/store/storetest"
)

func TestEnterpriseRoundTrip(t *testing.T) {
	eachStore(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		w := storetest.New(t, st)
		b := w.Enterprise().Filed(2022).Filed(2023).Qualified(domain.QualHNTE, "GR202221000123", "2022-12-01")
		x := b.Insert(t)
		got, err := st.FindEnterpriseByID(ctx, x.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.OrgName != w.Ent.Name || got.LastFiled != 2023 {
			t.Errorf("org name %q, last filed %d", got.OrgName, got.LastFiled)
		}
		got.OrgName, got.LastFiled = "", 0
		if !reflect.DeepEqual(got, x) {
			t.Errorf("round trip:\n got %+v\nwant %+v", got, x)
		}
		if mine, err := st.FindEnterpriseByOrg(ctx, w.Ent.ID); err != nil || mine == nil || mine.ID != x.ID {
			t.Errorf("by org: %v %v", mine, err)
		}
		if none, err := st.FindEnterpriseByOrg(ctx, w.Ent2.ID); err != nil || none != nil {
			t.Errorf("by another org: %v %v", none, err)
		}
		if byCode, _ := st.FindEnterpriseByUSCC(ctx, x.USCC); byCode == nil || byCode.ID != x.ID {
			t.Errorf("by uscc: %v", byCode)
		}

		// The keys are unique: the same code, the same organisation.
		dup := w.Enterprise().Build()
		err = st.InTx(ctx, func(q *store.Q) error { return q.InsertEnterprise(ctx, dup) })
		wantCode(t, err, domain.EINVALID, "uscc")
		dup = w.Enterprise().Build()
		dup.USCC = w.USCC()
		err = st.InTx(ctx, func(q *store.Q) error { return q.InsertEnterprise(ctx, dup) })
		wantCode(t, err, domain.EINVALID, "org_id")

		stale := *got
		if err := st.InTx(ctx, func(q *store.Q) error {
			got.Name = "沈阳海龟医疗科技股份有限公司"
			return q.UpdateEnterprise(ctx, got)
		}); err != nil {
			t.Fatal(err)
		}
		err = st.InTx(ctx, func(q *store.Q) error { stale.Chain = ""; return q.UpdateEnterprise(ctx, &stale) })
		wantCode(t, err, domain.ECONFLICT, "")
		if _, err := st.FindEnterpriseByID(ctx, x.ID+100); domain.ErrorCode(err) != domain.ENOTFOUND {
			t.Errorf("missing firm: %v", err)
		}

		// Filings: one a year, corrected in place with a version check.
		fs, err := st.EnterpriseFilings(ctx, x.ID)
		if err != nil || len(fs) != 2 || fs[0].Year != 2022 || fs[1].Year != 2023 {
			t.Fatalf("filings %+v %v", fs, err)
		}
		var facts rules.Facts
		if err := json.Unmarshal(fs[1].Facts, &facts); err != nil || facts.USCC != x.USCC || *facts.AssessedOn != "2023-05-20" {
			t.Errorf("facts %s: %v", fs[1].Facts, err)
		}
		if fs[1].FiledByName == "" {
			t.Errorf("filed by %d has no name", fs[1].FiledBy)
		}
		fix := &domain.EnterpriseFiling{EnterpriseID: x.ID, Year: 2023, Facts: json.RawMessage(`{"assessed_on":"2023-06-01"}`), FiledBy: w.Users["bureau"].ID}
		var created bool
		if err := st.InTx(ctx, func(q *store.Q) (err error) { created, err = q.UpsertEnterpriseFiling(ctx, fix, fs[1].Version); return }); err != nil || created {
			t.Fatalf("correction: created %v, %v", created, err)
		}
		if fix.ID != fs[1].ID || fix.Version != fs[1].Version+1 || !fix.FiledAt.Equal(fs[1].FiledAt) {
			t.Errorf("correction %+v of %+v", fix, fs[1])
		}
		err = st.InTx(ctx, func(q *store.Q) error { _, err := q.UpsertEnterpriseFiling(ctx, fix, fs[1].Version); return err })
		wantCode(t, err, domain.ECONFLICT, "")
		again, err := st.EnterpriseFiling(ctx, x.ID, 2023)
		if err != nil || string(again.Facts) != `{"assessed_on":"2023-06-01"}` {
			t.Errorf("corrected filing %s %v", again.Facts, err)
		}
		if _, err := st.EnterpriseFiling(ctx, x.ID, 2019); domain.ErrorCode(err) != domain.ENOTFOUND {
			t.Errorf("no filing: %v", err)
		}

		// Qualifications: listed, revoked, numbers unique per kind.
		qs, err := st.EnterpriseQualifications(ctx, x.ID)
		if err != nil || len(qs) != 1 || qs[0].ExpiresOn != "2025-11-30" || !qs[0].Valid("2023-06-15") {
			t.Fatalf("qualifications %+v %v", qs, err)
		}
		if err := st.InTx(ctx, func(q *store.Q) error {
			return q.RevokeEnterpriseQualification(ctx, qs[0], "2023-06-15", "弄虚作假")
		}); err != nil {
			t.Fatal(err)
		}
		if q, _ := st.FindEnterpriseQualification(ctx, qs[0].ID); q.RevokedOn != "2023-06-15" || q.Valid("2023-06-16") {
			t.Errorf("revoked %+v", q)
		}
		same := &domain.EnterpriseQualification{EnterpriseID: x.ID, Kind: domain.QualHNTE, Number: "GR202221000123", Year: 2022,
			IssuedOn: "2022-12-01", ExpiresOn: "2025-11-30"}
		err = st.InTx(ctx, func(q *store.Q) error { return q.InsertEnterpriseQualification(ctx, same) })
		wantCode(t, err, domain.EINVALID, "number")
	})
}

func TestEnterpriseFilters(t *testing.T) {
	eachStore(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		w := storetest.New(t, st)
		ent := w.Enterprise().Filed(2022).Insert(t)
		ent2 := w.Enterprise().Of(w.Ent2).Filed(2022).Filed(2023).Insert(t)
		plain := w.Enterprise(func(x *domain.Enterprise) { x.Chain = "" }).Unlinked("沈阳阿尔法材料有限公司").Insert(t)
		ids := func(f domain.EnterpriseFilter, sc domain.EnterpriseScope) []int64 {
			t.Helper()
			xs, n, err := st.FindEnterprises(ctx, f, sc)
			if err != nil {
				t.Fatal(err)
			}
			out := []int64{}
			for _, x := range xs {
				out = append(out, x.ID)
			}
			if n != len(out) {
				t.Errorf("count %d for %d rows", n, len(out))
			}
			return out
		}
		all := domain.EnterpriseScope{All: true}
		for _, c := range []struct {
			name string
			f    domain.EnterpriseFilter
			sc   domain.EnterpriseScope
			want []int64
		}{
			{"all, newest first", domain.EnterpriseFilter{}, all, []int64{plain.ID, ent2.ID, ent.ID}},
			{"own firm", domain.EnterpriseFilter{}, domain.EnterpriseScope{OrgID: w.Ent.ID}, []int64{ent.ID}},
			{"nothing", domain.EnterpriseFilter{}, domain.EnterpriseScope{None: true}, []int64{}},
			{"district", domain.EnterpriseFilter{District: w.Ent2.RegionCode}, all, []int64{ent2.ID}},
			{"chain", domain.EnterpriseFilter{Chain: w.City.Chains[0].Code, Sort: "id"}, all, []int64{ent.ID, ent2.ID}},
			{"filed 2023", domain.EnterpriseFilter{Year: 2023, Filed: "yes"}, all, []int64{ent2.ID}},
			{"not filed 2023", domain.EnterpriseFilter{Year: 2023, Filed: "no", Sort: "id"}, all, []int64{ent.ID, plain.ID}},
			{"query", domain.EnterpriseFilter{Query: "阿尔法"}, all, []int64{plain.ID}},
			{"query code", domain.EnterpriseFilter{Query: ent.USCC[8:]}, all, []int64{ent.ID}},
			{"query wildcard", domain.EnterpriseFilter{Query: "%"}, all, []int64{}},
			{"by name", domain.EnterpriseFilter{Sort: "-uscc"}, all, []int64{plain.ID, ent2.ID, ent.ID}},
		} {
			if got := ids(c.f, c.sc); !reflect.DeepEqual(got, c.want) {
				t.Errorf("%s: %v, want %v", c.name, got, c.want)
			}
		}
		_, _, err := st.FindEnterprises(ctx, domain.EnterpriseFilter{Filed: "yes"}, all)
		wantCode(t, err, domain.EINVALID, "year")
		_, _, err = st.FindEnterprises(ctx, domain.EnterpriseFilter{Sort: "nonsense"}, all)
		wantCode(t, err, domain.EINVALID, "sort")

		years, err := st.EnterpriseFilingYears(ctx)
		if err != nil || !reflect.DeepEqual(years, []int{2023, 2022}) {
			t.Errorf("years %v %v", years, err)
		}
	})
}

func TestEnterpriseBulkAndBatch(t *testing.T) {
	eachStore(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		w := storetest.New(t, st)
		var xs []*domain.Enterprise
		for i := range 450 {
			xs = append(xs, &domain.Enterprise{USCC: w.USCC(), Name: "沈阳批量企业" + string(rune('A'+i%26)), District: w.Ent.RegionCode,
				Chain: w.City.Chains[i%len(w.City.Chains)].Code, RegisteredOn: "2019-01-01"})
		}
		if err := st.InTx(ctx, func(q *store.Q) error { return q.BulkInsertEnterprises(ctx, xs) }); err != nil {
			t.Fatal(err)
		}
		var fs []*domain.EnterpriseFiling
		var qs []*domain.EnterpriseQualification
		for i, x := range xs {
			if x.ID == 0 {
				t.Fatalf("firm %d has no id", i)
			}
			if i%3 != 0 {
				fs = append(fs, &domain.EnterpriseFiling{EnterpriseID: x.ID, Year: 2022, Facts: json.RawMessage(`{"assessed_on":"2022-05-20"}`)})
			}
			if i%10 == 0 {
				qs = append(qs, &domain.EnterpriseQualification{EnterpriseID: x.ID, Kind: domain.QualSME, Number: x.USCC, Year: 2022,
					IssuedOn: "2022-04-01", ExpiresOn: "2022-12-31"})
			}
		}
		if err := st.InTx(ctx, func(q *store.Q) error {
			if err := q.BulkInsertEnterpriseFilings(ctx, fs); err != nil {
				return err
			}
			return q.BulkInsertEnterpriseQualifications(ctx, qs)
		}); err != nil {
			t.Fatal(err)
		}
		// The batch read: pages in id order, every filing once.
		var seen int
		var after int64
		for {
			page, err := st.EnterpriseFilingsOfYear(ctx, 2022, after, 100)
			if err != nil {
				t.Fatal(err)
			}
			if len(page) == 0 {
				break
			}
			for _, f := range page {
				if f.ID <= after || f.Year != 2022 || f.FiledBy != 0 {
					t.Fatalf("filing %+v after %d", f, after)
				}
				after = f.ID
				seen++
			}
		}
		if seen != len(fs) {
			t.Errorf("batch read %d filings of %d", seen, len(fs))
		}
		if page, _ := st.EnterpriseFilingsOfYear(ctx, 2023, 0, 10); len(page) != 0 {
			t.Errorf("2023: %d filings", len(page))
		}
		// A second filing of a firm and year is refused, naming the rows.
		err := st.InTx(ctx, func(q *store.Q) error { return q.BulkInsertEnterpriseFilings(ctx, fs[:1]) })
		wantCode(t, err, domain.EINVALID, "year")
		if qs, _ := st.EnterpriseQualifications(ctx, xs[0].ID); len(qs) != 1 {
			t.Errorf("qualifications of the first firm: %d", len(qs))
		}
	})
}

// TestEnterprisePolicyAgreement: for every user of the world and every
// relation to a firm (its own, another's, one without an account), the
// single-item rule (CanSee) and the list query (ListScope in SQL) agree.
func TestEnterprisePolicyAgreement(t *testing.T) {
	eachStore(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		w := storetest.New(t, st)
		firms := []*domain.Enterprise{w.Enterprise().Insert(t), w.Enterprise().Of(w.Ent2).Insert(t),
			w.Enterprise().Unlinked("沈阳阿尔法材料有限公司").Insert(t)}
		for _, key := range storetest.Keys {
			a := w.Actor(key)
			xs, _, err := st.FindEnterprises(ctx, domain.EnterpriseFilter{}, domain.Enterprises.ListScope(a))
			if err != nil {
				t.Fatal(err)
			}
			listed := map[int64]bool{}
			for _, x := range xs {
				listed[x.ID] = true
			}
			seen := 0
			for _, x := range firms {
				if can := domain.Enterprises.CanSee(a, x); can != listed[x.ID] {
					t.Errorf("%s, firm %s: CanSee %v, listed %v", key, x.Name, can, listed[x.ID])
				} else if can {
					seen++
				}
			}
			want := map[string]int{"admin": 3, "bureau": 3, "enterprise": 1, "enterprise2": 1}[key]
			if seen != want {
				t.Errorf("%s sees %d firms, want %d", key, seen, want)
			}
		}
		if domain.Enterprises.CanSee(nil, firms[0]) || !domain.Enterprises.ListScope(nil).None {
			t.Error("the public sees the registry")
		}
	})
}
