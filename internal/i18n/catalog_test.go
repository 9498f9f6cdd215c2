package i18n_test

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"text/template/parse"
	"unicode"

	"kechuang/internal/i18n"
)

// sourceDirs are the packages whose Chinese string literals reach users:
// every such literal is a message id and needs an English entry.
var sourceDirs = []string{"../domain", "../evaluate", "../service", "../store", "../httpapi", "../httpx", "../web", "../textnorm"}

// notMessages are Chinese literals in those packages that are not shown as
// messages, each with the reason.
var notMessages = map[string]string{
	`{"redacted":"草稿内容仅对所属机构可见"}`: "stored in the audit log as data",
	"元":          "ParseYuan accepts a trailing 元 on input",
	"%s%s.%02d元": "domain.FormatYuan; i18n.Yuan formats per language",
	"%d.%02d亿元":  "domain.FormatYi; i18n.Yi formats per language",
	"技术合同-":      "export file name",
	"技术合同导入模板":   "template file name; the import format itself is Chinese",
	"缺少第 %d 条记录（下一条为第 %d 条）":                      "audit verify reason, formatted in store (left in Chinese)",
	"第 %d 条记录的前序哈希与第 %d 条的哈希不一致":                  "audit verify reason, formatted in store (left in Chinese)",
	"第 %d 条记录的内容与其哈希不符（被篡改）":                      "audit verify reason, formatted in store (left in Chinese)",
	"日志末尾被截断：链头记录到第 %d 条，实际只有 %d 条":               "audit verify reason, formatted in store (left in Chinese)",
	"第 %d 条记录的内容与其密钥哈希不符（被篡改，或审计密钥不对）":            "audit verify reason, formatted in store (left in Chinese)",
	"缺少审计密钥：第 %d 条起的记录以密钥签名，无法校验":                 "audit verify reason, formatted in store (left in Chinese)",
	"第 %d 条记录的哈希与外部锚点（%s）不符：第 %d 至第 %d 条之间有记录被改写": "audit verify reason, formatted in store (left in Chinese)",
	"日志末尾被截断：外部锚点（%s）记录到第 %d 条，数据库只有 %d 条":        "audit verify reason, formatted in store (left in Chinese)",
	"密钥起点被改动：外部锚点（%s）记载自第 %d 条起以密钥签名，数据库记载第 %d 条": "audit verify reason, formatted in store (left in Chinese)",
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// hasCJK also catches the full-width punctuation that would look wrong in
// an English page (（）：，。“” and the like).
func hasCJK(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) || (r >= 0x3000 && r <= 0x303f) || (r >= 0xff00 && r <= 0xffef) {
			return true
		}
	}
	return false
}

// goMessages returns every Chinese string literal of the source packages.
func goMessages(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	fset := token.NewFileSet()
	for _, dir := range sourceDirs {
		files, _ := filepath.Glob(filepath.Join(dir, "*.go"))
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			file, err := parser.ParseFile(fset, f, nil, parser.SkipObjectResolution)
			if err != nil {
				t.Fatal(err)
			}
			ast.Inspect(file, func(n ast.Node) bool {
				if key, ok := tcKey(n); ok { // i18n.TC(l, "context", "msgid", …)
					out[key] = fset.Position(n.Pos()).String()
				}
				lit, ok := n.(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					return true
				}
				s, err := strconv.Unquote(lit.Value)
				if err == nil && hasHan(s) {
					if _, skip := notMessages[s]; !skip {
						out[s] = fset.Position(lit.Pos()).String()
					}
				}
				return true
			})
		}
	}
	return out
}

// tcKey returns the catalogue key of an i18n.TC call with literal
// context and id.
func tcKey(n ast.Node) (string, bool) {
	call, ok := n.(*ast.CallExpr)
	if !ok || len(call.Args) < 3 {
		return "", false
	}
	if sel, ok := call.Fun.(*ast.SelectorExpr); !ok || sel.Sel.Name != "TC" {
		return "", false
	}
	var parts [2]string
	for i := range parts {
		lit, ok := call.Args[i+1].(*ast.BasicLit)
		if !ok || lit.Kind != token.STRING {
			return "", false
		}
		parts[i], _ = strconv.Unquote(lit.Value)
	}
	return parts[0] + "|" + parts[1], true
}

