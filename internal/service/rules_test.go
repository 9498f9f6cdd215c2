package service_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"kechuang/internal/rules"
)

// TestBureauEditsARuleFile: the bureau raises the 科技型中小企业 pass mark in
// its copy of the rule files (KECHUANG_RULES_DIR) and the next batch run of
// the year uses it — no rebuild, no restart — and the stateless
// assessments read the same library.
func TestBureauEditsARuleFile(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		tierFirms(t, w)
		dir := t.TempDir()
		err := fs.WalkDir(rules.Embedded(), ".", func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return err
			}
			b, err := fs.ReadFile(rules.Embedded(), p)
			if err != nil {
				return err
			}
			return os.WriteFile(filepath.Join(dir, p), b, 0o644)
		})
		if err != nil {
			t.Fatal(err)
		}
		if err := w.svc.UseRules(dir); err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.EnterpriseAssess.Run(t.Context(), w.bureau, 2022); err != nil {
			t.Fatal(err)
		}
		checkStats(t, w, 2022, tierWant{3, 3, 1, 3})

		path := filepath.Join(dir, "sme.json")
		b, _ := os.ReadFile(path)
		edited := strings.ReplaceAll(string(b), `"pass_mark": 60,`, `"pass_mark": 101,`)
		if edited == string(b) {
			t.Fatal("no pass mark to edit in sme.json")
		}
		if err := os.WriteFile(path, []byte(edited), 0o644); err != nil {
			t.Fatal(err)
		}
		later := time.Now().Add(time.Hour) // a filesystem with coarse times still sees the edit
		os.Chtimes(path, later, later)
		time.Sleep(1100 * time.Millisecond) // the library looks at the directory at most once a second
		if _, err := w.svc.EnterpriseAssess.Run(t.Context(), w.bureau, 2022); err != nil {
			t.Fatal(err)
		}
		// Only the firm that is 高企 stays a tech enterprise.
		checkStats(t, w, 2022, tierWant{1, 1, 1, 1})
		st, err := w.svc.RulesStatus()
		if err != nil || st.Dir != dir || len(st.CaseFailures) == 0 {
			t.Errorf("status after the edit (its cases expect the pass mark of 60): %+v %v", st, err)
		}
		sets, err := w.svc.Assessments.Sets()
		if err != nil || !strings.Contains(sets["sme"].Path, "sme.json") {
			t.Fatalf("stateless sets: %v", err)
		}
		if got := sets["sme"].Versions[0].PassMark; got != 101 {
			t.Errorf("the stateless assessments read pass mark %d", got)
		}
	})
}
