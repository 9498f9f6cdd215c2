package httpapi_test

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"

	"kechuang/internal/domain"
	"kechuang/internal/httpapi"
)

// attachmentSchemaTypes pairs the attachment schemas with their Go types.
var attachmentSchemaTypes = map[string][]any{
	"Attachment": {domain.Attachment{}}, "AttachmentList": {httpapi.AttachmentList{}}, "AttachmentResult": {httpapi.AttachmentResult{}},
}

// firstAttachment is the id of a contract's contract text.
func firstAttachment(t *testing.T, fx *fixture, c *domain.Contract) int64 {
	t.Helper()
	a, err := fx.St.FirstAttachmentOf(context.Background(), c.ID, domain.AttachContractText)
	if err != nil || a == nil {
		t.Fatalf("contract %d has no text: %v", c.ID, err)
	}
	return a.ID
}

// attachmentAuthzRows: who sees a filing lists and reads its materials;
// who may edit it (its filer, while a draft) uploads, replaces and deletes.
func attachmentAuthzRows(shared *domain.Contract) []authzRow {
	sharedContract := func(t *testing.T, fx *fixture) *domain.Contract { return shared }
	onAttachment := func(verb string, c func(t *testing.T, fx *fixture) *domain.Contract, rq func(fx *fixture, c *domain.Contract, aid int64) request) func(*testing.T, *fixture, string) request {
		return func(t *testing.T, fx *fixture, role string) request {
			var x *domain.Contract
			if c != nil {
				x = c(t, fx)
			} else { // a draft with its text, as onFiling makes it
				b := fx.contract().WithDocument()
				if role == "bureau" || role == "expert" {
					b = b.Owner(fx.Users[role].OrgID)
				}
				x = b.Insert(t)
			}
			r := rq(fx, x, firstAttachment(t, fx, x))
			r.Method = verb
			return r
		}
	}
	return []authzRow{
		{Pattern: "GET /api/v1/contracts/{id}/attachments", Allow: contractReaders, Prepare: onContract("GET", sharedContract, func(*fixture, *domain.Contract) request {
			return request{Path: "/api/v1/contracts/{id}/attachments"}
		})},
		{Pattern: "POST /api/v1/contracts/{id}/attachments", Allow: []string{"tto"}, Prepare: onFiling("POST", false, func(*fixture, *domain.Contract) request {
			return request{Path: "/api/v1/contracts/{id}/attachments?kind=invoice", Body: samplePDF, Type: "application/pdf"}
		})},
		{Pattern: "GET /api/v1/contracts/{id}/attachments/{aid}", Allow: contractReaders, Prepare: onAttachment("GET", sharedContract, func(_ *fixture, c *domain.Contract, aid int64) request {
			return request{Path: fmt.Sprintf("/api/v1/contracts/%d/attachments/%d", c.ID, aid)}
		})},
		{Pattern: "PUT /api/v1/contracts/{id}/attachments/{aid}", Allow: []string{"tto"}, Prepare: onAttachment("PUT", nil, func(_ *fixture, c *domain.Contract, aid int64) request {
			return request{Path: fmt.Sprintf("/api/v1/contracts/%d/attachments/%d", c.ID, aid), Body: samplePDF, Type: "application/pdf"}
		})},
		{Pattern: "DELETE /api/v1/contracts/{id}/attachments/{aid}", Allow: []string{"tto"}, Prepare: onAttachment("DELETE", nil, func(_ *fixture, c *domain.Contract, aid int64) request {
			return request{Path: fmt.Sprintf("/api/v1/contracts/%d/attachments/%d?version=%d", c.ID, aid, c.Version)}
		})},
	}
}

func attachmentForm(t *testing.T, fields map[string]string, name string, content []byte) ([]byte, string) {
	t.Helper()
	var b bytes.Buffer
	mw := multipart.NewWriter(&b)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(content)
	mw.Close()
	return b.Bytes(), mw.FormDataContentType()
}

