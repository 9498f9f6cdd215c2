package service_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"kechuang/internal/domain"
)

// The audit log keeps drafts private: bureau staff see that a draft was
// made, never its contents; after submission the contents are visible.
func TestAuditHidesOthersDrafts(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		in := w.input(w.city.Univ, w.city.Ent, 123_456_78)
		in.Title = "机密草稿合同"
		c, err := w.svc.Contracts.Create(ctx, w.univ, in)
		if err != nil {
			t.Fatal(err)
		}
		f := domain.AuditFilter{Entity: "contract", EntityID: strconv.FormatInt(c.ID, 10)}
		rows, _, err := w.svc.Audit.Find(ctx, w.bureau, f)
		if err != nil || len(rows) != 1 {
			t.Fatalf("rows %d, %v", len(rows), err)
		}
		if strings.Contains(string(rows[0].After), "机密草稿合同") || !strings.Contains(string(rows[0].After), "redacted") {
			t.Fatalf("bureau sees the draft: %s", rows[0].After)
		}
		// The owner's own organisation (an admin of it) still sees it.
		own := *w.univ
		own.Role = domain.RoleAdmin
		rows, _, _ = w.svc.Audit.Find(ctx, &own, f)
		if !strings.Contains(string(rows[0].After), "机密草稿合同") {
			t.Fatalf("owner's view redacted: %s", rows[0].After)
		}
		if _, _, err := w.svc.Audit.Find(ctx, w.univ, f); domain.ErrorCode(err) != domain.EFORBIDDEN {
			t.Fatalf("tto reads the audit log: %v", err)
		}
		// Submitted: no longer a draft, the submit row is visible.
		if _, err := w.svc.Contracts.UploadDocument(ctx, w.univ, c.ID, "c.pdf", pdf); err != nil {
			t.Fatal(err)
		}
		got, _ := w.svc.Contracts.Get(ctx, w.univ, c.ID)
		if _, err := w.svc.Contracts.Submit(ctx, w.univ, c.ID, got.Version); err != nil {
			t.Fatal(err)
		}
		rows, _, _ = w.svc.Audit.Find(ctx, w.bureau, f)
		if !strings.Contains(string(rows[0].After), "机密草稿合同") {
			t.Fatalf("submitted contract hidden: %s", rows[0].After)
		}
	})
}
