package demo_test

import (
	"context"
	"testing"

	"kechuang/internal/demo"
	"kechuang/internal/domain"
	"kechuang/internal/testutil"
)

// TestDemoEvents: the demo's events give the seed's 2022 figures from the
// records — exactly 320 events held and 7350 enterprise services — on both
// databases; every year has its events, a few hundred intentions, a
// programme of published achievements; events to come are open for
// registration; the audit chain holds.
func TestDemoEvents(t *testing.T) {
	const today = "2026-12-01"
	for _, name := range testutil.Databases(t) {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			db, svc, at := loadOn(t, name, today)
			ctx := context.Background()
			for y := 2021; y <= 2026; y++ {
				events, services, intentions, err := db.Store.EventChainFigures(ctx, y, "")
				if err != nil {
					t.Fatal(err)
				}
				t.Logf("%d: %d events held, %d enterprise services, %d intentions", y, events, services, intentions)
				if y == 2022 && (events != 320 || services != 7350) {
					t.Errorf("2022: %d events held and %d enterprise services, want 320 and 7350", events, services)
				}
				if events < 250 || services < 15*events || intentions < 100 || intentions > 600 {
					t.Errorf("%d: %d events, %d services, %d intentions: implausible", y, events, services, intentions)
				}
			}
			if want := int64(demo.EventsHeld[2021]); want != 286 {
				t.Errorf("2021 plan %d", want)
			}
			up, n, err := svc.Events.List(ctx, nil, domain.TechEventFilter{}, true)
			if err != nil || n < 5 {
				t.Fatalf("%d upcoming events (%v)", n, err)
			}
			open := 0
			for _, x := range up {
				if x.RegistrationOpen(svc.Today()) {
					open++
				}
				if x.Pitches == 0 {
					t.Errorf("upcoming %q has no programme", x.Title)
				}
				regs, err := db.Store.EventRegistrations(ctx, x.ID)
				if err != nil {
					t.Fatal(err)
				}
				for _, r := range regs {
					if !r.CreatedAt.Before(at) || r.CreatedAt.Before(x.CreatedAt) {
						t.Errorf("upcoming %q: a registration at %s (created %s, load %s)", x.Title, r.CreatedAt, x.CreatedAt, at)
					}
				}
			}
			if open == 0 {
				t.Error("no upcoming event is open for registration")
			}
			held, _, err := svc.Events.List(ctx, nil, domain.TechEventFilter{Year: 2022, Status: domain.TechEventClosed, PerPage: 5}, false)
			if err != nil || len(held) == 0 {
				t.Fatalf("closed 2022 events: %v", err)
			}
			ps, err := svc.Events.Pitches(ctx, nil, held[0].ID)
			if err != nil || len(ps) == 0 {
				t.Fatalf("programme %v", err)
			}
			for _, p := range ps {
				a, err := svc.Achievements.Get(ctx, nil, p.AchievementID)
				if err != nil || a.Status != domain.AchievementPublished || a.PublishedOn >= held[0].Date {
					t.Errorf("pitched %d: %+v %v", p.AchievementID, a, err)
				}
			}
			evs, err := svc.Events.Events(ctx, domain.SystemActor(), held[0].ID)
			if err != nil || len(evs) != 4 || evs[0].Action != "create" || evs[3].Action != "close" {
				t.Errorf("history %+v %v", evs, err)
			}
			if rep, err := db.Store.VerifyAudit(ctx); err != nil || !rep.OK {
				t.Fatalf("audit %+v %v", rep, err)
			}
		})
	}
}
