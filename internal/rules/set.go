// Package rules is the policy rule engine: rule sets as versioned data files
// (band tables, gates and conditions as expr expressions over the facts of
// FACTS.md), the version in force on assessed_on chosen, exact arithmetic
// at every threshold, and a result that explains every gate and item and
// names the facts it lacks. It imports only the standard library and expr.
package rules

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/expr-lang/expr"
	"github.com/expr-lang/expr/ast"
	"github.com/expr-lang/expr/parser"
	"github.com/expr-lang/expr/vm"
)

//go:embed sets/*.json
var embedded embed.FS

// Embedded is the built-in rule sets' directory.
func Embedded() fs.FS { sub, _ := fs.Sub(embedded, "sets"); return sub }

// File is a rule file: one rule set, its versions.
type File struct {
	ID       string     `json:"id"`
	Title    string     `json:"title"`
	Kind     string     `json:"kind"` // scored, conditions, policy
	Versions []*Version `json:"versions"`
}

// Source is where a row comes from and how sure it is: V verified in the
// rule's own text, S secondary source, A assumption (configuration).
type Source struct {
	Source    string `json:"source"`
	Certainty string `json:"certainty"`
}

// Version is one version of a rule set, in force from EffectiveFrom to
// EffectiveTo (both inclusive; empty To: open).
type Version struct {
	Version       string `json:"version"`
	Jurisdiction  string `json:"jurisdiction"`
	DocNo         string `json:"doc_no"`
	EffectiveFrom string `json:"effective_from"`
	EffectiveTo   string `json:"effective_to"`
	Source
	Params        map[string]json.RawMessage `json:"params"`
	ParamSources  map[string]Source          `json:"param_sources"`
	PassMark      int                        `json:"pass_mark"`
	RequirePoints []string                   `json:"require_points"`
	GroupCaps     map[string]int             `json:"group_caps"`
	Gates         []*Check                   `json:"gates"`
	Routes        []*Check                   `json:"routes"`
	Items         []*Item                    `json:"items"`
	Conditions    []*Check                   `json:"conditions"`
	Amount        *Amount                    `json:"amount"`

	p map[string]Rat
	n map[string]int64
	d derived // the costlier derived facts its expressions read
}

// Check is a gate, a direct route or a condition: an expression, or any
// one of several sub-checks; Pass/Fail are the reasons, with {expression}
// placeholders.
type Check struct {
	ID    string   `json:"id"`
	Label string   `json:"label"`
	Expr  string   `json:"expr"`
	AnyOf []*Check `json:"any_of"`
	Pass  string   `json:"pass"`
	Fail  string   `json:"fail"`
	Source

	prog       *vm.Program
	needs      []string
	pass, fail *tmpl
}

// Item is a scored item: a value over bands, the best of several routes,
// or the first matching case; Expert names the expert_scores key that
// makes a range exact.
type Item struct {
	ID     string   `json:"id"`
	Label  string   `json:"label"`
	Group  string   `json:"group"`
	Value  string   `json:"value"`
	Format string   `json:"format"` // pct (default for ratios), int, yuan
	Bands  []*Band  `json:"bands"`
	Routes []*Route `json:"routes"`
	Cases  []*Case  `json:"cases"`
	Expert string   `json:"expert"`
	Source

	prog   *vm.Program
	needs  []string
	lo, hi int // the whole range of the item
}

// Route is one way of scoring an item (研发投入: by revenue or by cost).
type Route struct {
	ID    string  `json:"id"`
	Label string  `json:"label"`
	When  string  `json:"when"`
	Value string  `json:"value"`
	Bands []*Band `json:"bands"`

	when, prog *vm.Program
	needs      []string
}

// Band is a row of a band table: value ≥ Min, or > Above, or (neither) the
// rest; Points a number or a [min, max] range.
type Band struct {
	Label  string          `json:"label"`
	Min    json.RawMessage `json:"min"`
	Above  json.RawMessage `json:"above"`
	Points json.RawMessage `json:"points"`

	min, above *Rat
	lo, hi     int
}

