package httpapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"

	"kechuang/internal/domain"
	"kechuang/internal/httpapi"
	"kechuang/internal/store"
	"kechuang/internal/store/storetest"
)

// enterpriseSchemaTypes pairs the registry's schemas with their Go types.
var enterpriseSchemaTypes = map[string][]any{
	"Enterprise": {domain.Enterprise{}}, "EnterpriseList": {httpapi.EnterpriseList{}}, "EnterpriseInput": {httpapi.EnterpriseInput{}},
	"EnterpriseUpdateBody": {httpapi.EnterpriseUpdateBody{}}, "EnterpriseFiling": {domain.EnterpriseFiling{}},
	"EnterpriseFilingList": {httpapi.EnterpriseFilingList{}}, "EnterpriseFilingBody": {httpapi.EnterpriseFilingBody{}},
	"EnterpriseQualification": {domain.EnterpriseQualification{}}, "QualificationInput": {httpapi.QualificationInput{}},
	"QualificationList": {httpapi.QualificationList{}}, "QualificationRevokeBody": {httpapi.QualificationRevokeBody{}},
	"EnterpriseEvent": {domain.Event{}}, "EnterpriseEventList": {httpapi.EventList{}},
}

// entFirm is the registry row of the fixture's enterprise (made once), so
// the "enterprise" user's own firm.
func entFirm(t *testing.T, fx *fixture) *domain.Enterprise {
	t.Helper()
	x, err := fx.St.FindEnterpriseByOrg(context.Background(), fx.Orgs["enterprise"].ID)
	if err != nil {
		t.Fatal(err)
	}
	if x == nil {
		x = fx.W.Enterprise().Of(fx.Orgs["enterprise"]).Filed(2022).Insert(t)
	}
	return x
}

// onFirm builds a request about the enterprise's firm.
func onFirm(method, suffix string, body func(t *testing.T, fx *fixture, x *domain.Enterprise) any) func(*testing.T, *fixture, string) request {
	return func(t *testing.T, fx *fixture, _ string) request {
		x := entFirm(t, fx)
		rq := request{Method: method, Path: fmt.Sprintf("/api/v1/enterprises/%d%s", x.ID, suffix)}
		if body != nil {
			rq.JSON = body(t, fx, x)
		}
		return rq
	}
}

