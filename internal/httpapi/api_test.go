package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"kechuang/internal/domain"
	"kechuang/internal/httpx"
)

// TestErrorsAreProblems: every refusal is application/problem+json with a
// machine code, a Chinese detail and, for input errors, the field.
func TestErrorsAreProblems(t *testing.T) {
	for _, fx := range newFixtures(t) {
		t.Run(fx.DB, func(t *testing.T) {
			c := fx.draft(t)
			id := fmt.Sprintf("/api/v1/contracts/%d", c.ID)
			valid, err := json.Marshal(fx.contractInput(fx.Orgs["university"]))
			must(t, err)
			huge := append([]byte(`{"title":"`), bytes.Repeat([]byte("技"), httpx.MaxJSONBytes/3+10)...)
			huge = append(huge, `"}`...)
			stale := *c
			stale.Version = c.Version
			fx.send(t, "tto", request{Method: "PUT", Path: id, JSON: c}) // bumps the version
			for _, tc := range []struct {
				name   string
				method string
				path   string
				body   string
				raw    []byte
				ctype  string
				status int
				code   string
				field  string
			}{
				{"UnknownField", "POST", "/api/v1/contracts", `{"title":"x","nope":1}`, nil, "", 422, domain.EINVALID, "nope"},
				{"WrongType", "POST", "/api/v1/contracts", `{"title":1}`, nil, "", 422, domain.EINVALID, "title"},
				{"WrongNestedType", "POST", "/api/v1/contracts", `{"seller":{"org_id":"东北大学"}}`, nil, "", 422, domain.EINVALID, "seller.org_id"},
				{"WrongTypeInArray", "POST", "/api/v1/contracts", `{"cost_items":[{"quantity":"两台"}]}`, nil, "", 422, domain.EINVALID, "cost_items.quantity"},
				{"EmptyObjectNotOwnSeller", "POST", "/api/v1/contracts", `{}`, nil, "", 422, domain.EINVALID, "seller.org_id"},
				{"EmptyBody", "POST", "/api/v1/contracts", ``, nil, "", 422, domain.EINVALID, ""},
				{"Syntax", "POST", "/api/v1/contracts", `{"title":`, nil, "", 422, domain.EINVALID, ""},
				{"TwoObjects", "POST", "/api/v1/contracts", string(valid) + string(valid), nil, "", 422, domain.EINVALID, ""},
				{"NotJSON", "POST", "/api/v1/contracts", "", valid, "text/plain", 422, domain.EINVALID, ""},
				{"Oversize", "POST", "/api/v1/contracts", "", huge, "application/json", 413, domain.ETOOLARGE, ""},
				{"IDNotNumber", "GET", "/api/v1/contracts/abc", "", nil, "", 404, domain.ENOTFOUND, ""},
				{"IDZero", "GET", "/api/v1/contracts/0", "", nil, "", 404, domain.ENOTFOUND, ""},
				{"IDNegative", "GET", "/api/v1/contracts/-3", "", nil, "", 404, domain.ENOTFOUND, ""},
				{"IDOverflow", "GET", "/api/v1/contracts/99999999999999999999", "", nil, "", 404, domain.ENOTFOUND, ""},
				{"IDMissing", "GET", "/api/v1/contracts/999999", "", nil, "", 404, domain.ENOTFOUND, ""},
				{"UpdateWithoutVersion", "PUT", id, `{"title":"x"}`, nil, "", 422, domain.EINVALID, "version"},
				{"VersionConflict", "PUT", id, "", mustJSON(t, stale), "application/json", 409, domain.ECONFLICT, ""},
				{"SubmitStale", "POST", id + "/submit", fmt.Sprintf(`{"version":%d}`, c.Version), nil, "", 409, domain.ECONFLICT, ""},
				{"ActionWrongType", "POST", id + "/submit", `{"version":"1"}`, nil, "", 422, domain.EINVALID, "version"},
				{"StatsYear", "GET", "/api/v1/stats/contracts?year=今年", "", nil, "", 422, domain.EINVALID, "year"},
				{"StatsYearRange", "GET", "/api/v1/stats/contracts?year=1066", "", nil, "", 422, domain.EINVALID, "year"},
				{"CategoriesDate", "GET", "/api/v1/meta/contract-categories?signed_on=2023-13-01", "", nil, "", 422, domain.EINVALID, "signed_on"},
				{"OrgNotBureau", "POST", "/api/v1/orgs", `{"kind":"castle","name":"","region_code":"21"}`, nil, "", 403, domain.EFORBIDDEN, ""},
				{"TokenNameMissing", "POST", "/api/v1/tokens", `{"name":" "}`, nil, "", 422, domain.EINVALID, "name"},
			} {
				t.Run(tc.name, func(t *testing.T) {
					rq := request{Method: tc.method, Path: tc.path, Body: tc.raw, Type: tc.ctype}
					if tc.raw == nil && tc.method != "GET" {
						rq.Body, rq.Type = []byte(tc.body), "application/json"
					}
					res := fx.send(t, "tto", rq)
					if res.Status != tc.status {
						t.Fatalf("status %d, want %d: %s", res.Status, tc.status, res.Body)
					}
					p := res.problem(t)
					if p.Code != tc.code || p.Field != tc.field {
						t.Fatalf("code %q field %q, want %q %q: %s", p.Code, p.Field, tc.code, tc.field, p.Detail)
					}
					if tc.field != "" && (len(p.Errors) == 0 || p.Errors[0].Field != tc.field) {
						t.Fatalf("errors[] %+v should start with %q", p.Errors, tc.field)
					}
				})
			}
		})
	}
}