// Case is a row of a case table: the first whose When holds gives Points.
type Case struct {
	Label  string          `json:"label"`
	When   string          `json:"when"`
	Points json.RawMessage `json:"points"`

	prog   *vm.Program
	needs  []string
	lo, hi int
}

// Amount is a policy's money: Expr in fen, capped by Cap (an expression).
type Amount struct {
	Expr string `json:"expr"`
	Cap  string `json:"cap"`
	Source

	prog, cap *vm.Program
	needs     []string
	capNeeds  []string
}

// Set is a loaded rule set: its versions compiled.
type Set struct {
	File
	Path string
}

var exprOptions = []expr.Option{
	expr.Env(Env{}), // a value: fields are then loaded by index (OpLoadField), not looked up by name
	expr.Function("ratio", func(p ...any) (any, error) { return ratio(asInt(p[0]), asInt(p[1])), nil }, new(func(int64, int64) Rat)),
	expr.Function("rat", func(p ...any) (any, error) { return R(asInt(p[0]), 1), nil }, new(func(int64) Rat)),
	expr.Function("share", func(p ...any) (any, error) { return MulFloor(asInt(p[0]), p[1].(Rat)), nil }, new(func(int64, Rat) int64)),
	expr.Function("defined", func(p ...any) (any, error) { return p[0].(Rat).defined(), nil }, new(func(Rat) bool)),
	expr.Function("pct", func(p ...any) (any, error) { return p[0].(Rat).Pct(), nil }, new(func(Rat) string)),
	expr.Function("yuan", func(p ...any) (any, error) { return Yuan(asInt(p[0])), nil }, new(func(int64) string)),
	expr.Function("ratGE", func(p ...any) (any, error) { return ratCmp(p, func(c int) bool { return c >= 0 }), nil }, new(func(Rat, Rat) bool)),
	expr.Function("ratGT", func(p ...any) (any, error) { return ratCmp(p, func(c int) bool { return c > 0 }), nil }, new(func(Rat, Rat) bool)),
	expr.Function("ratLE", func(p ...any) (any, error) { return ratCmp(p, func(c int) bool { return c <= 0 }), nil }, new(func(Rat, Rat) bool)),
	expr.Function("ratLT", func(p ...any) (any, error) { return ratCmp(p, func(c int) bool { return c < 0 }), nil }, new(func(Rat, Rat) bool)),
	expr.Function("ratEQ", func(p ...any) (any, error) { return ratCmp(p, func(c int) bool { return c == 0 }), nil }, new(func(Rat, Rat) bool)),
}

// operators come after the parameters are patched in, so that a ratio
// parameter's comparisons are the exact ones.
var operatorOptions = []expr.Option{
	expr.Operator(">=", "ratGE"), expr.Operator(">", "ratGT"), expr.Operator("<=", "ratLE"),
	expr.Operator("<", "ratLT"), expr.Operator("==", "ratEQ"),
}

// paramPatcher replaces p.<name> and n.<name> by the version's constant
// values at compile time (no map look-up per firm).
type paramPatcher struct {
	p map[string]Rat
	n map[string]int64
}

func (pp paramPatcher) Visit(node *ast.Node) {
	m, ok := (*node).(*ast.MemberNode)
	if !ok {
		return
	}
	id, ok1 := m.Node.(*ast.IdentifierNode)
	prop, ok2 := m.Property.(*ast.StringNode)
	if !ok1 || !ok2 {
		return
	}
	switch id.Value {
	case "p":
		if v, ok := pp.p[prop.Value]; ok {
			ast.Patch(node, &ast.ConstantNode{Value: v})
		}
	case "n":
		if v, ok := pp.n[prop.Value]; ok {
			ast.Patch(node, &ast.ConstantNode{Value: v})
		}
	}
}

