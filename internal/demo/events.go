package demo

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"sort"
	"strings"
	"time"

	"kechuang/internal/domain"
	"kechuang/internal/store"
)

// EventsHeld is the city's published figure: 320+ roadshows and
// matchmaking events in 2022, with 7350 enterprise services (服务企业家次)
// (seed page). The demo holds exactly 320 events in 2022 with exactly 7350
// service records; the other years are the demo's assumption (a little
// fewer in 2021, a few more each year after 2022, about 23 enterprises
// served an event), the current year keeping the events held up to
// yesterday.
var EventsHeld = map[int]int{2021: 286, 2022: 320}

// EnterpriseServices is the published count of service records by year.
var EnterpriseServices = map[int]int{2022: 7350}

// eventsPlanned is the year's planned events held (assumed after 2022:
// +10 a year).
func eventsPlanned(year int) int {
	if n, ok := EventsHeld[year]; ok {
		return n
	}
	return 320 + 10*(year-2022)
}

// servicesPlanned is the year's planned service records for n events:
// the published figure, or 23 an event.
func servicesPlanned(year, n int) int {
	if s, ok := EnterpriseServices[year]; ok {
		return s
	}
	return 23 * n
}

var eventPlaces = []string{
	"沈阳市科技服务中心路演厅", "浑南科技城会议中心", "沈阳国际软件园多功能厅", "中德（沈阳）高端装备制造产业园服务中心",
	"沈阳市技术转移服务中心", "东北大学科技园", "沈阳工业大学科技园", "铁西区智能制造服务中心", "沈阳金融商贸开发区会议中心",
	"沈北新区大学科技城", "大东区汽车产业服务中心", "沈阳新松机器人产业园",
}

var serviceNotes = map[string][]string{
	"matching":   {"现场对接成果团队", "对接高校实验室平台", "推荐中试基地"},
	"consulting": {"技术合同认定登记咨询", "知识产权布局咨询", "研发费用加计扣除咨询"},
	"training":   {"技术经纪人培训", "科技成果转化政策培训"},
	"policy":     {"科技型中小企业评价政策宣讲", "高新技术企业认定政策宣讲"},
	"finance":    {"科技贷款对接", "创投机构对接"},
	"other":      {""},
}

// eventStep: each year's events in one part, then the events to come.
var eventStep = Step{Module: "event", Parts: func(g *gen) []Part {
	var out []Part
	for _, y := range g.years {
		out = append(out, Part{Name: fmt.Sprintf("event.%d", y.Year), Seed: func(ctx context.Context, g *gen, tx *store.Q, progress io.Writer) error {
			held, services, intentions, err := g.events(ctx, tx, y)
			if err != nil {
				return err
			}
			fmt.Fprintf(progress, "  %d 年举办路演/对接活动 %d 场，服务企业 %d 家次，签订意向 %d 项\n", y.Year, held, services, intentions)
			return nil
		}})
	}
	return append(out, Part{Name: "event.upcoming", Seed: func(ctx context.Context, g *gen, tx *store.Q, progress io.Writer) error {
		n, err := g.upcomingEvents(ctx, tx)
		if err != nil {
			return err
		}
		fmt.Fprintf(progress, "  即将举办的活动 %d 场（报名中）\n", n)
		return nil
	}})
}}

// demoEvent is one generated event with its rows.
type demoEvent struct {
	x       *domain.TechEvent
	orgName string // the organiser, as the history's actor
	regs    []*orgRef
	served  int // the first served of regs were served
	pitches []*domain.Achievement
	intents []demoIntent
	steps   []demoStep
}

type demoIntent struct {
	ach  *domain.Achievement
	ent  *orgRef
	day  string
	mode string
}

type demoStep struct {
	at       time.Time
	action   string
	from, to domain.TechEventStatus
	comment  string
}

// organiser draws an event's organiser: the bureau, a technology-transfer
// agency, a university or institute, a pilot base (park).
func (g *gen) organiser() *orgRef {
	switch g.pick([]int{25, 40, 25, 10}) {
	case 0:
		return g.byName[OrgBureau]
	case 1:
		return g.agencies[g.rng.IntN(len(g.agencies))]
	case 2:
		return g.univs[g.rng.IntN(min(filingUnits, len(g.univs)))]
	}
	return g.pilots[g.rng.IntN(len(g.pilots))]
}

