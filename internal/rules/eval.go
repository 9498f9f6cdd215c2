package rules

import (
	"fmt"
	"slices"

	"github.com/expr-lang/expr/vm"
)

// Result is an assessment's outcome (FACTS.md "The result"); Conditions,
// Routes and the amount are the additions of the unscored and policy sets.
type Result struct {
	RuleSet    string        `json:"rule_set"`
	Version    string        `json:"version"`
	Name       string        `json:"name,omitempty"`
	USCC       string        `json:"uscc,omitempty"`
	Verdict    string        `json:"verdict"`
	Score      *int          `json:"score,omitempty"`
	ScoreMin   *int          `json:"score_min,omitempty"`
	ScoreMax   *int          `json:"score_max,omitempty"`
	Gates      []CheckResult `json:"gates,omitempty"`
	Routes     []CheckResult `json:"routes,omitempty"`
	Items      []ItemResult  `json:"items,omitempty"`
	Conditions []CheckResult `json:"conditions,omitempty"`
	AmountFen  *int64        `json:"amount_fen,omitempty"`
	CapFen     *int64        `json:"cap_fen,omitempty"`
	Missing    []string      `json:"missing"`
}

// CheckResult explains one gate, route or condition. Passed is false also
// when facts are missing; Missing then names them.
type CheckResult struct {
	ID      string   `json:"id"`
	Label   string   `json:"label,omitempty"`
	Passed  bool     `json:"passed"`
	Reason  string   `json:"reason"`
	Missing []string `json:"missing,omitempty"`
}

// ItemResult is one scored item: Points when exact, always the interval.
type ItemResult struct {
	ID      string   `json:"id"`
	Label   string   `json:"label"`
	Value   string   `json:"value"`
	Band    string   `json:"band,omitempty"`
	Points  *int     `json:"points,omitempty"`
	Min     int      `json:"min"`
	Max     int      `json:"max"`
	Missing []string `json:"missing,omitempty"`
}

// Verdicts.
const (
	Pass            = "pass"
	Fail            = "fail"
	NotEligible     = "not_eligible"
	ExpertDependent = "expert_dependent"
)

// The verdict is always one of the four of FACTS.md. It is what the known
// facts establish: pass only when they prove it. When facts are missing
// (Missing non-empty) and they could change the outcome, the verdict is the
// negative one of the layer that is undecided — not_eligible for a scored
// set's gate, fail otherwise — and is provisional: supplying the missing
// facts may turn it. A known failure decides with Missing empty. A policy
// whose conditions hold is pass; Missing then names what its amount needs
// (amount_fen is absent). See sets/README.md "Verdicts and missing facts".
func undecided(kind string, gate bool) string {
	if kind == "scored" && gate {
		return NotEligible
	}
	return Fail
}

// Assessor evaluates one rule set; it reuses its VM and environment, so
// one Assessor serves one goroutine.
type Assessor struct {
	set *Set
	m   vm.VM
	env Env
	// Detail false skips the reasons and, once a gate or condition fails,
	// the checks after it (the verdict, score and amount are the same).
	Detail bool
}

// NewAssessor is an assessor of the set, with reasons.
func NewAssessor(s *Set) *Assessor { return &Assessor{set: s, Detail: true} }

type state int

const (
	stPass state = iota
	stFail
	stMissing
)

func (a *Assessor) missingOf(needs []string) []string {
	if a.env.missing == nil {
		return nil
	}
	var out []string
	for _, n := range needs {
		for _, f := range a.env.missing[n] {
			if !slices.Contains(out, f) {
				out = append(out, f)
			}
		}
	}
	return out
}

func (a *Assessor) runBool(p *vm.Program) (bool, error) {
	v, err := a.m.Run(p, &a.env)
	if err != nil {
		return false, err
	}
	b, _ := v.(bool)
	return b, nil
}

