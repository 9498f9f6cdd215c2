package rules

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io/fs"
	"slices"
	"sort"
	"strings"
)

// CaseFile is <id>.cases.json: a base facts object and cases, each a JSON
// merge patch (RFC 7386) over the base and the expected result.
type CaseFile struct {
	RuleSet string          `json:"rule_set"`
	Base    json.RawMessage `json:"base"`
	Cases   []TestCase      `json:"cases"`
}

// TestCase is one case: only the fields given in Expect are checked.
type TestCase struct {
	Name   string          `json:"name"`
	Rule   string          `json:"rule"` // the rule, band edge or edge rule the case covers
	Patch  json.RawMessage `json:"patch"`
	Expect Expect          `json:"expect"`
}

// Expect is the expected part of a result.
type Expect struct {
	Verdict    string                     `json:"verdict"`
	Version    string                     `json:"version"`
	Score      *int                       `json:"score"`
	ScoreMin   *int                       `json:"score_min"`
	ScoreMax   *int                       `json:"score_max"`
	Items      map[string]json.RawMessage `json:"items"` // points, or [min, max]
	Gates      map[string]bool            `json:"gates"`
	Routes     map[string]bool            `json:"routes"`
	Conditions map[string]bool            `json:"conditions"`
	Missing    []string                   `json:"missing"`
	AmountFen  *int64                     `json:"amount_fen"`
	CapFen     *int64                     `json:"cap_fen"`
	Error      string                     `json:"error"` // a substring of the expected input error
}

// CaseFailure is a case whose result differs from its expectation.
type CaseFailure struct {
	RuleSet, Case string
	Problems      []string
}

func (c CaseFailure) Error() string {
	return fmt.Sprintf("%s / %s: %s", c.RuleSet, c.Case, strings.Join(c.Problems, "; "))
}

// CaseReport counts the cases run per rule set.
type CaseReport struct {
	RuleSet  string
	Cases    int
	Failures []CaseFailure
}

// RunCases runs every <id>.cases.json of the directory against the sets;
// a rule set without cases is itself a failure.
func RunCases(fsys fs.FS, sets map[string]*Set) ([]CaseReport, error) {
	var ids []string
	for id := range sets {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var out []CaseReport
	for _, id := range ids {
		b, err := fs.ReadFile(fsys, id+".cases.json")
		if err != nil {
			out = append(out, CaseReport{RuleSet: id, Failures: []CaseFailure{{RuleSet: id, Case: "(file)",
				Problems: []string{"缺少 " + id + ".cases.json (every rule file ships with its cases)"}}}})
			continue
		}
		rep, err := runCaseFile(b, sets[id])
		if err != nil {
			return nil, fmt.Errorf("%s.cases.json: %v", id, err)
		}
		out = append(out, rep)
	}
	return out, nil
}

func runCaseFile(b []byte, s *Set) (CaseReport, error) {
	var cf CaseFile
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&cf); err != nil {
		return CaseReport{}, err
	}
	if cf.RuleSet != s.ID {
		return CaseReport{}, fmt.Errorf("rule_set %q, expected %q", cf.RuleSet, s.ID)
	}
	rep := CaseReport{RuleSet: s.ID, Cases: len(cf.Cases)}
	a := NewAssessor(s)
	for i, c := range cf.Cases {
		name := c.Name
		if name == "" {
			name = fmt.Sprintf("case %d", i+1)
		}
		fail := func(p ...string) {
			rep.Failures = append(rep.Failures, CaseFailure{RuleSet: s.ID, Case: name, Problems: p})
		}
		doc, err := MergePatch(cf.Base, c.Patch)
		if err != nil {
			fail("patch: " + err.Error())
			continue
		}
		fs, err := ParseJSON(doc)
		var res *Result
		if err == nil {
			res, err = a.Assess(&fs[0])
		}
		if err != nil {
			if c.Expect.Error != "" && strings.Contains(err.Error(), c.Expect.Error) {
				continue
			}
			fail("error: " + err.Error())
			continue
		}
		if p := compare(c.Expect, res); len(p) > 0 {
			fail(p...)
		}
	}
	return rep, nil
}

