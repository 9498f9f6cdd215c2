package service_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"kechuang/internal/domain"
	"kechuang/internal/service"
)

// eventInput is what an organiser sends: a valid event.
func (w *world) eventInput() *domain.TechEvent {
	x := *w.city.TechEvent().Build()
	x.ID, x.Status, x.OrganiserOrgID = 0, "", 0
	return &x
}

func noticesOf(t *testing.T, w *world, a *domain.Actor) []string {
	t.Helper()
	p, err := w.svc.Notify.List(context.Background(), a, 1, 50)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, n := range p.Items {
		if n.Kind == domain.NoticeEvent {
			out = append(out, n.Title+"："+n.Detail)
		}
	}
	return out
}

func TestTechEventLifecycle(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		svc := w.svc.Events
		w.city.SetDay("2022-05-10")
		// Validation names the field.
		for field, edit := range map[string]func(x *domain.TechEvent){
			"kind": func(x *domain.TechEvent) { x.Kind = "party" }, "title": func(x *domain.TechEvent) { x.Title = " " },
			"date": func(x *domain.TechEvent) { x.Date = "2022-02-30" }, "capacity": func(x *domain.TechEvent) { x.Capacity = 0 },
			"chain_code": func(x *domain.TechEvent) { x.ChainCode = "nowhere" }, "place": func(x *domain.TechEvent) { x.Place = "" },
		} {
			in := w.eventInput()
			edit(in)
			if _, err := svc.Create(ctx, w.agency, in); domain.ErrorField(err) != field {
				t.Errorf("%s: %v", field, err)
			}
		}
		if _, err := svc.Create(ctx, w.ent, w.eventInput()); domain.ErrorCode(err) != domain.EFORBIDDEN {
			t.Errorf("enterprise organises: %v", err)
		}
		in := w.eventInput()
		in.Date, in.Capacity = "2022-05-20", 2
		x, err := svc.Create(ctx, w.agency, in)
		if err != nil {
			t.Fatal(err)
		}
		if x.Status != domain.TechEventDraft || x.OrganiserOrgID != w.agency.OrgID {
			t.Fatalf("created %+v", x)
		}
		for _, a := range []*domain.Actor{nil, w.ent, w.bureau} {
			if _, err := svc.Get(ctx, a, x.ID); domain.ErrorCode(err) != domain.ENOTFOUND {
				t.Errorf("%v sees a draft: %v", a, err)
			}
		}
		if _, err := svc.Register(ctx, w.ent, x.ID, &domain.EventRegistration{Contact: "张工"}); domain.ErrorCode(err) != domain.ENOTFOUND {
			t.Errorf("register for a draft: %v", err)
		}
		if x, err = svc.Publish(ctx, w.agency, x.ID, x.Version); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Get(ctx, nil, x.ID); err != nil {
			t.Errorf("the public reads a published event: %v", err)
		}
		// Registration: once, while places are left, not by the organiser.
		if _, err := svc.Register(ctx, w.ent, x.ID, &domain.EventRegistration{Contact: ""}); domain.ErrorField(err) != "contact" {
			t.Errorf("no contact: %v", err)
		}
		if _, err := svc.Register(ctx, w.agency, x.ID, &domain.EventRegistration{Contact: "李"}); domain.ErrorCode(err) != domain.EFORBIDDEN {
			t.Errorf("organiser registers: %v", err)
		}
		if _, err := svc.Register(ctx, w.ent, x.ID, &domain.EventRegistration{Contact: "张工", Phone: "024-12345678"}); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Register(ctx, w.ent, x.ID, &domain.EventRegistration{Contact: "张工"}); domain.ErrorCode(err) != domain.ECONFLICT {
			t.Errorf("twice: %v", err)
		}
		if _, err := svc.Register(ctx, w.ent2, x.ID, &domain.EventRegistration{Contact: "王工"}); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Register(ctx, w.univ, x.ID, &domain.EventRegistration{Contact: "赵老师"}); domain.ErrorCode(err) != domain.ECONFLICT ||
			!strings.Contains(err.Error(), "已满") {
			t.Errorf("full: %v", err)
		}
		if got := noticesOf(t, w, w.ent); len(got) != 1 || !strings.Contains(got[0], "报名成功") {
			t.Errorf("enterprise's notices %v", got)
		}
		mine, n, err := svc.MyRegistrations(ctx, w.ent, 1, 20)
		if err != nil || n != 1 || len(mine) != 1 || mine[0].EventTitle != x.Title {
			t.Errorf("my registrations %+v (%v)", mine, err)
		}
		if regs, err := svc.Registrations(ctx, w.agency, x.ID); err != nil || len(regs) != 2 {
			t.Errorf("organiser's list %d (%v)", len(regs), err)
		}
		if _, err := svc.Registrations(ctx, w.ent, x.ID); domain.ErrorCode(err) != domain.EFORBIDDEN {
			t.Errorf("enterprise reads the list: %v", err)
		}
		if _, err := svc.Registrations(ctx, nil, x.ID); domain.ErrorCode(err) != domain.EUNAUTHORIZED {
			t.Errorf("public reads the list: %v", err)
		}
		// Capacity never below the places taken.
		edit := w.eventInput()
		edit.Date, edit.Capacity = x.Date, 1
		if _, err := svc.Update(ctx, w.agency, x.ID, x.Version, edit); domain.ErrorField(err) != "capacity" {
			t.Errorf("capacity below registrations: %v", err)
		}
		edit.Capacity, edit.Date = 10, "2022-05-01"
		if _, err := svc.Update(ctx, w.agency, x.ID, x.Version, edit); domain.ErrorField(err) != "date" {
			t.Errorf("a published event moved into the past: %v", err)
		}
		// The programme: published achievements, once.
		draft := w.city.Achievement().Insert(t)
		pub := w.city.Achievement().Published().Insert(t)
		if _, err := svc.AddPitch(ctx, w.agency, x.ID, draft.ID); domain.ErrorField(err) != "achievement_id" {
			t.Errorf("pitch a draft: %v", err)
		}
		if _, err := svc.AddPitch(ctx, w.ent, x.ID, pub.ID); domain.ErrorCode(err) != domain.EFORBIDDEN {
			t.Errorf("enterprise pitches: %v", err)
		}
		if _, err := svc.AddPitch(ctx, w.agency, x.ID, pub.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.AddPitch(ctx, w.agency, x.ID, pub.ID); domain.ErrorField(err) != "achievement_id" {
			t.Errorf("pitch twice: %v", err)
		}
		// Not before the day: the outcome and hold.
		intent := &domain.Intention{AchievementID: pub.ID, EnterpriseOrgID: w.ent.OrgID, SignedOn: x.Date, Mode: "license"}
		if _, err := svc.RecordIntention(ctx, w.agency, x.ID, intent); domain.ErrorCode(err) != domain.ECONFLICT {
			t.Errorf("intention before the day: %v", err)
		}
		if _, err := svc.Hold(ctx, w.agency, x.ID, x.Version, ""); domain.ErrorField(err) != "date" {
			t.Errorf("held before the day: %v", err)
		}
		w.city.SetDay("2022-05-20")
		if x, err = svc.Hold(ctx, w.agency, x.ID, x.Version, "12项成果路演，30家企业参会"); err != nil {
			t.Fatal(err)
		}
		// Intentions: by the enterprise for itself or by the organiser;
		// not by a third enterprise for another.
		if _, err := svc.RecordIntention(ctx, w.ent2, x.ID, intent); domain.ErrorCode(err) != domain.EFORBIDDEN {
			t.Errorf("a third party records: %v", err)
		}
		bad := *intent
		bad.Mode = "gift"
		if _, err := svc.RecordIntention(ctx, w.agency, x.ID, &bad); domain.ErrorField(err) != "mode" {
			t.Errorf("bad mode: %v", err)
		}
		bad = *intent
		bad.SignedOn = "2022-05-19"
		if _, err := svc.RecordIntention(ctx, w.agency, x.ID, &bad); domain.ErrorField(err) != "signed_on" {
			t.Errorf("signed before the event: %v", err)
		}
		bad = *intent
		bad.EnterpriseOrgID = w.city.Univ2.ID
		if _, err := svc.RecordIntention(ctx, w.agency, x.ID, &bad); domain.ErrorField(err) != "enterprise_org_id" {
			t.Errorf("a university as the enterprise: %v", err)
		}
		other := *intent
		other.EnterpriseOrgID = w.ent2.OrgID
		if _, err := svc.RecordIntention(ctx, w.ent2, x.ID, &other); err != nil { // registered: it may record its own
			t.Fatal(err)
		}
		y, err := svc.RecordIntention(ctx, w.ent, x.ID, intent)
		if err != nil {
			t.Fatal(err)
		}
		if y.OwnerOrgID != pub.OwnerOrgID || y.EnterpriseName == "" {
			t.Errorf("intention %+v", y)
		}
		if _, err := svc.RecordIntention(ctx, w.agency, x.ID, intent); domain.ErrorField(err) != "achievement_id" {
			t.Errorf("intention twice: %v", err)
		}
		if got := noticesOf(t, w, w.univ); len(got) != 2 || !strings.Contains(got[0], "合作意向") {
			t.Errorf("the unit's notices %v", got)
		}
		for _, c := range []struct {
			a    *domain.Actor
			want int
		}{{nil, 0}, {w.ent2, 1}, {w.ent, 1}, {w.univ, 2}, {w.agency, 2}, {w.bureau, 2}} {
			if ys, err := svc.Intentions(ctx, c.a, x.ID); err != nil || len(ys) != c.want {
				t.Errorf("%v sees %d intentions (%v), want %d", c.a, len(ys), err, c.want)
			}
		}
		if ys, n, _ := svc.MyIntentions(ctx, w.univ, 1, 20); len(ys) != 2 || n != 2 {
			t.Errorf("the unit's intentions %d of %d", len(ys), n)
		}
		if ys, n, _ := svc.MyIntentions(ctx, w.registrar, 1, 20); len(ys) != 0 || n != 0 {
			t.Errorf("a third enterprise's intentions %d of %d", len(ys), n)
		}
		if ys, n, _ := svc.MyIntentions(ctx, w.bureau, 1, 20); len(ys) != 2 || n != 2 {
			t.Errorf("the bureau's intentions %d of %d", len(ys), n)
		}
		// Service records: enterprises, once each.
		if _, err := svc.RecordService(ctx, w.agency, x.ID, &domain.ServiceRecord{OrgID: w.ent.OrgID, Kind: "nope"}); domain.ErrorField(err) != "kind" {
			t.Errorf("bad kind: %v", err)
		}
		if _, err := svc.RecordService(ctx, w.agency, x.ID, &domain.ServiceRecord{OrgID: w.city.Univ.ID, Kind: "matching"}); domain.ErrorField(err) != "org_id" {
			t.Errorf("a university served: %v", err)
		}
		if _, err := svc.RecordService(ctx, w.ent, x.ID, &domain.ServiceRecord{OrgID: w.ent.OrgID, Kind: "matching"}); domain.ErrorCode(err) != domain.EFORBIDDEN {
			t.Errorf("enterprise records its own service: %v", err)
		}
		for _, org := range []int64{w.ent.OrgID, w.ent2.OrgID} {
			if _, err := svc.RecordService(ctx, w.agency, x.ID, &domain.ServiceRecord{OrgID: org, Kind: "consulting"}); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := svc.RecordService(ctx, w.bureau, x.ID, &domain.ServiceRecord{OrgID: w.ent.OrgID, Kind: "training"}); domain.ErrorField(err) != "org_id" {
			t.Errorf("served twice: %v", err)
		}
		got, _ := svc.Get(ctx, nil, x.ID)
		if got.Status != domain.TechEventHeld || got.Registered != 2 || got.Pitches != 1 || got.Intentions != 2 || got.Services != 2 {
			t.Errorf("held event %+v", got)
		}
		// The history and the audit name each step.
		evs, err := svc.Events(ctx, w.agency, x.ID)
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, e := range evs {
			actions = append(actions, e.Action)
		}
		if want := "create publish register register pitch hold intention intention service service"; strings.Join(actions, " ") != want {
			t.Errorf("history %v, want %s", actions, want)
		}
		if _, err := svc.Events(ctx, nil, x.ID); domain.ErrorCode(err) != domain.EUNAUTHORIZED {
			t.Errorf("public history: %v", err)
		}
		_, n, err = w.st.FindAudit(ctx, domain.AuditFilter{Entity: "event", EntityID: itoa(x.ID)})
		if err != nil || n != len(evs) {
			t.Errorf("audit rows %d (%v), want %d", n, err, len(evs))
		}
		// The chain: the year's figures and the achievement's timeline.
		f, err := service.ChainFiguresForTest(w.svc, 2022, "")
		if err != nil {
			t.Fatal(err)
		}
		if f[domain.ChainEvents] != 1 || f[domain.ChainEnterpriseServices] != 2 || f[domain.ChainIntentions] != 2 || f[domain.ChainAchievementsPitched] != 1 {
			t.Errorf("chain figures %v", f)
		}
		links, err := service.ChainLinksForTest(w.svc, domain.ChainRef{Kind: "achievement", ID: pub.ID})
		if err != nil {
			t.Fatal(err)
		}
		// the event module's steps (the achievement module adds its own: filed, published)
		links = slices.DeleteFunc(links, func(l domain.ChainLink) bool { return l.Kind == "achievement" })
		if len(links) != 3 || links[0].Step != "pitched" || links[0].Ref.ID != x.ID || links[1].Step != "intention" ||
			domain.DateOf(links[1].At) != "2022-05-20" {
			t.Errorf("links %+v", links)
		}
		// The timeline names the intention's enterprise only to those who
		// may read the intention (its parties, the organiser, the bureau).
		ent := y.EnterpriseName // w.ent's intention; w.ent2 signed the other
		for _, rd := range []struct {
			who  *domain.Actor
			sees bool
		}{{nil, false}, {w.ent2, false}, {w.ent, true}, {w.univ, true}, {w.bureau, true}} {
			tl, err := w.svc.Chain.AchievementTimeline(ctx, rd.who, pub.ID)
			if err != nil {
				t.Fatal(err)
			}
			shown := false
			for _, s := range tl.Steps {
				if s.Step == "intention" && strings.Contains(s.Title, ent) {
					shown = true
				}
			}
			if shown != rd.sees {
				t.Errorf("%v sees the intention's enterprise %q: %v, want %v", rd.who, ent, shown, rd.sees)
			}
		}
		// An enterprise records its own intention only at an event it registered for.
		fresh := w.city.TechEvent().Held().Insert(t)
		own := *intent
		own.SignedOn = fresh.Date
		if _, err := svc.RecordIntention(ctx, w.ent, fresh.ID, &own); domain.ErrorCode(err) != domain.EFORBIDDEN {
			t.Errorf("unregistered enterprise records: %v", err)
		}
		if x, err = svc.Close(ctx, w.agency, x.ID, x.Version); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.RecordService(ctx, w.agency, x.ID, &domain.ServiceRecord{OrgID: w.city.Other.ID, Kind: "matching"}); domain.ErrorCode(err) != domain.ECONFLICT {
			t.Errorf("record after closing: %v", err)
		}
	})
}

