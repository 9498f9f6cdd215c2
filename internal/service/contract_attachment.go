package service

import (
	"context"
	"crypto/sha256"
	"encoding/hex"

	"kechuang/internal/domain"
	"kechuang/internal/store"
	"kechuang/internal/textnorm"
)

// MaxAttachmentBytes limits one uploaded material (transports read at
// most this much).
const MaxAttachmentBytes = domain.MaxAttachmentBytes

// AttachmentUpload is one material to store: its type, the uploader's
// file name and the bytes. Replace, when not 0, is the id of an attachment
// of the same filing whose content it replaces (its type stays).
type AttachmentUpload struct {
	Kind    domain.AttachmentKind
	Name    string
	Content []byte
	Replace int64
}

// newAttachment checks an upload (size, content type by its bytes, file
// name) and describes it; the field of every refusal is "file" (the type's
// is "kind").
func newAttachment(a *domain.Actor, contractID int64, kind domain.AttachmentKind, name string, content []byte) (*domain.Attachment, error) {
	if len(content) > domain.MaxAttachmentBytes {
		return nil, tooLarge("file", "附件不能超过 %d MB", domain.MaxAttachmentBytes>>20)
	}
	if len(content) == 0 {
		return nil, domain.FieldErrorf("file", "上传的文件为空")
	}
	mime := domain.SniffAttachment(content)
	if mime == "" {
		return nil, domain.FieldErrorf("file", "附件须为 PDF、JPEG 或 PNG 文件（按文件内容判断，不看扩展名）")
	}
	if err := textnorm.CheckField("file", name, textnorm.Options{}); err != nil {
		return nil, err // "合同\u202egpj.pdf" would show as 合同fdp.jpg
	}
	sum := sha256.Sum256(content)
	return &domain.Attachment{ContractID: contractID, Kind: kind, Name: domain.AttachmentName(textnorm.Clean(name), mime, string(kind)), Mime: mime,
		Size: int64(len(content)), SHA256: hex.EncodeToString(sum[:]), UploadedBy: a.UserID, Uploader: a.Username}, nil
}

// Attach stores a material of a filing its actor may edit now (a draft or
// a filing returned for 补正), or replaces one: at most MaxAttachments a
// filing, each at most MaxAttachmentBytes, PDF, JPEG or PNG by content.
// The step is in the filing's history and audited; the filing's version
// moves, which serialises concurrent uploads (the count holds).
func (s *Contracts) Attach(ctx context.Context, a *domain.Actor, id int64, up AttachmentUpload) (*domain.Attachment, *domain.Contract, error) {
	if !domain.AttachmentKinds.Valid(up.Kind) && up.Replace == 0 {
		return nil, nil, domain.FieldErrorf("kind", "请选择材料类型")
	}
	att, err := newAttachment(a, id, up.Kind, up.Name, up.Content)
	if err != nil {
		return nil, nil, err
	}
	c, err := s.mutate(ctx, a, id, 0, "attach", func(tx *store.Q, c *domain.Contract) (step, error) {
		if err := s.storeAttachment(ctx, tx, att, up.Replace, up.Content); err != nil {
			return step{}, err
		}
		return step{Comment: att.Name, Reason: string(att.Kind)}, refreshDocument(ctx, tx, c)
	})
	if err != nil {
		return nil, nil, err
	}
	return att, c, nil
}

// storeAttachment inserts att, or writes it over the attachment replace.
func (s *Contracts) storeAttachment(ctx context.Context, tx *store.Q, att *domain.Attachment, replace int64, content []byte) error {
	if replace != 0 {
		old, err := tx.FindAttachment(ctx, att.ContractID, replace)
		if err != nil {
			return err
		}
		att.ID, att.Kind = old.ID, old.Kind
		return tx.ReplaceAttachment(ctx, att, content)
	}
	n, err := tx.CountAttachments(ctx, att.ContractID)
	if err != nil {
		return err
	}
	if n >= domain.MaxAttachments {
		return tooLarge("file", "每份合同最多上传 %d 个附件，请先删除不需要的附件", domain.MaxAttachments)
	}
	return tx.InsertAttachment(ctx, att, content)
}