// yearMonth is the month of day (YYYY-MM-DD).
func yearMonth(day string) int {
	t, _ := domain.ParseDate(day)
	return int(t.Month())
}

// eventAt is a time on day at hour (China time) with a drawn minute.
func (g *gen) eventAt(day string, hour int) time.Time {
	t, _ := time.ParseInLocation(time.DateOnly, day, domain.ChinaTZ)
	return t.Add(time.Duration(hour)*time.Hour + time.Duration(g.rng.IntN(3600))*time.Second)
}

// newEvent draws an event on day by its organiser, with its title, place,
// chain and kind; seq numbers the events of one title (第N期) across its
// year (nil: the title names the month instead).
func (g *gen) newEvent(day string, seq map[string]int) *demoEvent {
	o := g.organiser()
	kind := domain.TechEventKinds.Codes()[g.pick([]int{55, 40, 5})]
	chain := g.city.Chains[g.rng.IntN(len(g.city.Chains))]
	code, name := chain.Code, chain.Name
	if g.rng.IntN(8) == 0 {
		code, name = "", ""
	}
	var title string
	switch {
	case kind == "roadshow" && name != "":
		title = name + "科技成果路演"
	case kind == "roadshow":
		title = o.name + "科技成果专场路演"
	case kind == "matchmaking" && name != "":
		title = name + "产学研需求对接会"
	case kind == "matchmaking":
		title = "校地企协同创新对接会"
	default:
		title = "科技成果转化政策与服务沙龙"
	}
	if seq != nil {
		seq[title]++
		title = fmt.Sprintf("%s年%s（第%d期）", day[:4], title, seq[title])
	} else {
		title = fmt.Sprintf("%s·%d月专场", title, yearMonth(day))
	}
	desc := "面向本市企业集中发布高校院所科技成果，成果团队现场路演，企业与成果方现场洽谈。"
	if kind == "matchmaking" {
		desc = "征集企业技术需求，组织高校院所专家团队与企业一对一对接，推动产学研合作。"
	}
	return &demoEvent{orgName: o.name, x: &domain.TechEvent{Kind: kind, Title: title, Date: day,
		Place: eventPlaces[g.rng.IntN(len(eventPlaces))], ChainCode: code, Description: desc, OrganiserOrgID: o.id,
		Status: domain.TechEventDraft}}
}

// pitchesFor draws n published achievements for an event on day: of its
// chain when enough were published in the year before, else any.
func (g *gen) pitchesFor(refs []*domain.Achievement, byChain map[string][]*domain.Achievement, x *domain.TechEvent, n int) []*domain.Achievement {
	recent := func(list []*domain.Achievement) []*domain.Achievement {
		from := addDays(x.Date, -365)
		lo := sort.Search(len(list), func(i int) bool { return list[i].PublishedOn >= from })
		hi := sort.Search(len(list), func(i int) bool { return list[i].PublishedOn >= x.Date })
		return list[lo:hi]
	}
	pool := recent(byChain[x.ChainCode])
	if x.ChainCode == "" || len(pool) < n {
		pool = recent(refs)
	}
	if len(pool) == 0 {
		return nil
	}
	seen := map[int64]bool{}
	var out []*domain.Achievement
	for tries := 0; len(out) < min(n, len(pool)) && tries < 10*n; tries++ {
		a := pool[g.rng.IntN(len(pool))]
		if !seen[a.ID] {
			seen[a.ID] = true
			out = append(out, a)
		}
	}
	return out
}

// serviceCounts spreads total service records over n events (10 to 36
// each, about 23), exactly.
func (g *gen) serviceCounts(n, total int) []int {
	out := make([]int, n)
	sum := 0
	for i := range out {
		out[i] = 10 + g.rng.IntN(27)
		sum += out[i]
	}
	for sum != total && n > 0 {
		i := g.rng.IntN(n)
		switch {
		case sum < total && out[i] < 60:
			out[i]++
			sum++
		case sum > total && out[i] > 3:
			out[i]--
			sum--
		}
	}
	return out
}

