package service_test

import (
	"bytes"
	"context"
	"io"
	"reflect"
	"strconv"
	"strings"
	"testing"

	"kechuang/internal/domain"
	"kechuang/internal/sheetio"
)

// challengeFields are what a 榜单's file row holds.
func challengeFields(x *domain.Challenge) domain.Challenge {
	return domain.Challenge{Title: x.Title, Problem: x.Problem, Indicators: x.Indicators, Eligibility: x.Eligibility,
		BudgetFen: x.BudgetFen, GovShareFen: x.GovShareFen, Deadline: x.Deadline, ChainCode: x.ChainCode, NeedID: x.NeedID}
}

func (w *world) challengeCount(t *testing.T, a *domain.Actor) int {
	t.Helper()
	_, n, err := w.svc.Challenges.List(context.Background(), a, domain.ChallengeFilter{})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func (w *world) exportChallenges(t *testing.T, a *domain.Actor, f domain.ChallengeFilter, format sheetio.Format) []byte {
	t.Helper()
	var b bytes.Buffer
	if _, err := w.svc.Challenges.Export(context.Background(), a, f, format, &b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestChallengeImportRoundTrip: the enterprise's export imported again
// builds the same 榜单 (every field of the row, a source need and fen
// included), in both formats, as drafts with the import's history step,
// and one audit row an import.
func TestChallengeImportRoundTrip(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		svc := w.svc.Challenges
		need := w.city.Need().Insert(t)
		in := challengeInput(w)
		in.NeedID, in.BudgetFen, in.GovShareFen = need.ID, 3_000_000_01, 999_999_99
		c1, err := svc.Create(ctx, w.ent, in)
		if err != nil {
			t.Fatal(err)
		}
		in = challengeInput(w)
		in.Title, in.GovShareFen, in.ChainCode = "芯片封装散热方案攻关", 0, w.city.City.Chains[1].Code
		in.Indicators = []domain.ChallengeIndicator{{Indicator: "热阻", Target: "≤0.2"}}
		c2, err := svc.Create(ctx, w.ent, in)
		if err != nil {
			t.Fatal(err)
		}
		files := map[sheetio.Format][]byte{}
		for _, format := range []sheetio.Format{sheetio.CSV, sheetio.XLSX} {
			files[format] = w.exportChallenges(t, w.ent, domain.ChallengeFilter{OwnerID: w.ent.OrgID}, format)
		}
		for _, format := range []sheetio.Format{sheetio.CSV, sheetio.XLSX} {
			rep, err := svc.Import(ctx, w.ent, 0, bytes.NewReader(files[format]), sheetio.ImportOptions{FileName: "x." + string(format)})
			if err != nil || rep.Imported != 2 {
				t.Fatalf("%s: %v %+v", format, err, rep)
			}
			for i, orig := range []*domain.Challenge{c1, c2} {
				got, err := svc.Get(ctx, w.ent, rep.IDs[i])
				if err != nil {
					t.Fatal(err)
				}
				if !reflect.DeepEqual(challengeFields(got), challengeFields(orig)) || got.Status != domain.ChallengeDraft ||
					got.OwnerOrgID != w.ent.OrgID || got.Publisher != "enterprise" || got.OwnerName == "" {
					t.Errorf("%s: imported\n %+v\nwant\n %+v", format, got, orig)
				}
			}
			evs, err := svc.Events(ctx, w.ent, rep.IDs[0])
			if err != nil || len(evs) != 1 || evs[0].Action != "create" || evs[0].Comment != "批量导入" {
				t.Errorf("%s: history %+v %v", format, evs, err)
			}
		}
		if acts := w.auditActions(t, "challenge_import", ""); len(acts) != 2 || acts[0] != "challenge.import" {
			t.Errorf("import audit rows %v", acts)
		}
	})
}

// TestChallengeExportScope: the export is the list's: another
// organisation's draft never leaks (not even to the bureau), the public
// board is everyone's, and the public may not export.
func TestChallengeExportScope(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		w.city.Challenge(func(x *domain.Challenge) { x.Title = "企业二的私有草稿榜单" }).Owner(w.city.Ent2).Insert(t)
		w.city.Challenge(func(x *domain.Challenge) { x.Title = "企业二待定榜的榜单" }).Owner(w.city.Ent2).Submitted().Insert(t)
		w.city.Challenge(func(x *domain.Challenge) { x.Title = "企业二已发榜的榜单" }).Owner(w.city.Ent2).Published().Insert(t)
		w.city.Challenge(func(x *domain.Challenge) { x.Title = "本企业的草稿榜单" }).Insert(t)
		checkExportScope(t, func(a *domain.Actor, out io.Writer) error {
			_, err := w.svc.Challenges.Export(context.Background(), a, domain.ChallengeFilter{}, sheetio.CSV, out)
			return err
		}, []exportScope{
			{"enterprise", w.ent, []string{"企业二已发榜的榜单", "本企业的草稿榜单"}, []string{"企业二的私有草稿榜单", "企业二待定榜的榜单"}},
			{"enterprise2", w.ent2, []string{"企业二的私有草稿榜单", "企业二待定榜的榜单", "企业二已发榜的榜单"}, []string{"本企业的草稿榜单"}},
			{"bureau", w.bureau, []string{"企业二待定榜的榜单", "企业二已发榜的榜单"}, []string{"企业二的私有草稿榜单", "本企业的草稿榜单"}},
		})
	})
}