func TestTechEventCancelNotifiesRegistrants(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		svc := w.svc.Events
		x, err := svc.Create(ctx, w.bureau, w.eventInput())
		if err != nil {
			t.Fatal(err)
		}
		if x, err = svc.Publish(ctx, w.bureau, x.ID, x.Version); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Register(ctx, w.ent, x.ID, &domain.EventRegistration{Contact: "张工"}); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.Cancel(ctx, w.bureau, x.ID, x.Version, ""); domain.ErrorField(err) != "reason" {
			t.Errorf("cancel without a reason: %v", err)
		}
		if _, err := svc.Cancel(ctx, w.agency, x.ID, x.Version, "改期"); domain.ErrorCode(err) != domain.EFORBIDDEN {
			t.Errorf("another organiser cancels: %v", err)
		}
		if x, err = svc.Cancel(ctx, w.bureau, x.ID, x.Version, "场地调整，活动改期"); err != nil {
			t.Fatal(err)
		}
		got := noticesOf(t, w, w.ent)
		if len(got) != 2 || !strings.Contains(strings.Join(got, "|"), "活动已取消") {
			t.Errorf("registrant's notices %v", got)
		}
		if _, err := svc.Register(ctx, w.ent2, x.ID, &domain.EventRegistration{Contact: "王工"}); domain.ErrorCode(err) != domain.ECONFLICT {
			t.Errorf("register for a cancelled event: %v", err)
		}
		f, _ := service.ChainFiguresForTest(w.svc, 2022, "")
		if f[domain.ChainEvents] != 0 {
			t.Errorf("a cancelled event counted: %v", f)
		}
	})
}
