package service_test

import (
	"bytes"
	"context"
	"fmt"
	"sync"
	"testing"

	"kechuang/internal/domain"
	"kechuang/internal/service"
	"kechuang/internal/store"
)

var (
	png  = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR licence")
	jpeg = []byte("\xff\xd8\xff\xe0\x00\x10JFIF invoice")
)

// TestAttachments: typed materials are stored by content type (not name),
// listed, read and deleted by whoever may edit the filing, hidden (not
// found) from everyone who may not see it, audited and in the history;
// the contract text is the filing's Document; replacing keeps the id.
func TestAttachments(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		svc := w.svc.Contracts
		c, err := svc.Create(ctx, w.univ, w.input(w.city.Univ, w.city.Ent, 1_000_000_00))
		if err != nil {
			t.Fatal(err)
		}
		up := func(a *domain.Actor, kind domain.AttachmentKind, name string, b []byte) (*domain.Attachment, error) {
			att, _, err := svc.Attach(ctx, a, c.ID, service.AttachmentUpload{Kind: kind, Name: name, Content: b})
			return att, err
		}
		// Refusals name the field; nothing is stored.
		_, err = up(w.univ, "passport", "a.pdf", pdf)
		wantCode(t, err, domain.EINVALID, "kind")
		for _, bad := range [][]byte{[]byte("<html><script>alert(1)</script>"), []byte(" %PDF-1.4"), []byte("PK\x03\x04 ofd or docx"), []byte("GIF89a")} {
			_, err = up(w.univ, domain.AttachOther, "x.pdf", bad)
			wantCode(t, err, domain.EINVALID, "file")
		}
		_, err = up(w.univ, domain.AttachOther, "big.pdf", append([]byte("%PDF-"), make([]byte, domain.MaxAttachmentBytes)...))
		wantCode(t, err, domain.ETOOLARGE, "file")
		_, err = up(w.univ, domain.AttachOther, "合同\u202egpj.pdf", pdf)
		wantCode(t, err, domain.EINVALID, "file")
		// Nobody who may not edit it stores anything; nobody who may not see it learns it exists.
		for _, a := range []*domain.Actor{w.ent, w.registrar, w.bureau, w.expert, w.agency} {
			_, err = up(a, domain.AttachLicence, "l.png", png)
			wantCode(t, err, domain.ENOTFOUND, "")
			_, err = svc.Attachments(ctx, a, c.ID)
			wantCode(t, err, domain.ENOTFOUND, "")
		}
		if atts, _ := svc.Attachments(ctx, w.univ, c.ID); len(atts) != 0 {
			t.Fatalf("refused uploads stored: %+v", atts)
		}
		// The submission names the missing contract text.
		_, err = svc.Submit(ctx, w.univ, c.ID, c.Version)
		wantCode(t, err, domain.EINVALID, "document")

		audits := w.auditCount(t, c.ID)
		lic, err := up(w.univ, domain.AttachLicence, `C:\证照\营业执照.PNG`, png)
		if err != nil {
			t.Fatal(err)
		}
		if lic.Name != "营业执照.PNG" || lic.Mime != domain.MimePNG || lic.Size != int64(len(png)) || len(lic.SHA256) != 64 || lic.Uploader != "tto" || lic.UploadedBy != w.univ.UserID {
			t.Fatalf("licence = %+v", lic)
		}
		inv, err := up(w.univ, domain.AttachInvoice, "发票.pdf", jpeg) // a JPEG named .pdf is stored as a JPEG
		if err != nil || inv.Mime != domain.MimeJPEG || inv.Name != "发票.jpg" {
			t.Fatalf("invoice = %+v, %v", inv, err)
		}
		txt, c2, err := svc.Attach(ctx, w.univ, c.ID, service.AttachmentUpload{Kind: domain.AttachContractText, Name: "合同.pdf", Content: pdf})
		if err != nil || txt.Mime != domain.MimePDF || c2.Document == nil || c2.Document.Name != "合同.pdf" {
			t.Fatalf("contract text = %+v, %+v, %v", txt, c2, err)
		}
		if got := w.auditCount(t, c.ID); got != audits+3 {
			t.Errorf("audit rows = %d, want %d", got, audits+3)
		}
		atts, err := svc.Attachments(ctx, w.univ, c.ID)
		if err != nil || len(atts) != 3 || atts[0].Kind != domain.AttachLicence || atts[2].Kind != domain.AttachContractText {
			t.Fatalf("attachments = %+v, %v", atts, err)
		}
		// Replace: same id and type, new content.
		png2 := append(append([]byte{}, png...), " v2"...)
		again, _, err := svc.Attach(ctx, w.univ, c.ID, service.AttachmentUpload{Replace: lic.ID, Name: "新执照.png", Content: png2})
		if err != nil || again.ID != lic.ID || again.Kind != domain.AttachLicence {
			t.Fatalf("replace = %+v, %v", again, err)
		}
		got, b, err := svc.Attachment(ctx, w.univ, c.ID, lic.ID)
		if err != nil || !bytes.Equal(b, png2) || got.Name != "新执照.png" {
			t.Fatalf("replaced = %+v, %v", got, err)
		}
		// Another filing's attachment id is not found through this one.
		other, err := svc.Create(ctx, w.univ, w.input(w.city.Univ, w.city.Ent, 2_000_000_00))
		if err != nil {
			t.Fatal(err)
		}
		_, _, err = svc.Attachment(ctx, w.univ, other.ID, lic.ID)
		wantCode(t, err, domain.ENOTFOUND, "")
		_, err = svc.Detach(ctx, w.univ, other.ID, other.Version, lic.ID)
		wantCode(t, err, domain.ENOTFOUND, "")

		// Submitted: the registry sees the materials, nobody edits them.
		c, _ = svc.Get(ctx, w.univ, c.ID)
		if c, err = svc.Submit(ctx, w.univ, c.ID, c.Version); err != nil {
			t.Fatal(err)
		}
		if atts, err := svc.Attachments(ctx, w.registrar, c.ID); err != nil || len(atts) != 3 {
			t.Fatalf("registrar's list = %d, %v", len(atts), err)
		}
		if _, b, err := svc.Attachment(ctx, w.registrar, c.ID, txt.ID); err != nil || !bytes.Equal(b, pdf) {
			t.Fatalf("registrar's read: %v", err)
		}
		_, err = up(w.univ, domain.AttachOther, "late.pdf", pdf)
		wantCode(t, err, domain.EFORBIDDEN, "")
		_, err = svc.Detach(ctx, w.univ, c.ID, c.Version, txt.ID)
		wantCode(t, err, domain.EFORBIDDEN, "")
		_, err = svc.Attachments(ctx, w.registrar2, c.ID)
		wantCode(t, err, domain.ENOTFOUND, "")

		// Returned for 补正: the applicant deletes the contract text; the
		// filing cannot be resubmitted without one.
		if c, err = svc.Return(ctx, w.registrar, c.ID, c.Version, "请补充授权书"); err != nil {
			t.Fatal(err)
		}
		_, err = svc.Detach(ctx, w.univ, c.ID, c.Version-1, txt.ID)
		wantCode(t, err, domain.ECONFLICT, "")
		if c, err = svc.Detach(ctx, w.univ, c.ID, c.Version, txt.ID); err != nil || c.Document != nil {
			t.Fatalf("detach = %+v, %v", c, err)
		}
		_, _, err = svc.Attachment(ctx, w.univ, c.ID, txt.ID)
		wantCode(t, err, domain.ENOTFOUND, "")
		_, err = svc.Submit(ctx, w.univ, c.ID, c.Version)
		wantCode(t, err, domain.EINVALID, "document")
		evs, err := svc.Events(ctx, w.univ, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		var steps []string
		for _, e := range evs {
			if e.Action == "attach" || e.Action == "detach" {
				steps = append(steps, e.Action+":"+e.Reason+":"+e.Comment)
			}
		}
		want := "[attach:business_licence:营业执照.PNG attach:invoice:发票.jpg attach:contract_text:合同.pdf attach:business_licence:新执照.png detach:contract_text:合同.pdf]"
		if fmt.Sprint(steps) != want {
			t.Errorf("history = %v, want %v", steps, want)
		}
	})
}