// asInt reads an integer argument: expr's builtins (sum, len) give int.
func asInt(v any) int64 {
	switch x := v.(type) {
	case int64:
		return x
	case int:
		return int64(x)
	case int32:
		return int64(x)
	}
	return 0
}

// ratCmp: an undefined ratio (a zero denominator) satisfies no comparison.
func ratCmp(p []any, ok func(int) bool) bool {
	a, b := p[0].(Rat), p[1].(Rat)
	if !a.defined() || !b.defined() {
		return false
	}
	return ok(a.Cmp(b))
}

// Yuan formats fen as yuan with the 万元/亿元 units a reader expects.
func Yuan(fen int64) string {
	neg := fen < 0
	if neg {
		fen = -fen
	}
	s := ""
	switch {
	case fen >= 10_000_000_000 && fen%1_000_000 == 0:
		s = trimZeros(fmt.Sprintf("%d.%04d", fen/10_000_000_000, fen%10_000_000_000/1_000_000)) + "亿元"
	case fen >= 1_000_000 && fen%100 == 0:
		s = trimZeros(fmt.Sprintf("%d.%04d", fen/1_000_000, fen%1_000_000/100)) + "万元"
	default:
		s = trimZeros(fmt.Sprintf("%d.%02d", fen/100, fen%100)) + "元"
	}
	if neg {
		return "-" + s
	}
	return s
}

func trimZeros(s string) string {
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

// compile compiles one expression of a rule file and lists the facts it
// reads; where names the row for the error.
func compile(src, where string, opts ...expr.Option) (*vm.Program, []string, error) {
	prog, needs, err := compile1(src, where, opts...)
	for _, n := range needs {
		compileNeeds[n] = true
	}
	return prog, needs, err
}

// compileNeeds collects the facts read by the version being compiled
// (loading is sequential: LoadDir and Load are not called concurrently).
var (
	compileNeeds = map[string]bool{}
	compileMu    sync.Mutex
	// the version's parameters, patched into its expressions
	compileP map[string]Rat
	compileN map[string]int64
)

func compile1(src, where string, opts ...expr.Option) (*vm.Program, []string, error) {
	if strings.TrimSpace(src) == "" {
		return nil, nil, fmt.Errorf("%s: 表达式为空 (empty expression)", where)
	}
	o := append(slices.Clone(exprOptions), expr.Patch(paramPatcher{compileP, compileN}))
	o = append(o, operatorOptions...)
	prog, err := expr.Compile(src, append(o, opts...)...)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: 表达式 %q 无法编译: %v", where, src, err)
	}
	tree, err := parser.Parse(src)
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %v", where, err)
	}
	c := &collector{consumed: map[*ast.IdentifierNode]bool{}, set: map[string]bool{}}
	ast.Walk(&tree.Node, c)
	for _, id := range c.idents {
		if !c.consumed[id] {
			c.set[id.Value] = true
		}
	}
	var needs []string
	for p := range c.set {
		if fns[p] {
			continue
		}
		if !knownPath(p) {
			return nil, nil, fmt.Errorf("%s: 表达式 %q 读取了未知事实 %s (unknown fact)", where, src, p)
		}
		if strings.HasPrefix(p, "p.") || strings.HasPrefix(p, "n.") {
			continue
		}
		needs = append(needs, p)
	}
	sort.Strings(needs)
	return prog, needs, nil
}

var fns = map[string]bool{"ratio": true, "rat": true, "share": true, "defined": true, "pct": true, "yuan": true,
	"ratGE": true, "ratGT": true, "ratLE": true, "ratLT": true, "ratEQ": true, "p": true, "n": true}

type collector struct {
	idents   []*ast.IdentifierNode
	consumed map[*ast.IdentifierNode]bool
	set      map[string]bool
}

