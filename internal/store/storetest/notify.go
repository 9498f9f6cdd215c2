package storetest

import (
	"context"
	"fmt"
	"testing"

	"kechuang/internal/domain"
	"kechuang/internal/store"
)

// Notice stores a notice of kind about contract c for u, as the
// notifications module writes it, and returns it.
func (w *World) Notice(tb testing.TB, u *domain.User, c *domain.Contract, kind domain.NoticeKind) *domain.Notification {
	tb.Helper()
	w.seq++
	n := &domain.Notification{UserID: u.ID, Kind: kind, Entity: "contract", EntityID: c.ID, Link: fmt.Sprintf("/contracts/%d", c.ID),
		Title: c.Title, Dedup: fmt.Sprintf("test:%d", w.seq)}
	if kind == domain.NoticeDueSoon || kind == domain.NoticeOverdue {
		n.Detail = c.DueOn
	}
	w.inTx(func(ctx context.Context, tx *store.Q) error {
		_, err := tx.AddNotification(ctx, n)
		return err
	})
	return n
}
