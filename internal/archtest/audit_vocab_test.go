package archtest

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"kechuang/internal/domain"
)

// TestAuditVocabularyComplete: every action the code audits (a string
// literal passed as the action of an Audit call) and every workflow
// transition ("entity.action") has a label in a module's audit vocabulary,
// and every audited entity is declared.
func TestAuditVocabularyComplete(t *testing.T) {
	entities := map[string]bool{}
	for _, l := range domain.AuditEntities() {
		entities[l.Code] = true
	}
	for entity, actions := range domain.Workflows() {
		if !entities[entity] {
			t.Errorf("workflow entity %q has no audit entity label", entity)
		}
		for _, a := range actions {
			if domain.AuditActionLabel(entity+"."+a) == "" {
				t.Errorf("workflow action %s.%s has no audit label (domain/audit_vocab.go)", entity, a)
			}
		}
	}
	found := 0
	for _, call := range auditCalls(t) {
		found++
		if domain.AuditActionLabel(call.action) == "" {
			t.Errorf("%s audits %q, which has no label in domain.AuditVocabularies", call.pos, call.action)
		}
		if call.entity != "" && !entities[call.entity] {
			t.Errorf("%s audits entity %q, which no module declares", call.pos, call.entity)
		}
	}
	if found < 5 {
		t.Fatalf("found only %d Audit calls with literal actions: the scan is broken", found)
	}
}

type auditCall struct{ pos, action, entity string }

// auditCalls finds q.Audit(ctx, actor, "action", "entity", …) calls with
// literal action names in the non-test sources.
func auditCalls(t *testing.T) []auditCall {
	t.Helper()
	var out []auditCall
	fset := token.NewFileSet()
	err := filepath.WalkDir("..", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return err
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			c, ok := n.(*ast.CallExpr)
			if !ok || len(c.Args) < 4 {
				return true
			}
			sel, ok := c.Fun.(*ast.SelectorExpr)
			if !ok || sel.Sel.Name != "Audit" {
				return true
			}
			action, ok1 := literal(c.Args[2])
			entity, _ := literal(c.Args[3])
			if ok1 {
				out = append(out, auditCall{fset.Position(c.Pos()).String(), action, entity})
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func literal(e ast.Expr) (string, bool) {
	lit, ok := e.(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return "", false
	}
	s, err := strconv.Unquote(lit.Value)
	return s, err == nil
}