// TestAttachmentAPI: upload two typed materials (multipart and raw), list
// them with the required and missing types, download one as a download
// with its sniffed type, refuse HTML named .pdf with the field named,
// replace, delete, and the old document endpoint reads the contract text.
func TestAttachmentAPI(t *testing.T) {
	for _, fx := range newFixtures(t) {
		t.Run(fx.DB, func(t *testing.T) {
			c := fx.contract().Insert(t)
			base := fmt.Sprintf("/api/v1/contracts/%d/attachments", c.ID)
			var list httpapi.AttachmentList
			r := fx.send(t, "tto", request{Method: "GET", Path: base})
			wantStatus(t, r, http.StatusOK)
			r.decode(t, &list)
			if len(list.Items) != 0 || fmt.Sprint(list.Missing) != "[contract_text]" || fmt.Sprint(list.Required) != "[contract_text]" {
				t.Fatalf("empty list = %+v", list)
			}
			body, ctype := attachmentForm(t, map[string]string{"kind": "business_licence"}, "执照.png", []byte("\x89PNG\r\n\x1a\nxx"))
			r = fx.send(t, "tto", request{Method: "POST", Path: base, Body: body, Type: ctype})
			wantStatus(t, r, http.StatusCreated)
			var lic httpapi.AttachmentResult
			r.decode(t, &lic)
			if lic.Attachment.Kind != domain.AttachLicence || lic.Attachment.Mime != domain.MimePNG || lic.Version <= c.Version {
				t.Fatalf("licence = %+v", lic)
			}
			r = fx.send(t, "tto", request{Method: "POST", Path: base + "?kind=contract_text", Body: samplePDF, Type: "application/pdf",
				Header: map[string]string{"Content-Disposition": `attachment; filename="合同.pdf"`}})
			wantStatus(t, r, http.StatusCreated)
			var txt httpapi.AttachmentResult
			r.decode(t, &txt)

			body, ctype = attachmentForm(t, map[string]string{"kind": "invoice"}, "x.pdf", []byte("<html><script>alert(1)</script></html>"))
			r = fx.send(t, "tto", request{Method: "POST", Path: base, Body: body, Type: ctype})
			wantStatus(t, r, http.StatusUnprocessableEntity)
			if !strings.Contains(string(r.Body), `"file"`) {
				t.Errorf("refusal does not name the field: %s", r.Body)
			}
			body, ctype = attachmentForm(t, nil, "x.pdf", samplePDF)
			r = fx.send(t, "tto", request{Method: "POST", Path: base, Body: body, Type: ctype})
			wantStatus(t, r, http.StatusUnprocessableEntity)
			if !strings.Contains(string(r.Body), `"kind"`) {
				t.Errorf("refusal does not name the kind: %s", r.Body)
			}

			r = fx.send(t, "tto", request{Method: "GET", Path: base})
			wantStatus(t, r, http.StatusOK)
			r.decode(t, &list)
			if len(list.Items) != 2 || len(list.Missing) != 0 {
				t.Fatalf("list = %+v", list)
			}
			r = fx.send(t, "enterprise", request{Method: "GET", Path: fmt.Sprintf("%s/%d", base, lic.Attachment.ID)})
			wantStatus(t, r, http.StatusNotFound) // the buyer does not see the seller's draft
			r = fx.send(t, "tto", request{Method: "GET", Path: fmt.Sprintf("%s/%d", base, lic.Attachment.ID)})
			wantStatus(t, r, http.StatusOK)
			if r.Header.Get("Content-Type") != "image/png" || !strings.HasPrefix(r.Header.Get("Content-Disposition"), "attachment") ||
				r.Header.Get("X-Content-Type-Options") != "nosniff" || r.Header.Get("X-Content-SHA256") != lic.Attachment.SHA256 {
				t.Fatalf("download headers = %v", r.Header)
			}
			r = fx.send(t, "tto", request{Method: "GET", Path: fmt.Sprintf("/api/v1/contracts/%d/document", c.ID)})
			wantStatus(t, r, http.StatusOK)
			if !bytes.Equal(r.Body, samplePDF) {
				t.Fatalf("document = %q", r.Body)
			}
			png2 := []byte("\x89PNG\r\n\x1a\nnew")
			r = fx.send(t, "tto", request{Method: "PUT", Path: fmt.Sprintf("%s/%d", base, lic.Attachment.ID), Body: png2, Type: "image/png"})
			wantStatus(t, r, http.StatusOK)
			var rep httpapi.AttachmentResult
			r.decode(t, &rep)
			if rep.Attachment.ID != lic.Attachment.ID || rep.Attachment.Size != int64(len(png2)) {
				t.Fatalf("replaced = %+v", rep)
			}
			r = fx.send(t, "tto", request{Method: "DELETE", Path: fmt.Sprintf("%s/%d?version=%d", base, txt.Attachment.ID, txt.Version)})
			wantStatus(t, r, http.StatusConflict) // the replacement moved the version
			r = fx.send(t, "tto", request{Method: "DELETE", Path: fmt.Sprintf("%s/%d?version=%d", base, txt.Attachment.ID, rep.Version)})
			wantStatus(t, r, http.StatusNoContent)
			r = fx.send(t, "tto", request{Method: "GET", Path: fmt.Sprintf("/api/v1/contracts/%d/document", c.ID)})
			wantStatus(t, r, http.StatusNotFound)
		})
	}
}