func (c *collector) Visit(node *ast.Node) {
	switch n := (*node).(type) {
	case *ast.IdentifierNode:
		c.idents = append(c.idents, n)
	case *ast.MemberNode:
		if id, ok := n.Node.(*ast.IdentifierNode); ok {
			if s, ok := n.Property.(*ast.StringNode); ok {
				c.consumed[id] = true
				c.set[id.Value+"."+s.Value] = true
			}
		}
	}
}

// tmpl is a reason with {expression} placeholders.
type tmpl struct {
	parts []string // literal, placeholder, literal, …
	progs []*vm.Program
}

var placeholder = regexp.MustCompile(`\{[^{}]+\}`)

func compileTmpl(s, where string) (*tmpl, error) {
	t := &tmpl{}
	last := 0
	for _, m := range placeholder.FindAllStringIndex(s, -1) {
		t.parts = append(t.parts, s[last:m[0]])
		prog, _, err := compile(s[m[0]+1:m[1]-1], where)
		if err != nil {
			return nil, err
		}
		t.progs = append(t.progs, prog)
		last = m[1]
	}
	t.parts = append(t.parts, s[last:])
	return t, nil
}

func (t *tmpl) render(m *vm.VM, e *Env) string {
	if t == nil {
		return ""
	}
	var b strings.Builder
	for i, p := range t.parts {
		b.WriteString(p)
		if i < len(t.progs) {
			v, err := m.Run(t.progs[i], e)
			if err != nil {
				b.WriteString("?")
				continue
			}
			b.WriteString(format(v, ""))
		}
	}
	return b.String()
}

func format(v any, f string) string {
	switch x := v.(type) {
	case Rat:
		if f == "ratio" {
			return x.String()
		}
		return x.Pct()
	case int64:
		if f == "yuan" {
			return Yuan(x)
		}
		return strconv.FormatInt(x, 10)
	case int:
		return strconv.Itoa(x)
	case string:
		return x
	case bool:
		if x {
			return "是"
		}
		return "否"
	}
	return fmt.Sprint(v)
}

// LoadDir loads every rule file (<id>.json, not *.cases.json) of a
// directory: the embedded one, or the bureau's copy (--rules-dir).
func LoadDir(fsys fs.FS) (map[string]*Set, error) {
	names, err := fs.Glob(fsys, "*.json")
	if err != nil {
		return nil, err
	}
	sets := map[string]*Set{}
	for _, n := range names {
		if strings.HasSuffix(n, ".cases.json") {
			continue
		}
		b, err := fs.ReadFile(fsys, n)
		if err != nil {
			return nil, err
		}
		s, err := Load(b, n)
		if err != nil {
			return nil, err
		}
		if s.ID+".json" != n {
			return nil, fmt.Errorf("%s: 规则集 id %q 与文件名不符 (the id must match the file name)", n, s.ID)
		}
		sets[s.ID] = s
	}
	if len(sets) == 0 {
		return nil, fmt.Errorf("目录中没有规则文件 (no rule files)")
	}
	return sets, nil
}

// OpenDir is LoadDir over a directory of the file system; "" is the
// embedded rule sets.
func OpenDir(dir string) (map[string]*Set, fs.FS, error) {
	var fsys fs.FS = Embedded()
	if dir != "" {
		if st, err := os.Stat(dir); err != nil || !st.IsDir() {
			return nil, nil, fmt.Errorf("规则目录 %s 不存在或不是目录 (no such directory)", dir)
		}
		fsys = os.DirFS(filepath.Clean(dir))
	}
	sets, err := LoadDir(fsys)
	return sets, fsys, err
}