// templateFiles parses every page template into its trees.
func templateFiles(t *testing.T) map[string][]*parse.Tree {
	t.Helper()
	var files []string // templates/<module>/ included
	filepath.WalkDir("../web/templates", func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".html") {
			files = append(files, path)
		}
		return err
	})
	if len(files) == 0 {
		t.Fatal("no templates found")
	}
	out := map[string][]*parse.Tree{}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		tr := parse.New(filepath.Base(f))
		tr.Mode = parse.SkipFuncCheck
		trees := map[string]*parse.Tree{}
		if _, err := tr.Parse(string(src), "{{", "}}", trees); err != nil {
			t.Fatal(err)
		}
		for _, tree := range trees {
			out[f] = append(out[f], tree)
		}
	}
	return out
}

// isMsgCall reports whether a command calls t, th or tc with a literal
// id, returning the catalogue key and the argument index of the id.
func isMsgCall(c *parse.CommandNode) (string, int, bool) {
	id, ok := c.Args[0].(*parse.IdentifierNode)
	if !ok {
		return "", 0, false
	}
	lit := func(i int) (string, bool) {
		if i >= len(c.Args) {
			return "", false
		}
		s, ok := c.Args[i].(*parse.StringNode)
		if !ok {
			return "", false
		}
		return s.Text, true
	}
	switch id.Ident {
	case "t", "th":
		s, ok := lit(1)
		return s, 1, ok
	case "tc":
		ctx, ok1 := lit(1)
		s, ok2 := lit(2)
		return ctx + "|" + s, 2, ok1 && ok2
	}
	return "", 0, false
}

// walk visits every node of a template tree.
func walk(n parse.Node, visit func(parse.Node)) {
	if n == nil {
		return
	}
	visit(n)
	switch n := n.(type) {
	case *parse.ListNode:
		if n != nil {
			for _, c := range n.Nodes {
				walk(c, visit)
			}
		}
	case *parse.ActionNode:
		walk(n.Pipe, visit)
	case *parse.PipeNode:
		if n != nil {
			for _, c := range n.Cmds {
				walk(c, visit)
			}
		}
	case *parse.CommandNode:
		for _, a := range n.Args {
			walk(a, visit)
		}
	case *parse.IfNode:
		walk(n.Pipe, visit)
		walk(n.List, visit)
		walk(n.ElseList, visit)
	case *parse.RangeNode:
		walk(n.Pipe, visit)
		walk(n.List, visit)
		walk(n.ElseList, visit)
	case *parse.WithNode:
		walk(n.Pipe, visit)
		walk(n.List, visit)
		walk(n.ElseList, visit)
	case *parse.TemplateNode:
		walk(n.Pipe, visit)
	}
}

// templateMessages returns the ids of every t/th call in the templates.
func templateMessages(t *testing.T) map[string]string {
	out := map[string]string{}
	for f, trees := range templateFiles(t) {
		for _, tree := range trees {
			walk(tree.Root, func(n parse.Node) {
				if c, ok := n.(*parse.CommandNode); ok {
					if id, _, ok := isMsgCall(c); ok {
						out[id] = f
					}
				}
			})
		}
	}
	return out
}

var jsMsgRE = regexp.MustCompile(`\bt\("((?:[^"\\]|\\.)*)"`)

func jsMessages(t *testing.T) map[string]string {
	src, err := os.ReadFile("../web/static/app.js")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, m := range jsMsgRE.FindAllSubmatch(src, -1) {
		out[string(m[1])] = "app.js"
	}
	return out
}

var verbRE = regexp.MustCompile(`%[-+# 0]*[0-9]*(?:\.[0-9]+)?[a-zA-Z%]`)

