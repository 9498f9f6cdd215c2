package httpapi_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"kechuang/internal/contractio"
	"kechuang/internal/domain"
	"kechuang/internal/httpapi"
	"kechuang/internal/service"
)

// The OpenAPI document is checked four ways: it is well-formed (every $ref
// resolves, ids are unique, every operation answers errors as problems);
// it lists exactly the routes of routes.go; its schemas have exactly the
// JSON fields of the Go types they describe; and real answers of the
// server validate against it.

type openapiDoc map[string]any

func loadOpenAPI(t *testing.T) openapiDoc {
	t.Helper()
	b, err := os.ReadFile("openapi.json")
	must(t, err)
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var doc openapiDoc
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("openapi.json is not valid JSON: %v", err)
	}
	if doc["openapi"] != "3.1.0" {
		t.Fatalf("openapi = %v, want 3.1.0", doc["openapi"])
	}
	return doc
}

func obj(v any) map[string]any { m, _ := v.(map[string]any); return m }

var httpMethods = []string{"get", "put", "post", "delete", "patch", "head", "options"}

func TestOpenAPIListsEveryRoute(t *testing.T) {
	doc := loadOpenAPI(t)
	paths := obj(doc["paths"])
	documented := map[string]bool{}
	for p, item := range paths {
		for _, m := range httpMethods {
			if obj(item)[m] != nil {
				documented[strings.ToUpper(m)+" "+p] = true
			}
		}
	}
	for _, pattern := range routePatterns(t) {
		if !documented[pattern] {
			t.Errorf("route %q is not in openapi.json (paths[%q].%s)", pattern, strings.SplitN(pattern, " ", 2)[1], strings.ToLower(strings.SplitN(pattern, " ", 2)[0]))
		}
		delete(documented, pattern)
	}
	for op := range documented {
		t.Errorf("openapi.json documents %q, which routes.go does not serve", op)
	}
}

// TestOpenAPIWellFormed checks references, operation ids, parameters,
// responses and security against the authorisation matrix.
func TestOpenAPIWellFormed(t *testing.T) {
	doc := loadOpenAPI(t)
	var walk func(v any, at string)
	walk = func(v any, at string) {
		switch v := v.(type) {
		case map[string]any:
			if r, ok := v["$ref"].(string); ok {
				if resolve(doc, r) == nil {
					t.Errorf("%s: $ref %q does not resolve", at, r)
				}
			}
			for k, x := range v {
				walk(x, at+"/"+k)
			}
		case []any:
			for i, x := range v {
				walk(x, fmt.Sprintf("%s/%d", at, i))
			}
		}
	}
	walk(map[string]any(doc), "#")

	schemes := obj(obj(doc["components"])["securitySchemes"])
	if c := obj(schemes["cookieAuth"]); c["in"] != "cookie" || c["name"] != httpapi.SessionCookie {
		t.Errorf("cookieAuth scheme %v", c)
	}
	if b := obj(schemes["bearerAuth"]); b["type"] != "http" || b["scheme"] != "bearer" {
		t.Errorf("bearerAuth scheme %v", b)
	}
	public := map[string]bool{}
	for _, row := range authzRows(nil) {
		public[row.Pattern] = row.Public
	}
	ids := map[string]string{}
	for p, item := range obj(doc["paths"]) {
		for _, m := range httpMethods {
			op := obj(obj(item)[m])
			if op == nil {
				continue
			}
			name := strings.ToUpper(m) + " " + p
			id, _ := op["operationId"].(string)
			if id == "" || ids[id] != "" {
				t.Errorf("%s: operationId %q missing or also used by %s", name, id, ids[id])
			}
			ids[id] = name
			if s, _ := op["summary"].(string); !hasHan(s) {
				t.Errorf("%s: summary %q should be Chinese", name, s)
			}
			for _, seg := range strings.Split(p, "/") {
				if strings.HasPrefix(seg, "{") && !hasPathParam(doc, op, strings.Trim(seg, "{}")) {
					t.Errorf("%s: path parameter %s is not declared", name, seg)
				}
			}
			rs := obj(op["responses"])
			ok2xx := false
			for code := range rs {
				ok2xx = ok2xx || strings.HasPrefix(code, "2")
			}
			if !ok2xx || rs["500"] == nil {
				t.Errorf("%s: responses %v need a 2xx and 500", name, keys(rs))
			}
			sec, hasSec := op["security"].([]any)
			isPublic := hasSec && len(sec) == 0
			if isPublic != public[name] {
				t.Errorf("%s: documented public=%v, the authorisation matrix says public=%v", name, isPublic, public[name])
			}
			if !isPublic && rs["401"] == nil {
				t.Errorf("%s: a protected operation must document 401", name)
			}
			for code, r := range rs {
				probe := name == "GET /readyz" && code == "503" // a probe answers its own JSON
				if code >= "400" && !probe && !documentsProblem(doc, obj(r)) {
					t.Errorf("%s: response %s is not application/problem+json", name, code)
				}
			}
		}
	}
}

