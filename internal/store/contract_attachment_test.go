package store_test

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"kechuang/internal/domain"
	"kechuang/internal/store"
	"kechuang/internal/store/storetest"
)

// TestAttachmentsMigration: a filing's one contract document (before 0014)
// becomes its 合同文本 attachment with the same name, bytes, size and
// hash, uploaded by the filing's creator; a filing without a document
// gets none; the old table is gone.
func TestAttachmentsMigration(t *testing.T) {
	t.Parallel()
	for _, ns := range storetest.OpenFresh(t) {
		t.Run(ns.Name, func(t *testing.T) {
			ctx := context.Background()
			st := ns.Store
			all, err := st.Pending(ctx)
			if err != nil {
				t.Fatal(err)
			}
			before := ""
			for i, v := range all {
				if strings.HasSuffix(v, "_attachments") && i > 0 {
					before = all[i-1]
				}
			}
			if before == "" {
				t.Fatalf("no attachments migration in %v", all)
			}
			if _, err := st.MigrateTo(ctx, before); err != nil {
				t.Fatal(err)
			}
			u := st.URL()
			at := "2026-01-05T01:02:03.000000Z"
			storetest.Exec(t, u, `INSERT INTO orgs (id, kind, name, region_code, created_at) VALUES (1, 'registry', '登记处', '210100', $1), (2, 'university', '东北大学', '210102', $1)`, at)
			storetest.Exec(t, u, `INSERT INTO users (id, username, display_name, role, org_id, password_hash, created_at) VALUES (5, 'neu', '东大', 'applicant', 2, 'x', $1)`, at)
			for _, id := range []int{10, 11} {
				storetest.Exec(t, u, `INSERT INTO contracts (id, registry_id, title, seller_name, seller_uscc, seller_region, seller_type, seller_local,
					buyer_name, buyer_uscc, buyer_region, buyer_type, buyer_local, signed_on, term_start, term_end, category, sub_type, form, seals_match,
					tech_field, turnover_fen, tech_transaction_fen, status, owner_org_id, created_by, created_at, updated_at)
					VALUES ($1, 1, '合同', '卖方', '', '210102', 'university', TRUE, '买方', '', '210102', 'enterprise', TRUE, '2026-01-01', '2026-01-01', '2026-12-31',
					'development', 'commissioned', 'written', TRUE, 'it', 100, 100, 'draft', 2, 5, $2, $2)`, id, at)
			}
			pdf := append([]byte("%PDF-1.4\n"), 0, 1, 2, 0xff)
			storetest.Exec(t, u, `INSERT INTO contract_documents (contract_id, name, size, sha256, content, uploaded_at) VALUES (10, '旧合同.pdf', $1, 'abc', $2, $3)`, len(pdf), pdf, at)
			if _, err := st.Migrate(ctx); err != nil {
				t.Fatal(err)
			}
			atts, err := st.Attachments(ctx, 10)
			if err != nil || len(atts) != 1 {
				t.Fatalf("attachments = %+v, %v", atts, err)
			}
			a := atts[0]
			if a.Kind != domain.AttachContractText || a.Name != "旧合同.pdf" || a.Mime != domain.MimePDF || a.Size != int64(len(pdf)) || a.SHA256 != "abc" ||
				a.UploadedBy != 5 || a.Uploader != "neu" || store.TS(a.UploadedAt) != at {
				t.Fatalf("migrated attachment = %+v", a)
			}
			_, b, err := st.AttachmentContent(ctx, 10, a.ID)
			if err != nil || !bytes.Equal(b, pdf) {
				t.Fatalf("content = %v, %v", b, err)
			}
			if atts, _ := st.Attachments(ctx, 11); len(atts) != 0 {
				t.Fatalf("a filing without a document got %+v", atts)
			}
			c, err := st.FindContractByID(ctx, 10)
			if err != nil || c.Document == nil || c.Document.Name != "旧合同.pdf" {
				t.Fatalf("contract document = %+v, %v", c, err)
			}
			db := storetest.RawDB(t, u)
			defer db.Close()
			if _, err := db.Exec(`SELECT 1 FROM contract_documents`); err == nil {
				t.Error("contract_documents still exists")
			}
		})
	}
}
