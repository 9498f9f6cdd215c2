package httpapi

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"time"

	"kechuang/internal/contractio"
	"kechuang/internal/domain"
	"kechuang/internal/i18n"
)

// MaxImportBytes limits an uploaded contract file.
const MaxImportBytes = 50 << 20

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
func (a *API) exportContracts(w http.ResponseWriter, r *http.Request) {
	format, err := exportFormat(r)
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	f, err := ContractFilterOf(r.URL.Query())
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	// Nothing is written before the scope is checked and, for xlsx, before
	// every row is in the workbook, so errors still get a proper status.
	sw := &lazyHeader{w: w, start: func() { attachment(w, format, "技术合同-"+a.Svc.Now().Format("20060102")) }}
	if _, err := a.Svc.Contracts.Export(r.Context(), ActorFrom(r), f, format, sw); err != nil {
		if !sw.started {
			writeError(w, r, a.Log, err)
			return
		}
		a.Log.Error("export contracts: stream aborted", "err", err)
	}
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
func (a *API) contractTemplate(w http.ResponseWriter, r *http.Request) {
	if ActorFrom(r) == nil {
		writeError(w, r, a.Log, domain.Errorf(domain.EUNAUTHORIZED, "请先登录"))
		return
	}
	format, err := exportFormat(r)
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	chains, err := a.Svc.Meta.Chains(r.Context())
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	var buf bytes.Buffer
	if err := contractio.Template(format, chains, &buf); err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	attachment(w, format, "技术合同导入模板")
	w.Write(buf.Bytes())
}

// importProblem is the 422 body of a failed import: the problem document's
// members plus the import report.
type importProblem struct {
	Type   string `json:"type"`
	Title  string `json:"title"`
	Status int    `json:"status"`
	Code   string `json:"code"`
	Detail string `json:"detail"`
	*contractio.Report
}

// importContracts imports an uploaded file (multipart field "file" or the
// raw body; ?format=csv|xlsx, else by name or content; ?skip_bad=1).
// Registrars and administrators only.
func (a *API) importContracts(w http.ResponseWriter, r *http.Request) {
	actor := ActorFrom(r)
	if actor == nil {
		writeError(w, r, a.Log, domain.Errorf(domain.EUNAUTHORIZED, "请先登录"))
		return
	} else if !domain.Contracts.CanImport(actor) {
		writeError(w, r, a.Log, domain.Errorf(domain.EFORBIDDEN, "无权导入技术合同"))
		return
	}
	name, content, err := ReadUpload(w, r, "file", MaxImportBytes)
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	q := r.URL.Query()
	opt := contractio.Options{Format: contractio.Format(q.Get("format")), FileName: name, MaxRows: contractio.MaxAPIRows,
		SkipBad: q.Get("skip_bad") == "1" || q.Get("skip_bad") == "true"}
	start := time.Now()
	rep, err := a.Svc.Contracts.Import(r.Context(), actor, bytes.NewReader(content), opt)
	if rep != nil && err != nil {
		st := http.StatusUnprocessableEntity
		w.Header().Set("Content-Type", "application/problem+json; charset=utf-8")
		w.WriteHeader(st)
		enc := json.NewEncoder(w)
		enc.SetEscapeHTML(false)
		enc.Encode(importProblem{"about:blank", http.StatusText(st), st, domain.EINVALID, i18n.Message(i18n.FromContext(r.Context()), err), rep})
		return
	} else if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	a.Log.Info("contracts imported", "user", actor.Username, "file", rep.File, "rows", rep.Rows, "imported", rep.Imported,
		"skipped", rep.Skipped, "duration", time.Since(start))
	writeJSON(w, http.StatusOK, rep)
}
