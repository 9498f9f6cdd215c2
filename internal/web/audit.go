package web

import (
	"bytes"
	"encoding/json"
	"mime"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"kechuang/internal/domain"
	"kechuang/internal/httpx"
	"kechuang/internal/i18n"
	"kechuang/internal/service"
	"kechuang/internal/sheetio"
)

// auditPage is the data of /audit: one page of the log, newest first, and
// the verification of the whole chain.
type auditPage struct {
	Rows     []auditRow
	Pager    pager
	Entity   string
	EntityID string
	User     string // the login name filter
	Action   string
	From, To string // YYYY-MM-DD, China dates, both included
	Export   string // the filters as a query string, for the export links
	Entities []domain.Label
	Actions  []domain.Label
	Verify   domain.AuditReport
}

// auditRow is an audit entry with its JSON made readable.
type auditRow struct {
	*domain.AuditEntry
	BeforeJSON, AfterJSON string        // "" when null
	Changed               []string      // top-level fields that differ between before and after
	Changes               []auditChange // the changed fields, labelled, with their values
}

// auditChange is one changed field of a record, in plain words.
type auditChange struct {
	Label         string // zh-CN message id
	Before, After string
}

// ActionLabel names the action in Chinese (the code itself when unknown).
func (r auditRow) ActionLabel() string {
	if l := domain.AuditActionLabel(r.Action); l != "" {
		return l
	}
	return r.Action
}

// EntityLabel names the kind of record.
func (r auditRow) EntityLabel() string { return entityLabel(r.Entity) }

// Time is when the action happened, in China time (Asia/Shanghai).
func (r auditRow) Time() string { return r.At.In(domain.ChinaTZ).Format("2006-01-02 15:04:05") }

// ShortID abbreviates long ids (the SHA-256 of an imported file).
func (r auditRow) ShortID() string {
	if len(r.EntityID) > 16 {
		return r.EntityID[:12] + "…"
	}
	return r.EntityID
}

func entityLabel(e string) string {
	for _, l := range domain.AuditEntities() {
		if l.Code == e {
			return l.Label
		}
	}
	return e
}

// prettyJSON indents a stored before/after document; "" for null.
func prettyJSON(raw json.RawMessage) string {
	if len(raw) == 0 || string(raw) == "null" {
		return ""
	}
	var buf bytes.Buffer
	if err := json.Indent(&buf, raw, "", "  "); err != nil {
		return string(raw)
	}
	return buf.String()
}

// changedFields lists the top-level fields whose values differ when both
// documents are objects (nil otherwise), so a change reads at a glance.
func changedFields(before, after json.RawMessage) []string {
	var b, a map[string]json.RawMessage
	if json.Unmarshal(before, &b) != nil || json.Unmarshal(after, &a) != nil || b == nil || a == nil {
		return nil
	}
	if _, ok := b["redacted"]; ok { // a withheld draft: there is nothing to compare
		return nil
	}
	if _, ok := a["redacted"]; ok {
		return nil
	}
	var out []string
	for k, v := range a {
		if w, ok := b[k]; !ok || !jsonEqual(v, w) {
			out = append(out, k)
		}
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			out = append(out, k)
		}
	}
	sort.Strings(out)
	return out
}

func jsonEqual(x, y json.RawMessage) bool {
	var cx, cy bytes.Buffer
	if json.Compact(&cx, x) != nil || json.Compact(&cy, y) != nil {
		return bytes.Equal(x, y)
	}
	return bytes.Equal(cx.Bytes(), cy.Bytes())
}

// changes labels the changed fields of a row (bookkeeping fields left
// out) with their values before and after, as a reader would say them.
func changes(e *domain.AuditEntry, fields []string) []auditChange {
	var b, a map[string]json.RawMessage
	json.Unmarshal(e.Before, &b)
	json.Unmarshal(e.After, &a)
	var out []auditChange
	for _, f := range fields {
		if domain.AuditBookkeeping(f) {
			continue
		}
		out = append(out, auditChange{Label: domain.AuditFieldLabel(e.Entity, f), Before: auditValue(e.Entity, f, b[f]), After: auditValue(e.Entity, f, a[f])})
	}
	return out
}

// auditValue renders one recorded value: amounts in 元 to the fen, codes
// of statuses and roles by their labels, yes/no, text as it is, anything
// structured as compact JSON; "—" when absent.
func auditValue(entity, field string, raw json.RawMessage) string {
	if len(raw) == 0 || string(raw) == "null" {
		return "—"
	}
	var v any
	if json.Unmarshal(raw, &v) != nil {
		return string(raw)
	}
	switch x := v.(type) {
	case string:
		if l := domain.AuditValueLabel(entity, field, x); l != "" {
			return l
		}
		if x == "" {
			return "—"
		}
		return x
	case bool:
		if x {
			return "是"
		}
		return "否"
	case float64:
		if strings.HasSuffix(field, "_fen") {
			var fen int64
			if json.Unmarshal(raw, &fen) == nil {
				return domain.FormatMoney(fen, domain.UnitYuan)
			}
		}
		return string(raw)
	}
	var buf bytes.Buffer
	if json.Compact(&buf, raw) != nil {
		return string(raw)
	}
	return buf.String()
}

