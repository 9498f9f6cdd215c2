package evaluate_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"kechuang/internal/domain"
	"kechuang/internal/evaluate"
)

var (
	applicant = evaluate.Org{ID: 100, Name: "东北大学"}
	partner   = evaluate.Org{ID: 101, Name: "沈阳新松机器人"}
	app       = evaluate.Application{Applicant: applicant, CoApplicants: []evaluate.Org{partner}, People: []int64{900},
		Fields: []string{"robotics", "materials"}}
	rules = evaluate.PanelRules{MinSize: 5, MaxSize: 9, TechnicalNum: 2, TechnicalDen: 3, MaxPerOrg: 2}
)

// experts returns n technical experts from n distinct organisations,
// ids from first on, then m finance experts likewise.
func experts(first int64, n, m int) []evaluate.Expert {
	var out []evaluate.Expert
	for i := range n + m {
		id := first + int64(i)
		e := evaluate.Expert{ID: id, Name: fmt.Sprintf("专家%d", id), Org: evaluate.Org{ID: 1000 + id, Name: fmt.Sprintf("单位%d", id)},
			Kind: evaluate.Technical}
		if i >= n {
			e.Kind = evaluate.Finance
		}
		out = append(out, e)
	}
	return out
}

// economists turns the panel's finance experts into economic experts.
func economists(p []evaluate.Expert) []evaluate.Expert {
	for i := range p {
		if p[i].Kind == evaluate.Finance {
			p[i].Kind = evaluate.Economic
		}
	}
	return p
}

func ruleCodes(vs []evaluate.Violation) []string {
	var out []string
	for _, v := range vs {
		out = append(out, v.Rule)
	}
	return out
}

// TestCheckPanel: each rule at its edges, each violation named.
func TestCheckPanel(t *testing.T) {
	sameOrg := func(p []evaluate.Expert, k int) []evaluate.Expert { // the first k share one organisation
		for i := range k {
			p[i].Org = evaluate.Org{ID: 77, Name: "辽宁大学"}
		}
		return p
	}
	fin := rules
	fin.FinanceRequired = true
	cases := []struct {
		name  string
		rules evaluate.PanelRules
		panel []evaluate.Expert
		want  []string
	}{
		{"4 experts", rules, experts(1, 4, 0), []string{evaluate.RuleSize}},
		{"5 experts", rules, experts(1, 5, 0), nil},
		{"9 experts", rules, experts(1, 9, 0), nil},
		{"10 experts", rules, experts(1, 10, 0), []string{evaluate.RuleSize}},
		// two thirds, exactly: 3*technical >= 2*size
		{"6 with 4 technical (exactly 2/3)", rules, experts(1, 4, 2), nil},
		{"6 with 3 technical", rules, experts(1, 3, 3), []string{evaluate.RuleTechnical}},
		{"5 with 4 technical", rules, experts(1, 4, 1), nil},
		{"5 with 3 technical (3/5 < 2/3)", rules, experts(1, 3, 2), []string{evaluate.RuleTechnical}},
		{"9 with 6 technical", rules, experts(1, 6, 3), nil},
		{"9 with 5 technical", rules, experts(1, 5, 4), []string{evaluate.RuleTechnical}},
		{"two from one organisation", rules, sameOrg(experts(1, 5, 0), 2), nil},
		{"three from one organisation", rules, sameOrg(experts(1, 5, 0), 3), []string{evaluate.RuleOrg}},
		{"finance required, none", fin, experts(1, 5, 0), []string{evaluate.RuleFinance}},
		{"finance required, one", fin, experts(1, 4, 1), nil},
		{"duplicate expert", rules, append(experts(1, 5, 0), experts(1, 1, 0)...), []string{evaluate.RuleDuplicate}},
		{"everything at once", fin, economists(sameOrg(experts(1, 2, 2), 3)), []string{evaluate.RuleSize, evaluate.RuleTechnical, evaluate.RuleOrg, evaluate.RuleFinance}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := c.rules.CheckPanel(app, c.panel)
			codes := ruleCodes(got)
			slices.Sort(codes)
			want := slices.Clone(c.want)
			slices.Sort(want)
			if !slices.Equal(codes, want) {
				t.Fatalf("violations %v (%v), want %v", codes, got, want)
			}
			err := evaluate.PanelError(got)
			if (err == nil) != (len(want) == 0) {
				t.Fatalf("PanelError %v", err)
			}
			if err != nil {
				e := err.(*domain.Error)
				if e.Field != "panel" || len(e.Fields) != len(want) {
					t.Errorf("error %+v", e)
				}
			}
		})
	}
	t.Run("org violation names the organisation", func(t *testing.T) {
		vs := rules.CheckPanel(app, sameOrg(experts(1, 5, 0), 3))
		if len(vs) != 1 || !strings.Contains(vs[0].Text.String(), "辽宁大学有 3 人") {
			t.Errorf("%v", vs)
		}
	})
}

