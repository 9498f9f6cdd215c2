package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"kechuang/internal/domain"
)

// AddNotification stores a notice unless its user already has one with
// the same dedup key; it reports whether it was stored.
func (q *Q) AddNotification(ctx context.Context, n *domain.Notification) (bool, error) {
	if n.CreatedAt.IsZero() {
		n.CreatedAt = q.Now()
	}
	err := q.w.QueryRowContext(ctx, `INSERT INTO notifications (user_id, kind, entity, entity_id, link, title, detail, dedup, created_at)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) ON CONFLICT (user_id, dedup) DO NOTHING RETURNING id`,
		n.UserID, n.Kind, n.Entity, n.EntityID, n.Link, n.Title, n.Detail, n.Dedup, ts(n.CreatedAt)).Scan(&n.ID)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	} else if err != nil {
		return false, fmt.Errorf("store: add notification: %w", err)
	}
	return true, nil
}

const notificationCols = `id, user_id, kind, entity, entity_id, link, title, detail, dedup, created_at, read_at`

func scanNotification(row interface{ Scan(...any) error }) (*domain.Notification, error) {
	var n domain.Notification
	var created, read string
	if err := row.Scan(&n.ID, &n.UserID, &n.Kind, &n.Entity, &n.EntityID, &n.Link, &n.Title, &n.Detail, &n.Dedup, &created, &read); err != nil {
		return nil, err
	}
	n.CreatedAt, n.ReadAt = parseTS(created), parseTS(read)
	return &n, nil
}

// Notifications returns a page of a user's notices, newest first, with
// the user's total and unread counts.
func (q *Q) Notifications(ctx context.Context, userID int64, limit, offset int) (out []*domain.Notification, total, unread int, err error) {
	err = q.r.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN read_at = '' THEN 1 ELSE 0 END), 0) FROM notifications WHERE user_id = $1`,
		userID).Scan(&total, &unread)
	if err != nil {
		return nil, 0, 0, fmt.Errorf("store: count notifications: %w", err)
	}
	rows, err := q.r.QueryContext(ctx, `SELECT `+notificationCols+` FROM notifications WHERE user_id = $1 ORDER BY id DESC LIMIT $2 OFFSET $3`,
		userID, limit, offset)
	if err != nil {
		return nil, 0, 0, fmt.Errorf("store: notifications: %w", err)
	}
	defer rows.Close()
	out = []*domain.Notification{}
	for rows.Next() {
		n, err := scanNotification(rows)
		if err != nil {
			return nil, 0, 0, err
		}
		out = append(out, n)
	}
	return out, total, unread, rows.Err()
}

// UnreadNotifications counts a user's unread notices (the bell).
func (q *Q) UnreadNotifications(ctx context.Context, userID int64) (int, error) {
	var n int
	err := q.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM notifications WHERE user_id = $1 AND read_at = ''`, userID).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: unread notifications: %w", err)
	}
	return n, nil
}