// auditFilter reads the page's filters: object, user, action and a range
// of China dates (both days included); a bad value names its field.
func auditFilter(r *http.Request) (auditPage, domain.AuditFilter, error) {
	q := r.URL.Query()
	ap := auditPage{Entity: strings.TrimSpace(q.Get("entity")), EntityID: strings.TrimSpace(q.Get("entity_id")),
		User: strings.TrimSpace(q.Get("user")), Action: strings.TrimSpace(q.Get("action")),
		From: strings.TrimSpace(q.Get("from")), To: strings.TrimSpace(q.Get("to")),
		Entities: domain.AuditEntities(), Actions: domain.AuditActions()}
	f := domain.AuditFilter{Entity: ap.Entity, EntityID: ap.EntityID, ActorName: ap.User, Action: ap.Action}
	if ap.Action != "" && domain.AuditActionLabel(ap.Action) == "" {
		return ap, f, domain.FieldErrorf("action", "操作“%s”无效", ap.Action)
	}
	day := func(field, label, s string) (time.Time, error) {
		if s == "" {
			return time.Time{}, nil
		}
		d, err := time.ParseInLocation("2006-01-02", s, domain.ChinaTZ)
		if err != nil {
			return time.Time{}, domain.FieldErrorf(field, "%s应为 YYYY-MM-DD 格式的日期", label)
		}
		return d, nil
	}
	var err error
	if f.From, err = day("from", "开始日期", ap.From); err != nil {
		return ap, f, err
	}
	if f.To, err = day("to", "结束日期", ap.To); err != nil {
		return ap, f, err
	}
	if !f.To.IsZero() {
		f.To = f.To.AddDate(0, 0, 1) // the end day is included
	}
	if !f.From.IsZero() && !f.To.IsZero() && !f.From.Before(f.To) {
		return ap, f, domain.FieldErrorf("to", "结束日期不能早于开始日期")
	}
	kept := url.Values{}
	for _, k := range []string{"entity", "entity_id", "user", "action", "from", "to"} {
		if v := strings.TrimSpace(q.Get(k)); v != "" {
			kept.Set(k, v)
		}
	}
	ap.Export = kept.Encode()
	return ap, f, nil
}

// audit serves /audit to administrators and bureau staff.
func (w *Web) audit(rw http.ResponseWriter, r *http.Request) {
	u := w.requireUser(rw, r)
	if u == nil {
		return
	}
	if !domain.AuditRules.CanRead(service.ActorOf(u)) {
		w.fail(rw, r, domain.Errorf(domain.EFORBIDDEN, "审计日志仅供系统管理员和科技局查看"))
		return
	}
	ap, f, err := auditFilter(r)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	p, err := httpx.PageOf(r)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	ctx := r.Context()
	if ap.Verify, err = w.Svc.Audit.Verify(ctx, service.ActorOf(u)); err != nil {
		w.fail(rw, r, err)
		return
	}
	f.Offset, f.Limit = p.Offset(), p.PerPage
	entries, total, err := w.Svc.Audit.Find(ctx, service.ActorOf(u), f)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	for _, e := range entries {
		changed := changedFields(e.Before, e.After)
		ap.Rows = append(ap.Rows, auditRow{e, prettyJSON(e.Before), prettyJSON(e.After), changed, changes(e, changed)})
	}
	ap.Pager = newPager(p, total, r.URL.Query())
	w.render(rw, r, http.StatusOK, "audit/log", w.newView(r, "审计日志", "audit", ap))
}

// auditExportMax bounds one export; a wider one is refused with a way out.
const auditExportMax = 100_000

// auditExport serves /audit/export: the rows the filters select, as CSV or
// xlsx through sheetio, in the reader's language, with the same columns
// the page shows.
func (w *Web) auditExport(rw http.ResponseWriter, r *http.Request) {
	u := w.requireUser(rw, r)
	if u == nil {
		return
	}
	if !domain.AuditRules.CanRead(service.ActorOf(u)) {
		w.fail(rw, r, domain.Errorf(domain.EFORBIDDEN, "审计日志仅供系统管理员和科技局查看"))
		return
	}
	format := sheetio.Format(r.URL.Query().Get("format"))
	if format != sheetio.CSV && format != sheetio.XLSX {
		w.fail(rw, r, domain.FieldErrorf("format", "导出格式应为 csv 或 xlsx"))
		return
	}
	_, f, err := auditFilter(r)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	f.Limit = auditExportMax + 1
	entries, _, err := w.Svc.Audit.Find(r.Context(), service.ActorOf(u), f)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	if len(entries) > auditExportMax {
		w.fail(rw, r, domain.Errorf(domain.ETOOLARGE, "超过 %d 条审计记录，请缩小时间范围后分次导出", auditExportMax))
		return
	}
	l := i18n.FromContext(r.Context())
	tr := func(s string) string { return i18n.T(l, s) }
	t := &sheetio.Table{Sheet: tr("审计日志"), Widths: []float64{8, 20, 14, 18, 14, 12, 60, 24},
		Header: []string{tr("序号"), tr("时间"), tr("操作人"), tr("操作"), tr("对象"), tr("对象编号"), tr("变更内容"), tr("本条记录的哈希")}}
	for _, e := range entries {
		row := auditRow{AuditEntry: e}
		var parts []string
		for _, c := range changes(e, changedFields(e.Before, e.After)) {
			parts = append(parts, tr(c.Label)+tr("：")+c.Before+" → "+c.After)
		}
		t.Rows = append(t.Rows, []string{strconv.FormatInt(e.Seq, 10), row.Time(), e.ActorName, tr(row.ActionLabel()),
			tr(row.EntityLabel()), e.EntityID, strings.Join(parts, tr("；")), e.Hash})
	}
	var buf bytes.Buffer
	if err := t.Write(format, &buf); err != nil {
		w.fail(rw, r, err)
		return
	}
	ctype := "text/csv; charset=utf-8"
	if format == sheetio.XLSX {
		ctype = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
	}
	name := "audit-" + domain.DateOf(w.Svc.Now()) + "." + string(format)
	rw.Header().Set("Content-Type", ctype)
	rw.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": name}))
	rw.Header().Set("Cache-Control", "no-store")
	rw.Write(buf.Bytes())
}
