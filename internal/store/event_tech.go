package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"kechuang/internal/domain"
)

// The event module's records (路演/对接会): tech_events and, per event,
// event_registrations, event_pitches, event_intentions and event_services.
// The counts an event shows are computed from those rows on read.

var techEventWriteCols = []string{"kind", "title", "date", "place", "chain_code", "capacity", "description",
	"organiser_org_id", "status", "summary", "cancel_reason", "created_by", "created_at", "updated_at", "version"}

func techEventValues(x *domain.TechEvent) []any {
	return []any{x.Kind, x.Title, x.Date, x.Place, x.ChainCode, x.Capacity, x.Description, x.OrganiserOrgID,
		string(x.Status), x.Summary, x.CancelReason, x.CreatedBy, ts(x.CreatedAt), ts(x.UpdatedAt), x.Version}
}

// techEvents is the event table for the store kit (kit.go).
var techEvents = &entityTable[*domain.TechEvent]{
	table: "tech_events", entity: "event", alias: "e", write: techEventWriteCols,
	readCols: techEventReadCols, from: techEventFrom, values: func(_ *Q, x *domain.TechEvent) []any { return techEventValues(x) },
	scan: scanTechEvent,
	rec: func(x *domain.TechEvent) record {
		return record{ID: &x.ID, CreatedAt: &x.CreatedAt, UpdatedAt: &x.UpdatedAt, Version: &x.Version}
	},
	notFound: "活动不存在", stale: "此活动已被他人修改，您的操作未执行，请刷新后重试",
}

// InsertTechEvent stores a new event and sets its ID.
func (q *Q) InsertTechEvent(ctx context.Context, x *domain.TechEvent) error {
	if err := techEvents.insert(ctx, q, x); err != nil {
		return err
	}
	return q.statsChanged(ctx) // the chain counts events and their records
}

// UpdateTechEvent writes an event back if its version is unchanged since
// it was read, and bumps the version.
func (q *Q) UpdateTechEvent(ctx context.Context, x *domain.TechEvent) error {
	if err := techEvents.update(ctx, q, x); err != nil {
		return err
	}
	return q.statsChanged(ctx) // the chain counts events and their records
}

const techEventReadCols = `e.id, e.kind, e.title, e.date, e.place, e.chain_code, e.capacity, e.description, e.organiser_org_id,
	COALESCE(o.name, ''), e.status, e.summary, e.cancel_reason, e.created_by, e.created_at, e.updated_at, e.version,
	(SELECT COUNT(*) FROM event_registrations r WHERE r.event_id = e.id),
	(SELECT COUNT(*) FROM event_pitches p WHERE p.event_id = e.id),
	(SELECT COUNT(*) FROM event_intentions i WHERE i.event_id = e.id),
	(SELECT COUNT(*) FROM event_services s WHERE s.event_id = e.id)`

const techEventFrom = ` FROM tech_events e LEFT JOIN orgs o ON o.id = e.organiser_org_id `

func scanTechEvent(row rowScanner) (*domain.TechEvent, error) {
	var x domain.TechEvent
	var created, updated string
	if err := row.Scan(&x.ID, &x.Kind, &x.Title, &x.Date, &x.Place, &x.ChainCode, &x.Capacity, &x.Description, &x.OrganiserOrgID,
		&x.OrganiserName, &x.Status, &x.Summary, &x.CancelReason, &x.CreatedBy, &created, &updated, &x.Version,
		&x.Registered, &x.Pitches, &x.Intentions, &x.Services); err != nil {
		return nil, err
	}
	x.CreatedAt, x.UpdatedAt = parseTS(created), parseTS(updated)
	return &x, nil
}

// FindTechEventByID returns one event (unscoped: the service checks access).
func (q *Q) FindTechEventByID(ctx context.Context, id int64) (*domain.TechEvent, error) {
	return techEvents.find(ctx, q, id)
}