func (a *Assessor) check(c *Check) (state, CheckResult, error) {
	cr := CheckResult{ID: c.ID, Label: c.Label}
	st := stFail
	if len(c.AnyOf) > 0 {
		anyMissing := false
		var subs []CheckResult
		for _, s := range c.AnyOf {
			sst, scr, err := a.check(s)
			if err != nil {
				return 0, cr, err
			}
			subs = append(subs, scr)
			if sst == stPass {
				st = stPass
				break
			}
			if sst == stMissing {
				anyMissing = true
				cr.Missing = append(cr.Missing, scr.Missing...)
			}
		}
		if st != stPass && anyMissing {
			st = stMissing
		}
		if st == stPass {
			cr.Missing = nil
		}
		if a.Detail {
			last := subs[len(subs)-1]
			switch st {
			case stPass:
				cr.Reason = last.Label + "：" + last.Reason
			default:
				for i, s := range subs {
					if i > 0 {
						cr.Reason += "；"
					}
					cr.Reason += s.Label + "：" + s.Reason
				}
			}
		}
	} else {
		if m := a.missingOf(c.needs); len(m) > 0 {
			cr.Missing = m
			if a.Detail {
				cr.Reason = fmt.Sprintf("缺少事实 (missing facts): %v", m)
			}
			return stMissing, cr, nil
		}
		ok, err := a.runBool(c.prog)
		if err != nil {
			return 0, cr, fmt.Errorf("%s: %v", c.ID, err)
		}
		if ok {
			st = stPass
		}
		if a.Detail {
			if ok {
				cr.Reason = c.pass.render(&a.m, &a.env)
			} else {
				cr.Reason = c.fail.render(&a.m, &a.env)
			}
		}
	}
	cr.Passed = st == stPass
	return st, cr, nil
}

func bandOf(bs []*Band, v Rat) *Band {
	if !v.defined() {
		return bs[len(bs)-1]
	}
	for _, b := range bs {
		switch {
		case b.min != nil && v.Cmp(*b.min) >= 0:
			return b
		case b.above != nil && v.Cmp(*b.above) > 0:
			return b
		case b.min == nil && b.above == nil:
			return b
		}
	}
	return bs[len(bs)-1]
}

func toRat(v any) (Rat, error) {
	switch x := v.(type) {
	case Rat:
		return x, nil
	case int64:
		return R(x, 1), nil
	case int:
		return R(int64(x), 1), nil
	}
	return Rat{}, fmt.Errorf("值应为整数或比例，实际为 %T", v)
}

func (a *Assessor) item(f *Facts, it *Item) (ItemResult, error) {
	ir := ItemResult{ID: it.ID, Label: it.Label}
	lo, hi := it.lo, it.hi
	switch {
	case it.prog != nil:
		if m := a.missingOf(it.needs); len(m) > 0 {
			ir.Missing, ir.Value = m, "—"
			break
		}
		v, err := a.m.Run(it.prog, &a.env)
		if err != nil {
			return ir, fmt.Errorf("%s: %v", it.ID, err)
		}
		r, err := toRat(v)
		if err != nil {
			return ir, fmt.Errorf("%s: %v", it.ID, err)
		}
		b := bandOf(it.Bands, r)
		lo, hi, ir.Band = b.lo, b.hi, b.Label
		if a.Detail {
			ir.Value = format(v, it.Format)
		}
	case len(it.Routes) > 0: // the firm chooses: the best route counts
		best := -1
		var missing []string
		var bestLo, bestHi int
		for _, r := range it.Routes {
			if m := a.missingOf(r.needs); len(m) > 0 {
				missing = append(missing, m...)
				continue
			}
			if r.when != nil {
				ok, err := a.runBool(r.when)
				if err != nil {
					return ir, err
				}
				if !ok {
					continue
				}
			}
			v, err := a.m.Run(r.prog, &a.env)
			if err != nil {
				return ir, fmt.Errorf("%s %s: %v", it.ID, r.ID, err)
			}
			rv, err := toRat(v)
			if err != nil {
				return ir, err
			}
			b := bandOf(r.Bands, rv)
			if b.hi > best {
				best, bestLo, bestHi = b.hi, b.lo, b.hi
				ir.Band = r.Label + " " + b.Label
				if a.Detail {
					ir.Value = r.Label + " " + format(v, it.Format)
				}
			}
		}
		switch {
		case best < 0 && len(missing) > 0:
			ir.Missing, ir.Value = missing, "—"
		case best < 0:
			lo, hi, ir.Value = 0, 0, "—"
		case len(missing) > 0 && bestHi < it.hi: // a missing route might score higher
			lo, hi, ir.Missing = bestLo, it.hi, missing
		default:
			lo, hi = bestLo, bestHi
		}
	default:
		var missing []string
		matched := false
		for _, c := range it.Cases {
			if m := a.missingOf(c.needs); len(m) > 0 {
				missing = append(missing, m...)
				break // an earlier case undecided: the rest cannot be taken
			}
			ok, err := a.runBool(c.prog)
			if err != nil {
				return ir, fmt.Errorf("%s: %v", it.ID, err)
			}
			if ok {
				lo, hi, ir.Band, matched = c.lo, c.hi, c.Label, true
				break
			}
		}
		if !matched && len(missing) > 0 {
			ir.Missing = missing
			ir.Value = "—"
		} else if !matched {
			lo, hi = 0, 0
		}
		if a.Detail && matched {
			ir.Value = c2s(ir.Band)
		}
	}
	if it.Expert != "" && len(ir.Missing) == 0 {
		if p, ok := f.ExpertScores[it.Expert]; ok {
			if int(p) < lo || int(p) > hi {
				return ir, &InputError{Field: "expert_scores." + it.Expert,
					Msg: fmt.Sprintf("%d 分不在该档 %s 的范围 %d–%d 内 (outside the band's range)", p, ir.Band, lo, hi)}
			}
			lo, hi = int(p), int(p)
		}
	}
	ir.Min, ir.Max = lo, hi
	if lo == hi {
		p := lo
		ir.Points = &p
	}
	return ir, nil
}

