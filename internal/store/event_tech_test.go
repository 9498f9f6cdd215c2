package store_test

import (
	"context"
	"fmt"
	"reflect"
	"sync"
	"testing"

	"kechuang/internal/domain"
	"kechuang/internal/store"
	"kechuang/internal/store/storetest"
)

func TestTechEventRoundTrip(t *testing.T) {
	eachStore(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		w := storetest.New(t, st)
		x := w.TechEvent().Published().Insert(t)
		got, err := st.FindTechEventByID(ctx, x.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.OrganiserName != w.Agency.Name {
			t.Errorf("organiser %q, want %q", got.OrganiserName, w.Agency.Name)
		}
		got.OrganiserName = ""
		if !reflect.DeepEqual(got, x) {
			t.Errorf("round trip:\n got %+v\nwant %+v", got, x)
		}
		stale := *got
		if err := st.InTx(ctx, func(q *store.Q) error { got.Title = "新名称"; return q.UpdateTechEvent(ctx, got) }); err != nil {
			t.Fatal(err)
		}
		err = st.InTx(ctx, func(q *store.Q) error { stale.Title = "旧"; return q.UpdateTechEvent(ctx, &stale) })
		wantCode(t, err, domain.ECONFLICT, "")
		if _, err := st.FindTechEventByID(ctx, x.ID+100); domain.ErrorCode(err) != domain.ENOTFOUND {
			t.Errorf("missing event: %v", err)
		}
	})
}

// TestTechEventCapacityConcurrent races more registrations than places:
// exactly capacity succeed, on both databases.
func TestTechEventCapacityConcurrent(t *testing.T) {
	eachStore(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		w := storetest.New(t, st)
		const places, firms = 3, 8
		x := w.TechEvent().Capacity(places).Published().Insert(t)
		orgs := make([]*domain.Org, firms)
		for i := range orgs {
			o := &domain.Org{Kind: domain.OrgEnterprise, Name: fmt.Sprintf("报名企业%d", i), USCC: w.USCC(), RegionCode: w.Ent.RegionCode}
			if err := st.InTx(ctx, func(q *store.Q) error { return q.CreateOrg(ctx, o) }); err != nil {
				t.Fatal(err)
			}
			orgs[i] = o
		}
		var wg sync.WaitGroup
		var mu sync.Mutex
		ok, full := 0, 0
		for _, o := range orgs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				var got bool
				err := st.InTx(ctx, func(q *store.Q) error {
					var err error
					got, err = q.AddEventRegistration(ctx, &domain.EventRegistration{EventID: x.ID, OrgID: o.ID, Contact: "张工"}, places)
					return err
				})
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err != nil:
					t.Errorf("register %s: %v", o.Name, err)
				case got:
					ok++
				default:
					full++
				}
			}()
		}
		wg.Wait()
		if ok != places || full != firms-places {
			t.Errorf("%d registered and %d refused as full, want %d and %d", ok, full, places, firms-places)
		}
		regs, err := st.EventRegistrations(ctx, x.ID)
		if err != nil || len(regs) != places {
			t.Fatalf("registrations %d (%v), want %d", len(regs), err, places)
		}
		again, _ := st.FindTechEventByID(ctx, x.ID)
		if again.Registered != places || !again.Full() {
			t.Errorf("registered %d, full %v", again.Registered, again.Full())
		}
	})
}