// FindNotifications returns every notice about one entity, to any user,
// oldest first (tests, and what an entity's history notified).
func (q *Q) FindNotifications(ctx context.Context, entity string, entityID int64) ([]*domain.Notification, error) {
	rows, err := q.r.QueryContext(ctx, `SELECT `+notificationCols+` FROM notifications WHERE entity = $1 AND entity_id = $2 ORDER BY id`, entity, entityID)
	if err != nil {
		return nil, fmt.Errorf("store: find notifications: %w", err)
	}
	defer rows.Close()
	out := []*domain.Notification{}
	for rows.Next() {
		n, err := scanNotification(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// ReadNotification marks one of a user's notices read (once: a second
// call keeps the first time) and returns it; another user's notice is
// not found.
func (q *Q) ReadNotification(ctx context.Context, userID, id int64) (*domain.Notification, error) {
	if _, err := q.w.ExecContext(ctx, `UPDATE notifications SET read_at = $1 WHERE id = $2 AND user_id = $3 AND read_at = ''`,
		ts(q.Now()), id, userID); err != nil {
		return nil, fmt.Errorf("store: read notification: %w", err)
	}
	n, err := scanNotification(q.w.QueryRowContext(ctx, `SELECT `+notificationCols+` FROM notifications WHERE id = $1 AND user_id = $2`, id, userID))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, domain.Errorf(domain.ENOTFOUND, "通知不存在")
	} else if err != nil {
		return nil, fmt.Errorf("store: read notification: %w", err)
	}
	return n, nil
}

// ReadAllNotifications marks every unread notice of a user read and
// returns how many.
func (q *Q) ReadAllNotifications(ctx context.Context, userID int64) (int64, error) {
	res, err := q.w.ExecContext(ctx, `UPDATE notifications SET read_at = $1 WHERE user_id = $2 AND read_at = ''`, ts(q.Now()), userID)
	if err != nil {
		return 0, fmt.Errorf("store: read all notifications: %w", err)
	}
	return res.RowsAffected()
}

// ContractsOnClock returns the accepted contracts whose time limit runs
// (a due date set), with the fields the deadline sweep needs.
func (q *Q) ContractsOnClock(ctx context.Context) ([]*domain.Contract, error) {
	rows, err := q.r.QueryContext(ctx, `SELECT id, title, registry_id, due_on, status FROM contracts WHERE status = $1 AND due_on <> '' ORDER BY id`,
		domain.ContractAccepted)
	if err != nil {
		return nil, fmt.Errorf("store: contracts on clock: %w", err)
	}
	defer rows.Close()
	out := []*domain.Contract{}
	for rows.Next() {
		var c domain.Contract
		if err := rows.Scan(&c.ID, &c.Title, &c.RegistryID, &c.DueOn, &c.Status); err != nil {
			return nil, err
		}
		out = append(out, &c)
	}
	return out, rows.Err()
}

// QueueMail adds a mail to the outbox, due now.
func (q *Q) QueueMail(ctx context.Context, m *domain.Mail) error {
	m.CreatedAt, m.Status = q.Now(), domain.MailQueued
	if m.NextAt.IsZero() {
		m.NextAt = m.CreatedAt
	}
	err := q.w.QueryRowContext(ctx, `INSERT INTO mail_outbox (notification_id, user_id, to_addr, subject, body, status, attempts, next_at, created_at)
		VALUES ($1,$2,$3,$4,$5,$6,0,$7,$8) RETURNING id`,
		m.NotificationID, m.UserID, m.To, m.Subject, m.Body, m.Status, ts(m.NextAt), ts(m.CreatedAt)).Scan(&m.ID)
	if err != nil {
		return fmt.Errorf("store: queue mail: %w", err)
	}
	return nil
}

const mailCols = `id, notification_id, user_id, to_addr, subject, body, status, attempts, next_at, last_error, created_at, sent_at`

func scanMail(row interface{ Scan(...any) error }) (*domain.Mail, error) {
	var m domain.Mail
	var next, created, sent string
	if err := row.Scan(&m.ID, &m.NotificationID, &m.UserID, &m.To, &m.Subject, &m.Body, &m.Status, &m.Attempts, &next, &m.LastError, &created, &sent); err != nil {
		return nil, err
	}
	m.NextAt, m.CreatedAt, m.SentAt = parseTS(next), parseTS(created), parseTS(sent)
	return &m, nil
}

func (q *Q) mails(ctx context.Context, query string, args ...any) ([]*domain.Mail, error) {
	rows, err := q.r.QueryContext(ctx, `SELECT `+mailCols+` FROM mail_outbox `+query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: mail outbox: %w", err)
	}
	defer rows.Close()
	out := []*domain.Mail{}
	for rows.Next() {
		m, err := scanMail(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// DueMail returns up to limit queued mails due at now, oldest first.
func (q *Q) DueMail(ctx context.Context, now time.Time, limit int) ([]*domain.Mail, error) {
	return q.mails(ctx, `WHERE status = $1 AND next_at <= $2 ORDER BY next_at, id LIMIT $3`, domain.MailQueued, ts(now), limit)
}

// RecentMail returns the newest mails of the outbox, newest first.
func (q *Q) RecentMail(ctx context.Context, limit int) ([]*domain.Mail, error) {
	return q.mails(ctx, `ORDER BY id DESC LIMIT $1`, limit)
}

// MailCounts counts the outbox by status.
func (q *Q) MailCounts(ctx context.Context) (map[domain.MailStatus]int, error) {
	rows, err := q.r.QueryContext(ctx, `SELECT status, COUNT(*) FROM mail_outbox GROUP BY status`)
	if err != nil {
		return nil, fmt.Errorf("store: mail counts: %w", err)
	}
	defer rows.Close()
	out := map[domain.MailStatus]int{}
	for rows.Next() {
		var s domain.MailStatus
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			return nil, err
		}
		out[s] = n
	}
	return out, rows.Err()
}

// SaveMailAttempt records the outcome of a sending attempt: its status,
// attempts, next try, last error and (when sent) the time.
func (q *Q) SaveMailAttempt(ctx context.Context, m *domain.Mail) error {
	_, err := q.w.ExecContext(ctx, `UPDATE mail_outbox SET status = $1, attempts = $2, next_at = $3, last_error = $4, sent_at = $5 WHERE id = $6`,
		m.Status, m.Attempts, ts(m.NextAt), m.LastError, optTS(m.SentAt), m.ID)
	if err != nil {
		return fmt.Errorf("store: save mail attempt: %w", err)
	}
	return nil
}
