package httpapi

import (
	"net/http"
	"strconv"

	"kechuang/internal/domain"
	"kechuang/internal/httpx"
	"kechuang/internal/service"
)

// listAttachments answers a filing's materials.
func (a *API) listAttachments(w http.ResponseWriter, r *http.Request) error {
	if _, err := httpx.RequireActor(r); err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	m, err := a.Svc.Contracts.Materials(r.Context(), ActorFrom(r), id)
	if err != nil {
		return err
	}
	return httpx.JSON(w, http.StatusOK, AttachmentList{Items: m.Items, Required: nonNil(m.Required), Missing: nonNil(m.Missing)})
}

func nonNil(ks []domain.AttachmentKind) []domain.AttachmentKind {
	if ks == nil {
		return []domain.AttachmentKind{}
	}
	return ks
}

// uploadAttachment takes a material as the "file" part of a multipart
// form with its type in the "kind" part, or as the raw body with
// ?kind=; 201 with the stored attachment.
func (a *API) uploadAttachment(w http.ResponseWriter, r *http.Request) error {
	if _, err := httpx.RequireActor(r); err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	name, content, err := httpx.ReadUpload(w, r, "file", service.MaxAttachmentBytes)
	if err != nil {
		return err
	}
	kind := r.FormValue("kind") // the multipart part, else the query
	att, c, err := a.Svc.Contracts.Attach(r.Context(), ActorFrom(r), id, service.AttachmentUpload{Kind: domain.AttachmentKind(kind), Name: name, Content: content})
	if err != nil {
		return err
	}
	return httpx.JSON(w, http.StatusCreated, AttachmentResult{Attachment: att, Version: c.Version})
}

// replaceAttachment writes new content into a material (its type stays).
func (a *API) replaceAttachment(w http.ResponseWriter, r *http.Request) error {
	if _, err := httpx.RequireActor(r); err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	aid, err := httpx.AttachmentID(r)
	if err != nil {
		return err
	}
	name, content, err := httpx.ReadUpload(w, r, "file", service.MaxAttachmentBytes)
	if err != nil {
		return err
	}
	att, c, err := a.Svc.Contracts.Attach(r.Context(), ActorFrom(r), id, service.AttachmentUpload{Replace: aid, Name: name, Content: content})
	if err != nil {
		return err
	}
	return httpx.JSON(w, http.StatusOK, AttachmentResult{Attachment: att, Version: c.Version})
}

// downloadAttachment answers a material's bytes as a download.
func (a *API) downloadAttachment(w http.ResponseWriter, r *http.Request) error {
	if _, err := httpx.RequireActor(r); err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	aid, err := httpx.AttachmentID(r)
	if err != nil {
		return err
	}
	att, b, err := a.Svc.Contracts.Attachment(r.Context(), ActorFrom(r), id, aid)
	if err != nil {
		return err
	}
	httpx.ServeAttachment(w, att, b, false)
	return nil
}

// deleteAttachment deletes a material; ?version= is the filing's version
// as read.
func (a *API) deleteAttachment(w http.ResponseWriter, r *http.Request) error {
	if _, err := httpx.RequireActor(r); err != nil {
		return err
	}
	id, err := pathID(r)
	if err != nil {
		return err
	}
	aid, err := httpx.AttachmentID(r)
	if err != nil {
		return err
	}
	version, err := strconv.ParseInt(r.URL.Query().Get("version"), 10, 64)
	if err != nil || version <= 0 {
		return domain.FieldErrorf("version", "请提供读取时的版本号 version")
	}
	if _, err := a.Svc.Contracts.Detach(r.Context(), ActorFrom(r), id, version, aid); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
