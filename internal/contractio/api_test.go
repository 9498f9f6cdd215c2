package contractio_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"kechuang/internal/contractio"
	"kechuang/internal/domain"
)

func do(t *testing.T, method, url, token, contentType string, body []byte) *http.Response {
	t.Helper()
	req, err := http.NewRequest(method, url, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func multipartFile(t *testing.T, name string, data []byte) (string, []byte) {
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	fw, err := mw.CreateFormFile("file", name)
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(data)
	mw.Close()
	return mw.FormDataContentType(), b.Bytes()
}

// readCSV parses an exported CSV (BOM included) into rows keyed by header.
func readCSV(t *testing.T, data []byte) []map[string]string {
	t.Helper()
	if !bytes.HasPrefix(data, []byte("\ufeff")) {
		t.Fatalf("CSV export has no BOM")
	}
	recs, err := csv.NewReader(bytes.NewReader(data[3:])).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var out []map[string]string
	for _, r := range recs[1:] {
		m := map[string]string{}
		for i, h := range recs[0] {
			m[h] = r[i]
		}
		out = append(out, m)
	}
	return out
}

func TestAPI(t *testing.T) {
	for _, fx := range fixtures(t) {
		seedContracts(t, fx)
		// A deal that does not involve the enterprise at all.
		fx.register(t, "registrar", fx.sampleContract("与企业无关的合同", "enterprise2", 7_000_000), 0)
		srv, tok := fx.server(t)
		base := srv.URL + "/api/v1/contracts"

		t.Run(fx.DB+"/Template", func(t *testing.T) {
			if r := do(t, "GET", base+"/template", "", "", nil); r.StatusCode != http.StatusUnauthorized {
				t.Errorf("anonymous template: %d", r.StatusCode)
			}
			r := do(t, "GET", base+"/template?format=xlsx", tok["registrar"], "", nil)
			body, _ := io.ReadAll(r.Body)
			if r.StatusCode != 200 || !strings.Contains(r.Header.Get("Content-Type"), "spreadsheetml") || !strings.Contains(r.Header.Get("Content-Disposition"), "attachment") {
				t.Fatalf("template: %d %v", r.StatusCode, r.Header)
			}
			f, err := excelize.OpenReader(bytes.NewReader(body))
			if err != nil {
				t.Fatal(err)
			}
			defer f.Close()
			if got := f.GetSheetList(); len(got) != 2 || got[0] != contractio.SheetName || got[1] != "说明" {
				t.Errorf("sheets %v", got)
			}
			notes, _ := f.GetRows("说明")
			if len(notes) < len(contractio.Columns)+1 || !strings.Contains(strings.Join(notes[len(notes)-1], ""), "机器人") {
				t.Errorf("说明 sheet lacks the chains: %v", notes[len(notes)-1])
			}
			// and it imports cleanly as it is
			ct, mp := multipartFile(t, "模板.xlsx", body)
			r = do(t, "POST", base+"/import", tok["registrar"], ct, mp)
			var rep contractio.Report
			json.NewDecoder(r.Body).Decode(&rep)
			if r.StatusCode != 200 || rep.Imported != 0 || len(rep.Errors) != 0 {
				t.Errorf("template import: %d %+v", r.StatusCode, rep)
			}
		})

		t.Run(fx.DB+"/ImportPermissions", func(t *testing.T) {
			data := toCSV(t, table(validRow(map[string]string{"登记号": "2022210100000800"})))
			for who, want := range map[string]int{"": 401, "enterprise": 403, "tto": 403, "bureau": 403, "expert": 403} {
				if r := do(t, "POST", base+"/import", tok[who], "text/csv", data); r.StatusCode != want {
					t.Errorf("%q: %d, want %d", who, r.StatusCode, want)
				}
			}
			if n := fx.count(t); n != 9 {
				t.Errorf("refused imports stored contracts: %d", n)
			}
		})

		t.Run(fx.DB+"/Import422", func(t *testing.T) {
			data := toCSV(t, table(
				validRow(map[string]string{"登记号": "2022210100000810"}),
				validRow(map[string]string{"登记号": "2022210100000811", "卖方主体类型": "个人"}),
				validRow(map[string]string{"登记号": "2022210100000812", "合同成交额（元）": "1.005"}),
			))
			ct, mp := multipartFile(t, "合同.csv", data)
			r := do(t, "POST", base+"/import", tok["registrar"], ct, mp)
			var body struct {
				Status   int                   `json:"status"`
				Code     string                `json:"code"`
				Detail   string                `json:"detail"`
				Imported int                   `json:"imported"`
				Skipped  int                   `json:"skipped"`
				Errors   []contractio.RowError `json:"errors"`
			}
			if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
				t.Fatal(err)
			}
			if r.StatusCode != 422 || body.Status != 422 || body.Code != domain.EINVALID || body.Imported != 0 || len(body.Errors) != 2 ||
				body.Errors[0].Row != 3 || body.Errors[0].Field != "卖方主体类型" || body.Errors[1].Row != 4 || body.Errors[1].Field != "合同成交额（元）" {
				t.Fatalf("422 body: %d %+v", r.StatusCode, body)
			}
			if !strings.Contains(body.Detail, "2 行有错误") {
				t.Errorf("detail %q", body.Detail)
			}
			// skip_bad=1 with a raw body
			r = do(t, "POST", base+"/import?skip_bad=1&format=csv", tok["registrar"], "text/csv", data)
			var rep contractio.Report
			json.NewDecoder(r.Body).Decode(&rep)
			if r.StatusCode != 200 || rep.Imported != 1 || rep.Skipped != 2 || len(rep.Errors) != 2 {
				t.Errorf("skip_bad: %d %+v", r.StatusCode, rep)
			}
		})

		t.Run(fx.DB+"/ExportScope", func(t *testing.T) {
			if r := do(t, "GET", base+"/export?format=csv", "", "", nil); r.StatusCode != 401 {
				t.Errorf("anonymous export: %d", r.StatusCode)
			}
			// An expert exports what it is assigned to review: here nothing
			// (the header row alone).
			if r := do(t, "GET", base+"/export?format=csv", tok["expert"], "", nil); r.StatusCode != 200 {
				t.Errorf("expert export: %d", r.StatusCode)
			} else if b, _ := io.ReadAll(r.Body); strings.Count(strings.TrimSpace(string(b)), "\n") != 0 {
				t.Errorf("an expert assigned nothing exported rows:\n%s", b)
			}
			r := do(t, "GET", base+"/export?format=csv", tok["enterprise"], "", nil)
			data, _ := io.ReadAll(r.Body)
			if r.StatusCode != 200 || !strings.HasPrefix(r.Header.Get("Content-Type"), "text/csv") {
				t.Fatalf("enterprise export: %d %s", r.StatusCode, data)
			}
			own := fx.Orgs["enterprise"].USCC
			rows := readCSV(t, data)
			titles := map[string]bool{}
			for _, row := range rows {
				titles[row["合同名称"]] = true
				if row["卖方统一社会信用代码"] != own && row["买方统一社会信用代码"] != own {
					t.Errorf("enterprise export holds another organisation's contract: %v", row)
				}
			}
			// what the list shows, nothing more: its own filing, and the
			// registered deals it is a party to; never the registry's draft
			r = do(t, "GET", base+"?per_page=100", tok["enterprise"], "", nil)
			var list struct {
				Total int `json:"total"`
			}
			json.NewDecoder(r.Body).Decode(&list)
			if len(rows) != list.Total || len(rows) < 3 || titles["与企业无关的合同"] || titles["尚未提交的草稿"] {
				t.Errorf("enterprise export: %d rows (list %d): %v", len(rows), list.Total, titles)
			}

			r = do(t, "GET", base+"/export?format=xlsx&status=registered&year=2022", tok["bureau"], "", nil)
			body, _ := io.ReadAll(r.Body)
			f, err := excelize.OpenReader(bytes.NewReader(body))
			if err != nil {
				t.Fatalf("xlsx export: %d %v", r.StatusCode, err)
			}
			defer f.Close()
			sheet, _ := f.GetRows(contractio.SheetName)
			for _, row := range sheet[1:] {
				if !strings.HasPrefix(row[0], "2022") {
					t.Errorf("year filter let through %v", row[0])
				}
			}
			if len(sheet) < 3 {
				t.Errorf("bureau 2022 export: %d rows", len(sheet)-1)
			}
			if r := do(t, "GET", base+"/export?format=pdf", tok["bureau"], "", nil); r.StatusCode != 422 {
				t.Errorf("format pdf: %d", r.StatusCode)
			}
		})
	}
}