// Load reads and compiles one rule file.
func Load(b []byte, name string) (*Set, error) {
	s := &Set{Path: name}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s.File); err != nil {
		return nil, fmt.Errorf("%s: %v", name, err)
	}
	if s.ID == "" {
		return nil, fmt.Errorf("%s: 缺少 id", name)
	}
	switch s.Kind {
	case "scored", "conditions", "policy":
	default:
		return nil, fmt.Errorf("%s: kind 应为 scored、conditions 或 policy，实际为 %q", name, s.Kind)
	}
	if len(s.Versions) == 0 {
		return nil, fmt.Errorf("%s: 没有版本 (no versions)", name)
	}
	for i, v := range s.Versions {
		where := fmt.Sprintf("%s versions[%d]", name, i)
		if err := s.compileVersion(v, where); err != nil {
			return nil, err
		}
	}
	sort.SliceStable(s.Versions, func(i, j int) bool { return s.Versions[i].EffectiveFrom < s.Versions[j].EffectiveFrom })
	for i := 1; i < len(s.Versions); i++ {
		prev := s.Versions[i-1]
		if prev.EffectiveTo == "" || prev.EffectiveTo >= s.Versions[i].EffectiveFrom {
			return nil, fmt.Errorf("%s: 版本 %q 与 %q 的有效期重叠 (versions overlap)", name, prev.Version, s.Versions[i].Version)
		}
	}
	return s, nil
}

func checkSource(src Source, where string) error {
	switch src.Certainty {
	case "V", "S", "A":
	default:
		return fmt.Errorf("%s: certainty 应为 V、S 或 A，实际为 %q", where, src.Certainty)
	}
	if strings.TrimSpace(src.Source) == "" {
		return fmt.Errorf("%s: 缺少 source", where)
	}
	return nil
}

func (s *Set) compileVersion(v *Version, where string) error {
	compileMu.Lock()
	defer compileMu.Unlock()
	compileNeeds = map[string]bool{}
	defer func() { v.d = derivedOf(compileNeeds) }()
	if _, err := parseDate(v.EffectiveFrom); err != nil {
		return fmt.Errorf("%s: effective_from 应为 YYYY-MM-DD", where)
	}
	if v.EffectiveTo != "" {
		if _, err := parseDate(v.EffectiveTo); err != nil {
			return fmt.Errorf("%s: effective_to 应为 YYYY-MM-DD", where)
		}
	}
	if v.Version == "" || v.DocNo == "" || v.Jurisdiction == "" {
		return fmt.Errorf("%s: version、doc_no 和 jurisdiction 都必须填写", where)
	}
	if err := checkSource(v.Source, where); err != nil {
		return err
	}
	v.p, v.n = map[string]Rat{}, map[string]int64{}
	for k, raw := range v.Params {
		if err := checkSource(v.ParamSources[k], where+" params."+k); err != nil {
			return err
		}
		var str string
		var num int64
		switch {
		case json.Unmarshal(raw, &num) == nil:
			v.n[k] = num
		case json.Unmarshal(raw, &str) == nil:
			r, err := ParseRat(str)
			if err != nil {
				return fmt.Errorf("%s params.%s: %v", where, k, err)
			}
			v.p[k] = r
		default:
			return fmt.Errorf("%s params.%s: 应为整数或比例字符串", where, k)
		}
	}
	for k := range v.ParamSources {
		if _, ok := v.Params[k]; !ok {
			return fmt.Errorf("%s param_sources.%s: 没有这个参数", where, k)
		}
	}
	compileP, compileN = v.p, v.n
	defer func() { compileP, compileN = nil, nil }()
	var checks func(cs []*Check, w string) error
	checks = func(cs []*Check, w string) error {
		for i, c := range cs {
			cw := fmt.Sprintf("%s[%d] %s", w, i, c.ID)
			if c.ID == "" || c.Label == "" {
				return fmt.Errorf("%s: id 和 label 都必须填写", cw)
			}
			if len(c.AnyOf) > 0 {
				if c.Expr != "" {
					return fmt.Errorf("%s: expr 与 any_of 只能有一个", cw)
				}
				if err := checks(c.AnyOf, cw+" any_of"); err != nil {
					return err
				}
			} else {
				var err error
				if c.prog, c.needs, err = compile(c.Expr, cw, expr.AsBool()); err != nil {
					return err
				}
				if err := v.paramsDefined(c.Expr, cw); err != nil {
					return err
				}
			}
			if err := checkSource(c.Source, cw); err != nil && w != "any_of" {
				if len(c.AnyOf) == 0 && !strings.Contains(w, "any_of") {
					return err
				}
			}
			var err error
			if c.pass, err = compileTmpl(c.Pass, cw+" pass"); err != nil {
				return err
			}
			if c.fail, err = compileTmpl(c.Fail, cw+" fail"); err != nil {
				return err
			}
		}
		return nil
	}
	if err := checks(v.Gates, where+" gates"); err != nil {
		return err
	}
	if err := checks(v.Routes, where+" routes"); err != nil {
		return err
	}
	if err := checks(v.Conditions, where+" conditions"); err != nil {
		return err
	}
	if s.Kind == "scored" {
		if len(v.Items) == 0 || v.PassMark <= 0 {
			return fmt.Errorf("%s: 评分类规则集需要 items 和 pass_mark", where)
		}
	} else if len(v.Items) > 0 || len(v.Gates) > 0 {
		return fmt.Errorf("%s: 只有评分类 (scored) 规则集有 gates 和 items", where)
	}
	ids := map[string]bool{}
	for i, it := range v.Items {
		iw := fmt.Sprintf("%s items[%d] %s", where, i, it.ID)
		if it.ID == "" || it.Label == "" || ids[it.ID] {
			return fmt.Errorf("%s: id（不重复）和 label 都必须填写", iw)
		}
		ids[it.ID] = true
		if err := checkSource(it.Source, iw); err != nil {
			return err
		}
		if err := v.compileItem(it, iw); err != nil {
			return err
		}
	}
	for _, id := range v.RequirePoints {
		if !ids[id] {
			return fmt.Errorf("%s require_points: 没有条目 %s", where, id)
		}
	}
	if s.Kind == "policy" {
		if v.Amount == nil {
			return fmt.Errorf("%s: 政策规则集需要 amount", where)
		}
		if err := checkSource(v.Amount.Source, where+" amount"); err != nil {
			return err
		}
		var err error
		if v.Amount.prog, v.Amount.needs, err = compile(v.Amount.Expr, where+" amount.expr", expr.AsInt64()); err != nil {
			return err
		}
		if v.Amount.Cap != "" {
			if v.Amount.cap, v.Amount.capNeeds, err = compile(v.Amount.Cap, where+" amount.cap", expr.AsInt64()); err != nil {
				return err
			}
		}
		if err := v.paramsDefined(v.Amount.Expr+" "+v.Amount.Cap, where+" amount"); err != nil {
			return err
		}
	}
	return nil
}