// TestChallengeImportRules: bad rows named, nothing stored, skip_bad, the
// source need's rule, the policy (an enterprise or the bureau for itself;
// a university not at all; the administrator as drafts for a named
// enterprise, never submitted), submitted on request.
func TestChallengeImportRules(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		svc := w.svc.Challenges
		tpl, header, good := templateLines(t, svc.Template)
		if !strings.HasSuffix(good, ",") || !strings.Contains(good, ",2023-12-31,") {
			t.Fatalf("the template's row %q: the need is its last column, the deadline next year's end", good)
		}
		other := w.city.Need().Owner(w.city.Ent2).Published().Insert(t)
		own := w.city.Need().Insert(t)
		file := strings.Join([]string{header, good, strings.Replace(good, "2023-12-31", "2022-01-01", 1), good + strconv.FormatInt(own.ID, 10),
			good + strconv.FormatInt(other.ID, 10), strings.Replace(good, ",3000000.00,", ",0,", 1)}, "\n")
		before := w.challengeCount(t, w.ent)
		rep, err := svc.Import(ctx, w.ent, 0, strings.NewReader(file), sheetio.ImportOptions{FileName: "c.csv"})
		if err == nil || !rep.Failed || rep.BadRows != 3 || rep.Errors[0].Row != 3 || rep.Errors[0].Field != "揭榜截止日期" ||
			rep.Errors[1].Row != 5 || rep.Errors[1].Field != "来源需求编号" || rep.Errors[2].Row != 6 || rep.Errors[2].Field != "榜额（元）" {
			t.Fatalf("%v %+v", err, rep)
		}
		if w.challengeCount(t, w.ent) != before {
			t.Error("a failed import stored 榜单")
		}
		if rep, err = svc.Import(ctx, w.ent, 0, strings.NewReader(file), sheetio.ImportOptions{FileName: "c.csv", SkipBad: true}); err != nil || rep.Imported != 2 || rep.Skipped != 3 {
			t.Fatalf("skip bad: %v %+v", err, rep)
		}
		if w.challengeCount(t, w.ent) != before+2 {
			t.Error("skip bad did not store the good rows")
		}
		if x, err := svc.Get(ctx, w.ent, rep.IDs[1]); err != nil || x.NeedID != own.ID {
			t.Errorf("the source need: %+v %v", x, err)
		}
		admin := w.city.Actor("admin")
		checkImportPolicy(t, tpl, svc.Import, []importCase{
			{"EnterpriseForOther", w.ent, w.city.Ent2.ID, false, domain.EFORBIDDEN},
			{"University", w.univ, 0, false, domain.EFORBIDDEN},
			{"Agency", w.agency, 0, false, domain.EFORBIDDEN},
			{"AdminForUniversity", admin, w.city.Univ.ID, false, domain.EINVALID},
			{"AdminForEnt2Submitted", admin, w.city.Ent2.ID, true, domain.EINVALID},
			{"AdminSubmitted", admin, 0, true, domain.EINVALID}, // the administrator does not 建榜
			{"AdminForEnt2", admin, w.city.Ent2.ID, false, ""},
			{"Bureau", w.bureau, 0, false, ""},
		})
		if n := w.challengeCount(t, w.ent2); n != 1 {
			t.Errorf("enterprise2 sees %d 榜单 after the admin's import, want its draft", n)
		}
		mine, _, err := svc.List(ctx, w.bureau, domain.ChallengeFilter{Mine: true})
		if err != nil || len(mine) != 1 || mine[0].Publisher != "bureau" || mine[0].Status != domain.ChallengeDraft {
			t.Fatalf("the bureau's import: %+v %v", mine, err)
		}
		rep, err = svc.Import(ctx, w.ent, 0, bytes.NewReader(tpl), sheetio.ImportOptions{FileName: "c.csv", Submit: true})
		if err != nil {
			t.Fatal(err)
		}
		x, err := svc.Get(ctx, w.bureau, rep.IDs[0])
		if err != nil || x.Status != domain.ChallengeSubmitted {
			t.Fatalf("%+v %v", x, err)
		}
		evs, err := svc.Events(ctx, w.ent, x.ID)
		if err != nil || len(evs) != 2 || evs[1].Action != "submit" || evs[1].Comment != "批量导入" {
			t.Errorf("history %+v %v", evs, err)
		}
	})
}