// TestConflicts: each kind of conflict of interest blocks assignment and
// says which.
func TestConflicts(t *testing.T) {
	base := evaluate.Expert{ID: 1, Name: "王", Org: evaluate.Org{ID: 5, Name: "中科院金属所"}, Kind: evaluate.Technical}
	withOrg := func(o evaluate.Org) evaluate.Expert { e := base; e.Org = o; return e }
	declared := base
	declared.Declared = []evaluate.Declaration{{OrgID: partner.ID, Relation: "近三年合作研究"}}
	coApplicant := base
	coApplicant.ID = 900
	cases := []struct {
		name   string
		e      evaluate.Expert
		kind   evaluate.ConflictKind
		phrase string
	}{
		{"none", base, "", ""},
		{"same organisation as the applicant", withOrg(applicant), evaluate.ConflictSameOrg, "与申请单位同属东北大学"},
		{"a co-applicant's organisation", withOrg(partner), evaluate.ConflictCoOrg, "与合作申请单位同属沈阳新松机器人"},
		{"declared relation", declared, evaluate.ConflictDeclared, "申报了与沈阳新松机器人的关系：近三年合作研究"},
		{"co-applicant", coApplicant, evaluate.ConflictCoApplicant, "是本申请的申请人或合作申请人"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cs := evaluate.Conflicts(c.e, app)
			if c.kind == "" {
				if len(cs) != 0 {
					t.Fatalf("conflicts %v", cs)
				}
				return
			}
			if len(cs) != 1 || cs[0].Kind != c.kind || !strings.Contains(cs[0].Text.String(), c.phrase) {
				t.Fatalf("conflicts %v, want one %s saying %q", cs, c.kind, c.phrase)
			}
			panel := append(experts(10, 4, 0), c.e)
			vs := rules.CheckPanel(app, panel)
			if codes := ruleCodes(vs); !slices.Equal(codes, []string{evaluate.RuleConflict}) || !strings.Contains(vs[0].Text.String(), c.phrase) {
				t.Errorf("panel with the expert: %v", vs)
			}
		})
	}
	t.Run("expert without an organisation is not the applicant", func(t *testing.T) {
		if cs := evaluate.Conflicts(withOrg(evaluate.Org{}), evaluate.Application{}); len(cs) != 0 {
			t.Errorf("%v", cs)
		}
	})
}

func ids(es []evaluate.Expert) []int64 {
	var out []int64
	for _, e := range es {
		out = append(out, e.ID)
	}
	return out
}