// LockTechEvent takes the event row's write lock for the rest of the
// transaction (PostgreSQL; SQLite's writer is one at a time anyway), so
// that counting its registrations and adding one is not raced.
func (q *Q) LockTechEvent(ctx context.Context, id int64) error {
	return q.lockRow(ctx, "tech_events", id, domain.Errorf(domain.ENOTFOUND, "活动不存在"))
}

func techEventWhere(f domain.TechEventFilter, sc domain.TechEventScope) (string, []any) {
	var conds []string
	var args []any
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	switch {
	case sc.All:
		conds = append(conds, "1 = 1")
	case sc.OrgID != 0:
		conds = append(conds, fmt.Sprintf("(e.status <> 'draft' OR e.organiser_org_id = %s)", arg(sc.OrgID)))
	default:
		conds = append(conds, "e.status <> 'draft'")
	}
	if f.Status != "" {
		conds = append(conds, "e.status = "+arg(string(f.Status)))
	}
	if f.Kind != "" {
		conds = append(conds, "e.kind = "+arg(f.Kind))
	}
	if f.ChainCode != "" {
		conds = append(conds, "e.chain_code = "+arg(f.ChainCode))
	}
	if f.Year != 0 {
		conds = append(conds, "e.date >= "+arg(fmt.Sprintf("%04d-01-01", f.Year))+" AND e.date <= "+arg(fmt.Sprintf("%04d-12-31", f.Year)))
	}
	if f.OrganiserID != 0 {
		conds = append(conds, "e.organiser_org_id = "+arg(f.OrganiserID))
	}
	if f.Upcoming != "" {
		conds = append(conds, "e.date >= "+arg(f.Upcoming))
	}
	return "WHERE " + strings.Join(conds, " AND "), args
}

// FindTechEvents lists the events of a scope matching f by date (the
// latest first; upcoming ones the soonest first), with the count of the
// filter (capped at domain.ListCountCap+1).
func (q *Q) FindTechEvents(ctx context.Context, f domain.TechEventFilter, sc domain.TechEventScope) ([]*domain.TechEvent, int, error) {
	where, args := techEventWhere(f, sc)
	order := "e.date DESC, e.id DESC"
	if f.Upcoming != "" {
		order = "e.date ASC, e.id ASC"
	}
	return techEvents.list(ctx, q, listQuery{where: where, args: args, order: order, page: f.Page, perPage: f.PerPage})
}

// AddEventRegistration registers an organisation for an event if a place
// is left: one conditional insert counted under the event's lock
// (LockTechEvent, taken first). It reports false when the event is full;
// a second registration of the organisation is ECONFLICT.
func (q *Q) AddEventRegistration(ctx context.Context, x *domain.EventRegistration, capacity int) (bool, error) {
	if err := q.LockTechEvent(ctx, x.EventID); err != nil {
		return false, err
	}
	x.CreatedAt = q.Now()
	err := q.w.QueryRowContext(ctx, `INSERT INTO event_registrations (event_id, org_id, contact, phone, user_id, created_at)
		SELECT CAST($1 AS BIGINT), CAST($2 AS BIGINT), CAST($3 AS TEXT), CAST($4 AS TEXT), CAST($5 AS BIGINT), CAST($6 AS TEXT)
		WHERE (SELECT COUNT(*) FROM event_registrations WHERE event_id = $1) < CAST($7 AS BIGINT) RETURNING id`,
		x.EventID, x.OrgID, x.Contact, x.Phone, x.UserID, ts(x.CreatedAt), capacity).Scan(&x.ID)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return false, nil
	case isUniqueViolation(err):
		return false, domain.Errorf(domain.ECONFLICT, "本单位已报名该活动")
	case err != nil:
		return false, fmt.Errorf("store: add registration: %w", err)
	}
	return true, nil
}

const registrationCols = `r.id, r.event_id, r.org_id, COALESCE(o.name, ''), r.contact, r.phone, r.user_id, r.created_at, e.title, e.date`

