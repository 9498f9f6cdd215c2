package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"reflect"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"kechuang/internal/contractio"
	"kechuang/internal/domain"
	"kechuang/internal/httpapi"
	"kechuang/internal/httpx"
	"kechuang/internal/service"
)

// The OpenAPI document (the fragments under openapi/, merged) is checked
// four ways: it is well-formed (kin-openapi validates it; every $ref
// resolves, ids are unique, every operation answers errors as problems,
// security matches the authorisation matrix); it lists exactly the routes
// of routes.go; every schema has exactly the JSON fields of the Go types it
// describes; and real requests and answers of the server validate against
// it (kin-openapi's openapi3filter).

type openapiDoc map[string]any

// servedOpenAPI is the document as GET /api/v1/openapi.json serves it: the
// fragments under openapi/ merged.
func servedOpenAPI(t *testing.T) []byte {
	t.Helper()
	b, err := httpapi.OpenAPIDocument()
	if err != nil {
		t.Fatalf("merge the OpenAPI fragments: %v", err)
	}
	return b
}

func loadOpenAPI(t *testing.T) openapiDoc {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(servedOpenAPI(t)))
	dec.UseNumber()
	var doc openapiDoc
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("the OpenAPI document is not valid JSON: %v", err)
	}
	if doc["openapi"] != "3.1.0" {
		t.Fatalf("openapi = %v, want 3.1.0", doc["openapi"])
	}
	return doc
}

// kinOpenAPI loads the document with kin-openapi and validates it as an
// OpenAPI 3.1 document.
func kinOpenAPI(t *testing.T) *openapi3.T {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromData(servedOpenAPI(t))
	if err != nil {
		t.Fatalf("kin-openapi cannot load the document: %v", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("the document is not valid OpenAPI: %v", err)
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
			t.Errorf("route %q is not in the OpenAPI document (paths[%q].%s)", pattern, strings.SplitN(pattern, " ", 2)[1], strings.ToLower(strings.SplitN(pattern, " ", 2)[0]))
		}
		delete(documented, pattern)
	}
	for op := range documented {
		t.Errorf("the OpenAPI document has %q, which routes.go does not serve", op)
	}
}

