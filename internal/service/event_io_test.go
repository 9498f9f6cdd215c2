package service_test

import (
	"bytes"
	"context"
	"io"
	"reflect"
	"strings"
	"testing"

	"kechuang/internal/domain"
	"kechuang/internal/sheetio"
)

// eventFields are what an event's file row holds.
func eventFields(x *domain.TechEvent) domain.TechEvent {
	return domain.TechEvent{Kind: x.Kind, Title: x.Title, Date: x.Date, Place: x.Place, ChainCode: x.ChainCode,
		Capacity: x.Capacity, Description: x.Description}
}

func (w *world) eventCount(t *testing.T, a *domain.Actor) int {
	t.Helper()
	_, n, err := w.svc.Events.List(context.Background(), a, domain.TechEventFilter{}, false)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func (w *world) exportEvents(t *testing.T, a *domain.Actor, f domain.TechEventFilter, format sheetio.Format) []byte {
	t.Helper()
	var b bytes.Buffer
	if _, err := w.svc.Events.Export(context.Background(), a, f, false, format, &b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestEventImportRoundTrip: the organiser's export imported again creates
// the same events (every field of the row, a multi-line description and
// an event of every chain included), in both formats, as drafts with the
// import's history step, and one audit row an import.
func TestEventImportRoundTrip(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		svc := w.svc.Events
		in := w.eventInput()
		in.Description = "第一段：高校院所成果路演。\n第二段：企业现场对接。"
		e1, err := svc.Create(ctx, w.agency, in)
		if err != nil {
			t.Fatal(err)
		}
		in = w.eventInput()
		in.Kind, in.Title, in.ChainCode, in.Capacity, in.Description, in.Date = "matchmaking", "集成电路产需对接会", "", 500, "", "2021-11-30"
		e2, err := svc.Create(ctx, w.agency, in)
		if err != nil {
			t.Fatal(err)
		}
		files := map[sheetio.Format][]byte{}
		for _, format := range []sheetio.Format{sheetio.CSV, sheetio.XLSX} {
			files[format] = w.exportEvents(t, w.agency, domain.TechEventFilter{OrganiserID: w.agency.OrgID}, format)
		}
		for _, format := range []sheetio.Format{sheetio.CSV, sheetio.XLSX} {
			rep, err := svc.Import(ctx, w.agency, 0, bytes.NewReader(files[format]), sheetio.ImportOptions{FileName: "x." + string(format)})
			if err != nil || rep.Imported != 2 {
				t.Fatalf("%s: %v %+v", format, err, rep)
			}
			for i, orig := range []*domain.TechEvent{e1, e2} { // the export is by date, the latest first
				got, err := svc.Get(ctx, w.agency, rep.IDs[i])
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(eventFields(got), eventFields(orig)) || got.Status != domain.TechEventDraft ||
					got.OrganiserOrgID != w.agency.OrgID || got.OrganiserName == "" {
					t.Errorf("%s: imported\n %+v\nwant\n %+v", format, got, orig)
				}
			}
			evs, err := svc.Events(ctx, w.agency, rep.IDs[0])
			if err != nil || len(evs) != 1 || evs[0].Action != "create" || evs[0].Comment != "批量导入" {
				t.Errorf("%s: history %+v %v", format, evs, err)
			}
		}
		if acts := w.auditActions(t, "event_import", ""); len(acts) != 2 || acts[0] != "event.import" {
			t.Errorf("import audit rows %v", acts)
		}
	})
}

// TestEventExportScope: the export is the list's: another organiser's
// draft never leaks (not even to the bureau), published events are
// everyone's, and the public may not export.
func TestEventExportScope(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		w.city.TechEvent(func(x *domain.TechEvent) { x.Title = "技术转移机构的草稿活动" }).Insert(t)
		w.city.TechEvent(func(x *domain.TechEvent) { x.Title = "技术转移机构报名中的活动" }).Published().Insert(t)
		w.city.TechEvent(func(x *domain.TechEvent) { x.Title = "科技局的草稿活动" }).Organiser(w.city.Bureau).Insert(t)
		checkExportScope(t, func(a *domain.Actor, out io.Writer) error {
			_, err := w.svc.Events.Export(context.Background(), a, domain.TechEventFilter{}, false, sheetio.CSV, out)
			return err
		}, []exportScope{
			{"agency", w.agency, []string{"技术转移机构的草稿活动", "技术转移机构报名中的活动"}, []string{"科技局的草稿活动"}},
			{"enterprise", w.ent, []string{"技术转移机构报名中的活动"}, []string{"技术转移机构的草稿活动", "科技局的草稿活动"}},
			{"bureau", w.bureau, []string{"科技局的草稿活动", "技术转移机构报名中的活动"}, []string{"技术转移机构的草稿活动"}},
		})
	})
}