func scanRegistrations(rows *sql.Rows) ([]*domain.EventRegistration, error) {
	defer rows.Close()
	out := []*domain.EventRegistration{}
	for rows.Next() {
		var x domain.EventRegistration
		var created string
		if err := rows.Scan(&x.ID, &x.EventID, &x.OrgID, &x.OrgName, &x.Contact, &x.Phone, &x.UserID, &created, &x.EventTitle, &x.EventDate); err != nil {
			return nil, err
		}
		x.CreatedAt = parseTS(created)
		out = append(out, &x)
	}
	return out, rows.Err()
}

// EventRegistrations lists an event's registrations in the order they came.
func (q *Q) EventRegistrations(ctx context.Context, eventID int64) ([]*domain.EventRegistration, error) {
	rows, err := q.r.QueryContext(ctx, `SELECT `+registrationCols+` FROM event_registrations r JOIN tech_events e ON e.id = r.event_id
		LEFT JOIN orgs o ON o.id = r.org_id WHERE r.event_id = $1 ORDER BY r.id`, eventID)
	if err != nil {
		return nil, fmt.Errorf("store: registrations: %w", err)
	}
	return scanRegistrations(rows)
}

// OrgRegistrations lists a page of an organisation's registrations, the
// latest event first, with their count.
func (q *Q) OrgRegistrations(ctx context.Context, orgID int64, limit, offset int) ([]*domain.EventRegistration, int, error) {
	var n int
	if err := q.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM event_registrations WHERE org_id = $1`, orgID).Scan(&n); err != nil {
		return nil, 0, fmt.Errorf("store: count org registrations: %w", err)
	}
	rows, err := q.r.QueryContext(ctx, `SELECT `+registrationCols+` FROM event_registrations r JOIN tech_events e ON e.id = r.event_id
		LEFT JOIN orgs o ON o.id = r.org_id WHERE r.org_id = $1 ORDER BY e.date DESC, r.id DESC LIMIT $2 OFFSET $3`, orgID, limit, offset)
	if err != nil {
		return nil, 0, fmt.Errorf("store: org registrations: %w", err)
	}
	out, err := scanRegistrations(rows)
	return out, n, err
}

// Registered reports whether org is registered for the event.
func (q *Q) Registered(ctx context.Context, eventID, orgID int64) (bool, error) {
	var n int
	if err := q.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM event_registrations WHERE event_id = $1 AND org_id = $2`, eventID, orgID).Scan(&n); err != nil {
		return false, fmt.Errorf("store: registered: %w", err)
	}
	return n > 0, nil
}

// AddEventPitch puts an achievement on an event's programme; ECONFLICT
// when it is there already.
func (q *Q) AddEventPitch(ctx context.Context, x *domain.EventPitch) error {
	x.CreatedAt = q.Now()
	_, err := q.w.ExecContext(ctx, `INSERT INTO event_pitches (event_id, achievement_id, created_at) VALUES ($1, $2, $3)`,
		x.EventID, x.AchievementID, ts(x.CreatedAt))
	if isUniqueViolation(err) {
		return domain.FieldErrorf("achievement_id", "该成果已在本次活动的路演名单中")
	} else if err != nil {
		return fmt.Errorf("store: add pitch: %w", err)
	}
	return q.statsChanged(ctx) // the chain counts events and their records
}

// DeleteEventPitch takes an achievement off the programme; false when it
// was not on it.
func (q *Q) DeleteEventPitch(ctx context.Context, eventID, achievementID int64) (bool, error) {
	res, err := q.w.ExecContext(ctx, `DELETE FROM event_pitches WHERE event_id = $1 AND achievement_id = $2`, eventID, achievementID)
	if err != nil {
		return false, fmt.Errorf("store: delete pitch: %w", err)
	}
	n, _ := res.RowsAffected()
	return n > 0, q.statsChanged(ctx) // the chain counts events and their records
}