// enterprisesFor draws n distinct enterprises.
func (g *gen) enterprisesFor(n int) []*orgRef {
	idx := g.rng.Perm(len(g.enterprises))[:min(n, len(g.enterprises))]
	out := make([]*orgRef, len(idx))
	for i, j := range idx {
		out[i] = g.enterprises[j]
	}
	return out
}

// events writes the year's events — held ones with their registrations,
// programme, intentions and service records, and a few cancelled — with
// their history, and returns the figures of the held ones. A year draws
// its whole plan from its own generator and keeps what happened up to
// Through.
func (g *gen) events(ctx context.Context, tx *store.Q, y Year) (held, services, intentions int, err error) {
	g.rng = rand.New(rand.NewPCG(320, uint64(y.Year)))
	planned := eventsPlanned(y.Year)
	end := fmt.Sprintf("%d-12-31", y.Year)
	if _, ok := EventsHeld[y.Year]; ok {
		end = y.Through // a published year's whole count by its last published day
	}
	days := make([]string, planned)
	for i := range days {
		days[i] = g.registrationDate(y.Year, monthsOf(y.Year), end)
	}
	sort.Strings(days)
	counts := g.serviceCounts(planned, servicesPlanned(y.Year, planned))
	refs, err := tx.PublishedAchievementRefs(ctx, fmt.Sprintf("%d-01-01", y.Year-1), end)
	if err != nil {
		return 0, 0, 0, err
	}
	byChain := map[string][]*domain.Achievement{}
	for _, a := range refs {
		byChain[a.ChainCode] = append(byChain[a.ChainCode], a)
	}
	var evs []*demoEvent
	seq := map[string]int{}
	for i, day := range days {
		ev := g.newEvent(day, seq)
		served := counts[i]
		regs := served + g.rng.IntN(served/3+2) // some register and do not come
		ev.regs, ev.served = g.enterprisesFor(regs), served
		ev.x.Capacity = max(30, (len(ev.regs)*6/5+9)/10*10)
		ev.pitches = g.pitchesFor(refs, byChain, ev.x, 3+g.rng.IntN(6))
		if ev.x.Kind == "other" {
			ev.pitches = ev.pitches[:min(1, len(ev.pitches))]
		}
		for n := []int{0, 1, 1, 2, 3}[g.pick([]int{35, 25, 15, 18, 7})]; n > 0 && len(ev.pitches) > 0; n-- {
			a := ev.pitches[g.rng.IntN(len(ev.pitches))]
			e := ev.regs[g.rng.IntN(served)]
			dup := false
			for _, it := range ev.intents {
				dup = dup || it.ach.ID == a.ID && it.ent.id == e.id
			}
			if dup {
				continue
			}
			sd := addDays(day, g.pick([]int{70, 20, 10}))
			if sd > y.Through {
				sd = day
			}
			ev.intents = append(ev.intents, demoIntent{ach: a, ent: e, day: sd,
				mode: domain.TransferModes.Codes()[g.pick([]int{20, 45, 10, 25})]})
		}
		created := addDays(day, -(20 + g.rng.IntN(40)))
		published := addDays(created, 1+g.rng.IntN(5))
		ev.steps = []demoStep{{g.eventAt(created, 9), "create", domain.TechEventDraft, domain.TechEventDraft, ""},
			{g.eventAt(published, 10), "publish", domain.TechEventDraft, domain.TechEventPublished, ""},
			{g.eventAt(day, 17), "hold", domain.TechEventPublished, domain.TechEventHeld,
				fmt.Sprintf("%d项成果路演，%d家单位报名，服务企业%d家", len(ev.pitches), len(ev.regs), served)}}
		ev.x.Status, ev.x.Summary = domain.TechEventHeld, ev.steps[2].comment
		if closed := addDays(day, 3+g.rng.IntN(10)); closed <= y.Through {
			ev.steps = append(ev.steps, demoStep{g.eventAt(closed, 11), "close", domain.TechEventHeld, domain.TechEventClosed, ""})
			ev.x.Status = domain.TechEventClosed
		}
		if day > y.Through {
			continue // the current year: not yet come
		}
		evs = append(evs, ev)
	}
	// A few are called off each year; they count for nothing.
	for i := 0; i < 4; i++ {
		day := g.registrationDate(y.Year, monthsOf(y.Year), y.Through)
		ev := g.newEvent(day, nil)
		ev.x.Capacity = 50
		ev.regs = g.enterprisesFor(5 + g.rng.IntN(15))
		created := addDays(day, -(20 + g.rng.IntN(30)))
		reason := []string{"因场地调整，活动延期另行通知", "主讲团队行程冲突，活动取消", "报名企业不足，改为线上对接"}[g.rng.IntN(3)]
		ev.steps = []demoStep{{g.eventAt(created, 9), "create", domain.TechEventDraft, domain.TechEventDraft, ""},
			{g.eventAt(addDays(created, 2), 10), "publish", domain.TechEventDraft, domain.TechEventPublished, ""},
			{g.eventAt(addDays(day, -3), 15), "cancel", domain.TechEventPublished, domain.TechEventCancelled, reason}}
		ev.x.Status, ev.x.CancelReason = domain.TechEventCancelled, reason
		evs = append(evs, ev)
	}
	if err := g.writeEvents(ctx, tx, evs); err != nil {
		return 0, 0, 0, err
	}
	for _, ev := range evs {
		if ev.x.Status == domain.TechEventHeld || ev.x.Status == domain.TechEventClosed {
			held++
			services += ev.served
			for _, it := range ev.intents {
				if strings.HasPrefix(it.day, fmt.Sprint(y.Year)) {
					intentions++
				}
			}
		}
	}
	return held, services, intentions, nil
}