// TestAttachmentLimit: at most MaxAttachments a filing, also when they
// arrive at once.
func TestAttachmentLimit(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		svc := w.svc.Contracts
		c, err := svc.Create(ctx, w.univ, w.input(w.city.Univ, w.city.Ent, 1_000_000_00))
		if err != nil {
			t.Fatal(err)
		}
		for i := 0; i < domain.MaxAttachments-3; i++ {
			if _, _, err := svc.Attach(ctx, w.univ, c.ID, service.AttachmentUpload{Kind: domain.AttachInvoice, Name: "i.png", Content: png}); err != nil {
				t.Fatal(err)
			}
		}
		var wg sync.WaitGroup
		errs := make([]error, 8)
		for i := range errs {
			wg.Add(1)
			go func(i int) {
				defer wg.Done()
				for { // a lost race on the version is retried, as a user would
					_, _, errs[i] = svc.Attach(ctx, w.univ, c.ID, service.AttachmentUpload{Kind: domain.AttachInvoice, Name: "i.png", Content: png})
					if domain.ErrorCode(errs[i]) != domain.ECONFLICT {
						return
					}
				}
			}(i)
		}
		wg.Wait()
		ok := 0
		for _, err := range errs {
			if err == nil {
				ok++
			} else if domain.ErrorCode(err) != domain.ETOOLARGE {
				t.Errorf("concurrent upload: %v", err)
			}
		}
		atts, _ := svc.Attachments(ctx, w.univ, c.ID)
		if ok != 3 || len(atts) != domain.MaxAttachments {
			t.Fatalf("%d uploads succeeded, %d stored; want 3 and %d", ok, len(atts), domain.MaxAttachments)
		}
		// Replacing is not adding.
		if _, _, err := svc.Attach(ctx, w.univ, c.ID, service.AttachmentUpload{Replace: atts[0].ID, Name: "r.pdf", Content: pdf}); err != nil {
			t.Fatal(err)
		}
	})
}

// TestAttachmentsRequiredAtIntake: the registrar cannot accept a filing
// whose required material is missing; the refusal names it.
func TestAttachmentsRequiredAtIntake(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		c := w.filed(t, w.univ, w.input(w.city.Univ, w.city.Ent, 1_000_000_00))
		for _, g := range domain.Regimes {
			if len(g.RequiredMaterials) == 0 || g.RequiredMaterials[0] != domain.AttachContractText {
				t.Errorf("regime %s does not require the contract text", g.Code)
			}
		}
		// A text deleted behind the workflow's back (an old filing).
		atts, _ := w.svc.Contracts.Attachments(ctx, w.univ, c.ID)
		if err := w.st.InTx(ctx, func(q *store.Q) error { return q.DeleteAttachment(ctx, c.ID, atts[0].ID) }); err != nil {
			t.Fatal(err)
		}
		_, err := w.svc.Contracts.Accept(ctx, w.registrar, c.ID, c.Version)
		wantCode(t, err, domain.EINVALID, "document")
		if got, _ := w.svc.Contracts.Get(ctx, w.registrar, c.ID); got.Status != domain.ContractSubmitted {
			t.Fatalf("status %s", got.Status)
		}
	})
}