var paramRef = regexp.MustCompile(`\b([pn])\.([a-z0-9_]+)`)

func (v *Version) paramsDefined(src, where string) error {
	for _, m := range paramRef.FindAllStringSubmatch(src, -1) {
		ok := false
		if m[1] == "p" {
			_, ok = v.p[m[2]]
		} else {
			_, ok = v.n[m[2]]
		}
		if !ok {
			return fmt.Errorf("%s: 参数 %s.%s 未在 params 中定义（比例用字符串如 \"60%%\"，整数用数字）", where, m[1], m[2])
		}
	}
	return nil
}

func points(raw json.RawMessage, where string) (int, int, error) {
	var n int
	if json.Unmarshal(raw, &n) == nil {
		return n, n, nil
	}
	var r []int
	if json.Unmarshal(raw, &r) == nil && len(r) == 2 && r[0] <= r[1] && r[0] >= 0 {
		return r[0], r[1], nil
	}
	return 0, 0, fmt.Errorf("%s: points 应为整数或 [最低, 最高]", where)
}

func compileBands(bs []*Band, where string) (lo, hi int, err error) {
	if len(bs) == 0 {
		return 0, 0, fmt.Errorf("%s: 没有 bands", where)
	}
	lo, hi = 1<<30, -1
	for i, b := range bs {
		bw := fmt.Sprintf("%s bands[%d]", where, i)
		rd := func(raw json.RawMessage) (*Rat, error) {
			if len(raw) == 0 {
				return nil, nil
			}
			var s string
			if json.Unmarshal(raw, &s) != nil {
				s = string(raw)
			}
			r, err := ParseRat(s)
			if err != nil {
				return nil, fmt.Errorf("%s: %v", bw, err)
			}
			return &r, nil
		}
		if b.min, err = rd(b.Min); err != nil {
			return
		}
		if b.above, err = rd(b.Above); err != nil {
			return
		}
		if b.min != nil && b.above != nil {
			return 0, 0, fmt.Errorf("%s: min 与 above 只能有一个", bw)
		}
		if (b.min == nil && b.above == nil) != (i == len(bs)-1) {
			return 0, 0, fmt.Errorf("%s: 只有最后一档没有下限 (only the last band is open below)", bw)
		}
		if i > 0 && b.min != nil || i > 0 && b.above != nil {
			prev := bs[i-1]
			pv, cv := prev.min, b.min
			if pv == nil {
				pv = prev.above
			}
			if cv == nil {
				cv = b.above
			}
			if cv.Cmp(*pv) > 0 {
				return 0, 0, fmt.Errorf("%s: 各档应从高到低排列 (bands from the top down)", bw)
			}
		}
		if b.lo, b.hi, err = points(b.Points, bw); err != nil {
			return
		}
		lo, hi = min(lo, b.lo), max(hi, b.hi)
	}
	return lo, hi, nil
}

