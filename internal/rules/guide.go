package rules

import (
	"fmt"
	"math/big"
	"slices"
	"sort"
	"strings"

	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/parser"
	"github.com/expr-lang/expr/vm"
)

// The one-to-one guidance over the results of the engine (pure functions:
// the pages /assess and /assess/policies and the API call them).

// Policy statuses of the calculator.
const (
	PolicyEligible    = "eligible"
	PolicyNotEligible = "not_eligible"
	PolicyMissing     = "missing"
)

// PolicyLine is one city policy for one firm: eligible with the estimated
// amount and its cap, not eligible with the failing conditions, or facts
// missing (naming them).
type PolicyLine struct {
	RuleSet      string
	Title        string
	Version      string
	DocNo        string
	Jurisdiction string
	Status       string
	AmountFen    *int64
	CapFen       *int64
	Failing      []CheckResult // the conditions that failed (not eligible)
	Missing      []string
	// Assumed: the amount, the cap or the rule rests on rows marked A
	// (assumption, demo configuration); Assumptions says which.
	Assumed     bool
	Assumptions []string
	Result      *Result
}

// IsPolicy reports whether a rule set is a city policy (kind policy: the
// sy_* and ln_* sets).
func IsPolicy(s *Set) bool { return s.Kind == "policy" }

