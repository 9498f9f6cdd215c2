package service_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"kechuang/internal/domain"
	"kechuang/internal/service"
)

// TestChainLifecycle: an administrator adds, renames, reorders, hides and
// deletes chains, each change audited; a chain a contract names cannot be
// deleted, only renamed or hidden, and a hidden one is offered for no new
// filing while still labelling its contracts. Nobody else may.
func TestChainLifecycle(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		admin := w.city.Actor("admin")
		before, err := w.svc.Admin.Chains(ctx, admin)
		if err != nil || len(before) != len(w.city.City.Chains) {
			t.Fatalf("chains: %d %v, the city file has %d", len(before), err, len(w.city.City.Chains))
		}
		for _, a := range []*domain.Actor{w.bureau, w.registrar, w.univ, nil} {
			if _, err := w.svc.Admin.CreateChain(ctx, a, service.ChainInput{Code: "x", Name: "某链"}); err == nil {
				t.Errorf("%v added a chain", a)
			}
		}
		e, err := w.svc.Admin.CreateChain(ctx, admin, service.ChainInput{Code: "quantum", Name: " 量子信息 "})
		if err != nil || e.Name != "量子信息" || e.Sort != before[len(before)-1].Sort+1 {
			t.Fatalf("create: %+v %v", e, err)
		}
		for _, bad := range []service.ChainInput{{Code: "quantum", Name: "别名"}, {Code: "Q", Name: "大写"}, {Code: "q2", Name: ""},
			{Code: "q3", Name: before[0].Name}, {Code: "q4", Name: strings.Repeat("长", domain.MaxChainName+1)}} {
			if _, err := w.svc.Admin.CreateChain(ctx, admin, bad); err == nil {
				t.Errorf("create %+v accepted", bad)
			}
		}

		// A draft names the first chain: it cannot be deleted.
		used := before[0]
		in := w.input(w.city.Univ, w.city.Ent, 100_000_00)
		in.ChainCode = used.Code
		if _, err := w.svc.Contracts.Create(ctx, w.univ, in); err != nil {
			t.Fatal(err)
		}
		err = w.svc.Admin.DeleteChain(ctx, admin, used.Code)
		if domain.ErrorCode(err) != domain.ECONFLICT || !strings.Contains(err.Error(), "只能改名或隐藏") {
			t.Fatalf("delete of a used chain: %v", err)
		}
		name := "改名后的产业链"
		hidden := true
		if e, err = w.svc.Admin.UpdateChain(ctx, admin, used.Code, service.ChainUpdate{Name: &name}); err != nil || e.Name != name {
			t.Fatalf("rename: %+v %v", e, err)
		}
		if e, err = w.svc.Admin.UpdateChain(ctx, admin, used.Code, service.ChainUpdate{Hidden: &hidden}); err != nil || !e.Hidden || e.Contracts != 1 {
			t.Fatalf("hide: %+v %v", e, err)
		}
		offered, _ := w.svc.Meta.Chains(ctx)
		if slices.ContainsFunc(offered, func(c domain.Chain) bool { return c.Code == used.Code }) {
			t.Error("a hidden chain is offered for filing")
		}
		all, _ := w.svc.Meta.AllChains(ctx)
		if !slices.Contains(all, domain.Chain{Code: used.Code, Name: name}) {
			t.Error("a hidden chain lost its label")
		}
		if _, err := w.svc.Contracts.Create(ctx, w.univ, in); err == nil || !strings.Contains(err.Error(), "已停用") {
			t.Errorf("filing with a hidden chain: %v", err)
		}

		// Reorder: the new chain first.
		cs, _ := w.svc.Admin.Chains(ctx, admin)
		if cs, err = w.svc.Admin.MoveChain(ctx, admin, "quantum", -1); err != nil || cs[len(cs)-2].Code != "quantum" {
			t.Fatalf("move up: %v", err)
		}
		codes := []string{"quantum"}
		for _, c := range cs {
			if c.Code != "quantum" {
				codes = append(codes, c.Code)
			}
		}
		if cs, err = w.svc.Admin.ReorderChains(ctx, admin, codes); err != nil || cs[0].Code != "quantum" || cs[0].Sort != 1 {
			t.Fatalf("reorder: %v %v", cs, err)
		}
		if _, err := w.svc.Admin.ReorderChains(ctx, admin, codes[1:]); err == nil {
			t.Error("a reorder leaving a chain out was accepted")
		}
		if err := w.svc.Admin.DeleteChain(ctx, admin, "quantum"); err != nil {
			t.Fatalf("delete of an unused chain: %v", err)
		}
		if err := w.svc.Admin.DeleteChain(ctx, admin, "quantum"); domain.ErrorCode(err) != domain.ENOTFOUND {
			t.Errorf("second delete: %v", err)
		}

		audited := map[string]int{}
		rows, _, err := w.st.FindAudit(ctx, domain.AuditFilter{Entity: "chain", Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			audited[r.Action]++
		}
		for _, a := range []string{"chain.create", "chain.update", "chain.hide", "chain.reorder", "chain.delete"} {
			if audited[a] == 0 {
				t.Errorf("no audit row for %s: %v", a, audited)
			}
		}
		if audited["chain.reorder"] != 2 || audited["chain.delete"] != 1 || audited["chain.create"] != 1 {
			t.Errorf("audit rows %v (refused changes must write none)", audited)
		}
	})
}

// TestTargetsEveryMetric: the settings set a target of every metric of
// the city file, within its bound.
func TestTargetsEveryMetric(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		var ts []domain.YearTarget
		for i, m := range domain.TargetMetrics {
			ts = append(ts, domain.YearTarget{Year: 2030, Metric: m.Code, Value: int64(100 + i)})
		}
		s, err := w.svc.Admin.UpdateSettings(ctx, w.bureau, service.SettingsUpdate{Targets: ts})
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, t := range s.Targets {
			if t.Year == 2030 {
				n++
			}
		}
		if n != len(domain.TargetMetrics) {
			t.Fatalf("%d targets for 2030, want %d", n, len(domain.TargetMetrics))
		}
		_, err = w.svc.Admin.UpdateSettings(ctx, w.bureau, service.SettingsUpdate{Targets: []domain.YearTarget{{Year: 2030, Metric: "local_conversion_rate_bp", Value: 10_001}}})
		if domain.ErrorCode(err) != domain.EINVALID {
			t.Fatalf("a rate above 100%%: %v", err)
		}
	})
}
