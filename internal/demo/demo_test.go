package demo_test

import (
	"context"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"kechuang/internal/demo"
	"kechuang/internal/domain"
	"kechuang/internal/gb2260"
	"kechuang/internal/service"
	"kechuang/internal/store"
	"kechuang/internal/testutil"
)

// loadOn returns the demo city loaded on today (10:00 in China) into
// database db ("sqlite" or "postgres"), a service on it with its clock at
// the load's time, and that time. The city is loaded once per test binary
// for each database and day (testutil.Shared): the tests that take it only
// read it. The load of sharedDay is shared with the other test binaries
// of the module (testutil.SharedAcross: the web package's statistics test
// loads that day the same way); the other days, which only this package
// loads, are not kept in the machine's fixture cache (each is a large
// database).
func loadOn(t *testing.T, db, today string) (testutil.NamedStore, *service.Service, time.Time) {
	t.Helper()
	at := loadTime(t, today)
	fill := func(st *store.Store) error { return load(st, at) }
	var st *store.Store
	if today == sharedDay {
		st = testutil.SharedAcross(t, db, testutil.DemoAt(today), fill)
	} else {
		st = testutil.Shared(t, db, "demo "+today, fill)
	}
	return testutil.NamedStore{Name: db, Store: st}, service.New(st, testutil.Log()).WithClock(domain.NewManualClock(at)), at
}

// sharedDay is the demo day the web package's tests load too.
const sharedDay = "2026-12-01"

// loadTime is 10:00 in China on today.
func loadTime(t *testing.T, today string) time.Time {
	t.Helper()
	at, err := time.ParseInLocation(time.DateOnly, today, domain.ChinaTZ)
	if err != nil {
		t.Fatal(err)
	}
	return at.Add(10 * time.Hour)
}

// load loads the demo city into st on at, with the service's clock at that
// time, and checks it gives the demo accounts.
func load(st *store.Store, at time.Time) error {
	svc := service.New(st, testutil.Log()).WithClock(domain.NewManualClock(at))
	logins, err := demo.Load(context.Background(), svc, at, nil)
	if err != nil {
		return err
	}
	if len(logins) != 8 {
		return fmt.Errorf("logins = %d", len(logins))
	}
	return nil
}

func TestMain(m *testing.M) { os.Exit(testutil.Main(m)) }

// checkPublished checks that the statistics computed from the records give
// the seed's figures: 2022 (to 22 December) 8416 contracts, 394.28亿元,
// +20.54%; 2021 327.09亿元.
func checkPublished(t *testing.T, svc *service.Service) {
	t.Helper()
	st, err := svc.Contracts.Stats(context.Background(), 2022)
	if err != nil {
		t.Fatal(err)
	}
	if st.Count != 8416 || domain.FormatYi(st.TurnoverFen) != "394.28亿元" || st.TurnoverYoYPct == nil || string(*st.TurnoverYoYPct) != "20.54" {
		t.Fatalf("2022: count %d, turnover %s, yoy %v", st.Count, domain.FormatYi(st.TurnoverFen), st.TurnoverYoYPct)
	}
	if st.AsOf != "2022-12-22" {
		t.Errorf("as of %s", st.AsOf)
	}
	if domain.FormatYi(st.Prev.TurnoverFen) != "327.09亿元" || st.Prev.Count != 7496 {
		t.Errorf("2021: %d contracts, turnover %s", st.Prev.Count, domain.FormatYi(st.Prev.TurnoverFen))
	}
	if st.TechTransactionFen >= st.TurnoverFen || st.TechTransactionFen < st.TurnoverFen*8/10 {
		t.Errorf("tech transaction %d vs turnover %d", st.TechTransactionFen, st.TurnoverFen)
	}
	if len(st.ByCategory) != 5 || len(st.ByOutputDistrict) < 10 || st.Absorb.Count == 0 || st.Local.Count == 0 {
		t.Errorf("breakdowns: %d categories, %d districts, absorb %d", len(st.ByCategory), len(st.ByOutputDistrict), st.Absorb.Count)
	}
}