// EventPitches lists an event's programme.
func (q *Q) EventPitches(ctx context.Context, eventID int64) ([]*domain.EventPitch, error) {
	rows, err := q.r.QueryContext(ctx, `SELECT p.event_id, p.achievement_id, a.title, a.owner_org_id, COALESCE(o.name, ''), p.created_at
		FROM event_pitches p JOIN achievements a ON a.id = p.achievement_id LEFT JOIN orgs o ON o.id = a.owner_org_id
		WHERE p.event_id = $1 ORDER BY p.created_at, p.achievement_id`, eventID)
	if err != nil {
		return nil, fmt.Errorf("store: pitches: %w", err)
	}
	defer rows.Close()
	out := []*domain.EventPitch{}
	for rows.Next() {
		var x domain.EventPitch
		var created string
		if err := rows.Scan(&x.EventID, &x.AchievementID, &x.AchievementTitle, &x.OwnerOrgID, &x.OwnerName, &created); err != nil {
			return nil, err
		}
		x.CreatedAt = parseTS(created)
		out = append(out, &x)
	}
	return out, rows.Err()
}

// AddIntention stores an intention and sets its ID; the same enterprise
// and achievement twice at one event is refused.
func (q *Q) AddIntention(ctx context.Context, x *domain.Intention) error {
	x.CreatedAt = q.Now()
	err := q.w.QueryRowContext(ctx, `INSERT INTO event_intentions (event_id, achievement_id, enterprise_org_id, owner_org_id,
		signed_on, mode, note, recorded_by, created_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) RETURNING id`,
		x.EventID, x.AchievementID, x.EnterpriseOrgID, x.OwnerOrgID, x.SignedOn, x.Mode, x.Note, x.RecordedBy, ts(x.CreatedAt)).Scan(&x.ID)
	if isUniqueViolation(err) {
		return domain.FieldErrorf("achievement_id", "该企业与该成果在本次活动的意向已登记")
	} else if err != nil {
		return fmt.Errorf("store: add intention: %w", err)
	}
	return q.statsChanged(ctx) // the chain counts events and their records
}

const intentionCols = `i.id, i.event_id, i.achievement_id, i.enterprise_org_id, i.owner_org_id, i.signed_on, i.mode, i.note,
	i.recorded_by, i.created_at, a.title, COALESCE(en.name, ''), COALESCE(ow.name, ''), e.title`

const intentionFrom = ` FROM event_intentions i JOIN tech_events e ON e.id = i.event_id JOIN achievements a ON a.id = i.achievement_id
	LEFT JOIN orgs en ON en.id = i.enterprise_org_id LEFT JOIN orgs ow ON ow.id = i.owner_org_id `

func (q *Q) intentions(ctx context.Context, where string, args ...any) ([]*domain.Intention, error) {
	rows, err := q.r.QueryContext(ctx, `SELECT `+intentionCols+intentionFrom+where, args...)
	if err != nil {
		return nil, fmt.Errorf("store: intentions: %w", err)
	}
	defer rows.Close()
	out := []*domain.Intention{}
	for rows.Next() {
		var x domain.Intention
		var created string
		if err := rows.Scan(&x.ID, &x.EventID, &x.AchievementID, &x.EnterpriseOrgID, &x.OwnerOrgID, &x.SignedOn, &x.Mode, &x.Note,
			&x.RecordedBy, &created, &x.AchievementTitle, &x.EnterpriseName, &x.OwnerName, &x.EventTitle); err != nil {
			return nil, err
		}
		x.CreatedAt = parseTS(created)
		out = append(out, &x)
	}
	return out, rows.Err()
}

// EventIntentions lists an event's intentions (the service filters what
// the reader may see).
func (q *Q) EventIntentions(ctx context.Context, eventID int64) ([]*domain.Intention, error) {
	return q.intentions(ctx, `WHERE i.event_id = $1 ORDER BY i.signed_on, i.id`, eventID)
}

