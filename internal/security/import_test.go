package security_test

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"kechuang/internal/config"
	"kechuang/internal/contractio"
	"kechuang/internal/domain"
	"kechuang/internal/store/storetest"
)

// bombSharedStrings is what the probe's bomb unpacks to: a shared-string
// table of 512 MiB, in a 1.5 MB upload.
const bombSharedStrings = 512 << 20

// zipBomb returns the import template (a real workbook) with its shared
// strings replaced by bombSharedStrings bytes of repeated entries, built in
// memory.
func zipBomb(t *testing.T, template []byte) []byte {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(template), int64(len(template)))
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for _, f := range zr.File {
		if f.Name == "xl/sharedStrings.xml" {
			continue
		}
		w, err := zw.CreateHeader(&zip.FileHeader{Name: f.Name, Method: zip.Deflate})
		if err != nil {
			t.Fatal(err)
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		io.Copy(w, rc)
		rc.Close()
	}
	w, err := zw.CreateHeader(&zip.FileHeader{Name: "xl/sharedStrings.xml", Method: zip.Deflate})
	if err != nil {
		t.Fatal(err)
	}
	io.WriteString(w, `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">`)
	chunk := []byte(strings.Repeat("<si><t>沈阳海龟医疗科技有限公司</t></si>", 1<<20/40))
	for n := 0; n < bombSharedStrings; n += len(chunk) {
		w.Write(chunk)
	}
	io.WriteString(w, `</sst>`)
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// TestM1ZipBombRefusedWhileLoginsWork replays M1: a 1.5 MB .xlsx whose
// shared strings unpack to 512 MiB held the one SQLite writer for 90 s
// (1.46 GB resident) and logins failed meanwhile. It is now refused from
// the zip directory before anything is inflated or written; logins made
// while it is being sent and refused succeed, and the server's heap never
// grows by anything near the bomb's size.
func TestM1ZipBombRefusedWhileLoginsWork(t *testing.T) {
	for _, s := range inServers(t, config.Config{}) {
		t.Run(s.DB, func(t *testing.T) {
			tpl := s.do(t, "registrar", inReq{Method: "GET", Path: "/api/v1/contracts/template?format=xlsx"})
			if tpl.Status != http.StatusOK {
				t.Fatalf("template: %d", tpl.Status)
			}
			bomb := zipBomb(t, []byte(tpl.Body))
			var body bytes.Buffer
			mw := multipart.NewWriter(&body)
			fw, _ := mw.CreateFormFile("file", "bomb.xlsx")
			fw.Write(bomb)
			mw.Close()

			var base runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&base)
			var peak atomic.Uint64
			stop := make(chan struct{})
			sampled := make(chan struct{})
			go func() { // sample the heap while the import runs
				defer close(sampled)
				for {
					var m runtime.MemStats
					runtime.ReadMemStats(&m)
					if m.HeapAlloc > peak.Load() {
						peak.Store(m.HeapAlloc)
					}
					select {
					case <-stop:
						return
					case <-time.After(5 * time.Millisecond):
					}
				}
			}()
			var imported inRes
			var took time.Duration
			var wg sync.WaitGroup
			wg.Add(1)
			go func() {
				defer wg.Done()
				start := time.Now()
				imported = s.do(t, "registrar", inReq{Method: "POST", Path: "/api/v1/contracts/import", Body: body.Bytes(), Type: mw.FormDataContentType()})
				took = time.Since(start)
			}()
			logins := 0
			for ; logins < 3; logins++ { // while the bomb is sent and refused
				res := s.do(t, "", inReq{Method: "POST", Path: "/api/v1/session", JSON: map[string]string{"username": "bureau", "password": storetest.Password}})
				if res.Status != http.StatusOK {
					t.Errorf("login during the import: %d: %s", res.Status, res.short())
				}
			}
			wg.Wait()
			close(stop)
			<-sampled
			if imported.Status != http.StatusUnprocessableEntity || !strings.Contains(imported.Body, "共享字符串表") {
				t.Errorf("the zip bomb: %d, want 422 naming the shared strings: %s", imported.Status, imported.short())
			}
			grew := int64(peak.Load()) - int64(base.HeapAlloc)
			if grew > 128<<20 {
				t.Errorf("the heap grew by %d MiB during the import, want well under the bomb's %d MiB", grew>>20, bombSharedStrings>>20)
			}
			t.Logf("%s: a %.1f MB upload unpacking to %d MiB refused in %v (%d logins meanwhile, heap +%d MiB)",
				s.DB, float64(len(bomb))/1e6, bombSharedStrings>>20, took.Round(time.Millisecond), logins, max(grew, 0)>>20)
		})
	}
}