func c2s(s string) string { return s }

// Assess evaluates the facts under the version in force on assessed_on.
// A bad expert score is an *InputError; an expression failing at run time
// is an error naming the row.
func (a *Assessor) Assess(f *Facts) (*Result, error) {
	s := a.set
	res := &Result{RuleSet: s.ID, Name: f.Name, USCC: f.USCC, Missing: []string{}}
	if f.AssessedOn == nil {
		res.Verdict = undecided(s.Kind, true)
		res.Missing = []string{"assessed_on"}
		return res, nil
	}
	v, err := s.VersionOn(*f.AssessedOn)
	if err != nil {
		return nil, &InputError{Field: "assessed_on", Msg: err.Error()}
	}
	res.Version = v.Version
	a.env.P, a.env.N = v.p, v.n
	buildEnv(f, &a.env, v.d)
	return a.evaluate(f, v, res)
}

// evaluate assesses the facts whose environment a.env holds.
func (a *Assessor) evaluate(f *Facts, v *Version, res *Result) (*Result, error) {
	s := a.set
	addMissing := func(m []string) {
		for _, x := range m {
			if !slices.Contains(res.Missing, x) {
				res.Missing = append(res.Missing, x)
			}
		}
	}
	all := func(cs []*Check, allOf bool) (state, []CheckResult, error) {
		st := stPass
		out := make([]CheckResult, 0, len(cs))
		for _, c := range cs {
			cst, cr, err := a.check(c)
			if err != nil {
				return 0, nil, err
			}
			out = append(out, cr)
			addMissing(cr.Missing)
			if cst == stFail {
				st = stFail
				if allOf && !a.Detail {
					// a failed check decides (not eligible, or fail) whatever
					// the others say: without the reasons they are not run
					break
				}
			} else if cst == stMissing && st != stFail {
				st = stMissing
			}
		}
		return st, out, nil
	}
	switch s.Kind {
	case "conditions", "policy":
		st, crs, err := all(v.Conditions, true)
		if err != nil {
			return nil, err
		}
		res.Conditions = crs
		switch st {
		case stPass:
			res.Verdict = Pass
		case stFail:
			res.Verdict, res.Missing = Fail, []string{}
		default:
			res.Verdict = Fail // not established: Missing names what to supply
		}
		if s.Kind == "policy" && st == stPass {
			am := v.Amount
			if m := a.missingOf(append(slices.Clone(am.needs), am.capNeeds...)); len(m) > 0 {
				addMissing(m) // eligible; the amount needs these facts
				return res, nil
			}
			x, err := a.m.Run(am.prog, &a.env)
			if err != nil {
				return nil, fmt.Errorf("amount: %v", err)
			}
			amt := max(x.(int64), 0)
			if am.cap != nil {
				c, err := a.m.Run(am.cap, &a.env)
				if err != nil {
					return nil, fmt.Errorf("amount.cap: %v", err)
				}
				cf := max(c.(int64), 0)
				res.CapFen = &cf
				amt = min(amt, cf)
			}
			res.AmountFen = &amt
		}
		return res, nil
	}
	gst, gates, err := all(v.Gates, true)
	if err != nil {
		return nil, err
	}
	res.Gates = gates
	if gst == stFail {
		res.Verdict, res.Missing = NotEligible, []string{}
		return res, nil
	}
	a.env.ensureGrowth()
	type group struct {
		id     string
		lo, hi int
	}
	var groups []group // a few at most: a scan, not a map
	lo, hi := 0, 0
	reqOK, reqUnknown := true, false
	res.Items = make([]ItemResult, 0, len(v.Items))
	for _, it := range v.Items {
		ir, err := a.item(f, it)
		if err != nil {
			return nil, err
		}
		addMissing(ir.Missing)
		res.Items = append(res.Items, ir)
		if it.Group != "" {
			k := slices.IndexFunc(groups, func(g group) bool { return g.id == it.Group })
			if k < 0 {
				groups = append(groups, group{id: it.Group})
				k = len(groups) - 1
			}
			groups[k].lo += ir.Min
			groups[k].hi += ir.Max
		} else {
			lo += ir.Min
			hi += ir.Max
		}
		if slices.Contains(v.RequirePoints, it.ID) {
			if ir.Max == 0 {
				reqOK = false
			} else if ir.Min == 0 {
				reqUnknown = true
			}
		}
	}
	for _, g := range groups {
		l, h := g.lo, g.hi
		if c, ok := v.GroupCaps[g.id]; ok {
			l, h = min(l, c), min(h, c)
		}
		lo += l
		hi += h
	}
	res.ScoreMin, res.ScoreMax = &lo, &hi
	if lo == hi {
		sc := lo
		res.Score = &sc
	}
	_, routes, err := all(v.Routes, false)
	if err != nil {
		return nil, err
	}
	res.Routes = routes
	direct := false
	for _, r := range routes {
		direct = direct || r.Passed
	}
	switch {
	case gst == stMissing:
		res.Verdict = NotEligible // the gates are not established
	case direct:
		res.Verdict = Pass
	case lo >= v.PassMark && reqOK && !reqUnknown:
		res.Verdict = Pass
	case hi < v.PassMark || !reqOK:
		res.Verdict = Fail
	case len(res.Missing) > 0:
		res.Verdict = Fail // a pass is not established without the missing facts
	default:
		res.Verdict = ExpertDependent
	}
	if res.Verdict == Pass && direct {
		// the route decided; the facts missing for the score do not matter
		res.Missing = []string{}
	}
	return res, nil
}

