package httpapi

import (
	"bytes"
	"io"
	"net/http"
	"strconv"

	"kechuang/internal/domain"
	"kechuang/internal/httpx"
	"kechuang/internal/sheetio"
)

// The record registries' file endpoints (achievements, needs): export with
// the list's filters, the import template, and the import. Every one needs
// a login; the import is the module policy's CanImport, the export its
// CanExport over what the caller may list.

// RecordImportReport is the answer of a record import (sheetio.Report).
type RecordImportReport = sheetio.Report

// recordImportOptions reads an import's query: ?format=csv|xlsx,
// ?skip_bad=1, ?submit=1 and ?org_id= (administrators, for another unit).
func recordImportOptions(r *http.Request, name string, maxRows int) (int64, sheetio.ImportOptions, error) {
	q := r.URL.Query()
	yes := func(k string) bool { return q.Get(k) == "1" || q.Get(k) == "true" }
	opt := sheetio.ImportOptions{Format: sheetio.Format(q.Get("format")), FileName: name, MaxRows: maxRows, SkipBad: yes("skip_bad"), Submit: yes("submit")}
	var org int64
	if s := q.Get("org_id"); s != "" {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			return 0, opt, domain.FieldErrorf("org_id", "单位编号无效")
		}
		org = id
	}
	return org, opt, nil
}

// recordImport answers an uploaded file's import: 200 with the report, or
// 422 with the report as the problem's members when nothing was stored.
func (a *API) recordImport(w http.ResponseWriter, r *http.Request, allowed func(*domain.Actor) bool, maxRows int,
	do func(actor *domain.Actor, org int64, content io.Reader, opt sheetio.ImportOptions) (*sheetio.Report, error)) error {
	actor, err := httpx.Allowed(r, allowed)
	if err != nil {
		return err
	}
	name, content, err := httpx.ReadUpload(w, r, "file", httpx.MaxImportBytes)
	if err != nil {
		return err
	}
	org, opt, err := recordImportOptions(r, name, maxRows)
	if err != nil {
		return err
	}
	rep, err := do(actor, org, bytes.NewReader(content), opt)
	if rep != nil && err != nil {
		return httpx.WithMembers(err, rep)
	} else if err != nil {
		return err
	}
	a.Log.Info("records imported", "kind", rep.Kind, "user", actor.Username, "file", rep.File, "rows", rep.Rows, "imported", rep.Imported, "skipped", rep.Skipped)
	return httpx.JSON(w, http.StatusOK, rep)
}

// recordFile answers a file built in memory (an export or a template).
func (a *API) recordFile(w http.ResponseWriter, r *http.Request, ascii, name string, write func(actor *domain.Actor, format sheetio.Format, w io.Writer) error) error {
	actor, err := httpx.RequireActor(r)
	if err != nil {
		return err
	}
	format, err := sheetFormat(r)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := write(actor, format, &buf); err != nil {
		return err
	}
	download(w, format, ascii, name+"-"+a.Svc.Now().Format("20060102"), buf.Bytes())
	return nil
}

// exportYear reads ?year= for the needs' export.
func exportYear(r *http.Request) (int, error) {
	s := r.URL.Query().Get("year")
	if s == "" {
		return 0, nil
	}
	y, err := strconv.Atoi(s)
	if err != nil || y < 1980 || y > 2200 {
		return 0, domain.FieldErrorf("year", "年份无效")
	}
	return y, nil
}