// TestValidationListsEveryField: a form with several mistakes reports all
// of them in errors[], each named and explained in Chinese.
func TestValidationListsEveryField(t *testing.T) {
	fx := newSQLiteFixture(t)
	res := fx.send(t, "tto", request{Method: "POST", Path: "/api/v1/contracts", JSON: map[string]any{
		"seller": map[string]any{"org_id": fx.Orgs["university"].ID}, "buyer": map[string]any{"name": "某公司", "uscc": "91210100MA0000000X", "region_code": "2101", "type": "enterprise"},
		"signed_on": "2023-02-30", "term_start": "2023-03-01", "term_end": "2023-03-01", "category": "license", "sub_type": "patent_license",
		"form": "email", "tech_field": "electronics", "turnover_fen": 0}})
	if res.Status != 422 {
		t.Fatalf("status %d: %s", res.Status, res.Body)
	}
	p := res.problem(t)
	var fields []string
	for _, e := range p.Errors {
		fields = append(fields, e.Field)
		if !hasHan(e.Message) {
			t.Errorf("field %s: message %q is not Chinese", e.Field, e.Message)
		}
	}
	for _, f := range []string{"title", "buyer.uscc", "buyer.region_code", "signed_on", "form", "turnover_fen"} {
		if !slices.Contains(fields, f) {
			t.Errorf("errors[] fields %v lack %s", fields, f)
		}
	}
	if p.Field != p.Errors[0].Field || !strings.Contains(p.Detail, "另有") {
		t.Errorf("field %q detail %q should be the first error and count the rest", p.Field, p.Detail)
	}
}

type listBody struct {
	Items   []json.RawMessage `json:"items"`
	Total   int               `json:"total"`
	Page    int               `json:"page"`
	PerPage int               `json:"per_page"`
}

