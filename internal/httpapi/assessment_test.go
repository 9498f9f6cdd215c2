package httpapi_test

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"kechuang/internal/cli"
)

// cliAssess runs `kechuang assess --format json` on the facts.
func cliAssess(t *testing.T, rulesArg, facts string) []byte {
	t.Helper()
	in := filepath.Join(t.TempDir(), "facts.json")
	if err := os.WriteFile(in, []byte(facts), 0o644); err != nil {
		t.Fatal(err)
	}
	var out, errOut bytes.Buffer
	env := &cli.Env{Args: []string{"kechuang", "assess", "--rules", rulesArg, "--input", in, "--format", "json"}, Stdout: &out, Stderr: &errOut,
		Getenv: func(string) string { return "" }}
	if code := cli.Main(context.Background(), env); code != 0 {
		t.Fatalf("kechuang assess: %d %s", code, errOut.String())
	}
	return out.Bytes()
}

// TestAssessmentsAgreeWithCLI: the API answers byte for byte what the
// command prints, for one firm under one set (an object), a batch under
// every set (an array) and the wrapped form; nothing needs a login.
func TestAssessmentsAgreeWithCLI(t *testing.T) {
	fx := newFixtures(t)[0]
	batch := "[" + assessmentFacts + "," + strings.Replace(assessmentFacts, `"tech_staff":20`, `"tech_staff":5`, 1) + "]"
	for _, tc := range []struct {
		name, rules, path, body, facts string
	}{
		{"one firm, sme", "sme", "/api/v1/assessments?rules=sme", assessmentFacts, assessmentFacts},
		{"batch, all", "all", "/api/v1/assessments?rules=all", batch, batch},
		{"comma list", "hnte,sy_first_hnte_rd_subsidy", "/api/v1/assessments?rules=hnte,sy_first_hnte_rd_subsidy", assessmentFacts, assessmentFacts},
		{"wrapped", "hnte", "/api/v1/assessments", `{"rules":"hnte","facts":` + assessmentFacts + `}`, assessmentFacts},
	} {
		res := fx.send(t, "anonymous", request{Method: "POST", Path: tc.path, Body: []byte(tc.body), Type: "application/json"})
		want := cliAssess(t, tc.rules, tc.facts)
		if res.Status != 200 || !bytes.Equal(res.Body, want) {
			t.Errorf("%s: %d\nAPI:\n%s\nCLI:\n%s", tc.name, res.Status, res.Body, want)
		}
	}
}

// TestAssessmentsBadInput: bad JSON, a bad fact, an unknown rule set, two
// different rules and an oversize batch are refused naming the field;
// the budget answers 429 once spent.
func TestAssessmentsBadInput(t *testing.T) {
	for _, fx := range newFixtures(t) {
		t.Run(fx.DB, func(t *testing.T) {
			for _, tc := range []struct {
				path, body string
				status     int
				field      string
			}{
				{"/api/v1/assessments?rules=sme", `{"employees":`, 422, "(object)"},
				{"/api/v1/assessments?rules=sme", `{"employees":"八十"}`, 422, "employees"},
				{"/api/v1/assessments?rules=sme", `[{}, {"assessed_on":"2023-13-01"}]`, 422, "[1].assessed_on"},
				{"/api/v1/assessments?rules=sme", `{"employes":80}`, 422, "employes"},
				{"/api/v1/assessments?rules=nope", assessmentFacts, 422, "rules"},
				{"/api/v1/assessments", assessmentFacts, 422, "rules"},
				{"/api/v1/assessments?rules=sme", `{"rules":"hnte","facts":{}}`, 422, "rules"},
			} {
				res := fx.send(t, "anonymous", request{Method: "POST", Path: tc.path, Body: []byte(tc.body), Type: "application/json"})
				if p := res.problem(t); res.Status != tc.status || p.Field != tc.field {
					t.Errorf("%s %s: %d %+v, want %d naming %s", tc.path, tc.body, res.Status, p, tc.status, tc.field)
				}
			}
			must(t, fx.St.SetSetting(context.Background(), "assess_batch_max", "2"))
			three := "[" + assessmentFacts + "," + assessmentFacts + "," + assessmentFacts + "]"
			res := fx.send(t, "anonymous", request{Method: "POST", Path: "/api/v1/assessments?rules=sme", Body: []byte(three), Type: "application/json"})
			if res.Status != 413 {
				t.Errorf("3 firms over a batch of 2: %d %s", res.Status, res.Body)
			}
			res = fx.send(t, "anonymous", request{Method: "POST", Path: "/api/v1/assessments?rules=sme", Body: bytes.Repeat([]byte(" "), 2<<20), Type: "application/json"})
			if res.Status != 413 {
				t.Errorf("a 2 MiB body: %d", res.Status)
			}
			must(t, fx.St.SetSetting(context.Background(), "assess_batch_max", "1000"))
			big := "[" + strings.Repeat(assessmentFacts+",", 199) + assessmentFacts + "]" // 200 firms × 11 sets > the burst
			res = fx.send(t, "enterprise", request{Method: "POST", Path: "/api/v1/assessments?rules=all", Body: []byte(big), Type: "application/json"})
			if p := res.problem(t); res.Status != 429 || res.Header.Get("Retry-After") == "" {
				t.Errorf("over the budget: %d %+v", res.Status, p)
			}
		})
	}
}
