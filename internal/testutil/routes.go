package testutil

import (
	"go/ast"
	"go/parser"
	"go/token"
	"strconv"
	"testing"
)

// RoutePatterns reads the route patterns the given Go files register
// (mux.Handle and mux.HandleFunc with a literal pattern), so an
// authorisation matrix can require a row for every route. A pattern that
// is not a string literal fails the test: the matrix could not see it.
func RoutePatterns(tb testing.TB, files ...string) []string {
	tb.Helper()
	var out []string
	for _, name := range files {
		f, err := parser.ParseFile(token.NewFileSet(), name, nil, 0)
		if err != nil {
			tb.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || len(call.Args) == 0 {
				return true
			}
			sel, ok := call.Fun.(*ast.SelectorExpr)
			if !ok || (sel.Sel.Name != "HandleFunc" && sel.Sel.Name != "Handle") {
				return true
			}
			lit, ok := call.Args[0].(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				tb.Fatalf("%s: a route pattern that is not a string literal at %v; give the matrix another way to list routes", name, call.Pos())
			}
			p, err := strconv.Unquote(lit.Value)
			if err != nil {
				tb.Fatal(err)
			}
			out = append(out, p)
			return true
		})
	}
	if len(out) < 10 {
		tb.Fatalf("%v: found only %d route patterns; have the files changed shape?", files, len(out))
	}
	return out
}