// TestOpenAPIWellFormed checks references, operation ids, parameters,
// responses and security against the authorisation matrix.
func TestOpenAPIWellFormed(t *testing.T) {
	kinOpenAPI(t) // kin-openapi's own validation of the whole document
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
	if c := obj(schemes["cookieAuth"]); c["in"] != "cookie" || c["name"] != httpx.SessionCookie {
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

func keys[V any](m map[string]V) []string {
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

// schemaTypes pairs every schema with the Go types whose JSON it
// describes; a schema composed with allOf pairs with the union of its
// parts' fields (ImportProblem is a problem plus the import report).
var schemaTypes = map[string][]any{
	"Problem": {httpx.Problem{}}, "FieldError": {domain.FieldError{}}, "Health": {httpapi.Health{}},
	"LoginRequest": {httpapi.LoginRequest{}}, "User": {domain.User{}}, "TokenRequest": {httpapi.TokenRequest{}},
	"APIToken": {domain.APIToken{}}, "TokenCreated": {httpapi.TokenCreated{}}, "TokenList": {httpapi.TokenList{}},
	"PasswordChangeRequest": {httpapi.PasswordChangeRequest{}},
	"Region":                {domain.Region{}}, "Chain": {domain.Chain{}}, "SubType": {domain.SubType{}}, "Category": {domain.Category{}},
	"TechField": {domain.TechField{}}, "RefusalGround": {domain.RefusalGround{}},
	"RegionList": {httpapi.RegionList{}}, "ChainList": {httpapi.ChainList{}}, "TechFieldList": {httpapi.TechFieldList{}},
	"RefusalGroundList": {httpapi.RefusalGroundList{}}, "CategoryList": {httpapi.CategoryList{}},
	"Party": {domain.Party{}}, "CostItem": {domain.CostItem{}}, "Document": {domain.Document{}}, "Contract": {domain.Contract{}},
	"QueueItem": {httpapi.QueueItem{}}, "ContractList": {httpapi.ContractList{}}, "ContractTotals": {domain.ContractTotals{}}, "QueueList": {httpapi.QueueList{}},
	"ContractEvent": {domain.Event{}}, "EventChange": {domain.Change{}}, "EventList": {httpapi.EventList{}},
	"SubmitBody": {httpapi.SubmitBody{}}, "WithdrawBody": {httpapi.WithdrawBody{}}, "ReturnBody": {httpapi.ReturnBody{}}, "RefuseBody": {httpapi.RefuseBody{}},
	"RegisterBody": {httpapi.RegisterBody{}}, "RejectBody": {httpapi.RejectBody{}}, "Review": {domain.Review{}}, "ReviewersBody": {httpapi.ReviewersBody{}}, "OpinionBody": {httpapi.OpinionBody{}}, "Correction": {domain.Correction{}},
	"Regime": {domain.Regime{}}, "RegimeRules": {domain.RegimeRules{}}, "RegimeInfo": {service.RegimeInfo{}}, "CalendarLoad": {service.CalendarLoad{}}, "PublicCertificate": {service.PublicCertificate{}},
	"RowError": {contractio.RowError{}}, "ImportReport": {contractio.Report{}}, "ImportProblem": {httpx.Problem{}, contractio.Report{}},
	"Agg": {service.ContractAgg{}}, "KeyAgg": {service.ContractKeyAgg{}}, "MonthAgg": {service.ContractMonthAgg{}}, "Target": {service.ContractTarget{}},
	"ContractStats": {service.ContractStats{}},
	"AuditEntry":    {domain.AuditEntry{}}, "AuditReport": {domain.AuditReport{}}, "AuditList": {httpapi.AuditList{}},
}

func TestOpenAPISchemasMatchGoTypes(t *testing.T) {
	doc := loadOpenAPI(t)
	schemas := obj(obj(doc["components"])["schemas"])
	var codes []string
	for _, c := range asSlice(obj(obj(obj(schemas["Problem"])["properties"])["code"])["enum"]) {
		codes = append(codes, c.(string))
	}
	if sort.Strings(codes); !slices.Equal(codes, httpx.ProblemCodes()) {
		t.Errorf("Problem.code enumerates %v; the problem writer can answer %v", codes, httpx.ProblemCodes())
	}
	pairs := maps.Clone(schemaTypes)
	maps.Copy(pairs, adminSchemaTypes) // each module's pairs: one line a module
	maps.Copy(pairs, achievementSchemaTypes)
	maps.Copy(pairs, attachmentSchemaTypes)
	maps.Copy(pairs, notifySchemaTypes)
	maps.Copy(pairs, postregSchemaTypes)
	maps.Copy(pairs, needSchemaTypes)
	maps.Copy(pairs, matchSchemaTypes)
	maps.Copy(pairs, chainSchemaTypes)
	maps.Copy(pairs, evaluationSchemaTypes)
	maps.Copy(pairs, recordIOSchemaTypes)
	maps.Copy(pairs, challengeSchemaTypes)
	maps.Copy(pairs, eventSchemaTypes)
	maps.Copy(pairs, assessmentSchemaTypes)
	maps.Copy(pairs, enterpriseSchemaTypes)
	maps.Copy(pairs, enterpriseAssessSchemaTypes)
	for name := range schemas {
		if pairs[name] == nil {
			t.Errorf("schema %s has no Go type in schemaTypes: every body is a named Go type, pair it", name)
		}
	}
	for name, types := range pairs {
		s := obj(schemas[name])
		if s == nil {
			t.Errorf("schema %s is missing", name)
			continue
		}
		want := map[string]bool{}
		for _, v := range types {
			for _, f := range jsonFields(reflect.TypeOf(v)) {
				want[f] = true
			}
		}
		props, required := schemaMembers(doc, s)
		if documented, fields := keys(props), keys(want); !slices.Equal(documented, fields) {
			t.Errorf("schema %s has properties %v; its Go types have JSON fields %v", name, documented, fields)
		}
		for _, r := range required {
			if !want[r] {
				t.Errorf("schema %s requires unknown property %v", name, r)
			}
		}
	}
}

// schemaMembers returns a schema's properties and required names, through
// $ref and allOf.
func schemaMembers(doc openapiDoc, s map[string]any) (map[string]any, []string) {
	s = deref(doc, s)
	props := map[string]any{}
	var required []string
	for k, v := range obj(s["properties"]) {
		props[k] = v
	}
	for _, r := range asSlice(s["required"]) {
		required = append(required, r.(string))
	}
	for _, sub := range asSlice(s["allOf"]) {
		p, r := schemaMembers(doc, obj(sub))
		for k, v := range p {
			props[k] = v
		}
		required = append(required, r...)
	}
	return props, required
}

func asSlice(v any) []any { s, _ := v.([]any); return s }

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

// answerCase is one real call whose request (when it is meant to succeed)
// and answer are validated against the document by kin-openapi.
type answerCase struct {
	role, method, path string
	status             int
	body               any    // a JSON request body
	raw                []byte // a raw request body, of type ctype
	ctype              string
}

// TestOpenAPIDescribesRealAnswers validates live requests and answers of a
// fixture with kin-openapi's openapi3filter: the route, the parameters and
// the request body (for calls meant to succeed), then the status, the
// content type and the body of the answer.
func TestOpenAPIDescribesRealAnswers(t *testing.T) {
	doc := kinOpenAPI(t)
	router, err := gorillamux.NewRouter(doc)
	must(t, err)
	fx := newSQLiteFixture(t)
	fx.loadStatsFixture(t)
	c := fx.accepted(t)
	toAccept, toReject := fx.submitted(t), fx.submitted(t)
	served := fx.send(t, "", request{Method: "GET", Path: "/api/v1/openapi.json"})
	if !bytes.Equal(served.Body, servedOpenAPI(t)) || !strings.HasPrefix(served.Header.Get("Content-Type"), "application/json") {
		t.Fatalf("GET /api/v1/openapi.json does not serve the merged document")
	}
	id := fmt.Sprint(c.ID)
	for _, tc := range []answerCase{
		{"tto", "GET", "/api/v1/contracts/" + id, 200, nil, nil, ""},
		{"tto", "GET", "/api/v1/contracts?per_page=3&status=submitted,draft&year=2023", 200, nil, nil, ""},
		{"registrar", "GET", "/api/v1/registry/queue", 200, nil, nil, ""},
		{"tto", "GET", "/api/v1/contracts/" + id + "/events", 200, nil, nil, ""},
		{"", "GET", "/api/v1/stats/contracts?year=2023", 200, nil, nil, ""},
		{"", "GET", "/api/v1/stats/contracts?year=2021", 200, nil, nil, ""},
		{"tto", "GET", "/api/v1/me", 200, nil, nil, ""},
		{"tto", "GET", "/api/v1/orgs", 200, nil, nil, ""},
		{"admin", "GET", "/api/v1/audit?per_page=5", 200, nil, nil, ""},
		{"admin", "GET", "/api/v1/audit/verify", 200, nil, nil, ""},
		{"", "GET", "/api/v1/meta/contract-categories?signed_on=2020-05-01", 200, nil, nil, ""},
		{"", "GET", "/api/v1/meta/regions", 200, nil, nil, ""},
		{"", "GET", "/api/v1/meta/regions?parent_code=000000", 200, nil, nil, ""},
		{"", "GET", "/api/v1/meta/regions?q=%E6%98%86%E5%B1%B1", 200, nil, nil, ""},
		{"", "GET", "/api/v1/meta/regions?parent_code=abc", 422, nil, nil, ""},
		{"", "GET", "/api/v1/meta/chains", 200, nil, nil, ""},
		{"", "GET", "/api/v1/meta/tech-fields", 200, nil, nil, ""},
		{"", "GET", "/api/v1/meta/refusal-grounds", 200, nil, nil, ""},
		{"", "GET", "/healthz", 200, nil, nil, ""},
		{"", "GET", "/readyz", 200, nil, nil, ""},
		{"", "POST", "/api/v1/session", 200, map[string]string{"username": fx.Users["tto"].Username, "password": testPassword}, nil, ""},
		{"bureau", "POST", "/api/v1/tokens", 201, map[string]string{"name": "文档"}, nil, ""},
		{"bureau", "GET", "/api/v1/tokens", 200, nil, nil, ""},
		{"tto", "PUT", "/api/v1/me/password", 422, map[string]string{"current_password": "x", "new_password": "short"}, nil, ""},
		{"bureau", "POST", "/api/v1/orgs", 201, map[string]string{"kind": "agency", "name": "沈阳技术市场", "region_code": "210102"}, nil, ""},
		{"tto", "POST", "/api/v1/contracts", 422, map[string]any{"title": 1}, nil, ""},
		{"tto", "POST", "/api/v1/contracts", 201, map[string]any{"title": "工业视觉检测技术开发合同", "seller": map[string]any{"org_id": fx.Orgs["university"].ID},
			"buyer":     map[string]any{"name": "沈阳重型机械制造有限公司", "uscc": fx.uscc(), "region_code": "210106", "type": "enterprise"},
			"signed_on": "2023-03-01", "term_start": "2023-03-01", "term_end": "2024-02-29", "category": "development", "sub_type": "entrusted_dev",
			"form": "written", "seals_match": true, "tech_field": "manufacturing", "chain_code": "robot", "turnover_fen": 1_200_000_00,
			"cost_items": []map[string]any{{"kind": "equipment", "description": "工业相机", "unit_price_fen": 150_000_00, "quantity": 2}}}, nil, ""},
		{"registrar", "POST", "/api/v1/contracts/" + id + "/return", 200, map[string]any{"version": c.Version, "comment": "请补充技术指标"}, nil, ""},
		{"", "GET", "/api/v1/me", 401, nil, nil, ""},
		{"tto", "GET", "/api/v1/contracts/999999", 404, nil, nil, ""},
		{"registrar", "POST", "/api/v1/contracts/import", 422, nil, []byte("title\nx\n"), "text/csv"},
		{"tto", "POST", "/api/v1/contracts/" + id + "/submit", 200, map[string]any{"version": c.Version + 1}, nil, ""},
		{"registrar", "POST", "/api/v1/contracts/" + id + "/register", 200, map[string]any{"version": c.Version + 2, "tech_income_fen": 1}, nil, ""},
		{"tto", "GET", "/api/v1/contracts/" + id, 200, nil, nil, ""}, // with its correction cycle
		{"registrar", "POST", fmt.Sprintf("/api/v1/contracts/%d/accept", toAccept.ID), 200, map[string]any{"version": toAccept.Version}, nil, ""},
		{"registrar", "POST", fmt.Sprintf("/api/v1/contracts/%d/reject", toReject.ID), 422, map[string]any{"version": toReject.Version, "ground": "invalid"}, nil, ""},
		{"registrar", "POST", fmt.Sprintf("/api/v1/contracts/%d/reject", toReject.ID), 200, map[string]any{"version": toReject.Version, "ground": "oral", "note": "口头合同"}, nil, ""},
		{"registrar", "GET", "/api/v1/registry/queue", 200, nil, nil, ""},
		{"tto", "GET", "/api/v1/regime", 200, nil, nil, ""},
		{"", "GET", "/api/v1/certificates/2023210100000001", 200, nil, nil, ""},
		{"", "GET", "/api/v1/certificates/2099210100999999", 404, nil, nil, ""},
		{"", "GET", "/api/v1/certificates/not-a-number", 404, nil, nil, ""},
		{"admin", "PUT", "/api/v1/regime", 422, map[string]any{"cutover": "2026-02-30", "expert_threshold_fen": 1}, nil, ""},
		{"admin", "PUT", "/api/v1/regime", 200, map[string]any{"cutover": "2026-03-01", "expert_threshold_fen": 400_000_000}, nil, ""},
		{"bureau", "POST", "/api/v1/calendar", 200, nil, []byte("2027-01-01 holiday 元旦\n2027-02-20 workday 春节\n"), "text/plain"},
		{"bureau", "POST", "/api/v1/calendar", 422, nil, []byte("2027-01-04 workday\n"), "text/plain"},
	} {
		t.Run(tc.method+" "+tc.path, func(t *testing.T) { checkAnswer(t, fx, router, tc) })
	}
	if res := fx.send(t, "", request{Method: "GET", Path: "/metrics"}); res.Status != http.StatusOK {
		t.Fatalf("metrics %d", res.Status)
	}
}

func checkAnswer(t *testing.T, fx *fixture, router routers.Router, tc answerCase) {
	t.Helper()
	rq := request{Method: tc.method, Path: tc.path, JSON: tc.body, Body: tc.raw, Type: tc.ctype}
	res := fx.send(t, tc.role, rq)
	if res.Status != tc.status {
		t.Fatalf("status %d, want %d: %s", res.Status, tc.status, res.Body)
	}
	// failing calls send bodies the document forbids on purpose
	if err := validateExchange(t, fx, router, rq, res, tc.status < 300); err != nil {
		t.Fatal(err)
	}
}

// validateExchange checks one call against the document with kin-openapi:
// that an operation serves it, the request (when checkRequest), and the
// answer's status, content type and body.
func validateExchange(t testing.TB, fx *fixture, router routers.Router, rq request, res response, checkRequest bool) error {
	t.Helper()
	req := fx.httpRequest(t, "", rq)
	route, params, err := router.FindRoute(req)
	if err != nil {
		return fmt.Errorf("the document has no operation for %s %s: %v", rq.Method, rq.Path, err)
	}
	// Read-only members sent back (a whole Contract as read) are ignored by
	// the server, as JSON Schema's readOnly allows, so they are not errors.
	in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: openapi3filter.NoopAuthenticationFunc, MultiError: true, ExcludeReadOnlyValidations: true}}
	if checkRequest {
		if err := openapi3filter.ValidateRequest(context.Background(), in); err != nil {
			return fmt.Errorf("the request does not match the document:\n%v", err)
		}
	}
	out := &openapi3filter.ResponseValidationInput{RequestValidationInput: in, Status: res.Status, Header: res.Header,
		Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true}}
	out.SetBodyBytes(res.Body)
	if err := openapi3filter.ValidateResponse(context.Background(), out); err != nil {
		return fmt.Errorf("the answer (%d) does not match the document:\n%v\n%s", res.Status, err, firstLine(res.Body))
	}
	return nil
}
