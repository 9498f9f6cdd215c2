package store

import (
	"context"
	"encoding/json"
	"fmt"

	"kechuang/internal/domain"
)

// AddEvent appends a step to an entity's history.
func (q *Q) AddEvent(ctx context.Context, e *domain.Event) error {
	if e.At.IsZero() {
		e.At = q.Now()
	}
	changes := ""
	if len(e.Changes) > 0 {
		b, err := json.Marshal(e.Changes)
		if err != nil {
			return err
		}
		changes = string(b)
	}
	err := q.w.QueryRowContext(ctx, `INSERT INTO entity_events (entity, entity_id, at, actor_id, actor_name, action, from_status, to_status, comment, reason, changes)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10,$11) RETURNING id`,
		e.Entity, e.EntityID, ts(e.At), e.ActorID, e.ActorName, e.Action, e.From, e.To, e.Comment, e.Reason, changes).Scan(&e.ID)
	if err != nil {
		return fmt.Errorf("store: add %s event: %w", e.Entity, err)
	}
	return nil
}

// Events returns an entity's history, oldest first.
func (q *Q) Events(ctx context.Context, entity string, id int64) ([]*domain.Event, error) {
	rows, err := q.r.QueryContext(ctx, `SELECT e.id, e.entity, e.entity_id, e.at, e.actor_id, e.actor_name, e.action, e.from_status, e.to_status,
		e.comment, e.reason, e.changes, COALESCE(u.display_name, ''), COALESCE(o.name, '')
		FROM entity_events e LEFT JOIN users u ON u.id = e.actor_id LEFT JOIN orgs o ON o.id = u.org_id
		WHERE e.entity = $1 AND e.entity_id = $2 ORDER BY e.id`, entity, id)
	if err != nil {
		return nil, fmt.Errorf("store: %s events: %w", entity, err)
	}
	defer rows.Close()
	out := []*domain.Event{}
	for rows.Next() {
		var e domain.Event
		var at, changes string
		if err := rows.Scan(&e.ID, &e.Entity, &e.EntityID, &at, &e.ActorID, &e.ActorName, &e.Action, &e.From, &e.To, &e.Comment, &e.Reason, &changes, &e.ActorDisplay, &e.ActorOrg); err != nil {
			return nil, err
		}
		if changes != "" {
			if err := json.Unmarshal([]byte(changes), &e.Changes); err != nil {
				return nil, fmt.Errorf("store: event %d changes: %w", e.ID, err)
			}
		}
		e.At = parseTS(at)
		out = append(out, &e)
	}
	return out, rows.Err()
}
