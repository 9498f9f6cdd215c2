package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"kechuang/internal/domain"
)

const attachmentCols = `id, contract_id, kind, name, mime, size, sha256, uploaded_by, uploader, uploaded_at`

func scanAttachment(row interface{ Scan(...any) error }) (*domain.Attachment, error) {
	var a domain.Attachment
	var at string
	if err := row.Scan(&a.ID, &a.ContractID, &a.Kind, &a.Name, &a.Mime, &a.Size, &a.SHA256, &a.UploadedBy, &a.Uploader, &at); err != nil {
		return nil, err
	}
	a.UploadedAt = parseTS(at)
	return &a, nil
}

// InsertAttachment stores a new attachment of a contract, stamped now,
// and sets its ID and time.
func (q *Q) InsertAttachment(ctx context.Context, a *domain.Attachment, content []byte) error {
	a.UploadedAt = q.Now()
	err := q.w.QueryRowContext(ctx, `INSERT INTO contract_attachments (contract_id, kind, name, mime, size, sha256, content, uploaded_by, uploader, uploaded_at)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10) RETURNING id`,
		a.ContractID, a.Kind, a.Name, a.Mime, a.Size, a.SHA256, content, a.UploadedBy, a.Uploader, ts(a.UploadedAt)).Scan(&a.ID)
	if err != nil {
		return fmt.Errorf("store: insert attachment: %w", err)
	}
	return nil
}

// Attachments lists a contract's attachments (without content), by type
// in upload order.
func (q *Q) Attachments(ctx context.Context, contractID int64) ([]*domain.Attachment, error) {
	rows, err := q.r.QueryContext(ctx, `SELECT `+attachmentCols+` FROM contract_attachments WHERE contract_id = $1 ORDER BY id`, contractID)
	if err != nil {
		return nil, fmt.Errorf("store: attachments: %w", err)
	}
	defer rows.Close()
	out := []*domain.Attachment{}
	for rows.Next() {
		a, err := scanAttachment(rows)
		if err != nil {
			return nil, fmt.Errorf("store: attachments: %w", err)
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// CountAttachments is the number of a contract's attachments.
func (q *Q) CountAttachments(ctx context.Context, contractID int64) (int, error) {
	var n int
	if err := q.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM contract_attachments WHERE contract_id = $1`, contractID).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: count attachments: %w", err)
	}
	return n, nil
}

// errNoAttachment is the answer for an attachment that is not the
// contract's (or does not exist): the same either way.
func errNoAttachment() error { return domain.Errorf(domain.ENOTFOUND, "附件不存在") }

// FindAttachment returns one attachment of a contract (without content).
func (q *Q) FindAttachment(ctx context.Context, contractID, id int64) (*domain.Attachment, error) {
	a, err := scanAttachment(q.r.QueryRowContext(ctx, `SELECT `+attachmentCols+` FROM contract_attachments WHERE contract_id = $1 AND id = $2`, contractID, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, errNoAttachment()
	} else if err != nil {
		return nil, fmt.Errorf("store: attachment: %w", err)
	}
	return a, nil
}

// AttachmentContent returns one attachment of a contract with its bytes.
func (q *Q) AttachmentContent(ctx context.Context, contractID, id int64) (*domain.Attachment, []byte, error) {
	var a domain.Attachment
	var at string
	var b []byte
	err := q.r.QueryRowContext(ctx, `SELECT `+attachmentCols+`, content FROM contract_attachments WHERE contract_id = $1 AND id = $2`, contractID, id).
		Scan(&a.ID, &a.ContractID, &a.Kind, &a.Name, &a.Mime, &a.Size, &a.SHA256, &a.UploadedBy, &a.Uploader, &at, &b)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil, errNoAttachment()
	} else if err != nil {
		return nil, nil, fmt.Errorf("store: attachment content: %w", err)
	}
	a.UploadedAt = parseTS(at)
	return &a, b, nil
}

// DeleteAttachment removes one attachment of a contract.
func (q *Q) DeleteAttachment(ctx context.Context, contractID, id int64) error {
	res, err := q.w.ExecContext(ctx, `DELETE FROM contract_attachments WHERE contract_id = $1 AND id = $2`, contractID, id)
	if err != nil {
		return fmt.Errorf("store: delete attachment: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return errNoAttachment()
	}
	return nil
}

// FirstAttachmentOf returns the contract's oldest attachment of a type
// (the one Contract.Document shows), nil when it has none.
func (q *Q) FirstAttachmentOf(ctx context.Context, contractID int64, kind domain.AttachmentKind) (*domain.Attachment, error) {
	a, err := scanAttachment(q.r.QueryRowContext(ctx, `SELECT `+attachmentCols+` FROM contract_attachments WHERE contract_id = $1 AND kind = $2 ORDER BY id LIMIT 1`, contractID, kind))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("store: attachment: %w", err)
	}
	return a, nil
}

// ReplaceAttachment writes new content (and name, type, size, hash,
// uploader) into an attachment of a contract, keeping its id and type;
// the time is now.
func (q *Q) ReplaceAttachment(ctx context.Context, a *domain.Attachment, content []byte) error {
	a.UploadedAt = q.Now()
	res, err := q.w.ExecContext(ctx, `UPDATE contract_attachments SET name = $1, mime = $2, size = $3, sha256 = $4, content = $5, uploaded_by = $6, uploader = $7, uploaded_at = $8
		WHERE contract_id = $9 AND id = $10`, a.Name, a.Mime, a.Size, a.SHA256, content, a.UploadedBy, a.Uploader, ts(a.UploadedAt), a.ContractID, a.ID)
	if err != nil {
		return fmt.Errorf("store: replace attachment: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return errNoAttachment()
	}
	return nil
}
