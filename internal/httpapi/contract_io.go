package httpapi

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"kechuang/internal/contractio"
	"kechuang/internal/domain"
	"kechuang/internal/httpx"
)

func attachment(w http.ResponseWriter, format contractio.Format, base string) {
	ct := "text/csv; charset=utf-8"
	if format == contractio.XLSX {
		ct = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	}
	name := base + "." + string(format)
	w.Header().Set("Content-Type", ct)
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="contracts.%s"; filename*=UTF-8''%s`, format, url.PathEscape(name)))
	w.Header().Set("X-Content-Type-Options", "nosniff")
}

func exportFormat(r *http.Request) (contractio.Format, error) {
	f := r.URL.Query().Get("format")
	if f == "" {
		return contractio.XLSX, nil
	}
	return contractio.FormatOf(f, "", nil)
}

// exportContracts streams the contracts the caller may list, with the
// list's filters, as xlsx (default) or CSV.
func (a *API) exportContracts(w http.ResponseWriter, r *http.Request) error {
	format, err := exportFormat(r)
	if err != nil {
		return err
	}
	f, err := httpx.ContractFilterOf(r.URL.Query())
	if err != nil {
		return err
	}
	if err := a.Svc.Contracts.AllowHeavy(ActorFrom(r)); err != nil {
		return err
	}
	// Nothing is written before the scope is checked and, for xlsx, before
	// every row is in the workbook, so errors still get a proper status.
	sw := &lazyHeader{w: w, start: func() { attachment(w, format, "技术合同-"+a.Svc.Now().Format("20060102")) }}
	if _, err := a.Svc.Contracts.Export(r.Context(), ActorFrom(r), f, format, sw); err != nil {
		if !sw.started {
			return err
		}
		a.Log.Error("export contracts: stream aborted", "err", err)
	}
	return nil
}

// lazyHeader sets the download headers on the first write, so an error
// before any output can still be answered with a problem document.
type lazyHeader struct {
	w       http.ResponseWriter
	start   func()
	started bool
}

func (l *lazyHeader) Write(p []byte) (int, error) {
	if !l.started {
		l.started = true
		l.start()
	}
	return l.w.Write(p)
}

// contractTemplate serves the empty import file (xlsx with its 说明 sheet).
func (a *API) contractTemplate(w http.ResponseWriter, r *http.Request) error {
	if _, err := httpx.RequireActor(r); err != nil {
		return err
	}
	format, err := exportFormat(r)
	if err != nil {
		return err
	}
	chains, err := a.Svc.Meta.Chains(r.Context())
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := contractio.Template(format, chains, &buf); err != nil {
		return err
	}
	attachment(w, format, "技术合同导入模板")
	w.Write(buf.Bytes())
	return nil
}

// importContracts imports an uploaded file (multipart field "file" or the
// raw body; ?format=csv|xlsx, else by name or content; ?skip_bad=1).
// Registrars and administrators only. A failed import answers 422 with the
// row report as the problem's extension members (schema ImportProblem).
func (a *API) importContracts(w http.ResponseWriter, r *http.Request) error {
	actor, err := httpx.RequireActor(r)
	if err != nil {
		return err
	} else if !domain.Contracts.CanImport(actor) {
		return domain.Errorf(domain.EFORBIDDEN, "无权导入技术合同")
	}
	if err := a.Svc.Contracts.AllowHeavy(actor); err != nil {
		return err
	}
	name, content, err := httpx.ReadUpload(w, r, "file", httpx.MaxImportBytes)
	if err != nil {
		return err
	}
	q := r.URL.Query()
	opt := contractio.Options{Format: contractio.Format(q.Get("format")), FileName: name, MaxRows: contractio.MaxAPIRows,
		SkipBad: q.Get("skip_bad") == "1" || q.Get("skip_bad") == "true"}
	start := time.Now()
	rep, err := a.Svc.Contracts.Import(r.Context(), actor, bytes.NewReader(content), opt)
	if rep != nil && err != nil {
		return httpx.WithMembers(err, rep)
	} else if err != nil {
		return err
	}
	a.Log.Info("contracts imported", "user", actor.Username, "file", rep.File, "rows", rep.Rows, "imported", rep.Imported,
		"skipped", rep.Skipped, "duration", time.Since(start))
	return httpx.JSON(w, http.StatusOK, rep)
}