// OrgIntentions lists a page of the intentions an organisation is party
// to (as the enterprise or the achievement's owner) or organised, or, with
// sc.All, every one; the latest first, with their count.
func (q *Q) OrgIntentions(ctx context.Context, sc domain.IntentionScope, limit, offset int) ([]*domain.Intention, int, error) {
	where, args := "", []any{}
	if !sc.All {
		where, args = `WHERE i.enterprise_org_id = $1 OR i.owner_org_id = $1 OR e.organiser_org_id = $1 `, []any{sc.OrgID}
	}
	var n int
	if err := q.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM event_intentions i JOIN tech_events e ON e.id = i.event_id `+where, args...).Scan(&n); err != nil {
		return nil, 0, fmt.Errorf("store: count intentions: %w", err)
	}
	out, err := q.intentions(ctx, where+fmt.Sprintf(`ORDER BY i.signed_on DESC, i.id DESC LIMIT $%d OFFSET $%d`, len(args)+1, len(args)+2),
		append(args, limit, offset)...)
	return out, n, err
}

// AchievementIntentions lists the intentions on an achievement.
func (q *Q) AchievementIntentions(ctx context.Context, achievementID int64) ([]*domain.Intention, error) {
	return q.intentions(ctx, `WHERE i.achievement_id = $1 ORDER BY i.signed_on, i.id`, achievementID)
}

// AchievementPitches lists the events an achievement was pitched at
// (public events only), with their dates.
func (q *Q) AchievementPitches(ctx context.Context, achievementID int64) ([]*domain.TechEvent, error) {
	return techEvents.all(ctx, q, `JOIN event_pitches p ON p.event_id = e.id
		WHERE p.achievement_id = $1 AND e.status <> 'draft' ORDER BY e.date, e.id`, achievementID)
}

// AddServiceRecord stores a service record and sets its ID; a second
// record of one enterprise at one event is refused.
func (q *Q) AddServiceRecord(ctx context.Context, x *domain.ServiceRecord) error {
	x.CreatedAt = q.Now()
	err := q.w.QueryRowContext(ctx, `INSERT INTO event_services (event_id, org_id, kind, note, recorded_by, created_at)
		VALUES ($1,$2,$3,$4,$5,$6) RETURNING id`, x.EventID, x.OrgID, x.Kind, x.Note, x.RecordedBy, ts(x.CreatedAt)).Scan(&x.ID)
	if isUniqueViolation(err) {
		return domain.FieldErrorf("org_id", "该企业在本次活动的服务记录已登记（每次活动每家企业一条）")
	} else if err != nil {
		return fmt.Errorf("store: add service record: %w", err)
	}
	return q.statsChanged(ctx) // the chain counts events and their records
}

// EventServices lists an event's service records.
func (q *Q) EventServices(ctx context.Context, eventID int64) ([]*domain.ServiceRecord, error) {
	rows, err := q.r.QueryContext(ctx, `SELECT s.id, s.event_id, s.org_id, COALESCE(o.name, ''), s.kind, s.note, s.recorded_by, s.created_at
		FROM event_services s LEFT JOIN orgs o ON o.id = s.org_id WHERE s.event_id = $1 ORDER BY s.id`, eventID)
	if err != nil {
		return nil, fmt.Errorf("store: service records: %w", err)
	}
	defer rows.Close()
	out := []*domain.ServiceRecord{}
	for rows.Next() {
		var x domain.ServiceRecord
		var created string
		if err := rows.Scan(&x.ID, &x.EventID, &x.OrgID, &x.OrgName, &x.Kind, &x.Note, &x.RecordedBy, &created); err != nil {
			return nil, err
		}
		x.CreatedAt = parseTS(created)
		out = append(out, &x)
	}
	return out, rows.Err()
}

// EventChainFigures counts the chain's event figures of a year (chain ""
// for all): events held (held or closed, dated in the year), the service
// records of those events, and the intentions signed in the year (by the
// achievement's chain).
func (q *Q) EventChainFigures(ctx context.Context, year int, chain string) (events, services, intentions int64, err error) {
	from, to := fmt.Sprintf("%04d-01-01", year), fmt.Sprintf("%04d-12-31", year)
	held := `e.status IN ('held', 'closed') AND e.date >= $1 AND e.date <= $2 AND (CAST($3 AS TEXT) = '' OR e.chain_code = $3)`
	if err = q.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM tech_events e WHERE `+held, from, to, chain).Scan(&events); err != nil {
		return 0, 0, 0, fmt.Errorf("store: events held: %w", err)
	}
	if err = q.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM event_services s JOIN tech_events e ON e.id = s.event_id WHERE `+held,
		from, to, chain).Scan(&services); err != nil {
		return 0, 0, 0, fmt.Errorf("store: enterprise services: %w", err)
	}
	if err = q.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM event_intentions i JOIN achievements a ON a.id = i.achievement_id
		WHERE i.signed_on >= $1 AND i.signed_on <= $2 AND (CAST($3 AS TEXT) = '' OR a.chain_code = $3)`, from, to, chain).Scan(&intentions); err != nil {
		return 0, 0, 0, fmt.Errorf("store: intentions: %w", err)
	}
	return events, services, intentions, nil
}

