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

// filerFields is what a filer enters of an achievement (what an export
// carries back into an import).
func filerFields(x *domain.Achievement) domain.Achievement {
	return domain.Achievement{Title: x.Title, Abstract: x.Abstract, Keywords: x.Keywords, Team: x.Team, Discipline: x.Discipline,
		ChainCode: x.ChainCode, TRL: x.TRL, TRLEvidence: x.TRLEvidence, Stage: x.Stage, IP: x.IP, Funding: x.Funding,
		Excluded: x.Excluded, Empowerment: x.Empowerment, Modes: x.Modes, AskingFen: x.AskingFen}
}

func (w *world) achievementCount(t *testing.T, a *domain.Actor) int {
	t.Helper()
	_, n, err := w.svc.Achievements.List(context.Background(), a, domain.AchievementFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func (w *world) exportAchievements(t *testing.T, a *domain.Actor, f domain.AchievementFilter, format sheetio.Format) []byte {
	t.Helper()
	var b bytes.Buffer
	if _, err := w.svc.Achievements.Export(context.Background(), a, f, format, &b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestAchievementImportRoundTrip: the unit's export imported again files
// the same records (as drafts of the importer's unit), on both databases
// and in both formats; the import is audited once and each record has its
// history.
func TestAchievementImportRoundTrip(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		svc := w.svc.Achievements
		in := w.achievementInput()
		in.Empowerment = &domain.Empowerment{Kind: "ownership", TeamPermille: 700, UnitPermille: 300,
			AgreementOn: "2021-06-01", PublicityFrom: "2021-05-06", PublicityTo: "2021-05-20"}
		a1, err := svc.Create(ctx, w.univ, in)
		if err != nil {
			t.Fatal(err)
		}
		in2 := w.achievementInput()
		in2.Title, in2.AskingFen, in2.ChainCode, in2.IP = "工业机器人视觉标定方法", 12_345_67, "", nil
		a2, err := svc.Create(ctx, w.univ, in2)
		if err != nil {
			t.Fatal(err)
		}
		files := map[sheetio.Format][]byte{}
		for _, format := range []sheetio.Format{sheetio.CSV, sheetio.XLSX} {
			files[format] = w.exportAchievements(t, w.univ, domain.AchievementFilter{OwnerID: w.univ.OrgID}, format)
		}
		for _, format := range []sheetio.Format{sheetio.CSV, sheetio.XLSX} {
			file := files[format]
			rep, err := svc.Import(ctx, w.univ, 0, bytes.NewReader(file), sheetio.ImportOptions{FileName: "成果." + string(format)})
			if err != nil {
				t.Fatalf("%s: %v %+v", format, err, rep)
			}
			if rep.Imported != 2 || rep.Rows != 2 || len(rep.IDs) != 2 || rep.Failed || rep.OrgID != w.univ.OrgID {
				t.Fatalf("%s: report %+v", format, rep)
			}
			for i, orig := range []*domain.Achievement{a1, a2} {
				got, err := svc.Get(ctx, w.univ, rep.IDs[i])
				if err != nil {
					t.Fatal(err)
				}
				want := filerFields(orig)
				if !reflect.DeepEqual(filerFields(got), want) || got.Status != domain.AchievementDraft || got.OwnerOrgID != w.univ.OrgID {
					t.Errorf("%s: imported\n %+v\nwant\n %+v", format, filerFields(got), want)
				}
				evs, err := svc.Events(ctx, w.univ, got.ID)
				if err != nil || len(evs) != 1 || evs[0].Action != "create" {
					t.Errorf("history %+v %v", evs, err)
				}
			}
		}
		if acts := w.auditActions(t, "achievement_import", ""); len(acts) != 2 {
			t.Errorf("import audit rows %v", acts)
		}
	})
}

// TestAchievementImportBadRows: every bad row is named and nothing is
// stored, unless skip_bad stores the good ones.
func TestAchievementImportBadRows(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		svc := w.svc.Achievements
		var tpl bytes.Buffer
		if err := svc.Template(ctx, sheetio.CSV, &tpl); err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSpace(tpl.String()), "\r\n")
		good := lines[1]
		file := strings.Join([]string{lines[0], good,
			strings.Replace(good, "500000.00", "-1", 1),
			strings.Replace(good, "ZL202110000001.X", "ZL202110000002.X", 1), // a second good row
			strings.Replace(good, "王明|教授|负责人", "王明|教授", 1),
			strings.Replace(good, ",6,", ",12,", 1),
		}, "\n")
		before := w.achievementCount(t, w.univ)
		rep, err := svc.Import(ctx, w.univ, 0, strings.NewReader(file), sheetio.ImportOptions{FileName: "a.csv"})
		if domain.ErrorCode(err) != domain.EINVALID || rep == nil || !rep.Failed || rep.Imported != 0 || rep.BadRows != 3 {
			t.Fatalf("%v %+v", err, rep)
		}
		rows := map[int]string{}
		for _, e := range rep.Errors {
			rows[e.Row] = e.Field
		}
		if want := map[int]string{3: "意向价格（元）", 5: "完成人", 6: "技术成熟度（TRL）"}; !reflect.DeepEqual(rows, want) {
			t.Errorf("errors %+v", rep.Errors)
		}
		if n := w.achievementCount(t, w.univ); n != before {
			t.Errorf("a failed import stored %d", n-before)
		}
		rep, err = svc.Import(ctx, w.univ, 0, strings.NewReader(file), sheetio.ImportOptions{FileName: "a.csv", SkipBad: true})
		if err != nil || rep.Imported != 2 || rep.Skipped != 3 || len(rep.Errors) != 3 {
			t.Fatalf("skip bad: %v %+v", err, rep)
		}
		if n := w.achievementCount(t, w.univ); n != before+2 {
			t.Errorf("skip bad stored %d, want 2", n-before)
		}
		// A file problem stores nothing even with skip_bad.
		rep, err = svc.Import(ctx, w.univ, 0, strings.NewReader("成果名称,颜色\n甲,红\n"), sheetio.ImportOptions{FileName: "a.csv", SkipBad: true})
		if err == nil || rep == nil || !rep.Failed || len(rep.Errors) == 0 || rep.Errors[0].Row != 1 {
			t.Fatalf("header problems: %v %+v", err, rep)
		}
	})
}

