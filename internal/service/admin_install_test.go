package service_test

import (
	"context"
	"strings"
	"testing"

	"kechuang/internal/city"
	"kechuang/internal/domain"
	"kechuang/internal/gb2260"
	"kechuang/internal/service"
	"kechuang/internal/testutil"
)

// TestInstallCity: the one use case writes the city in one transaction —
// regions, chains, targets, settings, bureau, registry as default_registry,
// the administrator — audits it, bumps the statistics version, and refuses
// a second installation and bad input without writing anything.
func TestInstallCity(t *testing.T) {
	t.Parallel()
	for _, ns := range testutil.Stores(t) {
		t.Run(ns.Name, func(t *testing.T) {
			ctx := context.Background()
			svc := service.New(ns.Store, testutil.Log())
			c := city.Shenyang()
			for _, bad := range []service.InstallAdmin{{Username: "", Password: "long-enough-1"}, {Username: "root", Password: "short"}} {
				if _, err := svc.Admin.InstallCity(ctx, c, bad); domain.ErrorCode(err) != domain.EINVALID {
					t.Errorf("install with %+v: %v", bad, err)
				}
			}
			if ok, _ := svc.Installed(ctx); ok {
				t.Fatal("a refused install installed the city")
			}
			v0, err := ns.Store.StatsVersion(ctx)
			if err != nil {
				t.Fatal(err)
			}
			in, err := svc.Admin.InstallCity(ctx, c, service.InstallAdmin{Username: "root", Password: "long-enough-1"})
			if err != nil {
				t.Fatal(err)
			}
			if v1, _ := ns.Store.StatsVersion(ctx); v1 <= v0 {
				t.Errorf("stats version %d → %d: not bumped", v0, v1)
			}
			if reg, _ := svc.Meta.Setting(ctx, service.SettingDefaultRegistry); reg != itoa(in.Registry.ID) {
				t.Errorf("default_registry %q, registry %d", reg, in.Registry.ID)
			}
			if in.Admin.Role != domain.RoleAdmin || in.Admin.OrgID != in.Bureau.ID || in.Bureau.RegionCode != c.Bureau.Code {
				t.Errorf("admin %+v bureau %+v", in.Admin, in.Bureau)
			}
			chains, _ := svc.Meta.Chains(ctx)
			regions, _ := svc.Meta.Regions(ctx)
			ts, _ := ns.Store.Targets(ctx)
			nt := 0
			for _, y := range c.TargetYears() {
				nt += len(c.Targets[y])
			}
			have := map[string]bool{}
			for _, r := range regions {
				have[r.Code] = true
			}
			for _, r := range c.Regions() {
				if !have[r.Code] {
					t.Errorf("region %s %s of the city file missing", r.Code, r.Name)
				}
			}
			if len(chains) != len(c.Chains) || len(regions) != gb2260.Default().Len() || len(ts) != nt {
				t.Errorf("chains %d/%d regions %d/%d (the national table) targets %d/%d", len(chains), len(c.Chains), len(regions), gb2260.Default().Len(), len(ts), nt)
			}
			if loads, _, _ := ns.Store.FindAudit(ctx, domain.AuditFilter{Entity: "regions", Limit: 10}); len(loads) != 1 || loads[0].Action != "regions.load" {
				t.Errorf("the national table's load is not audited once: %v", loads)
			}
			rows, _, err := ns.Store.FindAudit(ctx, domain.AuditFilter{Entity: "city", Limit: 10})
			if err != nil || len(rows) != 1 || rows[0].Action != "city.install" {
				t.Fatalf("audit: %v %v", rows, err)
			}
			_, err = svc.Admin.InstallCity(ctx, city.Shenyang(), service.InstallAdmin{Username: "root2", Password: "long-enough-1"})
			if domain.ErrorCode(err) != domain.ECONFLICT || !strings.Contains(err.Error(), "已初始化") {
				t.Fatalf("second install: %v", err)
			}
			if orgs, _, _ := svc.Meta.Orgs(ctx, domain.SystemActor(), domain.OrgFilter{}); len(orgs) != 2 {
				t.Errorf("%d organisations after the refused second install", len(orgs))
			}
			exp, err := svc.Admin.ExportCity(ctx, domain.SystemActor())
			if err != nil || exp.Code != c.Code || exp.Registry != c.Registry || exp.Bureau != c.Bureau || len(exp.Districts) != len(c.Districts) {
				t.Fatalf("export: %+v %v", exp, err)
			}
			if _, err := svc.Admin.ExportCity(ctx, nil); err == nil {
				t.Error("export without an actor")
			}
		})
	}
}
