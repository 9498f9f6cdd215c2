package rules

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// copyEmbedded writes the built-in rule files into a directory, as a
// bureau starts its own copy.
func copyEmbedded(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	err := fs.WalkDir(Embedded(), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(Embedded(), p)
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dir, p), b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

func brokerAmount(t *testing.T, l *Library) int64 {
	t.Helper()
	fs, err := ParseJSON([]byte(`{"name":"经纪机构","uscc":"91210100MA0POLI001","registered_on":"2015-01-01","assessed_on":"2023-09-30","brokered_contracts":3}`))
	if err != nil {
		t.Fatal(err)
	}
	r, err := NewAssessor(l.Set("sy_broker_reward")).Assess(&fs[0])
	if err != nil {
		t.Fatal(err)
	}
	if r.AmountFen == nil {
		t.Fatalf("no amount: %+v", r)
	}
	return *r.AmountFen
}

// TestLibraryRereadsAnEditedRuleFile: the bureau changes an amount in its
// copy of a rule file and the next assessment uses it, without a restart;
// a broken edit keeps the rules in force and says why.
func TestLibraryRereadsAnEditedRuleFile(t *testing.T) {
	dir := copyEmbedded(t)
	clock := time.Date(2026, 12, 2, 9, 0, 0, 0, time.UTC)
	l, err := NewLibrary(dir)
	if err != nil {
		t.Fatal(err)
	}
	// The fake clock starts where the library last looked: NewLibrary took
	// the real time, and a fake clock behind it would never reach a reread.
	l.now, l.checked = func() time.Time { return clock }, clock
	if got := brokerAmount(t, l); got != 3*1000000 {
		t.Fatalf("3 contracts at the shipped 1万: %d fen", got)
	}
	hash := l.Current().Hashes["sy_broker_reward"]
	if st := l.Status(); st.LoadError != "" || len(st.CaseFailures) != 0 {
		t.Fatalf("the shipped copy: %+v", st)
	}

	path := filepath.Join(dir, "sy_broker_reward.json")
	b, _ := os.ReadFile(path)
	edited := strings.Replace(string(b), `"per_contract_fen": 1000000`, `"per_contract_fen": 1500000`, 1)
	if edited == string(b) {
		t.Fatal("the amount to edit is not in the file")
	}
	if err := os.WriteFile(path, []byte(edited), 0o644); err != nil {
		t.Fatal(err)
	}
	os.Chtimes(path, clock, clock.Add(time.Minute)) // a filesystem with coarse times still sees the edit
	if got := brokerAmount(t, l); got != 3*1000000 {
		t.Fatalf("reread before a second has passed: %d", got)
	}
	clock = clock.Add(2 * time.Second)
	if got := brokerAmount(t, l); got != 3*1500000 {
		t.Fatalf("after the edit: %d fen, want 3 × 1.5万", got)
	}
	if l.Current().Hashes["sy_broker_reward"] == hash {
		t.Error("the edited file kept its hash")
	}
	// The shipped cases expected 1万 a contract: reported, the edit stands.
	if st := l.Status(); len(st.CaseFailures) == 0 || st.CaseFailures[0].RuleSet != "sy_broker_reward" {
		t.Errorf("case failures after the edit: %+v", st.CaseFailures)
	}

	// A broken file: the sets in force stay, the error is reported.
	if err := os.WriteFile(path, []byte(`{"id": "sy_broker_reward", `), 0o644); err != nil {
		t.Fatal(err)
	}
	os.Chtimes(path, clock, clock.Add(2*time.Minute))
	clock = clock.Add(2 * time.Second)
	if got := brokerAmount(t, l); got != 3*1500000 {
		t.Fatalf("after a broken edit: %d, want the last good rules", got)
	}
	if st := l.Status(); !strings.Contains(st.LoadError, "sy_broker_reward.json") {
		t.Errorf("the broken file is not reported: %+v", st)
	}
}

func TestLibraryRefusesAMissingDirectory(t *testing.T) {
	if _, err := NewLibrary(filepath.Join(t.TempDir(), "none")); err == nil || !strings.Contains(err.Error(), "KECHUANG_RULES_DIR") {
		t.Fatalf("missing directory: %v", err)
	}
	l, err := NewLibrary("")
	if err != nil || l.Set("sme") == nil || len(l.Current().IDs()) < 5 {
		t.Fatalf("embedded: %v", err)
	}
}

// TestAnniversaryAndFutureContracts: a period of years from 29 February
// ends on 28 February of a common year (民法典 第二百零二条), and a
// contract signed after the assessment date is refused, naming it, instead
// of counting as signed 0 years ago.
func TestAnniversaryAndFutureContracts(t *testing.T) {
	day := func(s string) time.Time { d, _ := time.Parse(time.DateOnly, s); return d }
	for _, c := range []struct {
		from, to string
		want     int
	}{
		{"2012-02-29", "2022-02-28", 10}, {"2012-02-29", "2022-03-01", 11},
		{"2012-02-29", "2016-02-29", 4}, {"2012-02-29", "2016-03-01", 5},
		{"2015-06-30", "2025-06-30", 10}, {"2015-06-30", "2025-07-01", 11},
	} {
		if got := yearsAfter(day(c.from), day(c.to)); got != c.want {
			t.Errorf("yearsAfter(%s, %s) = %d, want %d", c.from, c.to, got, c.want)
		}
	}
	_, err := ParseJSON([]byte(`{"name":"样例","uscc":"91210100MA0POLI001","registered_on":"2015-01-01","assessed_on":"2023-09-30",
		"contracts":[{"price_fen":100,"received_fen":100,"signed_on":"2023-09-30","seller_kind":"university","kind":"transfer"},
		             {"price_fen":100,"received_fen":100,"signed_on":"2023-10-01","seller_kind":"university","kind":"transfer"}]}`))
	var ie *InputError
	if !errors.As(err, &ie) || ie.Field != "contracts[1].signed_on" {
		t.Fatalf("a contract signed the day after the assessment: %v", err)
	}
}