// TestEventImportRules: bad rows named, nothing stored, skip_bad, the
// policy (an organiser for itself; an enterprise not at all; the
// administrator as drafts for a named organiser), published on request
// (not an event already past).
func TestEventImportRules(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		svc := w.svc.Events
		tpl, header, good := templateLines(t, svc.Template)
		if !strings.Contains(good, ",2023-12-31,") || !strings.Contains(good, ",30,") {
			t.Fatalf("the template's row %q", good)
		}
		past := strings.Replace(good, "2023-12-31", "2022-03-14", 1)
		file := strings.Join([]string{header, good, strings.Replace(good, ",30,", ",0,", 1), past, strings.Replace(good, ",路演,", ",论坛,", 1)}, "\n")
		before := w.eventCount(t, w.agency)
		rep, err := svc.Import(ctx, w.agency, 0, strings.NewReader(file), sheetio.ImportOptions{FileName: "e.csv"})
		if err == nil || !rep.Failed || rep.BadRows != 2 || rep.Errors[0].Row != 3 || rep.Errors[0].Field != "报名名额" ||
			rep.Errors[1].Row != 5 || rep.Errors[1].Field != "活动类型" {
			t.Fatalf("%v %+v", err, rep)
		}
		if w.eventCount(t, w.agency) != before {
			t.Error("a failed import stored events")
		}
		if rep, err = svc.Import(ctx, w.agency, 0, strings.NewReader(file), sheetio.ImportOptions{FileName: "e.csv", SkipBad: true}); err != nil || rep.Imported != 2 {
			t.Fatalf("skip bad: %v %+v", err, rep)
		}
		if w.eventCount(t, w.agency) != before+2 {
			t.Error("skip bad did not store the good rows")
		}
		// Published on import: an event already past is the row's problem.
		rep, err = svc.Import(ctx, w.agency, 0, strings.NewReader(header+"\n"+good+"\n"+past), sheetio.ImportOptions{FileName: "e.csv", Submit: true})
		if err == nil || rep.BadRows != 1 || rep.Errors[0].Row != 3 || rep.Errors[0].Field != "活动日期" {
			t.Fatalf("publish a past event: %v %+v", err, rep)
		}
		if rep, err = svc.Import(ctx, w.agency, 0, bytes.NewReader(tpl), sheetio.ImportOptions{FileName: "e.csv", Submit: true}); err != nil {
			t.Fatal(err)
		}
		x, err := svc.Get(ctx, nil, rep.IDs[0])
		if err != nil || x.Status != domain.TechEventPublished {
			t.Fatalf("%+v %v", x, err)
		}
		evs, err := svc.Events(ctx, w.agency, x.ID)
		if err != nil || len(evs) != 2 || evs[1].Action != "publish" || evs[1].Comment != "批量导入" {
			t.Errorf("history %+v %v", evs, err)
		}
		admin := w.city.Actor("admin")
		checkImportPolicy(t, tpl, svc.Import, []importCase{
			{"Enterprise", w.ent, 0, false, domain.EFORBIDDEN},
			{"AgencyForOther", w.agency, w.city.Univ.ID, false, domain.EFORBIDDEN},
			{"AdminForEnterprise", admin, w.city.Ent.ID, false, domain.EINVALID},
			{"AdminForUnivPublished", admin, w.city.Univ.ID, true, domain.EINVALID},
			{"AdminForUniv", admin, w.city.Univ.ID, false, ""},
			{"University", w.univ, 0, false, ""},
		})
		drafts, _, err := svc.List(ctx, w.univ, domain.TechEventFilter{OrganiserID: w.univ.OrgID, Status: domain.TechEventDraft}, false)
		if err != nil || len(drafts) != 2 {
			t.Errorf("the university's drafts after its and the admin's import: %d %v", len(drafts), err)
		}
	})
}