// checkAchievements checks the catalogue of a finished load: 2022 gives the
// seed's 2415 achievements published, counted from the records; 2021 and
// every full later year the plan; the public catalogue lists them; the
// units' and the bureau's work in progress is there; every demo record
// passes the achievement rules.
func checkAchievements(t *testing.T, svc *service.Service, today string) {
	t.Helper()
	ctx := context.Background()
	y0, _ := strconv.Atoi(today[:4])
	total := 0
	for y := 2021; y <= y0; y++ {
		n, err := svc.Achievements.PublishedIn(ctx, y)
		if err != nil {
			t.Fatal(err)
		}
		want := map[int]int{2021: 1820, 2022: 2415}[y]
		if want == 0 {
			want = 1880
		}
		if y < y0 && n != want || y == y0 && (n == 0 || n > want) {
			t.Errorf("%d: %d achievements published, want %d", y, n, want)
		}
		total += n
	}
	pub, n, err := svc.Achievements.List(ctx, nil, domain.AchievementFilter{PerPage: 200})
	if err != nil || n != min(total, domain.ListCountCap+1) || len(pub) != 200 { // lists count up to the cap
		t.Fatalf("public catalogue: %d listed of %d, want %d (%v)", len(pub), n, total, err)
	}
	for _, x := range pub {
		if err := x.Validate(nil, domain.DefaultAchievementRules()); err != nil {
			t.Errorf("demo achievement %d %q: %v", x.ID, x.Title, err)
		}
	}
	bureau, err := svc.Admin.UserByUsername(ctx, domain.SystemActor(), "bureau")
	if err != nil {
		t.Fatal(err)
	}
	waiting, n, err := svc.Achievements.List(ctx, service.ActorOf(bureau), domain.AchievementFilter{Status: domain.AchievementSubmitted})
	if err != nil || n == 0 || len(waiting) == 0 {
		t.Errorf("the bureau has no achievements awaiting its check (%d, %v)", n, err)
	}
}

