package service_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"kechuang/internal/anchor"
	"kechuang/internal/domain"
	"kechuang/internal/service"
	"kechuang/internal/store/storetest"
	"kechuang/internal/testutil"
)

// TestAuditAnchorWriter: the periodic writer anchors the head on a tick
// when the chain grew (and logs it), not when it did not; verify then
// catches a tail deleted behind the database's back.
func TestAuditAnchorWriter(t *testing.T) {
	t.Parallel()
	for _, ns := range testutil.Stores(t) {
		t.Run(ns.Name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var logs bytes.Buffer
			file := anchor.NewFile(filepath.Join(t.TempDir(), "kc.audit-anchors"))
			base, err := service.Open(ctx, ns.Store.URL(), slog.New(slog.NewTextHandler(&logs, nil)),
				service.Options{AuditKey: []byte(testutil.AuditKey), Anchors: file})
			if err != nil {
				t.Fatal(err)
			}
			defer base.Close()
			clock := domain.NewManualClock(time.Date(2026, 12, 1, 1, 0, 0, 0, time.UTC))
			svc := base.WithClock(clock)
			// tick is one step of the writer, run here so that each step has
			// finished before the test changes the chain (the loop that
			// runs it on a ticker is checked at the end).
			tick := func() {
				if err := svc.Audit.Anchor(ctx); err != nil {
					t.Fatal(err)
				}
			}
			// The organisations' district, written below the service (a
			// load of the national table would be audited).
			if err := ns.Store.PutRegion(ctx, domain.Region{Code: storetest.Tiexi, Name: "铁西区", Parent: storetest.CityCode}); err != nil {
				t.Fatal(err)
			}
			addOrg := func(i int) {
				o := &domain.Org{Kind: domain.OrgEnterprise, Name: fmt.Sprintf("锚点企业%d", i), USCC: storetest.USCC(500 + i), RegionCode: storetest.Tiexi}
				if err := svc.Admin.CreateOrg(ctx, domain.SystemActor(), o); err != nil {
					t.Fatal(err)
				}
			}
			tick()
			if got, _ := file.Read(); len(got) != 0 {
				t.Fatalf("an empty chain was anchored: %+v", got)
			}
			addOrg(1)
			addOrg(2)
			clock.Advance(time.Minute)
			tick()
			tick() // nothing new: no second anchor
			got, err := file.Read()
			if err != nil || len(got) != 1 || got[0].Seq != 2 || !got[0].At.Equal(clock.Now()) || got[0].KeyedFrom != 1 {
				t.Fatalf("anchors after two rows: %+v, %v", got, err)
			}
			if !strings.Contains(logs.String(), "audit anchor") || !strings.Contains(logs.String(), "seq=2 hash="+got[0].Hash) {
				t.Fatalf("anchor not logged: %s", logs.String())
			}
			addOrg(3)
			tick()
			if got, _ = file.Read(); len(got) != 2 || got[1].Seq != 3 {
				t.Fatalf("anchors after a third row: %+v", got)
			}
			// The loop anchors on every tick of its channel.
			ticks := make(chan time.Time)
			go svc.Audit.RunAnchors(ctx, ticks)
			addOrg(4)
			ticks <- clock.Now()
			deadline := time.Now().Add(30 * time.Second) // bounds a hang; not a timing assertion
			for got, _ = file.Read(); len(got) < 3 && time.Now().Before(deadline); got, _ = file.Read() {
				time.Sleep(10 * time.Millisecond)
			}
			if len(got) != 3 || got[2].Seq != 4 {
				t.Fatalf("anchors after a tick of the loop: %+v", got)
			}
			cancel()
			storetest.ForgeAudit(t, ns.Store.URL(), storetest.Forgery{DeleteFrom: 3})
			rep, err := svc.Audit.VerifySystem(context.Background())
			if err != nil || rep.OK || rep.BrokenAt != 3 || rep.Anchors != 3 || !strings.Contains(rep.Reason, "外部锚点") {
				t.Fatalf("verify after the tail was deleted: %+v, %v", rep, err)
			}
		})
	}
}
