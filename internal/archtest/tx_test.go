package archtest

import (
	"go/ast"
	"go/parser"
	"go/token"
	"path/filepath"
	"testing"
)

// TestNoStoreInsideTransactions: inside a transaction the service uses
// the transaction's query handle only. A read through the service's store
// (s.store, c.store) from inside an InTx callback compiles, but it runs on
// another connection and misses the transaction's own writes.
func TestNoStoreInsideTransactions(t *testing.T) {
	files, err := filepath.Glob("../service/*.go")
	if err != nil || len(files) == 0 {
		t.Fatalf("no service sources: %v", err)
	}
	fset := token.NewFileSet()
	closures := 0
	for _, path := range files {
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok {
				return true
			}
			if sel, ok := call.Fun.(*ast.SelectorExpr); !ok || sel.Sel.Name != "InTx" {
				return true
			}
			for _, arg := range call.Args {
				lit, ok := arg.(*ast.FuncLit)
				if !ok {
					continue
				}
				closures++
				ast.Inspect(lit.Body, func(n ast.Node) bool {
					if sel, ok := n.(*ast.SelectorExpr); ok && sel.Sel.Name == "store" {
						t.Errorf("%s: the store used inside a transaction; use the callback's *store.Q", fset.Position(sel.Pos()))
					}
					return true
				})
			}
			return true
		})
	}
	if closures < 5 {
		t.Fatalf("found only %d InTx callbacks: the scan is broken", closures)
	}
}
