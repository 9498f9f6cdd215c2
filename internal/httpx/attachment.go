package httpx

import (
	"mime"
	"net/http"
	"strconv"

	"kechuang/internal/domain"
)

// AttachmentID reads the {aid} path value; anything else is not found, as
// an attachment of another filing is.
func AttachmentID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("aid"), 10, 64)
	if err != nil || id <= 0 {
		return 0, domain.Errorf(domain.ENOTFOUND, "附件不存在")
	}
	return id, nil
}

// AttachmentCSP is the policy of an attachment shown in the page: it may
// be framed by this site's pages only, and loads and runs nothing of its
// own (an image or a PDF needs neither).
const AttachmentCSP = "default-src 'none'; frame-ancestors 'self'"

// ServeAttachment writes a stored attachment: its sniffed type (never
// text/html: only PDF, JPEG and PNG are stored), nosniff, its file name,
// and its hash. inline answers for the page's viewer (Content-Disposition
// inline, framable by this site only); otherwise it is a download.
func ServeAttachment(w http.ResponseWriter, a *domain.Attachment, content []byte, inline bool) {
	h := w.Header()
	ctype, disp := a.Mime, "attachment"
	if _, ok := domain.AttachmentMIMEs[ctype]; !ok {
		ctype, inline = "application/octet-stream", false
	}
	if inline {
		disp = "inline"
		h.Set("X-Frame-Options", "SAMEORIGIN")
		h.Set("Content-Security-Policy", AttachmentCSP)
	}
	h.Set("Content-Type", ctype)
	h.Set("X-Content-Type-Options", "nosniff")
	cd := mime.FormatMediaType(disp, map[string]string{"filename": a.Name})
	if cd == "" { // a name the header cannot carry: the type's own
		cd = mime.FormatMediaType(disp, map[string]string{"filename": "attachment" + domain.AttachmentMIMEs[ctype]})
	}
	h.Set("Content-Disposition", cd)
	h.Set("Content-Length", strconv.Itoa(len(content)))
	h.Set("Cache-Control", "private, no-cache")
	h.Set("X-Content-SHA256", a.SHA256)
	w.Write(content)
}
