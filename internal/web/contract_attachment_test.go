package web_test

import (
	"context"
	"crypto/rand"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

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
			// The rules page names each regime's required materials.
			if _, body := pageGet(t, fx, "admin", "/admin/regime", ""); strings.Count(body, `data-required="1"`) != len(domain.Regimes) {
				t.Error("the rules page does not list the required materials of every regime")
			}
			// The buyer does not see the seller's draft, nor its files.
			if res, _ := pageGet(t, fx, "enterprise", view, ""); res.StatusCode != 404 {
				t.Errorf("buyer reads a draft's file: %d", res.StatusCode)
			}
		})
	}
}

// testAttachments: the filer uploads two typed materials (a licence scan
// and the contract text), sees them listed by type, the contract text in
// the embedded PDF viewer (the frame really shows the PDF: a refused frame
// would be an error page of another origin), the licence inline on
// demand, and the missing-materials note gone.
func testAttachments(p *page, svc *service.Service) {
	t := p.t
	ctx := context.Background()
	neu := user(t, svc, "neu")
	ent := user(t, svc, "enterprise")
	c, err := svc.Contracts.Create(ctx, service.ActorOf(neu), &domain.Contract{
		Title: "附件测试：智能传感器委托开发", Seller: domain.Party{OrgID: neu.OrgID}, Buyer: domain.Party{OrgID: ent.OrgID},
		SignedOn: "2026-10-10", TermStart: "2026-10-10", TermEnd: "2027-10-09", Category: "development", SubType: "entrusted_dev",
		Form: "written", SealsMatch: true, Field: "materials", TurnoverFen: 30_000_000})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	pdf, png := filepath.Join(dir, "合同文本.pdf"), filepath.Join(dir, "营业执照.png")
	// A real one-page PDF, so that the viewer has something to draw.
	if err := os.WriteFile(pdf, onePagePDF(), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(png, onePixelPNG, 0o644); err != nil {
		t.Fatal(err)
	}
	p.login("neu")
	p.open(fmt.Sprintf("/contracts/%d", c.ID), "#upload-form")
	p.wantText("#missing-materials", "合同文本")
	p.do(chromedp.SetValue(css("#attach-kind"), "business_licence"), chromedp.SetUploadFiles(css("#document-file"), []string{png}),
		chromedp.Click(css("#upload-submit")), waitVisible(css(`#attachment-list li[data-kind=business_licence]`)))
	p.wantText("#flash", "申请材料已上传")
	p.do(waitVisible(css("#image-viewer"))) // the upload shows what was uploaded
	p.do(chromedp.SetValue(css("#attach-kind"), "contract_text"), chromedp.SetUploadFiles(css("#document-file"), []string{pdf}),
		chromedp.Click(css("#upload-submit")), waitVisible(css(`#attachment-list li[data-kind=contract_text]`)))
	if n := run(p, chromedp.Evaluate[int](`document.querySelectorAll('#attachment-list li').length`)); n != 2 {
		t.Fatalf("%d attachments listed, want 2", n)
	}
	if run(p, chromedp.Evaluate[bool](`!!document.getElementById('missing-materials')`)) {
		t.Fatal("the contract text is uploaded, yet the page says it is missing")
	}
	p.do(waitVisible(css("#pdf-viewer")))
	loaded := `(() => { const f = document.getElementById('pdf-viewer');
		try { return !!(f && f.contentDocument && f.contentDocument.contentType === 'application/pdf'); } catch (e) { return false; } })()`
	p.do(void(chromedp.Poll[bool](loaded, chromedp.WithPollingInterval(250*time.Millisecond), chromedp.WithPollingTimeout(stepTimeout))))
	if dl := run(p, chromedp.Evaluate[string](`document.getElementById('viewer-download').getAttribute('href')`)); !strings.HasPrefix(dl, fmt.Sprintf("/contracts/%d/attachments/", c.ID)) {
		t.Fatalf("viewer download link %q", dl)
	}
	// The image loads inline on demand, and is a real image.
	p.do(chromedp.Click(css(`#attachment-list li[data-kind=business_licence] a[data-view]`)), waitVisible(css("#image-viewer")))
	p.do(void(chromedp.Poll[bool](`(() => { const i = document.getElementById('image-viewer'); return i.complete && i.naturalWidth > 0; })()`,
		chromedp.WithPollingInterval(250*time.Millisecond), chromedp.WithPollingTimeout(stepTimeout))))
	p.logout()
}

// onePixelPNG is a valid 1×1 PNG.
var onePixelPNG = []byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00\x1f\x15\xc4\x89" +
	"\x00\x00\x00\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\x00\x05\x00\x01\xff\x89\x99=\x1d\x00\x00\x00\x00IEND\xaeB`\x82")

// onePagePDF is a minimal valid one-page PDF with a correct xref table.
func onePagePDF() []byte {
	const content = "0 0 1 rg 20 20 260 160 re f"
	objs := []string{
		"<</Type/Catalog/Pages 2 0 R>>",
		"<</Type/Pages/Kids[3 0 R]/Count 1>>",
		"<</Type/Page/Parent 2 0 R/MediaBox[0 0 300 200]/Contents 4 0 R/Resources<<>>>>",
		fmt.Sprintf("<</Length %d>>\nstream\n%s\nendstream", len(content), content),
	}
	var b strings.Builder
	b.WriteString("%PDF-1.4\n")
	offs := make([]int, len(objs))
	for i, o := range objs {
		offs[i] = b.Len()
		fmt.Fprintf(&b, "%d 0 obj\n%s\nendobj\n", i+1, o)
	}
	x := b.Len()
	fmt.Fprintf(&b, "xref\n0 %d\n0000000000 65535 f \n", len(objs)+1)
	for _, o := range offs {
		fmt.Fprintf(&b, "%010d 00000 n \n", o)
	}
	fmt.Fprintf(&b, "trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n", len(objs)+1, x)
	return []byte(b.String())
}
