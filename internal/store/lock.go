package store

import (
	"context"
	"fmt"

	"kechuang/internal/domain"
)

// lockRow takes the write lock of table's row id for the rest of the
// transaction, so that a check-then-write use case (one open evaluation
// per achievement) is not raced by a second transaction doing the same:
// on PostgreSQL the second waits for the first to commit and then sees its
// write; SQLite's writer is one at a time anyway (transactions begin
// IMMEDIATE). A missing row is ENOTFOUND with the message notFound.
// table is one of the store's own names, never input.
func (q *Q) lockRow(ctx context.Context, table string, id int64, notFound error) error {
	res, err := q.w.ExecContext(ctx, `UPDATE `+table+` SET version = version WHERE id = $1`, id)
	if err != nil {
		return fmt.Errorf("store: lock %s: %w", table, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return notFound
	}
	return nil
}

// LockAchievement takes the achievement row's write lock for the rest of
// the transaction.
func (q *Q) LockAchievement(ctx context.Context, id int64) error {
	return q.lockRow(ctx, "achievements", id, domain.Errorf(domain.ENOTFOUND, "成果不存在"))
}