// importCSV is a one-row contract file: a contract signed and registered on day with
// the registration number regNo.
func importCSV(t *testing.T, title, regNo, day string) []byte {
	t.Helper()
	row := map[string]string{"合同名称": title, "卖方名称": "沈阳导入测试科技有限公司", "卖方统一社会信用代码": domain.MakeUSCC("91210102MA0TEXT11"),
		"卖方行政区划代码": "210102", "卖方主体类型": "企业法人", "买方名称": "沈阳导入测试装备有限公司",
		"买方统一社会信用代码": domain.MakeUSCC("91210106MA0TEXT12"), "买方行政区划代码": "210106", "买方主体类型": "企业法人",
		"签订日期": day, "起始日期": day, "终止日期": "2023-12-31", "合同类别": "技术开发", "子类": "委托开发",
		"合同形式": "书面", "印章一致": "是", "技术领域": "先进制造", "合同成交额（元）": "250,000.00",
		"状态": "已登记", "登记号": regNo, "登记日期": day}
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	h := contractio.Headers()
	w.Write(h)
	line := make([]string, len(h))
	for i, c := range h {
		line[i] = row[c]
	}
	w.Write(line)
	w.Flush()
	return b.Bytes()
}

// TestL2ImportedSerialsCannotJump replays L2: importing this year's
// registration 999999 raised the sequence, and the next registration got a
// 17-digit number. This year's imported serials must now continue the
// sequence exactly (walkthrough #8: 50 after 1 would leave 2–49 unused):
// 999999 and 50 are refused, 2 is imported, and registrations continue
// after it.
func TestL2ImportedSerialsCannotJump(t *testing.T) {
	for _, s := range inServers(t, config.Config{}) {
		t.Run(s.DB, func(t *testing.T) {
			w := s.W // today is 2023-06-15; the city's registry has region 210100
			send := func(csv []byte) inRes {
				return s.do(t, "registrar", inReq{Method: "POST", Path: "/api/v1/contracts/import", Body: csv, Type: "text/csv"})
			}
			res := send(importCSV(t, "跳号测试合同", "2023"+w.Registry.RegionCode+"999999", "2023-02-01"))
			if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "流水号") {
				t.Fatalf("serial 999999 of this year: %d, want 422 about the serial: %s", res.Status, res.short())
			}
			register := func() string {
				c := w.Contract(func(c *domain.Contract) { c.SignedOn, c.TermStart = "2023-05-01", "2023-05-01" }).Accepted().Insert(t)
				res := s.do(t, "registrar", inReq{Method: "POST", Path: fmt.Sprintf("/api/v1/contracts/%d/register", c.ID),
					JSON: map[string]int64{"version": c.Version, "tech_income_fen": 1}})
				var got domain.Contract
				if res.Status != http.StatusOK || json.Unmarshal([]byte(res.Body), &got) != nil {
					t.Fatalf("register: %d: %s", res.Status, res.short())
				}
				return got.RegNo
			}
			if no := register(); no != "2023"+w.Registry.RegionCode+"000001" {
				t.Errorf("first registration after the refused import: %s", no)
			}
			res = send(importCSV(t, "补录测试合同", "2023"+w.Registry.RegionCode+"000050", "2023-02-01"))
			if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Body, "不接续") {
				t.Fatalf("serial 50 after 1: %d, want 422 (a gap 2–49): %s", res.Status, res.short())
			}
			res = send(importCSV(t, "补录测试合同", "2023"+w.Registry.RegionCode+"000002", "2023-02-01"))
			if res.Status != http.StatusOK {
				t.Fatalf("serial 2 after 1: %d: %s", res.Status, res.short())
			}
			if no := register(); no != "2023"+w.Registry.RegionCode+"000003" {
				t.Errorf("registration after importing serial 2: %s, want serial 3", no)
			}
			// A past year takes any serial: no new number is issued in it.
			if res = send(importCSV(t, "往年测试合同", "2022"+w.Registry.RegionCode+"999999", "2022-12-01")); res.Status != http.StatusOK {
				t.Errorf("a past year's serial 999999: %d: %s", res.Status, res.short())
			}
		})
	}
}

// TestM1ImportReadsBeforeWriting: while an import is still reading its
// file (here, a client that stalls half-way), the writer is free — a login,
// which writes its session, succeeds — because the file is read and checked
// before any transaction begins (the old import read it inside one, holding
// SQLite's only writer connection).
func TestM1ImportReadsBeforeWriting(t *testing.T) {
	for _, s := range inServers(t, config.Config{}) {
		t.Run(s.DB, func(t *testing.T) {
			file := importCSV(t, "慢速导入测试合同", "2023"+s.W.Registry.RegionCode+"000001", "2023-02-01")
			pr, pw := io.Pipe()
			done := make(chan error, 1)
			var rep *contractio.Report
			go func() {
				var err error
				rep, err = s.Svc.Contracts.Import(t.Context(), s.W.Actor("registrar"), pr, contractio.Options{FileName: "slow.csv", MaxRows: contractio.MaxAPIRows})
				done <- err
			}()
			half := len(file) / 2
			if _, err := pw.Write(file[:half]); err != nil { // returns once the import has read it
				t.Fatal(err)
			}
			res := s.do(t, "", inReq{Method: "POST", Path: "/api/v1/session", JSON: map[string]string{"username": "bureau", "password": storetest.Password}})
			if res.Status != http.StatusOK {
				t.Errorf("login while an import reads: %d: %s", res.Status, res.short())
			}
			pw.Write(file[half:])
			pw.Close()
			if err := <-done; err != nil || rep.Imported != 1 {
				t.Fatalf("the import: %v (%+v)", err, rep)
			}
		})
	}
}