func compare(e Expect, r *Result) []string {
	var p []string
	if e.Error != "" {
		p = append(p, "expected error "+e.Error)
	}
	if e.Verdict != "" && e.Verdict != r.Verdict {
		p = append(p, fmt.Sprintf("verdict %s, expected %s (missing %v)", r.Verdict, e.Verdict, r.Missing))
	}
	if e.Version != "" && e.Version != r.Version {
		p = append(p, fmt.Sprintf("version %q, expected %q", r.Version, e.Version))
	}
	p = cmpPtr(p, "score", e.Score, r.Score)
	p = cmpPtr(p, "score_min", e.ScoreMin, r.ScoreMin)
	p = cmpPtr(p, "score_max", e.ScoreMax, r.ScoreMax)
	for id, raw := range e.Items {
		var got *ItemResult
		for i := range r.Items {
			if r.Items[i].ID == id {
				got = &r.Items[i]
			}
		}
		if got == nil {
			p = append(p, "item "+id+" absent")
			continue
		}
		lo, hi, err := points(raw, id)
		if err != nil {
			p = append(p, err.Error())
		} else if got.Min != lo || got.Max != hi {
			p = append(p, fmt.Sprintf("item %s %d–%d (value %s), expected %d–%d", id, got.Min, got.Max, got.Value, lo, hi))
		}
	}
	checks := func(kind string, want map[string]bool, got []CheckResult) {
		for id, w := range want {
			found := false
			for _, g := range got {
				if g.ID == id {
					found = true
					if g.Passed != w {
						p = append(p, fmt.Sprintf("%s %s passed=%v, expected %v (%s)", kind, id, g.Passed, w, g.Reason))
					}
				}
			}
			if !found {
				p = append(p, kind+" "+id+" absent")
			}
		}
	}
	checks("gate", e.Gates, r.Gates)
	checks("route", e.Routes, r.Routes)
	checks("condition", e.Conditions, r.Conditions)
	if e.Missing != nil {
		g, w := slices.Sorted(slices.Values(r.Missing)), slices.Sorted(slices.Values(e.Missing))
		if !slices.Equal(g, w) {
			p = append(p, fmt.Sprintf("missing %v, expected %v", g, w))
		}
	}
	p = cmpPtr(p, "amount_fen", e.AmountFen, r.AmountFen)
	return cmpPtr(p, "cap_fen", e.CapFen, r.CapFen)
}

// cmpPtr adds a problem if an expected number (non-nil) differs.
func cmpPtr[T int | int64](p []string, name string, want, got *T) []string {
	switch {
	case want == nil:
	case got == nil:
		p = append(p, fmt.Sprintf("%s absent, expected %d", name, *want))
	case *got != *want:
		p = append(p, fmt.Sprintf("%s %d, expected %d", name, *got, *want))
	}
	return p
}

// MergePatch applies an RFC 7386 merge patch to a JSON document.
func MergePatch(doc, patch json.RawMessage) ([]byte, error) {
	var d, p any
	if len(doc) > 0 {
		if err := json.Unmarshal(doc, &d); err != nil {
			return nil, err
		}
	}
	if len(patch) == 0 {
		return json.Marshal(d)
	}
	if err := json.Unmarshal(patch, &p); err != nil {
		return nil, err
	}
	return json.Marshal(merge(d, p))
}

func merge(d, p any) any {
	pm, ok := p.(map[string]any)
	if !ok {
		return p
	}
	dm, ok := d.(map[string]any)
	if !ok {
		dm = map[string]any{}
	}
	out := map[string]any{}
	for k, v := range dm {
		out[k] = v
	}
	for k, v := range pm {
		if v == nil {
			delete(out, k)
			continue
		}
		out[k] = merge(out[k], v)
	}
	return out
}