// checkDays checks the years present for a load on today: 2021 to today's
// year, each ending on its last registration day, the current one
// yesterday; nothing registered after yesterday; every year after the
// published ones with its own target; 2023 near its 500亿元 target and each
// later full year growing a few per cent to 15%.
func checkDays(t *testing.T, db testutil.NamedStore, svc *service.Service, today string) {
	t.Helper()
	ctx := context.Background()
	y0, _ := strconv.Atoi(today[:4])
	yesterday := mustDate(t, today).AddDate(0, 0, -1).Format(time.DateOnly)
	years, err := db.Store.RegisteredYears(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(years) != fmt.Sprint(span(2021, y0)) {
		t.Fatalf("registered years %v, want 2021–%d", years, y0)
	}
	var prev int64
	for _, y := range years {
		last, err := db.Store.LatestRegisteredOn(ctx, y)
		if err != nil {
			t.Fatal(err)
		}
		want := map[int]string{2022: "2022-12-22"}[y]
		switch {
		case y == y0:
			want = yesterday
		case want == "":
			want = fmt.Sprintf("%d-12-31", y)
		}
		if last != want {
			t.Errorf("%d: last registration %s, want %s", y, last, want)
		}
		st, err := svc.Contracts.Stats(ctx, y)
		if err != nil {
			t.Fatal(err)
		}
		if y >= 2023 && (st.Target == nil || st.Target.Year != y) {
			t.Errorf("%d: target %+v, want its own", y, st.Target)
		}
		if y == 2023 && (st.TurnoverFen < 485_0000_0000_00 || st.TurnoverFen > 505_0000_0000_00) {
			t.Errorf("2023 turnover %s, want 485–505亿元", domain.FormatYi(st.TurnoverFen))
		}
		if y >= 2024 && y < y0 && (st.TurnoverFen < prev*102/100 || st.TurnoverFen > prev*116/100) {
			t.Errorf("%d turnover %s after %s: not a believable growth", y, domain.FormatYi(st.TurnoverFen), domain.FormatYi(prev))
		}
		prev = st.TurnoverFen
	}
	if last, err := db.Store.LatestRegisteredOn(ctx, y0+1); err != nil || last != "" {
		t.Errorf("next year: last registration %q %v", last, err)
	}
}

// sameHistory checks that contract id's audit rows are its timeline's
// steps: the same actions at the same times, in order, and returns them.
func sameHistory(t *testing.T, db testutil.NamedStore, id int64) []*domain.Event {
	t.Helper()
	ctx := context.Background()
	evs, err := db.Store.Events(ctx, "contract", id)
	if err != nil {
		t.Fatal(err)
	}
	rows, _, err := db.Store.FindAudit(ctx, domain.AuditFilter{Entity: "contract", EntityID: strconv.FormatInt(id, 10), Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if len(evs) == 0 || len(evs) != len(rows) {
		t.Fatalf("contract %d: %d history steps, %d audit rows", id, len(evs), len(rows))
	}
	for i, ev := range evs {
		a := rows[len(rows)-1-i] // FindAudit is newest first
		if !ev.At.Equal(a.At) || "contract."+ev.Action != a.Action || ev.ActorName != a.ActorName {
			t.Errorf("contract %d step %d: history %s by %s at %s, audit %s by %s at %s", id, i, ev.Action, ev.ActorName, ev.At, a.Action, a.ActorName, a.At)
		}
	}
	return evs
}

// checkHistory checks one clock stamped everything. The in-progress
// filings and all their history lie in the weeks before today (none after
// yesterday, none older than 70 days); the registered contracts of every
// year (a sample of each) carry a history whose register step falls on the
// registration day; every audit row of a demo contract has the time of
// its timeline step; no row but demo.load carries the load's time.
func checkHistory(t *testing.T, db testutil.NamedStore, today string, loadAt time.Time) {
	t.Helper()
	ctx := context.Background()
	midnight, _ := time.ParseInLocation(time.DateOnly, today, domain.ChinaTZ)
	oldest := midnight.AddDate(0, 0, -70)
	cs, _, err := db.Store.FindContracts(ctx, domain.ContractFilter{Scope: domain.ContractScope{All: true},
		Statuses: []domain.ContractStatus{domain.ContractDraft, domain.ContractSubmitted, domain.ContractAccepted, domain.ContractReturned, domain.ContractRefused, domain.ContractRejected}, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) < 12 {
		t.Fatalf("%d in-progress filings", len(cs))
	}
	for _, c := range cs {
		for _, d := range []string{c.SignedOn, c.AcceptedOn, domain.DateOf(c.CreatedAt), domain.DateOf(c.UpdatedAt)} {
			if d != "" && (d >= today || d < oldest.AddDate(0, 0, -10).Format(time.DateOnly)) {
				t.Errorf("filing %q dated %s (today %s)", c.Title, d, today)
			}
		}
		for _, ev := range sameHistory(t, db, c.ID) {
			if !ev.At.Before(midnight) || ev.At.Before(oldest) {
				t.Errorf("filing %q: %s at %s, not in the weeks before %s", c.Title, ev.Action, ev.At.In(domain.ChinaTZ), today)
			}
		}
	}
	years, err := db.Store.RegisteredYears(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, y := range years {
		ids, err := db.Store.RegisteredIDs(ctx, y)
		if err != nil {
			t.Fatal(err)
		}
		sample := make([]int64, 0, len(ids))
		for _, id := range ids {
			sample = append(sample, id)
		}
		slices.Sort(sample)
		for i := 0; i < len(sample); i += len(sample)/11 + 1 { // a dozen, spread over the year
			id := sample[i]
			c, err := db.Store.FindContractByID(ctx, id)
			if err != nil {
				t.Fatal(err)
			}
			evs := sameHistory(t, db, id)
			last := evs[len(evs)-1]
			if last.Action != "register" || domain.DateOf(last.At) != c.RegisteredOn || !last.At.Before(midnight) || last.At.Before(demo.HistoryStart) {
				t.Errorf("contract %s registered on %s: last step %s at %s", c.RegNo, c.RegisteredOn, last.Action, last.At.In(domain.ChinaTZ))
			}
		}
	}
	entries, total, err := db.Store.FindAudit(ctx, domain.AuditFilter{Limit: 200})
	if err != nil {
		t.Fatal(err)
	}
	if entries[0].Action != "demo.load" || !entries[0].At.Equal(loadAt) {
		t.Errorf("last audit row %s at %s, want demo.load at the load's time %s", entries[0].Action, entries[0].At, loadAt)
	}
	for _, e := range entries[1:] {
		if !e.At.Before(midnight) {
			t.Errorf("audit %d %s at %s: stamped on the load's day", e.Seq, e.Action, e.At.In(domain.ChinaTZ))
		}
	}
	if total < 2*8416 {
		t.Errorf("%d audit rows: the registered contracts have none", total)
	}
}

// TestDemoOnTwoDays loads the demo on 2026-12-01 and on 2024-03-15: the
// years present, the current year ending yesterday, the published figures
// exact, the in-progress filings in the weeks before today, on both
// databases.
func TestDemoOnTwoDays(t *testing.T) {
	for _, today := range []string{"2026-12-01", "2024-03-15"} {
		for _, name := range testutil.Databases(t) {
			t.Run(today+"/"+name, func(t *testing.T) {
				db, svc, at := loadOn(t, name, today)
				checkPublished(t, svc)
				checkAchievements(t, svc, today)
				checkChallenges(t, svc, today)
				// The national table came through its use case.
				ctx := context.Background()
				if ed, _ := svc.Meta.RegionsEdition(ctx); ed != gb2260.EmbeddedVersion {
					t.Errorf("regions edition = %q, want the embedded %s", ed, gb2260.EmbeddedVersion)
				}
				if rs, _ := svc.Meta.Regions(ctx); len(rs) != gb2260.Default().Len() {
					t.Errorf("the demo has %d regions, want the national table's %d", len(rs), gb2260.Default().Len())
				}
				checkDays(t, db, svc, today)
				checkHistory(t, db, today, at)
				rep, err := db.Store.VerifyAudit(context.Background())
				if err != nil || !rep.OK {
					t.Fatalf("audit %+v %v", rep, err)
				}
				if _, err := demo.Load(context.Background(), svc, at, nil); err == nil {
					t.Error("second Load should refuse")
				}
			})
		}
	}
}

// TestDemoRollupEqualsRecords: the statistics come from the records, the
// rollup the load keeps equals a GROUP BY over the contracts.
func TestDemoRollupEqualsRecords(t *testing.T) {
	db, _, _ := loadOn(t, "sqlite", "2026-12-01")
	ctx := context.Background()
	fast, err := db.Store.RollupRows(ctx, span(2021, 2026)...)
	if err != nil {
		t.Fatal(err)
	}
	naive, err := db.Store.RollupRowsNaive(ctx, span(2021, 2026)...)
	if err != nil {
		t.Fatal(err)
	}
	if len(fast) != len(naive) || len(fast) == 0 {
		t.Fatalf("rollup %d cells, naive %d", len(fast), len(naive))
	}
	for i := range fast {
		if fast[i] != naive[i] {
			t.Fatalf("cell %d: rollup %+v naive %+v", i, fast[i], naive[i])
		}
	}
}

// TestDemoSameDaySameRecords: the demo is deterministic, and a year's
// records do not depend on the day of the load (2024 loaded on
// 2026-12-01 and on 2025-06-01 is the same year).
func TestDemoSameDaySameRecords(t *testing.T) {
	ctx := context.Background()
	_, a, _ := loadOn(t, "sqlite", "2026-12-01")
	_, b, _ := loadOn(t, "sqlite", "2025-06-01")
	for _, y := range []int{2023, 2024} {
		sa, _ := a.Contracts.Stats(ctx, y)
		sb, _ := b.Contracts.Stats(ctx, y)
		if sa.Count != sb.Count || sa.TurnoverFen != sb.TurnoverFen || sa.Local != sb.Local || sa.AsOf != sb.AsOf {
			t.Errorf("%d differs: %d/%d contracts, %d/%d fen", y, sa.Count, sb.Count, sa.TurnoverFen, sb.TurnoverFen)
		}
	}
}

// TestDemoSeasons: the December rush and the Spring Festival's dip, in the
// festival's own month (February 2026, January 2025).
func TestDemoSeasons(t *testing.T) {
	_, svc, _ := loadOn(t, "sqlite", "2026-12-01")
	ctx := context.Background()
	for _, c := range []struct{ year, dip, other int }{{2025, 1, 2}, {2026, 2, 1}} {
		st, err := svc.Contracts.Stats(ctx, c.year)
		if err != nil {
			t.Fatal(err)
		}
		m := st.Monthly
		if m[c.dip-1].Count*10 > m[c.other-1].Count*7 {
			t.Errorf("%d: festival month %d has %d contracts, month %d has %d", c.year, c.dip, m[c.dip-1].Count, c.other, m[c.other-1].Count)
		}
		for i := range 11 {
			if c.year == 2025 && m[i].Count >= m[11].Count {
				t.Errorf("2025: month %d (%d) not below December (%d)", i+1, m[i].Count, m[11].Count)
			}
		}
	}
}

// TestDemoRefusesEarlyDay: before the published years are over the demo
// cannot reproduce them, and says so.
func TestDemoRefusesEarlyDay(t *testing.T) {
	db := testutil.NamedStore{Name: "sqlite", Store: testutil.OpenSQLite(t)}
	at := time.Date(2022, 6, 1, 10, 0, 0, 0, domain.ChinaTZ)
	svc := service.New(db.Store, testutil.Log())
	if _, err := demo.Load(context.Background(), svc, at, io.Discard); err == nil || !strings.Contains(err.Error(), demo.MinToday) {
		t.Fatalf("err = %v", err)
	}
}

func span(from, to int) []int {
	var out []int
	for y := from; y <= to; y++ {
		out = append(out, y)
	}
	return out
}

func mustDate(t *testing.T, s string) time.Time {
	t.Helper()
	d, err := domain.ParseDate(s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// TestDemoAfterTheCityFile: on a day past the city file's last assumed
// target (2027) the demo gives the year a target of its own, and the
// years still end where they should.
func TestDemoAfterTheCityFile(t *testing.T) {
	db, svc, _ := loadOn(t, "sqlite", "2028-02-20")
	checkPublished(t, svc)
	checkAchievements(t, svc, "2028-02-20")
	checkDays(t, db, svc, "2028-02-20")
}

// cancelAfter is a progress writer that cancels the load's context once a
// line containing marker is written: the part that wrote it cannot
// commit, as if the process had died there.
type cancelAfter struct {
	marker string
	cancel context.CancelFunc
}

func (c cancelAfter) Write(p []byte) (int, error) {
	if strings.Contains(string(p), c.marker) {
		c.cancel()
	}
	return len(p), nil
}

// summary is what a load leaves, to compare two loads.
func summary(t *testing.T, db testutil.NamedStore, svc *service.Service) string {
	t.Helper()
	ctx := context.Background()
	var b strings.Builder
	for _, y := range span(2021, 2026) {
		st, err := svc.Contracts.Stats(ctx, y)
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&b, "%d:%d/%d/%d/%s ", y, st.Count, st.TurnoverFen, st.Local.TurnoverFen, st.AsOf)
	}
	cs, _, err := db.Store.FindContracts(ctx, domain.ContractFilter{Scope: domain.ContractScope{All: true}, Query: "", Year: 0,
		Statuses: []domain.ContractStatus{domain.ContractDraft, domain.ContractSubmitted, domain.ContractAccepted, domain.ContractReturned, domain.ContractRefused, domain.ContractRejected}, Sort: "id", Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cs {
		fmt.Fprintf(&b, "%s:%s ", c.ContractNo, c.Status)
	}
	_, n, err := db.Store.FindOrgs(ctx, domain.OrgFilter{Limit: 1})
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(&b, "orgs:%d", n)
	xs, n, err := svc.Achievements.List(ctx, domain.SystemActor(), domain.AchievementFilter{Sort: "id", PerPage: 200})
	if err != nil {
		t.Fatal(err)
	}
	fmt.Fprintf(&b, " achievements:%d", n)
	for _, x := range xs[:min(len(xs), 50)] {
		fmt.Fprintf(&b, " %s/%s/%d", x.Title, x.PublishedOn, x.AskingFen)
	}
	return b.String()
}

// TestDemoResumes stops a load twice — while the 2023 contracts are being
// written, then in the middle of the in-progress filings — and checks that
// each stop leaves only complete parts (2023 has nothing, the published
// years are exact) and that the next Load finishes what is missing, ending
// with the same city as a load that never stopped.
func TestDemoResumes(t *testing.T) {
	at := time.Date(2026, 12, 1, 10, 0, 0, 0, domain.ChinaTZ)
	whole, wsvc, _ := loadOn(t, "sqlite", "2026-12-01")
	want := summary(t, whole, wsvc)

	db := testutil.NamedStore{Name: "sqlite", Store: testutil.OpenSQLite(t)}
	svc := service.New(db.Store, testutil.Log()).WithClock(domain.NewManualClock(at))
	ctx, cancel := context.WithCancel(context.Background())
	if _, err := demo.Load(ctx, svc, at, cancelAfter{"2023 年", cancel}); err == nil {
		t.Fatal("the interrupted load reported success")
	}
	bg := context.Background()
	if pending, err := demo.Pending(bg, svc); err != nil || !pending {
		t.Fatalf("pending = %v, %v after an interrupted load", pending, err)
	}
	if years, _ := db.Store.RegisteredYears(bg); fmt.Sprint(years) != "[2021 2022]" {
		t.Fatalf("after the stop: registered years %v, want the complete parts 2021 and 2022", years)
	}
	checkPublished(t, svc)

	stops := 0
	demo.SetInFlightHook(func(n int) error {
		if n == 20 {
			stops++
			return fmt.Errorf("stopped at action %d", n)
		}
		return nil
	})
	_, err := demo.Load(bg, svc, at, nil)
	demo.SetInFlightHook(nil)
	if err == nil || stops != 1 {
		t.Fatalf("the load did not stop in the filings: %v (%d stops)", err, stops)
	}
	if _, err := demo.Load(bg, svc, at, nil); err != nil {
		t.Fatalf("resume: %v", err)
	}
	if got := summary(t, db, svc); got != want {
		t.Errorf("resumed city differs:\n got %s\nwant %s", got, want)
	}
	if pending, _ := demo.Pending(bg, svc); pending {
		t.Error("still pending after the resumed load")
	}
	if _, err := demo.Load(bg, svc, at, nil); err == nil {
		t.Error("a complete demo was loaded again")
	}
	if rep, err := db.Store.VerifyAudit(bg); err != nil || !rep.OK {
		t.Fatalf("audit %+v %v", rep, err)
	}
}
