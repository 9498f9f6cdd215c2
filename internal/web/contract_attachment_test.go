package web_test

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"kechuang/internal/domain"
	"kechuang/internal/httpx"
	"kechuang/internal/service"
	"kechuang/internal/testutil"
)

// attachmentPageRows: who sees a filing downloads and views its materials;
// who may edit it (its filer, while a draft) uploads, replaces, deletes.
func attachmentPageRows() []pageRow {
	textOf := func(t *testing.T, fx *pageFixture, c *domain.Contract) int64 {
		a, err := fx.st.FirstAttachmentOf(context.Background(), c.ID, domain.AttachContractText)
		if err != nil || a == nil {
			t.Fatalf("contract %d has no text: %v", c.ID, err)
		}
		return a.ID
	}
	onShared := func(suffix string) func(*testing.T, *pageFixture, string) pageRequest {
		return func(t *testing.T, fx *pageFixture, _ string) pageRequest {
			return pageRequest{Method: "GET", Path: fmt.Sprintf("/contracts/%d/attachments/%d%s", fx.shared.ID, textOf(t, fx, fx.shared), suffix)}
		}
	}
	return []pageRow{
		{Pattern: "POST /contracts/{id}/attachments", Allow: []string{"tto"}, Want: pageRedirect,
			Prepare: func(t *testing.T, fx *pageFixture, caller string) pageRequest {
				c := fx.filing(t, caller, false)
				return pageRequest{Method: "POST", Path: fmt.Sprintf("/contracts/%d/attachments?kind=invoice", c.ID),
					FileField: "file", FileName: "发票.pdf", File: matrixPDF}
			}},
		{Pattern: "GET /contracts/{id}/attachments/{aid}", Allow: contractViewers, Prepare: onShared("")},
		{Pattern: "GET /contracts/{id}/attachments/{aid}/view", Allow: contractViewers, Prepare: onShared("/view")},
		{Pattern: "POST /contracts/{id}/attachments/{aid}/replace", Allow: []string{"tto"}, Want: pageRedirect,
			Prepare: func(t *testing.T, fx *pageFixture, caller string) pageRequest {
				c := fx.filing(t, caller, true)
				return pageRequest{Method: "POST", Path: fmt.Sprintf("/contracts/%d/attachments/%d/replace", c.ID, textOf(t, fx, c)),
					FileField: "file", FileName: "合同.pdf", File: matrixPDF}
			}},
		{Pattern: "POST /contracts/{id}/attachments/{aid}/delete", Allow: []string{"tto"}, Want: pageRedirect,
			Prepare: func(t *testing.T, fx *pageFixture, caller string) pageRequest {
				c := fx.filing(t, caller, true)
				return pageRequest{Method: "POST", Path: fmt.Sprintf("/contracts/%d/attachments/%d/delete", c.ID, textOf(t, fx, c)),
					Form: url.Values{"version": {strconv.FormatInt(c.Version, 10)}}}
			}},
	}
}