// PolicyCalc assesses the firm under every city policy of sets, ordered by
// id. An *InputError is a bad fact.
func PolicyCalc(sets map[string]*Set, f *Facts) ([]PolicyLine, error) {
	var ids []string
	for id, s := range sets {
		if IsPolicy(s) {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	out := make([]PolicyLine, 0, len(ids))
	for _, id := range ids {
		s := sets[id]
		r, err := NewAssessor(s).Assess(f)
		if err != nil {
			return nil, err
		}
		l := PolicyLine{RuleSet: id, Title: s.Title, Version: r.Version, Result: r, AmountFen: r.AmountFen, CapFen: r.CapFen,
			Missing: r.Missing}
		if f.AssessedOn != nil {
			if v, err := s.VersionOn(*f.AssessedOn); err == nil {
				l.DocNo, l.Jurisdiction = v.DocNo, v.Jurisdiction
				l.Assumptions = assumptionsOf(v)
				l.Assumed = len(l.Assumptions) > 0
			}
		}
		switch {
		case r.Verdict == Pass && r.AmountFen != nil:
			l.Status = PolicyEligible
		case len(r.Missing) > 0:
			l.Status = PolicyMissing
		default:
			l.Status = PolicyNotEligible
			for _, c := range r.Conditions {
				if !c.Passed {
					l.Failing = append(l.Failing, c)
				}
			}
		}
		out = append(out, l)
	}
	return out, nil
}

// assumptionsOf lists the rows of a policy version marked A that its
// amount rests on: the version itself, the amount, its parameters.
func assumptionsOf(v *Version) []string {
	var out []string
	if v.Certainty == "A" {
		out = append(out, "规则："+v.Source.Source)
	}
	if v.Amount != nil && v.Amount.Certainty == "A" {
		out = append(out, "金额："+v.Amount.Source.Source)
	}
	var ps []string
	for k, src := range v.ParamSources {
		if src.Certainty == "A" {
			ps = append(ps, k+"："+src.Source)
		}
	}
	sort.Strings(ps)
	return append(out, ps...)
}

// Tier ladder: 科技型中小企业 → 高新技术企业 → 瞪羚 → 独角兽; 雏鹰 beside it.
var (
	Ladder    = []string{"sme", "hnte", "gazelle", "unicorn"}
	SideTiers = []string{"eaglet"}
)

// TierReport is which tier the firm reaches and, for the next one, what is
// lacking.
type TierReport struct {
	Results map[string]*Result // by rule set id (those of Ladder and SideTiers present in sets)
	Reached string             // the highest tier of Ladder passed ("" none)
	Side    []string           // the side tiers passed
	Next    string             // the next tier of Ladder ("" when the top is reached)
	Advice  []Advice           // for Next, then for each side tier not passed
}

// Advice is one thing lacking for a tier: a failed gate or condition, a
// score short of the pass mark, or missing facts; Change says exactly what
// would have to change when it can be computed.
type Advice struct {
	Tier    string
	ID      string
	Label   string
	Reason  string
	Change  []string
	Missing []string
}

// NextTier assesses the firm under the tier rule sets and advises on the
// next tier.
func NextTier(sets map[string]*Set, f *Facts) (*TierReport, error) {
	rep := &TierReport{Results: map[string]*Result{}}
	for _, id := range append(slices.Clone(Ladder), SideTiers...) {
		s := sets[id]
		if s == nil {
			continue
		}
		r, err := NewAssessor(s).Assess(f)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", id, err)
		}
		rep.Results[id] = r
	}
	for _, id := range Ladder {
		if r := rep.Results[id]; r != nil && r.Verdict == Pass {
			rep.Reached = id // the highest tier passed
		}
	}
	// the next tier is the first after the highest reached
	after := rep.Reached == ""
	for _, id := range Ladder {
		if rep.Results[id] == nil {
			continue
		}
		if after {
			rep.Next = id
			break
		}
		after = id == rep.Reached
	}
	var advise []string
	if rep.Next != "" {
		advise = append(advise, rep.Next)
	}
	for _, id := range SideTiers {
		if r := rep.Results[id]; r != nil {
			if r.Verdict == Pass {
				rep.Side = append(rep.Side, id)
			} else {
				advise = append(advise, id)
			}
		}
	}
	for _, id := range advise {
		adv, err := adviceFor(sets[id], rep.Results[id], f)
		if err != nil {
			return nil, err
		}
		rep.Advice = append(rep.Advice, adv...)
	}
	return rep, nil
}

// adviceFor lists what the result lacks: each failed gate or condition
// with the change that would satisfy it, the score short of the pass mark
// with the items below their maximum, and the missing facts.
func adviceFor(s *Set, r *Result, f *Facts) ([]Advice, error) {
	if r.Verdict == Pass || f.AssessedOn == nil {
		if len(r.Missing) > 0 {
			return []Advice{{Tier: s.ID, ID: "missing", Label: "缺少事实", Reason: "请补充以下事实", Missing: r.Missing}}, nil
		}
		return nil, nil
	}
	v, err := s.VersionOn(*f.AssessedOn)
	if err != nil {
		return nil, err
	}
	env := &Env{P: v.p, N: v.n}
	buildEnv(f, env, derived{true, true, true, true, true, true, true})
	env.ensureGrowth()
	var out []Advice
	checks := append(slices.Clone(v.Gates), v.Conditions...)
	results := append(slices.Clone(r.Gates), r.Conditions...)
	for _, c := range checks {
		var cr *CheckResult
		for i := range results {
			if results[i].ID == c.ID {
				cr = &results[i]
			}
		}
		if cr == nil || cr.Passed {
			continue
		}
		a := Advice{Tier: s.ID, ID: c.ID, Label: c.Label, Reason: cr.Reason, Missing: cr.Missing}
		if len(cr.Missing) == 0 {
			a.Change = changesFor(c, v, env)
		}
		out = append(out, a)
	}
	if len(out) == 0 && r.ScoreMax != nil && s.Kind == "scored" {
		a := Advice{Tier: s.ID, ID: "score", Label: "评分",
			Reason: fmt.Sprintf("得分 %d–%d，及格线 %d", *r.ScoreMin, *r.ScoreMax, v.PassMark)}
		if *r.ScoreMax < v.PassMark {
			a.Change = append(a.Change, fmt.Sprintf("至少还需 %d 分", v.PassMark-*r.ScoreMax))
		}
		for _, it := range v.Items {
			var ir *ItemResult
			for i := range r.Items {
				if r.Items[i].ID == it.ID {
					ir = &r.Items[i]
				}
			}
			if ir == nil || ir.Max >= it.hi {
				continue
			}
			line := fmt.Sprintf("%s：%s，现 %s 分（满分 %d）", it.Label, ir.Value, pointsText(*ir), it.hi)
			if slices.Contains(v.RequirePoints, it.ID) && ir.Max == 0 {
				line += "，此项必须得分"
			}
			if up := nextBandChange(it, v, env); up != "" {
				line += "；" + up
			}
			a.Change = append(a.Change, line)
		}
		if len(a.Change) > 0 {
			out = append(out, a)
		}
	}
	if len(r.Missing) > 0 {
		out = append(out, Advice{Tier: s.ID, ID: "missing", Label: "缺少事实", Reason: "请补充以下事实", Missing: r.Missing})
	}
	return out, nil
}

// nextBandChange: for an item valued ratio(a, b) over bands, how much a
// must grow to reach the band above the firm's.
func nextBandChange(it *Item, v *Version, env *Env) string {
	if it.Value == "" || len(it.Bands) < 2 {
		return ""
	}
	tree, err := parser.Parse(it.Value)
	if err != nil {
		return ""
	}
	call, ok := tree.Node.(*ast.CallNode)
	if !ok || len(call.Arguments) != 2 {
		return ""
	}
	if id, ok := call.Callee.(*ast.IdentifierNode); !ok || id.Value != "ratio" {
		return ""
	}
	av, err1 := evalNode(call.Arguments[0], v, env)
	bv, err2 := evalNode(call.Arguments[1], v, env)
	if err1 != nil || err2 != nil {
		return ""
	}
	a, b := asInt(av), asInt(bv)
	if b <= 0 {
		return ""
	}
	cur := bandOf(it.Bands, R(a, b))
	k := slices.Index(it.Bands, cur)
	if k <= 0 {
		return ""
	}
	up := it.Bands[k-1]
	var need int64
	switch {
	case up.min != nil:
		need, _ = numeratorFor(*up.min, b, ">=")
	case up.above != nil:
		need, _ = numeratorFor(*up.above, b, ">")
	default:
		return ""
	}
	path := call.Arguments[0].String()
	amount := fmt.Sprint(need - a)
	if isMoney(path) {
		amount = Yuan(need - a)
	}
	return fmt.Sprintf("%s需再增加 %s 可达 %s 档（%d 分起）", labelOf(path), amount, up.Label, up.lo)
}

func pointsText(it ItemResult) string {
	if it.Points != nil {
		return fmt.Sprint(*it.Points)
	}
	return fmt.Sprintf("%d–%d", it.Min, it.Max)
}

// changesFor finds, in a failed check's expression, the comparisons that
// do not hold (following the branch a conditional takes) and says for each
// how far the fact must move: for ratio(a, b) ≥ t the amount a must grow
// by, ⌈t·b⌉ − a (exactly); for x ≥ n, x ≤ n the gap.
func changesFor(c *Check, v *Version, env *Env) []string {
	var out []string
	exprs := []string{c.Expr}
	for _, s := range c.AnyOf {
		exprs = append(exprs, s.Expr)
	}
	for _, src := range exprs {
		if src == "" {
			continue
		}
		tree, err := parser.Parse(src)
		if err != nil {
			continue
		}
		walkFailed(tree.Node, v, env, &out)
	}
	return out
}

func walkFailed(n ast.Node, v *Version, env *Env, out *[]string) {
	switch x := n.(type) {
	case *ast.ConditionalNode:
		ok, err := evalNode(x.Cond, v, env)
		if err != nil {
			return
		}
		if b, _ := ok.(bool); b {
			walkFailed(x.Exp1, v, env, out)
		} else {
			walkFailed(x.Exp2, v, env, out)
		}
	case *ast.BinaryNode:
		switch x.Operator {
		case "&&", "and", "||", "or":
			walkFailed(x.Left, v, env, out)
			walkFailed(x.Right, v, env, out)
		case ">=", ">", "<=", "<":
			if s := comparisonChange(x, v, env); s != "" {
				*out = append(*out, s)
			}
		}
	}
}

func evalNode(n ast.Node, v *Version, env *Env) (any, error) {
	p, err := compileWith(v, n.String())
	if err != nil {
		return nil, err
	}
	var m vm.VM
	return m.Run(p, env)
}

// compileWith compiles an expression with the version's parameters (the
// guidance's sub-expressions; not the hot path).
func compileWith(v *Version, src string) (*vm.Program, error) {
	compileMu.Lock()
	defer compileMu.Unlock()
	saveP, saveN, saveNeeds := compileP, compileN, compileNeeds
	defer func() { compileP, compileN, compileNeeds = saveP, saveN, saveNeeds }()
	compileP, compileN, compileNeeds = v.p, v.n, map[string]bool{}
	p, _, err := compile1(src, "guide")
	return p, err
}

// factLabel names an expression path for the reader.
var factLabel = map[string]string{
	"employees": "职工总数", "tech_staff": "科技人员数", "total_assets_fen": "资产总额", "rd_3y": "近三年研发费用",
	"sales_3y": "近三年销售收入", "rd_domestic_3y": "近三年境内研发费用", "tech_activity_4y": "近四年科技活动投入",
	"sales_4y": "近四年销售收入", "y.sales_revenue_fen": "上年销售收入", "y.total_income_fen": "上年总收入",
	"y.hightech_revenue_fen": "上年高新技术产品（服务）收入", "y.rd_expense_fen": "上年研发费用", "y.cost_total_fen": "上年成本费用",
	"y.employees": "上年末职工数", "ip.class1": "Ⅰ类知识产权", "ip.class2": "Ⅱ类知识产权", "conversions_3y": "近三年成果转化数",
	"age_years": "成立年限", "age_days": "成立天数",
}

func labelOf(path string) string {
	if l, ok := factLabel[path]; ok {
		return l
	}
	return path
}

func isMoney(path string) bool {
	return strings.HasSuffix(path, "_fen") || strings.HasSuffix(path, "_3y") && path != "conversions_3y" || strings.HasSuffix(path, "_4y")
}

func comparisonChange(x *ast.BinaryNode, v *Version, env *Env) string {
	lv, err1 := evalNode(x.Left, v, env)
	rv, err2 := evalNode(x.Right, v, env)
	if err1 != nil || err2 != nil {
		return ""
	}
	holds, err := evalNode(x, v, env)
	if err != nil {
		return ""
	}
	if b, _ := holds.(bool); b {
		return ""
	}
	// ratio(a, b) OP t: the numerator's change
	if call, ok := x.Left.(*ast.CallNode); ok && len(call.Arguments) == 2 {
		if id, ok := call.Callee.(*ast.IdentifierNode); ok && id.Value == "ratio" {
			t, ok1 := rv.(Rat)
			av, err1 := evalNode(call.Arguments[0], v, env)
			bv, err2 := evalNode(call.Arguments[1], v, env)
			if !ok1 || err1 != nil || err2 != nil || !t.defined() {
				return ""
			}
			a, b := asInt(av), asInt(bv)
			path := call.Arguments[0].String()
			cur := R(a, b)
			need, dir := numeratorFor(t, b, x.Operator)
			head := fmt.Sprintf("%s/%s %s，要求 %s %s", labelOf(path), labelOf(call.Arguments[1].String()), cur.Pct(), x.Operator, t.Pct())
			if b == 0 {
				return head + "：分母为 0，需先有" + labelOf(call.Arguments[1].String())
			}
			delta := need - a
			if dir < 0 {
				delta = a - need
			}
			verb := "需再增加"
			if dir < 0 {
				verb = "需减少"
			}
			amount := fmt.Sprint(delta)
			if isMoney(path) {
				amount = Yuan(delta)
			}
			return fmt.Sprintf("%s：%s%s %s", head, labelOf(path), verb, amount)
		}
	}
	l, okl := lv.(int64)
	r, okr := rv.(int64)
	if li, ok := lv.(int); ok {
		l, okl = int64(li), true
	}
	if ri, ok := rv.(int); ok {
		r, okr = int64(ri), true
	}
	if !okl || !okr {
		return ""
	}
	path := x.Left.String()
	var delta int64
	verb := "需再增加"
	switch x.Operator {
	case ">=":
		delta = r - l
	case ">":
		delta = r - l + 1
	case "<=":
		delta, verb = l-r, "需减少"
	case "<":
		delta, verb = l-r+1, "需减少"
	}
	amount, bound := fmt.Sprint(delta), fmt.Sprint(r)
	if isMoney(path) {
		amount, bound = Yuan(delta), Yuan(r)
	}
	return fmt.Sprintf("%s 应 %s %s：%s%s %s", labelOf(path), x.Operator, bound, labelOf(path), verb, amount)
}

// numeratorFor is the least (dir > 0) or greatest (dir < 0) integer a with
// a/b OP t, exactly (b > 0).
func numeratorFor(t Rat, b int64, op string) (a int64, dir int) {
	if b <= 0 {
		return 0, 1
	}
	x := new(big.Rat).Mul(t.big(), new(big.Rat).SetInt64(b)) // a OP x
	num, den := x.Num(), x.Denom()
	q, m := new(big.Int).DivMod(num, den, new(big.Int)) // floor
	exact := m.Sign() == 0
	switch op {
	case ">=":
		if !exact {
			q.Add(q, big.NewInt(1))
		}
		return q.Int64(), 1
	case ">":
		return q.Add(q, big.NewInt(1)).Int64(), 1
	case "<=":
		return q.Int64(), -1
	default: // <
		if exact {
			q.Sub(q, big.NewInt(1))
		}
		return q.Int64(), -1
	}
}
