package web

import (
	"fmt"
	"net/http"
	"strconv"

	"kechuang/internal/domain"
	"kechuang/internal/httpx"
	"kechuang/internal/service"
)

// The contract page's materials: the list, the typed upload, replace and
// delete forms, and the viewer (a PDF in an embedded frame, an image
// inline) of the attachment the page shows (?view=id, else the first PDF).

// attachmentView is what the page knows of the filing's materials.
type attachmentView struct {
	Items             []*domain.Attachment
	Required, Missing []domain.AttachmentKind
	Viewing           *domain.Attachment
	Kinds             []domain.Item[domain.AttachmentKind]
	Max               int
	MaxMB             int
	Kind              string // the type chosen in the upload form, shown back on error
}

// loadAttachments fills the page's materials; view is the ?view= id.
func (w *Web) loadAttachments(r *http.Request, u *domain.User, c *domain.Contract) (*attachmentView, error) {
	m, err := w.Svc.Contracts.Materials(r.Context(), service.ActorOf(u), c.ID)
	if err != nil {
		return nil, err
	}
	v := &attachmentView{Items: m.Items, Required: m.Required, Missing: m.Missing, Kinds: domain.AttachmentKinds.All(),
		Max: domain.MaxAttachments, MaxMB: domain.MaxAttachmentBytes >> 20}
	want, _ := strconv.ParseInt(r.URL.Query().Get("view"), 10, 64)
	for _, a := range m.Items {
		if want != 0 && a.ID == want && (a.IsPDF() || a.IsImage()) {
			v.Viewing = a
		}
	}
	if v.Viewing == nil && want == 0 {
		for _, a := range m.Items { // the contract text first, else any PDF
			if a.IsPDF() && (v.Viewing == nil || (a.Kind == domain.AttachContractText && v.Viewing.Kind != domain.AttachContractText)) {
				v.Viewing = a
			}
		}
	}
	return v, nil
}

// attachmentTarget reads the contract and attachment ids of the path.
func (w *Web) attachmentTarget(rw http.ResponseWriter, r *http.Request) (id, aid int64, ok bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		w.notFound(rw, r)
		return 0, 0, false
	}
	if aid, err = httpx.AttachmentID(r); err != nil {
		w.notFound(rw, r)
		return 0, 0, false
	}
	return id, aid, true
}

// serveAttachment answers an attachment of a contract the user may see:
// a download, or inline for the page's viewer (view).
func (w *Web) serveAttachment(rw http.ResponseWriter, r *http.Request, inline bool) {
	u := w.requireUser(rw, r)
	if u == nil {
		return
	}
	id, aid, ok := w.attachmentTarget(rw, r)
	if !ok {
		return
	}
	att, b, err := w.Svc.Contracts.Attachment(r.Context(), service.ActorOf(u), id, aid)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	httpx.ServeAttachment(rw, att, b, inline)
}

func (w *Web) attachmentDownload(rw http.ResponseWriter, r *http.Request) {
	w.serveAttachment(rw, r, false)
}
func (w *Web) attachmentView(rw http.ResponseWriter, r *http.Request) { w.serveAttachment(rw, r, true) }

// attachmentUpload stores a typed material from the page's multipart form.
func (w *Web) attachmentUpload(rw http.ResponseWriter, r *http.Request) {
	u := w.requireUser(rw, r)
	if u == nil {
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		w.notFound(rw, r)
		return
	}
	dp := &contractDetailPage{Form: "attach", Errors: map[string]string{}}
	name, content, err := httpx.ReadUpload(rw, r, "file", service.MaxAttachmentBytes)
	dp.AttachKind = r.FormValue("kind")
	var att *domain.Attachment
	if err == nil {
		att, _, err = w.Svc.Contracts.Attach(r.Context(), service.ActorOf(u), id, service.AttachmentUpload{Kind: domain.AttachmentKind(dp.AttachKind), Name: name, Content: content})
	}
	if err != nil {
		w.contractActionFailed(rw, r, u, id, dp, err)
		return
	}
	http.Redirect(rw, r, fmt.Sprintf("/contracts/%d?ok=attached&view=%d#attachments", id, att.ID), http.StatusSeeOther)
}

// attachmentReplace writes a new file over a material (its type stays).
func (w *Web) attachmentReplace(rw http.ResponseWriter, r *http.Request) {
	u := w.requireUser(rw, r)
	if u == nil {
		return
	}
	id, aid, ok := w.attachmentTarget(rw, r)
	if !ok {
		return
	}
	dp := &contractDetailPage{Form: fmt.Sprintf("replace-%d", aid), Errors: map[string]string{}}
	name, content, err := httpx.ReadUpload(rw, r, "file", service.MaxAttachmentBytes)
	if err == nil {
		_, _, err = w.Svc.Contracts.Attach(r.Context(), service.ActorOf(u), id, service.AttachmentUpload{Replace: aid, Name: name, Content: content})
	}
	if err != nil {
		w.contractActionFailed(rw, r, u, id, dp, err)
		return
	}
	http.Redirect(rw, r, fmt.Sprintf("/contracts/%d?ok=replaced&view=%d#attachments", id, aid), http.StatusSeeOther)
}

// attachmentDelete deletes a material (the form posts the page's version).
func (w *Web) attachmentDelete(rw http.ResponseWriter, r *http.Request) {
	u, id, version, ok := w.actionTarget(rw, r)
	if !ok {
		return
	}
	aid, err := httpx.AttachmentID(r)
	if err == nil {
		_, err = w.Svc.Contracts.Detach(r.Context(), service.ActorOf(u), id, version, aid)
	}
	if err != nil {
		w.contractActionFailed(rw, r, u, id, &contractDetailPage{Form: fmt.Sprintf("delete-%d", aid), Errors: map[string]string{}}, err)
		return
	}
	http.Redirect(rw, r, fmt.Sprintf("/contracts/%d?ok=detached#attachments", id), http.StatusSeeOther)
}