// pageGet sends a GET as caller (a fresh session) and returns the answer
// with its headers.
func pageGet(t *testing.T, fx *pageFixture, caller, path, lang string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest("GET", fx.srv.URL+path, nil)
	if err != nil {
		t.Fatal(err)
	}
	if lang != "" {
		req.Header.Set("Accept-Language", lang)
	}
	if u := fx.users[caller]; u != nil {
		secret := rand.Text()
		if err := fx.st.CreateSession(context.Background(), service.TokenHash(secret), u.ID, fx.st.Clock().Now().Add(service.SessionTTL)); err != nil {
			t.Fatal(err)
		}
		req.AddCookie(&http.Cookie{Name: httpx.SessionCookie, Value: secret})
	}
	res, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

// TestAttachmentPages: the contract page lists the typed materials, frames
// the contract text in the viewer (only that answer may be framed, by this
// site), shows an image inline, names a refused upload at its form, and
// reads in English.
func TestAttachmentPages(t *testing.T) {
	t.Parallel()
	for _, ns := range testutil.Stores(t) {
		t.Run(ns.Name, func(t *testing.T) {
			fx := newPageFixture(t, ns.Store)
			ctx := context.Background()
			c := fx.filing(t, "tto", true)
			tto := service.ActorOf(fx.users["tto"])
			lic, _, err := fx.svc.Contracts.Attach(ctx, tto, c.ID, service.AttachmentUpload{Kind: domain.AttachLicence, Name: "执照.png", Content: []byte("\x89PNG\r\n\x1a\nxx")})
			if err != nil {
				t.Fatal(err)
			}
			txt, _ := fx.st.FirstAttachmentOf(ctx, c.ID, domain.AttachContractText)
			page := fmt.Sprintf("/contracts/%d", c.ID)
			res, body := pageGet(t, fx, "tto", page, "")
			if res.StatusCode != 200 {
				t.Fatalf("page %d", res.StatusCode)
			}
			csp := res.Header.Get("Content-Security-Policy")
			if !strings.Contains(csp, "frame-src 'self'") || !strings.Contains(csp, "frame-ancestors 'none'") || res.Header.Get("X-Frame-Options") != "DENY" {
				t.Errorf("page CSP %q, X-Frame-Options %q", csp, res.Header.Get("X-Frame-Options"))
			}
			view := fmt.Sprintf("/contracts/%d/attachments/%d/view", c.ID, txt.ID)
			for _, want := range []string{`id="pdf-viewer"`, `src="` + view + `"`, `data-kind="business_licence"`, `data-kind="contract_text"`,
				`id="upload-form"`, fmt.Sprintf(`data-delete="%d"`, lic.ID), "营业执照"} {
				if !strings.Contains(body, want) {
					t.Errorf("page lacks %s", want)
				}
			}
			if _, body := pageGet(t, fx, "tto", fmt.Sprintf("%s?view=%d", page, lic.ID), ""); !strings.Contains(body, `id="image-viewer"`) || strings.Contains(body, `id="pdf-viewer"`) {
				t.Error("?view= of the licence does not show the image")
			}
			res, body = pageGet(t, fx, "tto", view, "")
			h := res.Header
			if res.StatusCode != 200 || h.Get("Content-Type") != "application/pdf" || !strings.HasPrefix(h.Get("Content-Disposition"), "inline") ||
				h.Get("X-Frame-Options") != "SAMEORIGIN" || h.Get("Content-Security-Policy") != httpx.AttachmentCSP || h.Get("X-Content-Type-Options") != "nosniff" {
				t.Errorf("viewer answer %d %v", res.StatusCode, h)
			}
			if body != string(matrixPDF) {
				t.Errorf("viewer body %q", body)
			}
			res, _ = pageGet(t, fx, "tto", fmt.Sprintf("/contracts/%d/attachments/%d", c.ID, lic.ID), "")
			if h := res.Header; h.Get("Content-Type") != "image/png" || !strings.HasPrefix(h.Get("Content-Disposition"), "attachment") || h.Get("X-Frame-Options") != "DENY" {
				t.Errorf("download answer %v", h)
			}
			// Another contract's attachment through this one: the error page, 404.
			if res, body := pageGet(t, fx, "tto", fmt.Sprintf("/contracts/%d/attachments/%d", fx.shared.ID, lic.ID), ""); res.StatusCode != 404 || !strings.Contains(body, `id="error-page"`) {
				t.Errorf("cross-contract read: %d", res.StatusCode)
			}
			// A page named .pdf is refused at the form, the field named.
			status, _, body := fx.send(t, "tto", pageRequest{Method: "POST", Path: fmt.Sprintf("/contracts/%d/attachments?kind=invoice", c.ID),
				FileField: "file", FileName: "x.pdf", File: []byte("<html><script>alert(1)</script>")})
			if status != 422 || !strings.Contains(body, "附件须为 PDF、JPEG 或 PNG 文件") {
				t.Errorf("HTML upload: %d", status)
			}
			if atts, _ := fx.svc.Contracts.Attachments(ctx, tto, c.ID); len(atts) != 2 {
				t.Errorf("%d attachments after the refusal", len(atts))
			}
			if _, body := pageGet(t, fx, "tto", page, "en"); !strings.Contains(body, "Application materials") || !strings.Contains(body, "Business licence") {
				t.Error("the English page does not translate the materials")
			}
			// The buyer does not see the seller's draft, nor its files.
			if res, _ := pageGet(t, fx, "enterprise", view, ""); res.StatusCode != 404 {
				t.Errorf("buyer reads a draft's file: %d", res.StatusCode)
			}
		})
	}
}
