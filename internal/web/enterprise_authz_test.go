package web_test

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"strconv"
	"testing"

	"kechuang/internal/domain"
	"kechuang/internal/sheetio"
	"kechuang/internal/store"
	"kechuang/internal/store/storetest"
)

// pageFirm is the registry row of the world's enterprise (made once): the
// "enterprise" caller's own firm.
func pageFirm(t *testing.T, fx *pageFixture) *domain.Enterprise {
	t.Helper()
	x, err := fx.st.FindEnterpriseByOrg(context.Background(), fx.w.Ent.ID)
	if err != nil {
		t.Fatal(err)
	}
	if x == nil {
		x = fx.w.Enterprise().Filed(2025).Insert(t)
	}
	return x
}

// enterprisePageRows: the registry is the bureau's (and the
// administrator's); a firm's own enterprise user sees its profile, edits
// it and files its facts; nobody else sees anything.
func enterprisePageRows() []pageRow {
	staff := []string{"admin", "bureau"}
	own := []string{"admin", "bureau", "enterprise"}
	onFirm := func(method, suffix string, form func(fx *pageFixture, x *domain.Enterprise) url.Values) func(*testing.T, *pageFixture, string) pageRequest {
		return func(t *testing.T, fx *pageFixture, _ string) pageRequest {
			x := pageFirm(t, fx)
			rq := pageRequest{Method: method, Path: fmt.Sprintf("/enterprises/%d%s", x.ID, suffix)}
			if form != nil {
				rq.Form = form(fx, x)
			}
			return rq
		}
	}
	year := 2030
	upload := func(path string, body func(fx *pageFixture) []byte) func(*testing.T, *pageFixture, string) pageRequest {
		return func(t *testing.T, fx *pageFixture, _ string) pageRequest {
			return pageRequest{Method: "POST", Path: path, FileField: "file", FileName: "data.csv", File: body(fx)}
		}
	}
	return []pageRow{
		{Pattern: "GET /enterprises", Allow: staff},
		{Pattern: "GET /enterprises/mine", Allow: []string{"enterprise"}, Want: pageRedirect, Prepare: func(t *testing.T, fx *pageFixture, _ string) pageRequest {
			pageFirm(t, fx)
			return pageRequest{Method: "GET", Path: "/enterprises/mine"}
		}},
		{Pattern: "GET /enterprises/new", Allow: staff},
		{Pattern: "POST /enterprises/new", Allow: staff, Want: pageDone, Prepare: func(t *testing.T, fx *pageFixture, _ string) pageRequest {
			return pageRequest{Method: "POST", Path: "/enterprises/new", Form: url.Values{"uscc": {fx.w.USCC()}, "name": {"沈阳矩阵测试材料有限公司"},
				"district": {storetest.Hunnan}, "registered_on": {"2019-03-01"}}}
		}},
		{Pattern: "GET /enterprises/{id}", Allow: own, Prepare: onFirm("GET", "", nil)},
		{Pattern: "GET /enterprises/{id}/edit", Allow: own, Prepare: onFirm("GET", "/edit", nil)},
		{Pattern: "POST /enterprises/{id}/edit", Allow: own, Want: pageDone, Prepare: onFirm("POST", "/edit", func(fx *pageFixture, x *domain.Enterprise) url.Values {
			x, _ = fx.st.FindEnterpriseByID(context.Background(), x.ID)
			return url.Values{"version": {strconv.FormatInt(x.Version, 10)}, "uscc": {x.USCC}, "org_id": {strconv.FormatInt(x.OrgID, 10)},
				"name": {x.Name}, "district": {x.District}, "chain": {x.Chain}, "registered_on": {x.RegisteredOn}}
		})},
		{Pattern: "GET /enterprises/{id}/filings/{year}", Allow: own, Prepare: onFirm("GET", "/filings/2025", nil)},
		{Pattern: "POST /enterprises/{id}/filings/{year}", Allow: own, Want: pageDone, Prepare: func(t *testing.T, fx *pageFixture, c string) pageRequest {
			year++
			return onFirm("POST", fmt.Sprintf("/filings/%d", year), func(*pageFixture, *domain.Enterprise) url.Values {
				return url.Values{"version": {"0"}, "unit": {"wan"}, "f.assessed_on": {fmt.Sprintf("%d-05-20", year)}, "f.employees": {"80"},
					"f.total_assets_fen": {"1500.5"}}
			})(t, fx, c)
		}},
		{Pattern: "POST /enterprises/{id}/qualifications", Allow: staff, Want: pageDone, Prepare: onFirm("POST", "/qualifications", func(fx *pageFixture, _ *domain.Enterprise) url.Values {
			fx.seq++
			return url.Values{"kind": {"hnte"}, "number": {fmt.Sprintf("GR2025210%05d", fx.seq)}, "issued_on": {"2025-12-01"}}
		})},
		{Pattern: "POST /enterprises/{id}/qualifications/{qid}/revoke", Allow: staff, Want: pageDone, Prepare: func(t *testing.T, fx *pageFixture, _ string) pageRequest {
			x := pageFirm(t, fx)
			fx.seq++
			g := &domain.EnterpriseQualification{EnterpriseID: x.ID, Kind: domain.QualSME, Number: fmt.Sprintf("2025210100%07d", fx.seq),
				Year: 2025, IssuedOn: "2025-04-01", ExpiresOn: "2025-12-31"}
			ctx := context.Background()
			if err := fx.st.InTx(ctx, func(q *store.Q) error { return q.InsertEnterpriseQualification(ctx, g) }); err != nil {
				t.Fatal(err)
			}
			return pageRequest{Method: "POST", Path: fmt.Sprintf("/enterprises/%d/qualifications/%d/revoke", x.ID, g.ID),
				Form: url.Values{"version": {strconv.FormatInt(g.Version, 10)}, "comment": {"存在严重弄虚作假行为"}}}
		}},
		{Pattern: "GET /enterprises/import", Allow: staff},
		{Pattern: "POST /enterprises/import", Allow: staff, Want: pageDone, Prepare: upload("/enterprises/import", func(fx *pageFixture) []byte {
			return []byte("统一社会信用代码,企业名称,所在区县,成立日期\n" + fx.w.USCC() + ",沈阳导入企业有限公司,浑南区,2019-03-01\n")
		})},
		{Pattern: "GET /enterprise-facts/import", Allow: staff},
		{Pattern: "POST /enterprise-facts/import", Allow: staff, Want: pageDone, Prepare: func(t *testing.T, fx *pageFixture, c string) pageRequest {
			var b bytes.Buffer
			if err := fx.svc.Enterprises.FactsTemplate(context.Background(), sheetio.CSV, &b); err != nil {
				t.Fatal(err)
			}
			x := pageFirm(t, fx)
			body := bytes.Replace(b.Bytes(), []byte("91210100MA0Y6KJG4M"), []byte(x.USCC), 1)
			return upload("/enterprise-facts/import", func(*pageFixture) []byte { return body })(t, fx, c)
		}},
	}
}