// Multi assesses one firm under several rule sets, building the firm's
// environment once (the batch run and the policy calculator).
type Multi struct {
	as  []*Assessor
	env Env
	d   derived
}

// NewMulti is a Multi over the sets, in the given order; detail as in
// Assessor.Detail.
func NewMulti(sets []*Set, detail bool) *Multi {
	m := &Multi{}
	for _, s := range sets {
		a := NewAssessor(s)
		a.Detail = detail
		m.as = append(m.as, a)
		for _, v := range s.Versions {
			m.d = m.d.or(v.d)
		}
	}
	return m
}

// Assess returns one result per set, in order.
func (m *Multi) Assess(f *Facts) ([]*Result, error) {
	if f.AssessedOn == nil {
		var out []*Result
		for _, a := range m.as {
			r, err := a.Assess(f)
			if err != nil {
				return nil, err
			}
			out = append(out, r)
		}
		return out, nil
	}
	buildEnv(f, &m.env, m.d)
	out := make([]*Result, 0, len(m.as))
	for _, a := range m.as {
		v, err := a.set.VersionOn(*f.AssessedOn)
		if err != nil {
			return nil, &InputError{Field: "assessed_on", Msg: err.Error()}
		}
		a.env = m.env
		a.env.P, a.env.N = v.p, v.n
		r, err := a.evaluate(f, v, &Result{RuleSet: a.set.ID, Version: v.Version, Name: f.Name, USCC: f.USCC, Missing: []string{}})
		if err != nil {
			return nil, fmt.Errorf("%s: %w", a.set.ID, err)
		}
		out = append(out, r)
	}
	return out, nil
}
