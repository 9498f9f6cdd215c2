package service_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"

	"kechuang/internal/domain"
	"kechuang/internal/service"
	"kechuang/internal/store/storetest"
)

func factsJSON(t *testing.T, year int) json.RawMessage {
	t.Helper()
	b, err := json.Marshal(storetest.Facts(year))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestEnterpriseRegistry(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		svc := w.svc.Enterprises
		in := service.EnterpriseInput{USCC: strings.ToLower(w.city.Ent.USCC), Name: " 沈阳海龟医疗科技有限公司 ", OrgID: w.city.Ent.ID,
			District: w.city.Ent.RegionCode, Chain: w.city.City.Chains[0].Code, RegisteredOn: "2016-04-12"}
		if _, err := svc.Create(ctx, w.ent, in); domain.ErrorCode(err) != domain.EFORBIDDEN {
			t.Errorf("an enterprise enters itself: %v", err)
		}
		for _, c := range []struct {
			edit  func(*service.EnterpriseInput)
			field string
		}{
			{func(in *service.EnterpriseInput) { in.USCC = "91210100MA0Y6KJG4X" }, "uscc"},
			{func(in *service.EnterpriseInput) { in.District = "110101" }, "district"},
			{func(in *service.EnterpriseInput) { in.Chain = "nonsense" }, "chain"},
			{func(in *service.EnterpriseInput) { in.RegisteredOn = "2030-01-01" }, "registered_on"},
			{func(in *service.EnterpriseInput) { in.Name = "" }, "name"},
			{func(in *service.EnterpriseInput) { in.OrgID = w.city.Univ.ID }, "org_id"},
			{func(in *service.EnterpriseInput) { in.OrgID = w.city.Ent2.ID }, "org_id"}, // another code
		} {
			bad := in
			c.edit(&bad)
			if _, err := svc.Create(ctx, w.bureau, bad); domain.ErrorField(err) != c.field {
				t.Errorf("%+v: %v, want a %s error", bad, err, c.field)
			}
		}
		x, err := svc.Create(ctx, w.bureau, in)
		if err != nil {
			t.Fatal(err)
		}
		if x.USCC != w.city.Ent.USCC || x.Name != "沈阳海龟医疗科技有限公司" || x.OrgName != w.city.Ent.Name {
			t.Errorf("created %+v", x)
		}
		if _, err := svc.Create(ctx, w.bureau, in); domain.ErrorField(err) != "uscc" {
			t.Errorf("twice: %v", err)
		}

		// Who sees it: the bureau and the firm; nobody else.
		for _, a := range []*domain.Actor{w.ent2, w.univ, w.registrar, w.expert} {
			if _, err := svc.Get(ctx, a, x.ID); domain.ErrorCode(err) != domain.ENOTFOUND {
				t.Errorf("%s sees the firm: %v", a.Username, err)
			}
			if xs, _, _ := svc.List(ctx, a, domain.EnterpriseFilter{}); len(xs) != 0 {
				t.Errorf("%s lists %d firms", a.Username, len(xs))
			}
		}
		if _, err := svc.Get(ctx, nil, x.ID); domain.ErrorCode(err) != domain.EUNAUTHORIZED {
			t.Errorf("the public: %v", err)
		}
		mine, err := svc.Mine(ctx, w.ent)
		if err != nil || mine.ID != x.ID {
			t.Fatalf("mine: %v %v", mine, err)
		}
		if _, err := svc.Mine(ctx, w.ent2); domain.ErrorCode(err) != domain.ENOTFOUND {
			t.Errorf("a firm not in the registry: %v", err)
		}

		// The firm edits its profile but not its keys.
		up := in
		up.Name, up.USCC = "沈阳海龟医疗科技股份有限公司", ""
		if x, err = svc.Update(ctx, w.ent, x.ID, x.Version, up); err != nil || x.Name != up.Name || x.USCC != w.city.Ent.USCC {
			t.Fatalf("own update: %+v %v", x, err)
		}
		up.OrgID = w.city.Ent2.ID
		if _, err := svc.Update(ctx, w.ent, x.ID, x.Version, up); domain.ErrorField(err) != "uscc" {
			t.Errorf("the firm relinks itself: %v", err)
		}
		if _, err := svc.Update(ctx, w.bureau, x.ID, x.Version-1, in); domain.ErrorCode(err) != domain.ECONFLICT {
			t.Errorf("stale update: %v", err)
		}

		// Filing: the firm files 2022, the bureau corrects it and the firm hears.
		if _, err := svc.File(ctx, w.ent, x.ID, 2023, 0, factsJSON(t, 2022)); domain.ErrorField(err) != "facts.assessed_on" {
			t.Errorf("year and facts disagree: %v", err)
		}
		bad := []byte(`{"assessed_on":"2022-05-20","years":[{"year":2021,"rd_expense_fen":-1}]}`)
		if _, err := svc.File(ctx, w.ent, x.ID, 2022, 0, bad); domain.ErrorField(err) != "facts.years[0].rd_expense_fen" {
			t.Errorf("negative R&D: %v", err)
		}
		if _, err := svc.File(ctx, w.ent2, x.ID, 2022, 0, factsJSON(t, 2022)); domain.ErrorCode(err) != domain.ENOTFOUND {
			t.Errorf("another firm files: %v", err)
		}
		f, err := svc.File(ctx, w.ent, x.ID, 2022, 0, factsJSON(t, 2022))
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(f.Facts), `"uscc":"`+x.USCC+`"`) || f.FiledBy != w.ent.UserID {
			t.Errorf("filed %s by %d", f.Facts, f.FiledBy)
		}
		if _, err := svc.File(ctx, w.bureau, x.ID, 2022, 0, factsJSON(t, 2022)); domain.ErrorCode(err) != domain.ECONFLICT {
			t.Errorf("a second first filing: %v", err)
		}
		fix := storetest.Facts(2022)
		*fix.Employees = 90
		raw, _ := json.Marshal(fix)
		if f, err = svc.File(ctx, w.bureau, x.ID, 2022, f.Version, raw); err != nil || !strings.Contains(string(f.Facts), `"employees":90`) {
			t.Fatalf("correction: %s %v", f.Facts, err)
		}
		page, _ := w.svc.Notify.List(ctx, w.ent, 1, 20)
		if len(page.Items) != 1 || !strings.Contains(page.Items[0].Detail, "更正企业年度数据") {
			t.Errorf("notices of the firm: %+v", page.Items)
		}

		// Qualifications: the bureau only.
		qin := service.QualificationInput{Kind: domain.QualHNTE, Number: "GR202221000123", IssuedOn: "2021-12-01"}
		if _, err := svc.Qualify(ctx, w.ent, x.ID, qin); domain.ErrorCode(err) != domain.EFORBIDDEN {
			t.Errorf("the firm certifies itself: %v", err)
		}
		g, err := svc.Qualify(ctx, w.bureau, x.ID, qin)
		if err != nil || g.ExpiresOn != "2024-11-30" || g.Year != 2021 {
			t.Fatalf("qualify %+v %v", g, err)
		}
		if _, err := svc.Revoke(ctx, w.bureau, x.ID, g.ID, g.Version, "", ""); domain.ErrorField(err) != "revoke_reason" {
			t.Errorf("revoke without a reason: %v", err)
		}
		if g, err = svc.Revoke(ctx, w.bureau, x.ID, g.ID, g.Version, "", "存在严重弄虚作假行为"); err != nil || g.RevokedOn != w.city.Today() {
			t.Fatalf("revoke %+v %v", g, err)
		}
		if _, err := svc.Revoke(ctx, w.bureau, x.ID, g.ID, 0, "", "再次"); domain.ErrorCode(err) != domain.ECONFLICT {
			t.Errorf("revoked twice: %v", err)
		}
		qs, _ := svc.Qualifications(ctx, w.ent, x.ID)
		if len(qs) != 1 || qs[0].RevokedOn == "" {
			t.Errorf("qualifications %+v", qs)
		}

		// The history names every step.
		evs, err := svc.Events(ctx, w.ent, x.ID)
		if err != nil {
			t.Fatal(err)
		}
		var acts []string
		for _, e := range evs {
			acts = append(acts, e.Action)
		}
		if got := strings.Join(acts, ","); got != "create,update,file,refile,qualify,revoke" {
			t.Errorf("history %s", got)
		}

		// Filters.
		xs, n, err := svc.List(ctx, w.bureau, domain.EnterpriseFilter{Year: 2022, Filed: "yes"})
		if err != nil || n != 1 || xs[0].ID != x.ID || xs[0].LastFiled != 2022 {
			t.Errorf("filed 2022: %v %d %v", xs, n, err)
		}
		if _, _, err := svc.List(ctx, w.bureau, domain.EnterpriseFilter{Filed: "yes"}); domain.ErrorField(err) != "year" {
			t.Errorf("filed without a year: %v", err)
		}
		if xs, _, _ := svc.List(ctx, w.ent, domain.EnterpriseFilter{}); len(xs) != 1 {
			t.Errorf("the firm lists %d", len(xs))
		}
	})
}

// FactsFor gives the enterprise its own filed facts (the /assess pages'
// FactsSource), and nobody else anything.
func TestEnterpriseFactsFor(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		x := w.city.Enterprise().Filed(2021).Insert(t)
		f, err := w.svc.Enterprises.FactsFor(ctx, w.ent, 2021)
		if err != nil || f == nil || f.USCC != x.USCC || *f.Employees != 80 {
			t.Fatalf("own facts: %+v %v", f, err)
		}
		for _, c := range []struct {
			a    *domain.Actor
			year int
		}{{w.ent, 2020}, {w.ent2, 2021}, {w.bureau, 2021}, {nil, 2021}} {
			if f, err := w.svc.Enterprises.FactsFor(ctx, c.a, c.year); err != nil || f != nil {
				t.Errorf("%v %d: %+v %v", c.a, c.year, f, err)
			}
		}
	})
}
