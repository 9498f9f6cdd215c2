package service_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"

	"kechuang/internal/domain"
	"kechuang/internal/gb2260"
	"kechuang/internal/service"
	"kechuang/internal/store/storetest"
	"kechuang/internal/testutil"
)

// newerTable is the embedded table as a later edition would change it:
// one division renamed, one gone, one new.
func newerTable(t *testing.T, edition string, edit func(code, name string) (string, bool), extra ...string) *gb2260.Table {
	t.Helper()
	var b strings.Builder
	for _, d := range gb2260.Default().All() {
		name, keep := d.Name, true
		if edit != nil {
			name, keep = edit(d.Code, d.Name)
		}
		if keep {
			fmt.Fprintf(&b, "%s %s\n", d.Code, name)
		}
	}
	for _, l := range extra {
		b.WriteString(l + "\n")
	}
	tb, err := gb2260.Parse(strings.NewReader(b.String()), edition)
	if err != nil {
		t.Fatal(err)
	}
	return tb
}

func TestLoadRegionsFirstStart(t *testing.T) {
	t.Parallel()
	for _, ns := range testutil.Stores(t) {
		t.Run(ns.Name, func(t *testing.T) {
			ctx := context.Background()
			svc := service.New(ns.Store, testutil.Log())
			if ed, _ := svc.Meta.RegionsEdition(ctx); ed != "" {
				t.Fatalf("a migrated database has edition %q before any load", ed)
			}
			ch, err := svc.Meta.EnsureRegions(ctx)
			if err != nil || ch == nil {
				t.Fatalf("ensure: %v, %v", ch, err)
			}
			n := gb2260.Default().Len()
			if ch.Total != n || len(ch.Added) != n || len(ch.Renamed)+len(ch.Withdrawn) != 0 {
				t.Errorf("first load: total %d added %d renamed %d withdrawn %d, want %d added", ch.Total, len(ch.Added), len(ch.Renamed), len(ch.Withdrawn), n)
			}
			all, err := svc.Meta.Regions(ctx)
			if err != nil || len(all) != n {
				t.Fatalf("regions = %d, %v; want %d", len(all), err, n)
			}
			ks, _ := svc.Meta.Region(ctx, "320583")
			if ks == nil || ks.Name != "昆山市" || ks.Parent != "320500" || ks.Level != domain.LevelCounty || ks.FullName != "江苏省 苏州市 昆山市" {
				t.Errorf("320583 = %+v", ks)
			}
			cq, _ := svc.Meta.Region(ctx, "500229")
			if cq == nil || cq.Parent != "500000" || cq.FullName != "重庆市 "+cq.Name {
				t.Errorf("500229 = %+v", cq)
			}
			if ch, err := svc.Meta.EnsureRegions(ctx); err != nil || ch != nil {
				t.Errorf("second ensure = %+v, %v; want nothing to do", ch, err)
			}
			if _, n, _ := ns.Store.FindAudit(ctx, domain.AuditFilter{Entity: "regions"}); n != 1 {
				t.Errorf("audit rows of regions = %d, want 1", n)
			}
		})
	}
}

func TestLoadNewerRegions(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		admin := w.city.Actor("admin")
		// A record names 320583 before the newer table drops it.
		org := &domain.Org{Kind: domain.OrgEnterprise, Name: "昆山某公司", USCC: storetest.USCC(90), RegionCode: "320583"}
		if err := w.svc.Admin.CreateOrg(ctx, admin, org); err != nil {
			t.Fatal(err)
		}
		v0, _ := w.st.StatsVersion(ctx)
		next := newerTable(t, "2025-12-31", func(code, name string) (string, bool) {
			switch code {
			case "210112":
				return "浑南新区", true
			case "320583":
				return "", false
			}
			return name, true
		}, "210199 沈阳测试区")
		ch, err := w.svc.Meta.LoadRegions(ctx, admin, next)
		if err != nil {
			t.Fatal(err)
		}
		if ch.Previous != gb2260.EmbeddedVersion || ch.Edition != "2025-12-31" ||
			len(ch.Added) != 1 || ch.Added[0].Code != "210199" || ch.Added[0].FullName != "辽宁省 沈阳市 沈阳测试区" ||
			len(ch.Renamed) != 1 || ch.Renamed[0] != (domain.RegionRenamed{Code: "210112", From: "浑南区", To: "浑南新区", OldParent: "210100", NewParent: "210100"}) ||
			len(ch.Withdrawn) != 1 || ch.Withdrawn[0].Code != "320583" {
			t.Fatalf("changes = %+v", ch)
		}
		ks, _ := w.svc.Meta.Region(ctx, "320583")
		if ks == nil || ks.Name != "昆山市" || ks.Withdrawn != "2025-12-31" {
			t.Errorf("withdrawn 320583 = %+v; want its name kept, withdrawn in 2025-12-31", ks)
		}
		if got, _ := w.svc.Admin.Org(ctx, admin, org.ID); got == nil || got.RegionCode != "320583" {
			t.Errorf("the organisation lost its region: %+v", got)
		}
		if v1, _ := w.st.StatsVersion(ctx); v1 <= v0 {
			t.Errorf("stats version %d → %d: region names label the statistics", v0, v1)
		}
		if ed, _ := w.svc.Meta.RegionsEdition(ctx); ed != "2025-12-31" {
			t.Errorf("edition = %q", ed)
		}
		es, n, _ := w.st.FindAudit(ctx, domain.AuditFilter{Entity: "regions", EntityID: "2025-12-31"})
		if n != 1 || es[0].Action != "regions.load" || !strings.Contains(string(es[0].After), `"withdrawn_codes":["320583"]`) {
			t.Errorf("audit = %d rows %+v", n, es)
		}
		// A withdrawn code is refused for new records, named in the message.
		err = w.svc.Admin.CreateOrg(ctx, admin, &domain.Org{Kind: domain.OrgEnterprise, Name: "昆山另一公司", USCC: storetest.USCC(91), RegionCode: "320583"})
		var e *domain.Error
		if !errors.As(err, &e) || e.Field != "region_code" || !strings.Contains(e.Message, "已撤销") {
			t.Errorf("withdrawn code for a new org: %v", err)
		}
		// The same edition again changes nothing; an older one is refused.
		if ch, err := w.svc.Meta.LoadRegions(ctx, admin, next); err != nil || ch.Changed() {
			t.Errorf("reload = %+v, %v", ch, err)
		}
		if _, err := w.svc.Meta.LoadRegions(ctx, admin, gb2260.Default()); domain.ErrorCode(err) != domain.EINVALID {
			t.Errorf("older edition: %v, want EINVALID", err)
		}
		// Listed again: restored.
		again := newerTable(t, "2026-06-30", nil)
		if ch, err := w.svc.Meta.LoadRegions(ctx, admin, again); err != nil || len(ch.Restored) != 1 || len(ch.Withdrawn) != 1 || ch.Withdrawn[0].Code != "210199" {
			t.Errorf("restore = %+v, %v", ch, err)
		}
		for _, a := range []*domain.Actor{w.bureau, w.registrar, w.univ, nil} {
			if _, err := w.svc.Meta.LoadRegions(ctx, a, again); err == nil {
				t.Errorf("%v loaded a table", a)
			}
		}
	})
}
