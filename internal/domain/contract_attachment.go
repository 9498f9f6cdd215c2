package domain

import (
	"bytes"
	"strings"
	"time"
)

// AttachmentKind is the type of a filing's material (申请材料).
type AttachmentKind string

// The material types, in the order the pages list them.
const (
	AttachContractText AttachmentKind = "contract_text"
	AttachApplication  AttachmentKind = "application_form"
	AttachLicence      AttachmentKind = "business_licence"
	AttachAuthority    AttachmentKind = "authorisation"
	AttachIPProof      AttachmentKind = "ip_certificate"
	AttachInvoice      AttachmentKind = "invoice"
	AttachOther        AttachmentKind = "other"
)

// AttachmentKinds labels the material types.
var AttachmentKinds = NewEnum(
	Item[AttachmentKind]{AttachContractText, "合同文本"},
	Item[AttachmentKind]{AttachApplication, "登记表"},
	Item[AttachmentKind]{AttachLicence, "营业执照"},
	Item[AttachmentKind]{AttachAuthority, "授权书"},
	Item[AttachmentKind]{AttachIPProof, "知识产权证明"},
	Item[AttachmentKind]{AttachInvoice, "发票"},
	Item[AttachmentKind]{AttachOther, "其他"},
)

// Label is the zh-CN name of the type.
func (k AttachmentKind) Label() string { return AttachmentKinds.Label(k) }

// Attachment is one stored material of a filing. Its content is stored
// beside it and never read with it; Mime is one of the sniffed types
// (AttachmentMIMEs), never what the uploader claimed.
type Attachment struct {
	ID         int64          `json:"id"`
	ContractID int64          `json:"contract_id"`
	Kind       AttachmentKind `json:"kind"`
	Name       string         `json:"name"`
	Mime       string         `json:"mime"`
	Size       int64          `json:"size"`
	SHA256     string         `json:"sha256"`
	UploadedBy int64          `json:"uploaded_by"`
	Uploader   string         `json:"uploader"`
	UploadedAt time.Time      `json:"uploaded_at"`
}

// IsPDF and IsImage say how a page shows the attachment: in the embedded
// PDF viewer, or as an image.
func (a *Attachment) IsPDF() bool   { return a.Mime == MimePDF }
func (a *Attachment) IsImage() bool { return a.Mime == MimeJPEG || a.Mime == MimePNG }

// The accepted content types. PDF, JPEG and PNG: what applicants scan or
// export their materials as, what a browser shows in the page without a
// plug-in, and formats told apart by their first bytes alone. OFD (the
// national fixed-layout format) is refused: it is a ZIP container, which
// its first bytes cannot tell from any other ZIP (a .docx, an archive),
// and no browser displays it; the counter asks for a PDF export instead.
const (
	MimePDF  = "application/pdf"
	MimeJPEG = "image/jpeg"
	MimePNG  = "image/png"
)

// AttachmentMIMEs lists the accepted content types with their file name
// extension.
var AttachmentMIMEs = map[string]string{MimePDF: ".pdf", MimeJPEG: ".jpg", MimePNG: ".png"}

// SniffAttachment returns the content type of an upload from its first
// bytes, or "" when it is none of the accepted types. The name and the
// declared type play no part: a page or script renamed .pdf is refused.
func SniffAttachment(b []byte) string {
	switch {
	case bytes.HasPrefix(b, []byte("%PDF-")):
		return MimePDF
	case len(b) >= 4 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF:
		return MimeJPEG
	case bytes.HasPrefix(b, []byte("\x89PNG\r\n\x1a\n")):
		return MimePNG
	}
	return ""
}

// AttachmentName makes the stored file name of an upload: the base name
// (no directories, either slash), its extension the sniffed type's, at
// most 200 characters; fallback when nothing usable is left.
func AttachmentName(name, mime, fallback string) string {
	name = strings.ReplaceAll(name, "\\", "/")
	if i := strings.LastIndex(name, "/"); i >= 0 {
		name = name[i+1:]
	}
	name = strings.TrimSpace(name)
	ext := AttachmentMIMEs[mime]
	base := name
	if i := strings.LastIndex(name, "."); i >= 0 {
		base = name[:i]
		if e := strings.ToLower(name[i:]); e == ext || (ext == ".jpg" && e == ".jpeg") {
			ext = name[i:]
		}
	}
	base = strings.Trim(base, ". ")
	if base == "" {
		base = fallback
	}
	if r := []rune(base); len(r) > 190 {
		base = string(r[:190])
	}
	return base + ext
}

// Limits of a filing's materials.
const (
	MaxAttachmentBytes = 20 << 20 // one file
	MaxAttachments     = 30       // one filing
)

// MissingMaterials lists the types among required that atts lack.
func MissingMaterials(required []AttachmentKind, atts []*Attachment) []AttachmentKind {
	have := map[AttachmentKind]bool{}
	for _, a := range atts {
		have[a.Kind] = true
	}
	var out []AttachmentKind
	for _, k := range required {
		if !have[k] {
			out = append(out, k)
		}
	}
	return out
}