// TestAchievementImportPolicy: a unit imports for itself only; the
// administrator for a named university or institute, as drafts; an
// enterprise may not import achievements; submitted when asked goes
// through the workflow (history, the bureau's queue).
func TestAchievementImportPolicy(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		svc := w.svc.Achievements
		var tpl bytes.Buffer
		if err := svc.Template(ctx, sheetio.CSV, &tpl); err != nil {
			t.Fatal(err)
		}
		file := func() *bytes.Reader { return bytes.NewReader(tpl.Bytes()) }
		opt := sheetio.ImportOptions{FileName: "a.csv"}
		admin := w.city.Actor("admin")
		for _, c := range []struct {
			name  string
			a     *domain.Actor
			org   int64
			opt   sheetio.ImportOptions
			code  string
			owner int64
		}{
			{"UnivForOther", w.univ, w.city.Univ2.ID, opt, domain.EFORBIDDEN, 0},
			{"Enterprise", w.ent, 0, opt, domain.EFORBIDDEN, 0},
			{"Bureau", w.bureau, w.city.Univ.ID, opt, domain.EFORBIDDEN, 0},
			{"Anonymous", nil, 0, opt, domain.EUNAUTHORIZED, 0},
			{"AdminNoOrg", admin, 0, opt, domain.EINVALID, 0},
			{"AdminForEnterprise", admin, w.city.Ent.ID, opt, domain.EINVALID, 0},
			{"AdminSubmitsForOther", admin, w.city.Univ2.ID, sheetio.ImportOptions{FileName: "a.csv", Submit: true}, domain.EINVALID, 0},
			{"AdminForUniv2", admin, w.city.Univ2.ID, opt, "", w.city.Univ2.ID},
			{"UnivOwn", w.univ, w.city.Univ.ID, opt, "", w.city.Univ.ID},
		} {
			t.Run(c.name, func(t *testing.T) {
				rep, err := svc.Import(ctx, c.a, c.org, file(), c.opt)
				if domain.ErrorCode(err) != c.code && !(c.code == "" && err == nil) {
					t.Fatalf("got %v, want %s", err, c.code)
				}
				if c.code != "" {
					return
				}
				x, err := svc.Get(ctx, admin, rep.IDs[0])
				if domain.ErrorCode(err) != domain.ENOTFOUND { // a draft is its unit's alone
					t.Errorf("admin reads the imported draft: %v", err)
				}
				_ = x
				if _, n, _ := svc.List(ctx, &domain.Actor{UserID: 1, Role: domain.RoleTTO, OrgID: c.owner}, domain.AchievementFilter{OwnerID: c.owner, Status: domain.AchievementDraft}); n == 0 {
					t.Errorf("no draft of org %d", c.owner)
				}
			})
		}
		// Submitted on import: through the workflow, in the bureau's queue.
		tpl2 := bytes.Replace(tpl.Bytes(), []byte("ZL202110000001.X"), []byte("ZL202110000009.X"), 1)
		rep, err := svc.Import(ctx, w.univ, 0, bytes.NewReader(tpl2), sheetio.ImportOptions{FileName: "a.csv", Submit: true})
		if err != nil || !rep.Submitted {
			t.Fatalf("%v %+v", err, rep)
		}
		x, err := svc.Get(ctx, w.bureau, rep.IDs[0])
		if err != nil || x.Status != domain.AchievementSubmitted {
			t.Fatalf("bureau reads %+v %v", x, err)
		}
		evs, _ := svc.Events(ctx, w.bureau, x.ID)
		if len(evs) != 2 || evs[1].Action != "submit" || evs[1].To != string(domain.AchievementSubmitted) {
			t.Errorf("history %+v", evs)
		}
	})
}