func (v *Version) compileItem(it *Item, where string) error {
	n := 0
	for _, x := range []bool{it.Value != "", len(it.Routes) > 0, len(it.Cases) > 0} {
		if x {
			n++
		}
	}
	if n != 1 {
		return fmt.Errorf("%s: value+bands、routes 与 cases 必须恰好有一个", where)
	}
	var err error
	switch {
	case it.Value != "":
		if it.prog, it.needs, err = compile(it.Value, where+" value"); err != nil {
			return err
		}
		if err := v.paramsDefined(it.Value, where); err != nil {
			return err
		}
		it.lo, it.hi, err = compileBands(it.Bands, where)
		return err
	case len(it.Routes) > 0:
		it.lo, it.hi = 1<<30, -1
		for i, r := range it.Routes {
			rw := fmt.Sprintf("%s routes[%d] %s", where, i, r.ID)
			var wn []string
			if r.When != "" {
				if r.when, wn, err = compile(r.When, rw+" when", expr.AsBool()); err != nil {
					return err
				}
			}
			if r.prog, r.needs, err = compile(r.Value, rw+" value"); err != nil {
				return err
			}
			r.needs = append(r.needs, wn...)
			lo, hi, err := compileBands(r.Bands, rw)
			if err != nil {
				return err
			}
			it.lo, it.hi = min(it.lo, lo), max(it.hi, hi)
		}
	default:
		it.lo, it.hi = 1<<30, -1
		for i, c := range it.Cases {
			cw := fmt.Sprintf("%s cases[%d]", where, i)
			if c.prog, c.needs, err = compile(c.When, cw, expr.AsBool()); err != nil {
				return err
			}
			if err := v.paramsDefined(c.When, cw); err != nil {
				return err
			}
			if c.lo, c.hi, err = points(c.Points, cw); err != nil {
				return err
			}
			it.lo, it.hi = min(it.lo, c.lo), max(it.hi, c.hi)
		}
	}
	return nil
}

// VersionOn is the version in force on the day (YYYY-MM-DD).
func (s *Set) VersionOn(day string) (*Version, error) {
	for _, v := range s.Versions {
		if v.EffectiveFrom <= day && (v.EffectiveTo == "" || day <= v.EffectiveTo) {
			return v, nil
		}
	}
	return nil, fmt.Errorf("规则集 %s 在 %s 没有有效版本 (no version in force)", s.ID, day)
}