// upcomingEvents writes the events still to come after today: published,
// registration open, some places taken, a programme; and one draft of the
// demo agency.
func (g *gen) upcomingEvents(ctx context.Context, tx *store.Q) (int, error) {
	g.rng = rand.New(rand.NewPCG(320, 0))
	today := domain.DateOf(g.today)
	refs, err := tx.PublishedAchievementRefs(ctx, addDays(today, -400), today)
	if err != nil {
		return 0, err
	}
	byChain := map[string][]*domain.Achievement{}
	for _, a := range refs {
		byChain[a.ChainCode] = append(byChain[a.ChainCode], a)
	}
	var evs []*demoEvent
	for i := 0; i < 9; i++ {
		day := addDays(today, 2+i*5+g.rng.IntN(4))
		ev := g.newEvent(day, nil)
		if i == 0 {
			ev.x.OrganiserOrgID, ev.orgName = g.byName[OrgAgency].id, OrgAgency // the demo agency's own
		}
		ev.x.Capacity = 40 + 10*g.rng.IntN(8)
		ev.regs = g.enterprisesFor(g.rng.IntN(ev.x.Capacity * 2 / 3))
		if i == 1 { // full: the enterprise sees no place left
			ev.x.Capacity, ev.regs = 30, g.enterprisesFor(30)
		}
		ev.pitches = g.pitchesFor(refs, byChain, &domain.TechEvent{Date: addDays(today, 1), ChainCode: ev.x.ChainCode}, 2+g.rng.IntN(5))
		created := addDays(today, -(5 + g.rng.IntN(20)))
		ev.steps = []demoStep{{g.eventAt(created, 9), "create", domain.TechEventDraft, domain.TechEventDraft, ""},
			{g.eventAt(addDays(created, 1), 10), "publish", domain.TechEventDraft, domain.TechEventPublished, ""}}
		ev.x.Status = domain.TechEventPublished
		evs = append(evs, ev)
	}
	draft := g.newEvent(addDays(today, 50), nil)
	draft.x.OrganiserOrgID, draft.orgName, draft.x.Capacity = g.byName[OrgAgency].id, OrgAgency, 60
	draft.steps = []demoStep{{g.eventAt(addDays(today, -1), 16), "create", domain.TechEventDraft, domain.TechEventDraft, ""}}
	evs = append(evs, draft)
	return len(evs) - 1, g.writeEvents(ctx, tx, evs)
}