// TestContractListPagination covers the envelope, filters and sort.
func TestContractListPagination(t *testing.T) {
	for _, fx := range newFixtures(t) {
		t.Run(fx.DB, func(t *testing.T) {
			ctx := context.Background()
			var ids []int64
			for i, amount := range []int64{3_000_00, 1_000_00, 5_000_00, 2_000_00, 4_000_00} {
				in := fx.contractInput(fx.Orgs["university"])
				in.Title = fmt.Sprintf("合同%c号", 'A'+i)
				in.TurnoverFen, in.CostItems = amount, nil
				if i == 4 {
					in.Category, in.SubType = "consulting", "consulting"
				}
				c, err := fx.Svc.Contracts.Create(ctx, fx.actor("tto"), in)
				must(t, err)
				ids = append(ids, c.ID)
			}
			c, err := fx.Svc.Contracts.UploadDocument(ctx, fx.actor("tto"), ids[0], "a.pdf", samplePDF)
			must(t, err)
			_, err = fx.Svc.Contracts.Submit(ctx, fx.actor("tto"), c.ID, c.Version)
			must(t, err)

			for _, tc := range []struct {
				name, role, query string
				total, page, per  int
				titles            []string // in order; nil: only counts
			}{
				{"Default", "tto", "", 5, 1, 20, []string{"合同E号", "合同D号", "合同C号", "合同B号", "合同A号"}},
				{"FirstPage", "tto", "?per_page=2", 5, 1, 2, []string{"合同E号", "合同D号"}},
				{"LastPage", "tto", "?per_page=2&page=3", 5, 3, 2, []string{"合同A号"}},
				{"BeyondLast", "tto", "?per_page=2&page=9", 5, 9, 2, []string{}},
				{"SortAscending", "tto", "?sort=turnover_fen", 5, 1, 20, []string{"合同B号", "合同D号", "合同A号", "合同E号", "合同C号"}},
				{"SortDescending", "tto", "?sort=-turnover_fen&per_page=2", 5, 1, 2, []string{"合同C号", "合同E号"}},
				{"ContractDraft", "tto", "?status=draft", 4, 1, 20, nil},
				{"StatusList", "tto", "?status=submitted,registered", 1, 1, 20, []string{"合同A号"}},
				{"Category", "tto", "?category=consulting", 1, 1, 20, []string{"合同E号"}},
				{"Query", "tto", "?q=" + "合同C", 1, 1, 20, []string{"合同C号"}},
				{"YearNoneRegistered", "tto", "?year=2023", 0, 1, 20, []string{}},
				{"RegistrarSeesSubmittedOnly", "registrar", "", 1, 1, 20, []string{"合同A号"}},
				{"NotAPartyEmpty", "pilot_base", "", 0, 1, 20, []string{}},
			} {
				t.Run(tc.name, func(t *testing.T) {
					res := fx.send(t, tc.role, request{Method: "GET", Path: "/api/v1/contracts" + tc.query})
					if res.Status != 200 {
						t.Fatalf("status %d: %s", res.Status, res.Body)
					}
					if !bytes.Contains(res.Body, []byte(`"items":[`)) {
						t.Fatalf("items is not an array: %s", res.Body)
					}
					var lb listBody
					res.decode(t, &lb)
					if lb.Total != tc.total || lb.Page != tc.page || lb.PerPage != tc.per {
						t.Fatalf("total %d page %d per_page %d, want %d %d %d", lb.Total, lb.Page, lb.PerPage, tc.total, tc.page, tc.per)
					}
					if tc.titles == nil {
						return
					}
					var titles []string
					for _, raw := range lb.Items {
						var c domain.Contract
						must(t, json.Unmarshal(raw, &c))
						titles = append(titles, c.Title)
					}
					if !slices.Equal(titles, tc.titles) && !(len(titles) == 0 && len(tc.titles) == 0) {
						t.Fatalf("titles %v, want %v", titles, tc.titles)
					}
				})
			}
			for _, tc := range []struct{ query, field string }{
				{"?per_page=0", "per_page"}, {"?per_page=201", "per_page"}, {"?per_page=abc", "per_page"},
				{"?page=0", "page"}, {"?page=-1", "page"}, {"?status=bogus", "status"}, {"?sort=password", "sort"},
				{"?year=twenty", "year"},
			} {
				t.Run("Bad"+tc.query, func(t *testing.T) {
					wantProblem(t, fx.send(t, "tto", request{Method: "GET", Path: "/api/v1/contracts" + tc.query}), 422, tc.field)
				})
			}
			for _, path := range []string{"/api/v1/orgs?per_page=3", "/api/v1/audit?per_page=3", "/api/v1/registry/queue?per_page=3"} {
				role := map[bool]string{true: "registrar", false: "admin"}[strings.Contains(path, "queue")]
				var lb listBody
				res := fx.send(t, role, request{Method: "GET", Path: path})
				res.decode(t, &lb)
				if res.Status != 200 || lb.PerPage != 3 || lb.Page != 1 || lb.Items == nil || len(lb.Items) > 3 || lb.Total < len(lb.Items) {
					t.Errorf("%s: %d %+v", path, res.Status, lb)
				}
				wantProblem(t, fx.send(t, role, request{Method: "GET", Path: strings.Replace(path, "per_page=3", "per_page=0", 1)}), 422, "per_page")
			}
		})
	}
}

func mustJSON(t testing.TB, v any) []byte {
	b, err := json.Marshal(v)
	must(t, err)
	return b
}
