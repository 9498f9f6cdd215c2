package store_test

import (
	"slices"
	"strings"
	"testing"

	"kechuang/internal/store"
)

func TestSplitStatements(t *testing.T) {
	t.Parallel()
	pgFunc := "CREATE FUNCTION bump() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n  NEW.n := NEW.n + 1;\n  RETURN NEW;\nEND;\n$$;"
	trigger := "CREATE TRIGGER t AFTER INSERT ON a BEGIN\n  UPDATE a SET n = 1;\n  DELETE FROM b;\nEND;"
	for _, tc := range []struct {
		name, src string
		want      []string
	}{
		{"plain", "-- header\nCREATE TABLE a (x INT);\n\nCREATE TABLE b (y INT);\n-- trailer\n",
			[]string{"-- header\nCREATE TABLE a (x INT);", "CREATE TABLE b (y INT);"}},
		{"last statement without semicolon", "SELECT 1;\nSELECT 2\n", []string{"SELECT 1;", "SELECT 2"}},
		{"several on one line", "SELECT 1; SELECT 2;", []string{"SELECT 1;", "SELECT 2;"}},
		{"comment after the semicolon", "SELECT 1; -- one\nSELECT 2;", []string{"SELECT 1;", "-- one\nSELECT 2;"}},
		{"semicolon at a line end inside a string", "INSERT INTO a VALUES ('x;\ny', 'it''s;');\nSELECT 1;",
			[]string{"INSERT INTO a VALUES ('x;\ny', 'it''s;');", "SELECT 1;"}},
		{"semicolon in a quoted name and comments", "CREATE TABLE \"a;\" (x INT /* ; */); -- ;\n/* a;\nb; */ SELECT 1;",
			[]string{"CREATE TABLE \"a;\" (x INT /* ; */);", "-- ;\n/* a;\nb; */ SELECT 1;"}},
		{"dollar body", pgFunc + "\nCREATE TABLE c (z INT);", []string{pgFunc, "CREATE TABLE c (z INT);"}},
		{"tagged dollar body holding $$", "DO $fn$ BEGIN RAISE NOTICE '$$;'; END; $fn$;\nSELECT 1;",
			[]string{"DO $fn$ BEGIN RAISE NOTICE '$$;'; END; $fn$;", "SELECT 1;"}},
		{"parameters and $ in names open no body", "UPDATE a$b SET x = $1;\nSELECT $2;", []string{"UPDATE a$b SET x = $1;", "SELECT $2;"}},
		{"statement block", "CREATE TABLE a (n INT);\n-- +statement begin\n" + trigger + "\n-- +Statement   End\nSELECT 1;",
			[]string{"CREATE TABLE a (n INT);", trigger, "SELECT 1;"}},
		{"only comments", "-- nothing\n/* at all */\n", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := store.SplitStatements(tc.src)
			if err != nil || !slices.Equal(got, tc.want) {
				t.Fatalf("got %q, %v\nwant %q", got, err, tc.want)
			}
		})
	}
}

func TestSplitStatementsErrors(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct{ src, want string }{
		{"SELECT 1;\nSELECT 'open;\n", "line 2: quoted text is not closed"},
		{"CREATE FUNCTION f() AS $$\nBEGIN;\n", "line 1: dollar-quoted body $$ is not closed"},
		{"SELECT 1; /* open", "line 1: /* comment is not closed"},
		{"SELECT 1;\n-- +statement begin\nSELECT 2;\n", "line 2: -- +statement begin has no -- +statement end"},
		{"SELECT 1;\n-- +statement end\n", "line 2: -- +statement end without -- +statement begin"},
		{"-- +statement begin\n-- +statement begin\n", "line 2: -- +statement begin inside the block opened on line 1"},
		{"SELECT 1\n-- +statement begin\nSELECT 2;\n-- +statement end\n", "line 2: the statement before -- +statement begin lacks its ;"},
	} {
		_, err := store.SplitStatements(tc.src)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%q: err = %v, want %q", tc.src, err, tc.want)
		}
	}
}
