package service_test

import (
	"bytes"
	"context"
	"reflect"
	"strings"
	"testing"

	"kechuang/internal/domain"
	"kechuang/internal/sheetio"
)

func posterFields(x *domain.Need) domain.Need {
	return domain.Need{Title: x.Title, Problem: x.Problem, Indicators: x.Indicators, BudgetMinFen: x.BudgetMinFen, BudgetMaxFen: x.BudgetMaxFen,
		Deadline: x.Deadline, ChainCode: x.ChainCode, Keywords: x.Keywords, Stage: x.Stage, Modes: x.Modes,
		ContactName: x.ContactName, ContactPhone: x.ContactPhone}
}

func (w *world) needCount(t *testing.T, a *domain.Actor) int {
	t.Helper()
	_, n, err := w.svc.Needs.List(context.Background(), a, domain.NeedFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestNeedImportRoundTrip: the enterprise's export imported again posts
// the same needs, in both formats, on both databases.
func TestNeedImportRoundTrip(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		svc := w.svc.Needs
		n1, err := svc.Create(ctx, w.ent, w.needInput())
		if err != nil {
			t.Fatal(err)
		}
		in := w.needInput()
		in.Title, in.BudgetMinFen, in.BudgetMaxFen, in.Stage, in.ChainCode, in.Keywords = "芯片封装散热方案", 0, 0, "", "", []string{}
		n2, err := svc.Create(ctx, w.ent, in)
		if err != nil {
			t.Fatal(err)
		}
		files := map[sheetio.Format][]byte{}
		for _, format := range []sheetio.Format{sheetio.CSV, sheetio.XLSX} {
			var b bytes.Buffer
			if _, err := svc.Export(ctx, w.ent, domain.NeedFilter{OwnerID: w.ent.OrgID}, 0, format, &b); err != nil {
				t.Fatal(err)
			}
			files[format] = b.Bytes()
		}
		for _, format := range []sheetio.Format{sheetio.CSV, sheetio.XLSX} {
			rep, err := svc.Import(ctx, w.ent, 0, bytes.NewReader(files[format]), sheetio.ImportOptions{FileName: "x." + string(format)})
			if err != nil || rep.Imported != 2 {
				t.Fatalf("%s: %v %+v", format, err, rep)
			}
			for i, orig := range []*domain.Need{n1, n2} {
				got, err := svc.Get(ctx, w.ent, rep.IDs[i])
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(posterFields(got), posterFields(orig)) || got.Status != domain.NeedDraft || got.OwnerOrgID != w.ent.OrgID {
					t.Errorf("%s: imported\n %+v\nwant\n %+v", format, posterFields(got), posterFields(orig))
				}
			}
		}
		if acts := w.auditActions(t, "need_import", ""); len(acts) != 2 || acts[0] != "need.import" {
			t.Errorf("import audit rows %v", acts)
		}
	})
}

// TestNeedImportRules: bad rows named, nothing stored, skip_bad, and the
// policy (an enterprise for itself only; a university not at all; the
// administrator as drafts for a named enterprise); submitted on request.
func TestNeedImportRules(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		svc := w.svc.Needs
		var tpl bytes.Buffer
		if err := svc.Template(ctx, sheetio.CSV, &tpl); err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSpace(tpl.String()), "\r\n")
		good := lines[1]
		file := strings.Join([]string{lines[0], good, strings.Replace(good, "2023-12-31", "2022-01-01", 1), good, strings.Replace(good, "张伟", "", 1)}, "\n")
		before := w.needCount(t, w.ent)
		rep, err := svc.Import(ctx, w.ent, 0, strings.NewReader(file), sheetio.ImportOptions{FileName: "n.csv"})
		if err == nil || !rep.Failed || rep.BadRows != 2 || rep.Errors[0].Row != 3 || rep.Errors[0].Field != "截止日期" || rep.Errors[1].Row != 5 || rep.Errors[1].Field != "联系人" {
			t.Fatalf("%v %+v", err, rep)
		}
		if w.needCount(t, w.ent) != before {
			t.Error("a failed import stored needs")
		}
		if rep, err = svc.Import(ctx, w.ent, 0, strings.NewReader(file), sheetio.ImportOptions{FileName: "n.csv", SkipBad: true}); err != nil || rep.Imported != 2 {
			t.Fatalf("skip bad: %v %+v", err, rep)
		}
		if w.needCount(t, w.ent) != before+2 {
			t.Error("skip bad did not store the good rows")
		}
		admin := w.city.Actor("admin")
		for _, c := range []struct {
			name string
			a    *domain.Actor
			org  int64
			code string
		}{
			{"EnterpriseForOther", w.ent, w.city.Ent2.ID, domain.EFORBIDDEN},
			{"University", w.univ, 0, domain.EFORBIDDEN},
			{"AdminForUniversity", admin, w.city.Univ.ID, domain.EINVALID},
			{"AdminForEnt2", admin, w.city.Ent2.ID, ""},
		} {
			_, err := svc.Import(ctx, c.a, c.org, bytes.NewReader(tpl.Bytes()), sheetio.ImportOptions{FileName: "n.csv"})
			if domain.ErrorCode(err) != c.code && !(c.code == "" && err == nil) {
				t.Errorf("%s: got %v, want %s", c.name, err, c.code)
			}
		}
		if n := w.needCount(t, w.ent2); n != 1 {
			t.Errorf("enterprise2 sees %d needs after the admin's import, want its draft", n)
		}
		rep, err = svc.Import(ctx, w.ent, 0, bytes.NewReader(tpl.Bytes()), sheetio.ImportOptions{FileName: "n.csv", Submit: true})
		if err != nil {
			t.Fatal(err)
		}
		x, err := svc.Get(ctx, w.bureau, rep.IDs[0])
		if err != nil || x.Status != domain.NeedSubmitted {
			t.Fatalf("%+v %v", x, err)
		}
	})
}