func TestTechEventUniqueness(t *testing.T) {
	eachStore(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		w := storetest.New(t, st)
		x := w.TechEvent().Held().Insert(t)
		ach := w.Achievement().Published().Insert(t)
		tx := func(fn func(q *store.Q) error) error { return st.InTx(ctx, fn) }
		reg := func() error {
			return tx(func(q *store.Q) error {
				_, err := q.AddEventRegistration(ctx, &domain.EventRegistration{EventID: x.ID, OrgID: w.Ent.ID, Contact: "张工"}, 10)
				return err
			})
		}
		if err := reg(); err != nil {
			t.Fatal(err)
		}
		wantCode(t, reg(), domain.ECONFLICT, "")
		pitch := func() error {
			return tx(func(q *store.Q) error {
				return q.AddEventPitch(ctx, &domain.EventPitch{EventID: x.ID, AchievementID: ach.ID})
			})
		}
		if err := pitch(); err != nil {
			t.Fatal(err)
		}
		wantCode(t, pitch(), domain.EINVALID, "achievement_id")
		svc := func() error {
			return tx(func(q *store.Q) error {
				return q.AddServiceRecord(ctx, &domain.ServiceRecord{EventID: x.ID, OrgID: w.Ent.ID, Kind: "matching"})
			})
		}
		if err := svc(); err != nil {
			t.Fatal(err)
		}
		wantCode(t, svc(), domain.EINVALID, "org_id")
		intent := func() error {
			return tx(func(q *store.Q) error {
				return q.AddIntention(ctx, &domain.Intention{EventID: x.ID, AchievementID: ach.ID, EnterpriseOrgID: w.Ent.ID,
					OwnerOrgID: ach.OwnerOrgID, SignedOn: x.Date, Mode: "license"})
			})
		}
		if err := intent(); err != nil {
			t.Fatal(err)
		}
		wantCode(t, intent(), domain.EINVALID, "achievement_id")
		got, _ := st.FindTechEventByID(ctx, x.ID)
		if got.Registered != 1 || got.Pitches != 1 || got.Services != 1 || got.Intentions != 1 {
			t.Errorf("counts %d/%d/%d/%d, want 1 each", got.Registered, got.Pitches, got.Services, got.Intentions)
		}
		ps, _ := st.EventPitches(ctx, x.ID)
		if len(ps) != 1 || ps[0].AchievementTitle != ach.Title || ps[0].OwnerName != w.Univ.Name {
			t.Errorf("pitches %+v", ps)
		}
		ys, _ := st.AchievementIntentions(ctx, ach.ID)
		if len(ys) != 1 || ys[0].EnterpriseName != w.Ent.Name || ys[0].EventTitle != x.Title {
			t.Errorf("intentions %+v", ys)
		}
	})
}

func TestTechEventChainFigures(t *testing.T) {
	eachStore(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		w := storetest.New(t, st)
		chain := w.City.Chains[0].Code
		held := w.TechEvent().On("2023-03-01").Held().Insert(t)
		w.TechEvent(func(x *domain.TechEvent) { x.ChainCode = w.City.Chains[1].Code }).On("2023-04-01").Held().Insert(t)
		w.TechEvent().On("2022-12-31").Held().Insert(t)      // another year
		w.TechEvent().On("2023-05-01").Cancelled().Insert(t) // not held
		w.TechEvent().Published().Insert(t)                  // not yet held
		ach := w.Achievement().Published().Insert(t)
		err := st.InTx(ctx, func(q *store.Q) error {
			for _, o := range []*domain.Org{w.Ent, w.Ent2} {
				if err := q.AddServiceRecord(ctx, &domain.ServiceRecord{EventID: held.ID, OrgID: o.ID, Kind: "matching"}); err != nil {
					return err
				}
			}
			return q.AddIntention(ctx, &domain.Intention{EventID: held.ID, AchievementID: ach.ID, EnterpriseOrgID: w.Ent.ID,
				OwnerOrgID: ach.OwnerOrgID, SignedOn: "2023-03-01", Mode: "license"})
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range []struct {
			chain                 string
			events, svc, intended int64
		}{{"", 2, 2, 1}, {chain, 1, 2, 1}, {w.City.Chains[1].Code, 1, 0, 0}} {
			e, s, i, err := st.EventChainFigures(ctx, 2023, c.chain)
			if err != nil {
				t.Fatal(err)
			}
			if e != c.events || s != c.svc || i != c.intended {
				t.Errorf("chain %q: %d events, %d services, %d intentions; want %d, %d, %d", c.chain, e, s, i, c.events, c.svc, c.intended)
			}
		}
	})
}

// TestTechEventPolicyAgreement: the list query's scope and the single-item
// rule agree for every role × status × relation.
func TestTechEventPolicyAgreement(t *testing.T) {
	eachStore(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		w := storetest.New(t, st)
		var all []*domain.TechEvent
		for _, org := range []*domain.Org{w.Agency, w.Univ, w.Bureau} {
			for _, s := range domain.TechEventStatuses.Codes() {
				all = append(all, w.TechEvent().Organiser(org).Status(s).Insert(t))
			}
		}
		actors := map[string]*domain.Actor{"public": nil}
		for _, k := range storetest.Keys {
			actors[k] = w.Actor(k)
		}
		for name, a := range actors {
			xs, _, err := st.FindTechEvents(ctx, domain.TechEventFilter{PerPage: 200}, domain.TechEvents.ListScope(a))
			if err != nil {
				t.Fatal(err)
			}
			listed := map[int64]bool{}
			for _, x := range xs {
				listed[x.ID] = true
			}
			for _, x := range all {
				if see := domain.TechEvents.CanSee(a, x); see != listed[x.ID] {
					t.Errorf("%s, event of org %d %s: CanSee %v, listed %v", name, x.OrganiserOrgID, x.Status, see, listed[x.ID])
				}
			}
		}
	})
}