func enterpriseAuthzRows() []authzRow {
	staff := []string{"admin", "bureau"}
	own := []string{"admin", "bureau", "enterprise"}
	year, number := 2030, 0
	return []authzRow{
		{Pattern: "GET /api/v1/enterprises", Allow: loggedIn},
		{Pattern: "POST /api/v1/enterprises", Allow: staff, Prepare: func(t *testing.T, fx *fixture, _ string) request {
			return request{Method: "POST", Path: "/api/v1/enterprises", JSON: map[string]any{"uscc": fx.uscc(), "name": "沈阳阿尔法材料有限公司",
				"district": storetest.Hunnan, "chain": "", "registered_on": "2019-03-01"}}
		}},
		{Pattern: "GET /api/v1/enterprises/mine", Allow: []string{"enterprise"}, Prepare: func(t *testing.T, fx *fixture, _ string) request {
			entFirm(t, fx)
			return request{Method: "GET", Path: "/api/v1/enterprises/mine"}
		}},
		{Pattern: "GET /api/v1/enterprises/export", Allow: staff},
		{Pattern: "GET /api/v1/enterprises/template", Allow: loggedIn},
		{Pattern: "POST /api/v1/enterprises/import", Allow: staff, Prepare: func(t *testing.T, fx *fixture, _ string) request {
			body := "统一社会信用代码,企业名称,所在区县,成立日期\n" + fx.uscc() + ",沈阳导入企业有限公司,浑南区,2019-03-01\n"
			return request{Method: "POST", Path: "/api/v1/enterprises/import?format=csv", Body: []byte(body), Type: "text/csv"}
		}},
		{Pattern: "GET /api/v1/enterprise-facts/export", Allow: staff, Prepare: func(t *testing.T, fx *fixture, _ string) request {
			entFirm(t, fx)
			return request{Method: "GET", Path: "/api/v1/enterprise-facts/export?year=2022&format=csv"}
		}},
		{Pattern: "GET /api/v1/enterprise-facts/template", Allow: loggedIn},
		{Pattern: "POST /api/v1/enterprise-facts/import", Allow: staff, Prepare: func(t *testing.T, fx *fixture, _ string) request {
			x := entFirm(t, fx)
			body := "统一社会信用代码,评价日期,职工总数\n" + x.USCC + ",2022-05-20,81\n"
			return request{Method: "POST", Path: "/api/v1/enterprise-facts/import?format=csv", Body: []byte(body), Type: "text/csv"}
		}},
		{Pattern: "GET /api/v1/enterprises/{id}", Allow: own, Prepare: onFirm("GET", "", nil)},
		{Pattern: "PUT /api/v1/enterprises/{id}", Allow: own, Prepare: onFirm("PUT", "", func(t *testing.T, fx *fixture, x *domain.Enterprise) any {
			x, _ = fx.St.FindEnterpriseByID(context.Background(), x.ID)
			return map[string]any{"version": x.Version, "uscc": x.USCC, "org_id": x.OrgID, "name": x.Name, "district": x.District,
				"chain": x.Chain, "registered_on": x.RegisteredOn}
		})},
		{Pattern: "GET /api/v1/enterprises/{id}/events", Allow: own, Prepare: onFirm("GET", "/events", nil)},
		{Pattern: "GET /api/v1/enterprises/{id}/filings", Allow: own, Prepare: onFirm("GET", "/filings", nil)},
		{Pattern: "GET /api/v1/enterprises/{id}/filings/{year}", Allow: own, Prepare: onFirm("GET", "/filings/2022", nil)},
		{Pattern: "PUT /api/v1/enterprises/{id}/filings/{year}", Allow: own, Prepare: func(t *testing.T, fx *fixture, role string) request {
			year++
			f := storetest.Facts(year)
			rq := onFirm("PUT", fmt.Sprintf("/filings/%d", year), func(*testing.T, *fixture, *domain.Enterprise) any {
				raw, _ := json.Marshal(f)
				return map[string]any{"version": 0, "facts": json.RawMessage(raw)}
			})(t, fx, role)
			return rq
		}},
		{Pattern: "GET /api/v1/enterprises/{id}/qualifications", Allow: own, Prepare: onFirm("GET", "/qualifications", nil)},
		{Pattern: "POST /api/v1/enterprises/{id}/qualifications", Allow: staff, Prepare: onFirm("POST", "/qualifications", func(*testing.T, *fixture, *domain.Enterprise) any {
			number++
			return map[string]any{"kind": "hnte", "number": fmt.Sprintf("GR2022210%05d", number), "issued_on": "2022-12-01"}
		})},
		{Pattern: "POST /api/v1/enterprises/{id}/qualifications/{qid}/revoke", Allow: staff, Prepare: func(t *testing.T, fx *fixture, _ string) request {
			x := entFirm(t, fx)
			number++
			g := &domain.EnterpriseQualification{EnterpriseID: x.ID, Kind: domain.QualSME, Number: fmt.Sprintf("2022210100%07d", number),
				Year: 2022, IssuedOn: "2022-04-01", ExpiresOn: "2022-12-31"}
			ctx := context.Background()
			if err := fx.St.InTx(ctx, func(q *store.Q) error { return q.InsertEnterpriseQualification(ctx, g) }); err != nil {
				t.Fatal(err)
			}
			return request{Method: "POST", Path: fmt.Sprintf("/api/v1/enterprises/%d/qualifications/%d/revoke", x.ID, g.ID),
				JSON: map[string]any{"version": g.Version, "reason": "有效期内存在严重弄虚作假行为"}}
		}},
	}
}