func keys(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func resolve(doc openapiDoc, ref string) map[string]any {
	p, ok := strings.CutPrefix(ref, "#/")
	if !ok {
		return nil
	}
	var cur any = map[string]any(doc)
	for _, seg := range strings.Split(p, "/") {
		cur = obj(cur)[seg]
	}
	return obj(cur)
}

func deref(doc openapiDoc, m map[string]any) map[string]any {
	for m != nil && m["$ref"] != nil {
		m = resolve(doc, m["$ref"].(string))
	}
	return m
}

func hasPathParam(doc openapiDoc, op map[string]any, name string) bool {
	params, _ := op["parameters"].([]any)
	for _, p := range params {
		p := deref(doc, obj(p))
		if p["in"] == "path" && p["name"] == name && p["required"] == true {
			return true
		}
	}
	return false
}

func documentsProblem(doc openapiDoc, r map[string]any) bool {
	r = deref(doc, r)
	_, ok := obj(r["content"])["application/problem+json"]
	return ok
}

// schemaTypes pairs schemas with the Go types whose JSON they describe.
var schemaTypes = map[string]any{
	"Problem": httpapi.Problem{}, "FieldError": domain.FieldError{}, "User": domain.User{}, "APIToken": domain.APIToken{},
	"Region": domain.Region{}, "Chain": domain.Chain{}, "SubType": domain.SubType{}, "Category": domain.Category{},
	"TechField": domain.TechField{}, "RefusalGround": domain.RefusalGround{}, "Org": domain.Org{}, "Party": domain.Party{},
	"CostItem": domain.CostItem{}, "Document": domain.Document{}, "Contract": domain.Contract{}, "ContractEvent": domain.Event{},
	"Agg": service.ContractAgg{}, "KeyAgg": service.ContractKeyAgg{}, "MonthAgg": service.ContractMonthAgg{}, "Target": service.ContractTarget{},
	"ContractStats": service.ContractStats{}, "AuditEntry": domain.AuditEntry{}, "AuditReport": domain.AuditReport{},
	"ImportReport": contractio.Report{}, "RowError": contractio.RowError{},
	"ContractList": httpapi.ListBody{}, "QueueList": httpapi.ListBody{}, "OrgList": httpapi.ListBody{}, "AuditList": httpapi.ListBody{},
}

func TestOpenAPISchemasMatchGoTypes(t *testing.T) {
	doc := loadOpenAPI(t)
	schemas := obj(obj(doc["components"])["schemas"])
	fields := map[string][]string{}
	for name, v := range schemaTypes {
		fields[name] = jsonFields(reflect.TypeOf(v))
	}
	for name, want := range fields {
		s := obj(schemas[name])
		if s == nil {
			t.Errorf("schema %s is missing", name)
			continue
		}
		documented := keys(obj(s["properties"]))
		sort.Strings(want)
		if !slices.Equal(documented, want) {
			t.Errorf("schema %s has properties %v; its Go type has JSON fields %v", name, documented, want)
		}
		for _, r := range asSlice(s["required"]) {
			if !slices.Contains(want, r.(string)) {
				t.Errorf("schema %s requires unknown property %v", name, r)
			}
		}
	}
}

// jsonFields lists the JSON member names of a struct type as
// encoding/json writes them, with embedded structs flattened.
func jsonFields(t reflect.Type) []string {
	var out []string
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		name, _, _ := strings.Cut(tag, ",")
		if tag == "-" || (!f.IsExported() && !f.Anonymous) {
			continue
		}
		if f.Anonymous && name == "" {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			out = append(out, jsonFields(ft)...)
			continue
		}
		if name == "" {
			name = f.Name
		}
		out = append(out, name)
	}
	return out
}