// TestAchievementExportScope: an export holds what the caller may list,
// with the list's filters.
func TestAchievementExportScope(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		w.city.Achievement().Insert(t)                                                               // the university's draft
		w.city.Achievement(func(x *domain.Achievement) { x.Title = "已发布成果甲" }).Published().Insert(t) // public
		w.city.Achievement(func(x *domain.Achievement) { x.Title = "别校的草稿" }).Owner(w.city.Univ2).Insert(t)
		count := func(a *domain.Actor, f domain.AchievementFilter) int {
			n, err := w.svc.Achievements.Export(context.Background(), a, f, sheetio.CSV, &bytes.Buffer{})
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
		if n := count(w.univ, domain.AchievementFilter{}); n != 2 {
			t.Errorf("the unit exports %d, want its draft and the published one", n)
		}
		if n := count(w.ent, domain.AchievementFilter{}); n != 1 {
			t.Errorf("an enterprise exports %d, want the catalogue's one", n)
		}
		if n := count(w.bureau, domain.AchievementFilter{}); n != 1 {
			t.Errorf("the bureau exports %d, want 1 (no drafts)", n)
		}
		if n := count(w.univ, domain.AchievementFilter{Status: domain.AchievementPublished}); n != 1 {
			t.Errorf("status filter: %d", n)
		}
		if n := count(w.univ, domain.AchievementFilter{Year: 2021}); n != 0 {
			t.Errorf("year filter: %d", n)
		}
		if _, err := w.svc.Achievements.Export(context.Background(), nil, domain.AchievementFilter{}, sheetio.CSV, &bytes.Buffer{}); domain.ErrorCode(err) != domain.EUNAUTHORIZED {
			t.Errorf("anonymous export: %v", err)
		}
	})
}
