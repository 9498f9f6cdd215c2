package web

import (
	"bytes"
	"encoding/json"
	"net/http"
	"sort"
	"strings"

	"kechuang/internal/domain"
	"kechuang/internal/httpx"
	"kechuang/internal/service"
)

// auditPage is the data of /audit: one page of the log, newest first, and
// the verification of the whole chain.
type auditPage struct {
	Rows     []auditRow
	Pager    pager
	Entity   string
	EntityID string
	Entities []domain.Label
	Verify   domain.AuditReport
}

// auditRow is an audit entry with its JSON made readable.
type auditRow struct {
	*domain.AuditEntry
	BeforeJSON, AfterJSON string   // "" when null
	Changed               []string // top-level fields that differ between before and after
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
	q := r.URL.Query()
	ap := auditPage{Entity: strings.TrimSpace(q.Get("entity")), EntityID: strings.TrimSpace(q.Get("entity_id")), Entities: domain.AuditEntities()}
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
	entries, total, err := w.Svc.Audit.Find(ctx, service.ActorOf(httpx.UserFrom(ctx)), domain.AuditFilter{Entity: ap.Entity, EntityID: ap.EntityID, Offset: p.Offset(), Limit: p.PerPage})
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	for _, e := range entries {
		ap.Rows = append(ap.Rows, auditRow{e, prettyJSON(e.Before), prettyJSON(e.After), changedFields(e.Before, e.After)})
	}
	ap.Pager = newPager(p, total, q)
	w.render(rw, r, http.StatusOK, "audit/log", w.newView(r, "审计日志", "audit", ap))
}