// TestOpenAPIDescribesRealAnswers validates live responses of a fixture
// against the document's schemas.
func TestOpenAPIDescribesRealAnswers(t *testing.T) {
	doc := loadOpenAPI(t)
	fx := newSQLiteFixture(t)
	fx.loadStatsFixture(t)
	c := fx.submitted(t)
	served := fx.send(t, "", request{Method: "GET", Path: "/api/v1/openapi.json"})
	file, err := os.ReadFile("openapi.json")
	must(t, err)
	if !bytes.Equal(served.Body, file) || !strings.HasPrefix(served.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("GET /api/v1/openapi.json does not serve openapi.json")
	}
	id := fmt.Sprint(c.ID)
	for _, tc := range []struct {
		role, method, path, op string
		status                 string
		body                   any
	}{
		{"tto", "GET", "/api/v1/contracts/" + id, "/api/v1/contracts/{id}", "200", nil},
		{"tto", "GET", "/api/v1/contracts?per_page=3", "/api/v1/contracts", "200", nil},
		{"registrar", "GET", "/api/v1/registry/queue", "/api/v1/registry/queue", "200", nil},
		{"tto", "GET", "/api/v1/contracts/" + id + "/events", "/api/v1/contracts/{id}/events", "200", nil},
		{"", "GET", "/api/v1/stats/contracts?year=2023", "/api/v1/stats/contracts", "200", nil},
		{"", "GET", "/api/v1/stats/contracts?year=2021", "/api/v1/stats/contracts", "200", nil},
		{"tto", "GET", "/api/v1/me", "/api/v1/me", "200", nil},
		{"tto", "GET", "/api/v1/orgs", "/api/v1/orgs", "200", nil},
		{"admin", "GET", "/api/v1/audit?per_page=5", "/api/v1/audit", "200", nil},
		{"admin", "GET", "/api/v1/audit/verify", "/api/v1/audit/verify", "200", nil},
		{"", "GET", "/api/v1/meta/contract-categories?signed_on=2020-05-01", "/api/v1/meta/contract-categories", "200", nil},
		{"", "GET", "/api/v1/meta/regions", "/api/v1/meta/regions", "200", nil},
		{"", "GET", "/api/v1/meta/chains", "/api/v1/meta/chains", "200", nil},
		{"", "GET", "/api/v1/meta/tech-fields", "/api/v1/meta/tech-fields", "200", nil},
		{"", "GET", "/api/v1/meta/refusal-grounds", "/api/v1/meta/refusal-grounds", "200", nil},
		{"", "GET", "/readyz", "/readyz", "200", nil},
		{"bureau", "POST", "/api/v1/tokens", "/api/v1/tokens", "201", map[string]string{"name": "文档"}},
		{"bureau", "GET", "/api/v1/tokens", "/api/v1/tokens", "200", nil},
		{"tto", "PUT", "/api/v1/me/password", "/api/v1/me/password", "422", map[string]string{"current_password": "x", "new_password": "short"}},
		{"bureau", "POST", "/api/v1/orgs", "/api/v1/orgs", "201", map[string]string{"kind": "agency", "name": "沈阳技术市场", "region_code": "210102"}},
		{"tto", "POST", "/api/v1/contracts", "/api/v1/contracts", "422", map[string]any{"title": 1}},
		{"", "GET", "/api/v1/me", "/api/v1/me", "401", nil},
		{"registrar", "POST", "/api/v1/contracts/" + id + "/register", "/api/v1/contracts/{id}/register", "200", map[string]any{"version": c.Version, "tech_income_fen": 1}},
	} {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) {
			res := fx.send(t, tc.role, request{Method: tc.method, Path: tc.path, JSON: tc.body})
			if fmt.Sprint(res.Status) != tc.status {
				t.Fatalf("status %d, want %s: %s", res.Status, tc.status, res.Body)
			}
			r := deref(doc, obj(obj(obj(obj(obj(doc["paths"])[tc.op])[strings.ToLower(tc.method)])["responses"])[tc.status]))
			if r == nil {
				t.Fatalf("openapi.json has no %s response for %s %s", tc.status, tc.method, tc.op)
			}
			ct, _, _ := strings.Cut(res.Header.Get("Content-Type"), ";")
			media := obj(obj(r["content"])[ct])
			if media == nil {
				t.Fatalf("response Content-Type %s is not documented (%v)", ct, keys(obj(r["content"])))
			}
			dec := json.NewDecoder(bytes.NewReader(res.Body))
			dec.UseNumber()
			var v any
			must(t, dec.Decode(&v))
			if errs := validate(doc, obj(media["schema"]), v, "$"); len(errs) > 0 {
				t.Fatalf("answer does not match the schema:\n%s", strings.Join(errs, "\n"))
			}
		})
	}
	if res := fx.send(t, "", request{Method: "GET", Path: "/metrics"}); res.Status != http.StatusOK {
		t.Fatalf("metrics %d", res.Status)
	}
}

