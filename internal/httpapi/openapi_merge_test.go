package httpapi

import (
	"encoding/json"
	"flag"
	"os"
	"strings"
	"testing"
)

// The embedded fragments merge; two fragments defining the same thing
// are an error that names both.
func TestOpenAPIMerge(t *testing.T) {
	if _, err := OpenAPIDocument(); err != nil {
		t.Fatalf("the embedded fragments do not merge: %v", err)
	}
	head := `{"openapi":"3.1.0","info":{"title":"t","version":"1"},"tags":[{"name":"基础"}]}`
	good := map[string][]byte{
		"base.json": []byte(head),
		"a.json":    []byte(`{"tags":[{"name":"甲"}],"paths":{"/a":{"get":{"summary":"甲"}}},"components":{"schemas":{"A":{"type":"object"}}}}`),
		"b.json":    []byte(`{"paths":{"/a":{"post":{"summary":"乙"}}},"components":{"schemas":{"B":{"type":"object"}}}}`),
	}
	b, err := mergeOpenAPI(good)
	if err != nil {
		t.Fatalf("disjoint fragments: %v", err)
	}
	var doc struct {
		Paths      map[string]map[string]any
		Components map[string]map[string]any
		Tags       []map[string]string
	}
	if err := json.Unmarshal(b, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Paths["/a"]) != 2 || len(doc.Components["schemas"]) != 2 || len(doc.Tags) != 2 {
		t.Fatalf("merged %s", b)
	}
	for _, tc := range []struct{ name, second, want string }{
		{"SameSchema", `{"components":{"schemas":{"A":{"type":"string"}}}}`, "components/schemas/A"},
		{"SameOperation", `{"paths":{"/a":{"get":{"summary":"丙"}}}}`, "paths//a/get"},
		{"SameTag", `{"tags":[{"name":"甲"}]}`, "tag 甲"},
		{"SecondHead", `{"info":{"title":"u","version":"2"}}`, "info"},
		{"UnknownMember", `{"webhooks":{}}`, "unknown field"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			parts := map[string][]byte{"base.json": good["base.json"], "a.json": good["a.json"], "c.json": []byte(tc.second)}
			_, err := mergeOpenAPI(parts)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want one naming %q", err, tc.want)
			}
		})
	}
	if _, err := mergeOpenAPI(map[string][]byte{"a.json": good["a.json"]}); err == nil {
		t.Fatal("a document without a head merged")
	}
}

// openapiOut is where TestWriteOpenAPI writes the served document, for
// .ci/run's lint step: go test ./internal/httpapi -run TestWriteOpenAPI -openapi.out F
var openapiOut = flag.String("openapi.out", "", "write the merged OpenAPI document to this file")

func TestWriteOpenAPI(t *testing.T) {
	if *openapiOut == "" {
		t.Skip("no -openapi.out: nothing to write")
	}
	b, err := OpenAPIDocument()
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(*openapiOut, b, 0o644); err != nil {
		t.Fatal(err)
	}
}