// TestCatalogue: every message id used in Go code, the templates and
// app.js has an English entry with the same printf verbs in the same
// order; entries nobody uses are listed as a warning.
func TestCatalogue(t *testing.T) {
	used := map[string]string{}
	for _, m := range []map[string]string{goMessages(t), templateMessages(t), jsMessages(t)} {
		for k, v := range m {
			used[k] = v
		}
	}
	if len(used) < 100 {
		t.Fatalf("found only %d message ids: is the scan still looking in the right places?", len(used))
	}
	var missing []string
	for id, where := range used {
		en, ok := i18n.English(id)
		if !ok || strings.TrimSpace(en) == "" {
			missing = append(missing, strconv.Quote(id)+" ("+where+")")
			continue
		}
		_, zh, _ := strings.Cut(id, "|") // a tc key is context|msgid
		if !strings.Contains(id, "|") {
			zh = id
		}
		if got, want := verbRE.FindAllString(en, -1), verbRE.FindAllString(zh, -1); !slices.Equal(got, want) {
			t.Errorf("%q: English verbs %v, want %v as in the id", id, got, want)
		}
	}
	slices.Sort(missing)
	if len(missing) > 0 {
		t.Errorf("%d message ids have no English entry in en.json:\n%s", len(missing), strings.Join(missing, "\n"))
	}
	var unused []string
	for id := range i18n.Entries() {
		if _, ok := used[id]; !ok {
			unused = append(unused, strconv.Quote(id))
		}
	}
	slices.Sort(unused)
	if len(unused) > 0 {
		t.Logf("warning: %d English entries are not used by any literal (labels reached only through data, or stale):\n%s", len(unused), strings.Join(unused, "\n"))
	}
	t.Logf("catalogue: %d message ids in use (zh-CN), %d English entries", len(used), len(i18n.Entries()))
}

// TestTemplatesHaveNoBareChinese: no Chinese text (or full-width
// punctuation) stands in a template outside a t/th/tc call, so a new
// string that skipped the catalogue fails here.
func TestTemplatesHaveNoBareChinese(t *testing.T) {
	for f, trees := range templateFiles(t) {
		for _, bad := range bareChinese(trees) {
			t.Errorf("%s: %s", f, bad)
		}
	}
}

// TestBareChineseIsCaught proves the check above can fail.
func TestBareChineseIsCaught(t *testing.T) {
	for src, want := range map[string]int{
		`<p>{{t "登录"}} {{tc "button" "退回补正"}} {{th "<b>好</b>"}} {{t "%s" (t .X)}}</p>`: 0,
		`<p>登录</p>`: 1,
		`<p title="{{printf "无权"}}">{{.X}}（{{.Y}}）</p>`: 3,
		`{{define "a"}}{{if .X}}待登记{{end}}{{end}}`:      1,
	} {
		tr := parse.New("x")
		tr.Mode = parse.SkipFuncCheck
		trees := map[string]*parse.Tree{}
		if _, err := tr.Parse(src, "{{", "}}", trees); err != nil {
			t.Fatal(err)
		}
		var list []*parse.Tree
		for _, tree := range trees {
			list = append(list, tree)
		}
		if got := bareChinese(list); len(got) != want {
			t.Errorf("%s: found %q, want %d", src, got, want)
		}
	}
}

func bareChinese(trees []*parse.Tree) []string {
	var out []string
	for _, tree := range trees {
		walk(tree.Root, func(n parse.Node) {
			switch n := n.(type) {
			case *parse.TextNode:
				if hasCJK(string(n.Text)) {
					out = append(out, "text outside t: "+strconv.Quote(strings.TrimSpace(string(n.Text))))
				}
			case *parse.CommandNode:
				_, at, msg := isMsgCall(n)
				for i, a := range n.Args {
					if s, ok := a.(*parse.StringNode); ok && hasCJK(s.Text) && !(msg && i == at) {
						out = append(out, "string outside t: "+strconv.Quote(s.Text))
					}
				}
			}
		})
	}
	return out
}