// writeEvents inserts the events one by one (their ids are needed), then
// their rows in bulk, then the history of every event in time order with
// its audit rows.
func (g *gen) writeEvents(ctx context.Context, tx *store.Q, evs []*demoEvent) error {
	var regs, pitches, intents, services [][]any
	type hist struct {
		ev *demoEvent
		s  demoStep
	}
	var steps []hist
	for _, ev := range evs {
		x := ev.x
		if err := x.Validate(nil); err != nil {
			return fmt.Errorf("演示活动“%s”无效：%w", x.Title, err)
		}
		x.Version = int64(len(ev.steps))
		x.CreatedAt, x.UpdatedAt = ev.steps[0].at, ev.steps[len(ev.steps)-1].at
		if err := tx.InsertTechEventAt(ctx, x); err != nil {
			return err
		}
		published := ev.steps[min(1, len(ev.steps)-1)].at
		// Registrations come in between publication and the event's eve (or
		// now, for one to come), in order.
		until, _ := time.ParseInLocation(time.DateOnly, x.Date, domain.ChinaTZ)
		until = until.Add(-time.Hour)
		if now := g.today.Add(-time.Hour); until.After(now) {
			until = now
		}
		gap := until.Sub(published) / time.Duration(len(ev.regs)+1)
		for i, o := range ev.regs {
			at := published.Add(gap*time.Duration(i+1) + time.Duration(g.rng.Int64N(int64(gap/2+1))))
			regs = append(regs, []any{x.ID, o.id, g.personName(), fmt.Sprintf("024-%08d", 20000000+g.rng.IntN(70000000)), int64(0), at})
		}
		for _, a := range ev.pitches {
			pitches = append(pitches, []any{x.ID, a.ID, published.Add(time.Duration(1+g.rng.IntN(48)) * time.Hour)})
		}
		if x.Status == domain.TechEventHeld || x.Status == domain.TechEventClosed {
			heldAt := ev.steps[2].at
			for _, o := range ev.regs[:ev.served] {
				kind := domain.ServiceKinds.Codes()[g.pick([]int{50, 20, 10, 10, 7, 3})]
				notes := serviceNotes[kind]
				services = append(services, []any{x.ID, o.id, kind, notes[g.rng.IntN(len(notes))], int64(0), heldAt.Add(time.Duration(g.rng.IntN(120)) * time.Minute)})
			}
			for _, it := range ev.intents {
				at := g.eventAt(it.day, 16)
				if at.Before(heldAt) {
					at = heldAt.Add(time.Minute)
				}
				intents = append(intents, []any{x.ID, it.ach.ID, it.ent.id, it.ach.OwnerOrgID, it.day, it.mode, "", int64(0), at})
			}
		}
		for _, s := range ev.steps {
			steps = append(steps, hist{ev, s})
		}
	}
	for _, b := range []struct {
		table string
		cols  []string
		rows  [][]any
	}{
		{"event_registrations", []string{"event_id", "org_id", "contact", "phone", "user_id", "created_at"}, regs},
		{"event_pitches", []string{"event_id", "achievement_id", "created_at"}, pitches},
		{"event_services", []string{"event_id", "org_id", "kind", "note", "recorded_by", "created_at"}, services},
		{"event_intentions", []string{"event_id", "achievement_id", "enterprise_org_id", "owner_org_id", "signed_on", "mode", "note", "recorded_by", "created_at"}, intents},
	} {
		if err := tx.BulkEventRows(ctx, b.table, b.cols, b.rows); err != nil {
			return err
		}
	}
	sort.SliceStable(steps, func(i, j int) bool { return steps[i].s.at.Before(steps[j].s.at) })
	hs := make([]*domain.Event, len(steps))
	for i, h := range steps {
		hs[i] = &domain.Event{Entity: "event", EntityID: h.ev.x.ID, At: h.s.at, ActorName: h.ev.orgName, Action: h.s.action,
			From: string(h.s.from), To: string(h.s.to), Comment: h.s.comment}
	}
	return tx.BulkHistory(ctx, hs, func(i int) (before, after any) {
		h := steps[i]
		if h.s.action == "create" {
			return nil, map[string]any{"status": h.s.to, "title": h.ev.x.Title, "date": h.ev.x.Date, "organiser_org_id": h.ev.x.OrganiserOrgID}
		}
		return map[string]any{"status": h.s.from}, map[string]any{"status": h.s.to}
	})
}