// TestPropose: the proposal leaves out conflicts, ranks by field fit,
// meets every rule, is the same whatever the pool's order, and says why
// when the pool cannot make a panel.
func TestPropose(t *testing.T) {
	pool := experts(1, 9, 2)
	pool[8].Fields = []string{"robotics", "materials"} // best fit
	pool[7].Fields = []string{"materials"}
	pool[0].Org = applicant // conflicted
	pool[1].Declared = []evaluate.Declaration{{OrgID: partner.ID, Relation: "兼职"}}
	pool[9].Fields = []string{"robotics"} // finance, fits
	r := rules
	r.Size, r.FinanceRequired = 6, true
	got, err := r.Propose(app, pool)
	if err != nil {
		t.Fatal(err)
	}
	if want := []int64{9, 8, 10, 3, 4, 5}; !slices.Equal(ids(got), want) {
		t.Errorf("proposed %v, want %v", ids(got), want)
	}
	if vs := r.CheckPanel(app, got); len(vs) != 0 {
		t.Errorf("the proposal breaks %v", vs)
	}
	rev := slices.Clone(pool)
	slices.Reverse(rev)
	again, err := r.Propose(app, rev)
	if err != nil || !slices.Equal(ids(again), ids(got)) {
		t.Errorf("another pool order gave %v, %v", ids(again), err)
	}

	t.Run("org limit and technical share together", func(t *testing.T) {
		// The best fits are three from one organisation and a second
		// finance expert; the panel takes two of them and one finance
		// expert only (6 members: at most 2 non-technical).
		p := experts(1, 6, 3)
		for i := range 3 {
			p[i].Org, p[i].Fields = evaluate.Org{ID: 55, Name: "甲单位"}, []string{"robotics", "materials"}
		}
		for i := 6; i < 9; i++ {
			p[i].Fields = []string{"robotics", "materials"}
		}
		r := rules
		r.Size = 6
		got, err := r.Propose(app, p)
		if err != nil {
			t.Fatal(err)
		}
		if vs := r.CheckPanel(app, got); len(vs) != 0 {
			t.Fatalf("%v breaks %v", ids(got), vs)
		}
		if want := []int64{1, 2, 7, 8, 4, 5}; !slices.Equal(ids(got), want) {
			t.Errorf("proposed %v, want %v", ids(got), want)
		}
	})
	t.Run("a first greedy pick that would strand the panel", func(t *testing.T) {
		// Size 3, two technical needed: the best fit is a finance expert of
		// organisation A, whose two technical colleagues are the only
		// technical experts. Taking the finance expert first leaves no
		// panel; the search backs out and takes A's two technical experts
		// with B's finance expert.
		a, b := evaluate.Org{ID: 1, Name: "A"}, evaluate.Org{ID: 2, Name: "B"}
		p := []evaluate.Expert{
			{ID: 1, Name: "a-fin", Org: a, Kind: evaluate.Finance, Fields: []string{"robotics", "materials"}},
			{ID: 2, Name: "a-t1", Org: a, Kind: evaluate.Technical},
			{ID: 3, Name: "a-t2", Org: a, Kind: evaluate.Technical},
			{ID: 4, Name: "b-fin", Org: b, Kind: evaluate.Finance},
		}
		r := evaluate.PanelRules{MinSize: 3, MaxSize: 3, TechnicalNum: 2, TechnicalDen: 3, MaxPerOrg: 2}
		got, err := r.Propose(app, p)
		if err != nil || !slices.Equal(ids(got), []int64{2, 3, 4}) {
			t.Errorf("proposed %v, %v", ids(got), err)
		}
	})
	t.Run("no panel possible", func(t *testing.T) {
		for name, pool := range map[string][]evaluate.Expert{
			"too few":           experts(1, 4, 0),
			"no finance":        experts(1, 9, 0),
			"too few technical": experts(1, 3, 6),
		} {
			r := rules
			r.FinanceRequired = name == "no finance"
			if got, err := r.Propose(app, pool); err == nil || domain.ErrorCode(err) != domain.ECONFLICT {
				t.Errorf("%s: proposed %v, %v", name, ids(got), err)
			}
		}
		// Conflicted experts never make up the numbers.
		p := experts(1, 5, 0)
		p[0].Org = applicant
		if _, err := rules.Propose(app, p); err == nil || !strings.Contains(err.Error(), "因利益冲突排除 1 人") {
			t.Errorf("conflicted pool: %v", err)
		}
	})
}