// AchievementsPitched counts the distinct achievements pitched at an
// event held in year (chain "" every chain; else the achievement's).
func (q *Q) AchievementsPitched(ctx context.Context, year int, chain string) (int64, error) {
	from, to := yearRange(year)
	var n int64
	err := q.r.QueryRowContext(ctx, `SELECT COUNT(DISTINCT p.achievement_id) FROM event_pitches p
		JOIN tech_events e ON e.id = p.event_id JOIN achievements a ON a.id = p.achievement_id
		WHERE e.status IN ('held', 'closed') AND e.date >= $1 AND e.date <= $2 AND (CAST($3 AS TEXT) = '' OR a.chain_code = $3)`,
		from, to, chain).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: achievements pitched: %w", err)
	}
	return n, nil
}

// BulkEventRows inserts rows into one of the event module's child tables
// (event_registrations, event_pitches, event_intentions, event_services)
// in multi-row INSERTs, for the demo's years: the rows carry their own
// times (a time.Time is written in the store's format).
func (q *Q) BulkEventRows(ctx context.Context, table string, cols []string, rows [][]any) error {
	switch table {
	case "event_registrations", "event_pitches", "event_intentions", "event_services":
	default:
		return fmt.Errorf("store: bulk rows into %s", table)
	}
	chunk := max(1, 400/len(cols))
	for start := 0; start < len(rows); start += chunk {
		end := min(start+chunk, len(rows))
		var b strings.Builder
		args := make([]any, 0, (end-start)*len(cols))
		for i, r := range rows[start:end] {
			if i > 0 {
				b.WriteString(",")
			}
			b.WriteString("(" + placeholders(len(cols), len(args)+1) + ")")
			for _, v := range r {
				if t, ok := v.(time.Time); ok {
					v = ts(t)
				}
				args = append(args, v)
			}
		}
		if _, err := q.w.ExecContext(ctx, `INSERT INTO `+table+` (`+strings.Join(cols, ",")+`) VALUES `+b.String(), args...); err != nil {
			return fmt.Errorf("store: bulk %s: %w", table, err)
		}
	}
	return q.statsChanged(ctx) // the chain counts events and their records
}

// InsertTechEventAt stores an event with the times and version it carries
// (the demo's years: an event created and held long ago) and sets its ID.
func (q *Q) InsertTechEventAt(ctx context.Context, x *domain.TechEvent) error {
	if err := techEvents.insertAsIs(ctx, q, x); err != nil {
		return err
	}
	return q.statsChanged(ctx) // the chain counts events and their records
}

// PublishedAchievementRefs lists the achievements published (and still
// published) on days from..to (YYYY-MM-DD), with their id, title, unit,
// chain and day, in order of publication: what an organiser may put on a
// programme.
func (q *Q) PublishedAchievementRefs(ctx context.Context, from, to string) ([]*domain.Achievement, error) {
	rows, err := q.r.QueryContext(ctx, `SELECT id, title, owner_org_id, chain_code, published_on FROM achievements
		WHERE status = 'published' AND published_on >= $1 AND published_on <= $2 ORDER BY published_on, id`, from, to)
	if err != nil {
		return nil, fmt.Errorf("store: published achievements: %w", err)
	}
	defer rows.Close()
	out := []*domain.Achievement{}
	for rows.Next() {
		x := &domain.Achievement{Status: domain.AchievementPublished}
		if err := rows.Scan(&x.ID, &x.Title, &x.OwnerOrgID, &x.ChainCode, &x.PublishedOn); err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, rows.Err()
}
