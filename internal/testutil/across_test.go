package testutil_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"kechuang/internal/store"
	"kechuang/internal/testutil"
)

// TestAcrossBinaries runs two test processes at once (this binary again,
// as TestAcrossChild) asking for the same new fixture on every configured
// database, then a third after them: the fill runs once in all (the file
// lock makes the second wait for the first), every process sees the filled
// database, each Copy is its own, and the fixture is in the cache.
func TestAcrossBinaries(t *testing.T) {
	if os.Getenv("KECHUANG_TEST_FIXTURE_CACHE") == "off" {
		t.Skip("KECHUANG_TEST_FIXTURE_CACHE=off")
	}
	b := make([]byte, 6)
	rand.Read(b)
	key := "across test " + hex.EncodeToString(b)
	t.Cleanup(func() {
		for _, db := range testutil.Databases(t) {
			if err := testutil.RemoveAcross(db, key); err != nil {
				t.Error(err)
			}
		}
	})
	fills := filepath.Join(t.TempDir(), "fills")
	run := func() (string, error) {
		cmd := exec.Command(os.Args[0], "-test.run=^TestAcrossChild$", "-test.count=1", "-test.v")
		cmd.Env = append(os.Environ(), "KC_ACROSS_KEY="+key, "KC_ACROSS_FILLS="+fills)
		out, err := cmd.CombinedOutput()
		return string(out), err
	}
	var wg sync.WaitGroup
	outs, errs := make([]string, 3), make([]error, 3)
	for i := range 2 {
		wg.Go(func() { outs[i], errs[i] = run() })
	}
	wg.Wait()
	outs[2], errs[2] = run()
	for i, out := range outs {
		if errs[i] != nil || !strings.Contains(out, "--- PASS: TestAcrossChild") {
			t.Fatalf("process %d: %v\n%s", i, errs[i], out)
		}
	}
	got, _ := os.ReadFile(fills)
	dbs := testutil.Databases(t)
	if n := strings.Count(string(got), "\n"); n != len(dbs) {
		t.Fatalf("the fill ran %d times for %d databases, want once each:\n%s", n, len(dbs), got)
	}
	if !strings.Contains(string(got), "sqlite") {
		t.Fatalf("fills: %s", got)
	}
}

// TestAcrossChild is TestAcrossBinaries's other process.
func TestAcrossChild(t *testing.T) {
	key := os.Getenv("KC_ACROSS_KEY")
	if key == "" {
		t.Skip("run by TestAcrossBinaries")
	}
	ctx := context.Background()
	for _, db := range testutil.Databases(t) {
		fill := func(st *store.Store) error {
			f, err := os.OpenFile(os.Getenv("KC_ACROSS_FILLS"), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
			if err != nil {
				return err
			}
			fmt.Fprintln(f, db)
			f.Close()
			return st.SetSetting(ctx, "fixture", "filled")
		}
		a := testutil.CopyAcross(t, db, key, fill)
		if v, err := a.Setting(ctx, "fixture", ""); err != nil || v != "filled" {
			t.Fatalf("%s copy: %q %v", db, v, err)
		}
		if err := a.SetSetting(ctx, "fixture", "changed"); err != nil {
			t.Fatal(err)
		}
		c := testutil.CopyAcross(t, db, key, fill)
		s := testutil.SharedAcross(t, db, key, fill)
		for _, st := range []*store.Store{c, s} {
			if v, err := st.Setting(ctx, "fixture", ""); err != nil || v != "filled" {
				t.Fatalf("%s: a later copy sees %q %v", db, v, err)
			}
		}
	}
}
