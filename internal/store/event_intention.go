package store

import (
	"context"

	"kechuang/internal/domain"
)

// FindIntentionByID returns one intention with its names (the service
// checks who may read it).
func (q *Q) FindIntentionByID(ctx context.Context, id int64) (*domain.Intention, error) {
	xs, err := q.intentions(ctx, `WHERE i.id = $1`, id)
	if err != nil {
		return nil, err
	}
	if len(xs) == 0 {
		return nil, domain.Errorf(domain.ENOTFOUND, "合作意向不存在")
	}
	return xs[0], nil
}