// validate checks v against the subset of JSON Schema the document uses:
// $ref, type, properties, required, additionalProperties, items, enum,
// const, allOf, oneOf.
func validate(doc openapiDoc, s map[string]any, v any, at string) []string {
	s = deref(doc, s)
	if s == nil {
		return nil
	}
	var errs []string
	if all, ok := s["allOf"].([]any); ok {
		for _, sub := range all {
			errs = append(errs, validate(doc, obj(sub), v, at)...)
		}
	}
	if one, ok := s["oneOf"].([]any); ok {
		matched := 0
		for _, sub := range one {
			if len(validate(doc, obj(sub), v, at)) == 0 {
				matched++
			}
		}
		if matched != 1 {
			errs = append(errs, fmt.Sprintf("%s: matches %d of oneOf", at, matched))
		}
	}
	if typ, ok := s["type"]; ok && !typeMatches(typ, v) {
		return append(errs, fmt.Sprintf("%s: %T (%v) is not of type %v", at, v, v, typ))
	}
	if enum, ok := s["enum"].([]any); ok && !slices.ContainsFunc(enum, func(e any) bool { return fmt.Sprint(e) == fmt.Sprint(v) }) {
		errs = append(errs, fmt.Sprintf("%s: %v is not one of %v", at, v, enum))
	}
	if c, ok := s["const"]; ok && fmt.Sprint(c) != fmt.Sprint(v) {
		errs = append(errs, fmt.Sprintf("%s: %v is not %v", at, v, c))
	}
	switch v := v.(type) {
	case map[string]any:
		props := obj(s["properties"])
		for _, r := range asSlice(s["required"]) {
			if _, ok := v[r.(string)]; !ok {
				errs = append(errs, fmt.Sprintf("%s: required member %v is missing", at, r))
			}
		}
		for k, x := range v {
			if p, ok := props[k]; ok {
				errs = append(errs, validate(doc, obj(p), x, at+"."+k)...)
			} else if s["additionalProperties"] == false {
				errs = append(errs, fmt.Sprintf("%s: member %s is not in the schema", at, k))
			}
		}
	case []any:
		if items := obj(s["items"]); items != nil {
			for i, x := range v {
				errs = append(errs, validate(doc, items, x, fmt.Sprintf("%s[%d]", at, i))...)
			}
		}
	}
	return errs
}

func asSlice(v any) []any { s, _ := v.([]any); return s }

func typeMatches(typ, v any) bool {
	if list, ok := typ.([]any); ok {
		return slices.ContainsFunc(list, func(t any) bool { return typeMatches(t, v) })
	}
	switch typ {
	case "object":
		_, ok := v.(map[string]any)
		return ok
	case "array":
		_, ok := v.([]any)
		return ok
	case "string":
		_, ok := v.(string)
		return ok
	case "boolean":
		_, ok := v.(bool)
		return ok
	case "null":
		return v == nil
	case "number":
		_, ok := v.(json.Number)
		return ok
	case "integer":
		n, ok := v.(json.Number)
		if !ok {
			return false
		}
		_, err := n.Int64()
		return err == nil
	}
	return false
}