// refreshDocument sets the contract text the contract shows (its first
// 合同文本 attachment) after its attachments changed.
func refreshDocument(ctx context.Context, tx *store.Q, c *domain.Contract) error {
	first, err := tx.FirstAttachmentOf(ctx, c.ID, domain.AttachContractText)
	if err != nil {
		return err
	}
	c.Document = nil
	if first != nil {
		c.Document = &domain.Document{Name: first.Name, Size: first.Size, SHA256: first.SHA256}
	}
	return nil
}

// Detach deletes a material of a filing its actor may edit now; version
// is the filing's as the actor saw it.
func (s *Contracts) Detach(ctx context.Context, a *domain.Actor, id, version, attachmentID int64) (*domain.Contract, error) {
	return s.mutate(ctx, a, id, version, "detach", func(tx *store.Q, c *domain.Contract) (step, error) {
		old, err := tx.FindAttachment(ctx, c.ID, attachmentID)
		if err != nil {
			return step{}, err
		}
		if err := tx.DeleteAttachment(ctx, c.ID, old.ID); err != nil {
			return step{}, err
		}
		return step{Comment: old.Name, Reason: string(old.Kind)}, refreshDocument(ctx, tx, c)
	})
}

// Attachments lists the materials of a filing its actor may see.
func (s *Contracts) Attachments(ctx context.Context, a *domain.Actor, id int64) ([]*domain.Attachment, error) {
	if _, err := s.Get(ctx, a, id); err != nil {
		return nil, err
	}
	return s.store.Attachments(ctx, id)
}

// Attachment returns one material of a filing its actor may see, with its
// bytes; another filing's attachment is not found.
func (s *Contracts) Attachment(ctx context.Context, a *domain.Actor, id, attachmentID int64) (*domain.Attachment, []byte, error) {
	if _, err := s.Get(ctx, a, id); err != nil {
		return nil, nil, err
	}
	return s.store.AttachmentContent(ctx, id, attachmentID)
}

// checkMaterials refuses a filing that lacks a material its regime
// requires, naming each (at submission, or at 受理 for the registrar, who
// may instead refuse it at intake or return it for 补正).
func checkMaterials(ctx context.Context, tx *store.Q, c *domain.Contract, g *domain.Regime, atIntake bool) error {
	atts, err := tx.Attachments(ctx, c.ID)
	if err != nil {
		return err
	}
	var v domain.Validator
	for _, k := range domain.MissingMaterials(g.RequiredMaterials, atts) {
		field := "attachments." + string(k)
		switch {
		case k == domain.AttachContractText && atIntake: // the field and messages the API has always given
			v.Add("document", "申请材料不齐全（未上传合同文本），请以该理由不予受理或退回补正")
		case k == domain.AttachContractText:
			v.Add("document", "请先上传合同文本（PDF）再提交")
		case atIntake:
			v.Add(field, "申请材料不齐全（未上传%s），请以该理由不予受理或退回补正", domain.Msg(k.Label()))
		default:
			v.Add(field, "请先上传%s再提交", domain.Msg(k.Label()))
		}
	}
	return v.Err()
}

// Materials are a filing's attachments with the types its regime requires
// and those it still lacks.
type Materials struct {
	Items             []*domain.Attachment
	Required, Missing []domain.AttachmentKind
}

// Materials lists the attachments of a filing its actor may see, with the
// required types of the regime it is (or would be, if accepted today)
// handled under.
func (s *Contracts) Materials(ctx context.Context, a *domain.Actor, id int64) (*Materials, error) {
	c, err := s.Get(ctx, a, id)
	if err != nil {
		return nil, err
	}
	rules, err := s.regimeRules(ctx)
	if err != nil {
		return nil, err
	}
	atts, err := s.store.Attachments(ctx, id)
	if err != nil {
		return nil, err
	}
	req := rules.RegimeOf(c, s.today()).RequiredMaterials
	return &Materials{Items: atts, Required: req, Missing: domain.MissingMaterials(req, atts)}, nil
}
