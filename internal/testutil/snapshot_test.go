package testutil_test

import (
	"context"
	"os"
	"testing"

	"kechuang/internal/store"
	"kechuang/internal/testutil"
)

func TestMain(m *testing.M) { os.Exit(testutil.Main(m)) }

// TestCopyAndShared: on every configured database a fixture is filled once
// per key; each Copy is a database of its own (a write to one is not seen
// by the next copy nor by the fixture), and Shared gives every caller the
// same store.
func TestCopyAndShared(t *testing.T) {
	ctx := context.Background()
	for _, db := range testutil.Databases(t) {
		t.Run(db, func(t *testing.T) {
			fills := 0
			fill := func(st *store.Store) error {
				fills++
				return st.SetSetting(ctx, "fixture", "filled")
			}
			setting := func(st *store.Store) string {
				t.Helper()
				v, err := st.Setting(ctx, "fixture", "")
				if err != nil {
					t.Fatal(err)
				}
				return v
			}
			a := testutil.Copy(t, db, "copy", fill)
			if v := setting(a); v != "filled" {
				t.Fatalf("first copy: %q", v)
			}
			if err := a.SetSetting(ctx, "fixture", "changed"); err != nil {
				t.Fatal(err)
			}
			b := testutil.Copy(t, db, "copy", fill)
			if v := setting(b); v != "filled" || a.URL() == b.URL() {
				t.Fatalf("second copy: %q (%s, %s): not a copy of its own", v, a.URL(), b.URL())
			}
			s1 := testutil.Shared(t, db, "shared", fill)
			s2 := testutil.Shared(t, db, "shared", fill)
			if s1 != s2 || setting(s1) != "filled" {
				t.Fatalf("shared: %p %p %q", s1, s2, setting(s1))
			}
			if fills != 2 {
				t.Errorf("%d fills, want one per key", fills)
			}
		})
	}
}
