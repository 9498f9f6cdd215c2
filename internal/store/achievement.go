package store

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"kechuang/internal/domain"
	"kechuang/internal/search"
	"kechuang/internal/textnorm"
)

// achievementWriteCols are the columns InsertAchievement writes, in order
// (version last: UpdateAchievement bumps it instead).
var achievementWriteCols = []string{"title", "abstract", "keywords", "owner_org_id", "team", "discipline", "chain_code",
	"trl", "trl_evidence", "stage", "ip", "funding", "excluded", "empowerment", "modes", "asking_fen",
	"status", "filed_on", "published_on", "return_reason", "search_text", "title_key",
	"search_title", "search_body", "search_filter", "created_by", "created_at", "updated_at", "version"}

// achievementSearchText is what the keyword search scans: the normalised
// title, keywords, abstract and IP numbers.
func achievementSearchText(x *domain.Achievement) string {
	parts := []string{x.Title, strings.Join(x.Keywords, " "), x.Abstract}
	for _, ip := range x.IP {
		parts = append(parts, ip.Number)
	}
	return textnorm.Key(strings.Join(parts, " "))
}

// AchievementDoc is what the full-text index holds of an achievement: its
// title, then its keywords, abstract and IP numbers.
func AchievementDoc(x *domain.Achievement) search.Doc {
	body := []string{strings.Join(x.Keywords, " "), x.Abstract}
	for _, ip := range x.IP {
		body = append(body, ip.Number)
	}
	return search.NewDoc(x.Title, body...)
}

func (q *Q) achievementValues(x *domain.Achievement, doc search.Doc) []any {
	st, sb := q.s.dialect.searchValues(doc)
	emp := ""
	if x.Empowerment != nil {
		b, _ := json.Marshal(x.Empowerment)
		emp = string(b)
	}
	return []any{x.Title, x.Abstract, jsonText(x.Keywords), x.OwnerOrgID, jsonText(x.Team), x.Discipline, x.ChainCode,
		x.TRL, x.TRLEvidence, x.Stage, jsonText(x.IP), x.Funding, x.Excluded, emp, jsonText(x.Modes), x.AskingFen,
		string(x.Status), x.FiledOn, x.PublishedOn, x.ReturnReason, achievementSearchText(x), textnorm.SortKey(x.Title),
		st, sb, q.s.dialect.filterValue(achievementFilterTokens(x)), x.CreatedBy, ts(x.CreatedAt), ts(x.UpdatedAt), x.Version}
}

// achievements is the achievement table for the store kit (kit.go).
var achievements = &entityTable[*domain.Achievement]{
	table: "achievements", entity: "achievement", alias: "a", write: achievementWriteCols,
	readCols: achievementReadCols, from: achievementFrom, scan: scanAchievement,
	values: func(q *Q, x *domain.Achievement) []any { return q.achievementValues(x, AchievementDoc(x)) },
	rec: func(x *domain.Achievement) record {
		return record{ID: &x.ID, CreatedAt: &x.CreatedAt, UpdatedAt: &x.UpdatedAt, Version: &x.Version}
	},
	notFound: "成果不存在", stale: "此成果已被他人修改，您的操作未执行，请刷新后重试", chunk: achievementChunk,
}

// InsertAchievement stores a new achievement and sets its ID.
func (q *Q) InsertAchievement(ctx context.Context, x *domain.Achievement) error {
	if err := achievements.insert(ctx, q, x); err != nil {
		return err
	}
	return q.addAchievementRollup(ctx, map[achievementCell]int64{cellOf(x.PublishedOn, x.ChainCode, string(x.Status)): 1})
}

// UpdateAchievement writes an achievement back if its version is unchanged
// since it was read, and bumps the version.
func (q *Q) UpdateAchievement(ctx context.Context, x *domain.Achievement) error {
	old, err := q.achievementCell(ctx, x.ID)
	if err != nil {
		return err
	}
	if err := achievements.update(ctx, q, x); err != nil {
		return err
	}
	if now := cellOf(x.PublishedOn, x.ChainCode, string(x.Status)); now != old {
		return q.addAchievementRollup(ctx, map[achievementCell]int64{old: -1, now: 1})
	}
	return nil
}

// DeleteAchievement removes a draft (the service checks it is one).
func (q *Q) DeleteAchievement(ctx context.Context, id int64) error {
	old, err := q.achievementCell(ctx, id)
	if err != nil {
		return err
	}
	if gone, err := achievements.deleteDraftN(ctx, q, id); err != nil || !gone {
		return err
	}
	return q.addAchievementRollup(ctx, map[achievementCell]int64{old: -1})
}

const achievementReadCols = `a.id, a.title, a.abstract, a.keywords, a.owner_org_id, COALESCE(o.name, ''), a.team, a.discipline, a.chain_code,
	a.trl, a.trl_evidence, a.stage, a.ip, a.funding, a.excluded, a.empowerment, a.modes, a.asking_fen,
	a.status, a.filed_on, a.published_on, a.return_reason, a.created_by, a.created_at, a.updated_at, a.version`

const achievementFrom = ` FROM achievements a LEFT JOIN orgs o ON o.id = a.owner_org_id `

func scanAchievement(row rowScanner) (*domain.Achievement, error) {
	var x domain.Achievement
	var keywords, team, ip, emp, modes, created, updated string
	if err := row.Scan(&x.ID, &x.Title, &x.Abstract, &keywords, &x.OwnerOrgID, &x.OwnerName, &team, &x.Discipline, &x.ChainCode,
		&x.TRL, &x.TRLEvidence, &x.Stage, &ip, &x.Funding, &x.Excluded, &emp, &modes, &x.AskingFen,
		&x.Status, &x.FiledOn, &x.PublishedOn, &x.ReturnReason, &x.CreatedBy, &created, &updated, &x.Version); err != nil {
		return nil, err
	}
	if err := decodeJSON("achievement", x.ID, jsonCol{keywords, &x.Keywords}, jsonCol{team, &x.Team}, jsonCol{ip, &x.IP}, jsonCol{modes, &x.Modes}); err != nil {
		return nil, err
	}
	if emp != "" {
		x.Empowerment = &domain.Empowerment{}
		if err := decodeJSON("achievement empowerment", x.ID, jsonCol{emp, x.Empowerment}); err != nil {
			return nil, err
		}
	}
	x.CreatedAt, x.UpdatedAt = parseTS(created), parseTS(updated)
	return &x, nil
}

// FindAchievementByID returns one achievement (unscoped: the service
// checks access).
func (q *Q) FindAchievementByID(ctx context.Context, id int64) (*domain.Achievement, error) {
	return achievements.find(ctx, q, id)
}

var achievementSorts = map[string]string{
	"id": "a.id", "title": "a.title_key", "trl": "a.trl", "asking_price_fen": "a.asking_fen",
	"published_on": "a.published_on", "updated_at": "a.updated_at",
}

// achievementWhere is the join (full-text), the WHERE and its arguments of
// a filter, and the rank placeholder when it has a query. naive matches
// the query by LIKE over search_text instead of the index (the peer of
// kechuang bench chain).
func (q *Q) achievementWhere(f domain.AchievementFilter, sc domain.AchievementScope, naive bool) (join, where string, args []any, rank string) {
	var conds []string
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	switch {
	case sc.All:
		conds = append(conds, fmt.Sprintf("(a.status <> 'draft' OR a.owner_org_id = %s)", arg(sc.OrgID)))
	case sc.OrgID != 0:
		conds = append(conds, fmt.Sprintf("(a.status IN ('published', 'transferred') OR a.owner_org_id = %s)", arg(sc.OrgID)))
	default:
		conds = append(conds, "a.status IN ('published', 'transferred')")
	}
	var tokens []string // the filter tokens of the search (search.go)
	if f.Status != "" {
		conds = append(conds, "a.status = "+arg(string(f.Status)))
		tokens = append(tokens, statusToken(string(f.Status)))
	}
	if f.ChainCode != "" {
		conds = append(conds, "a.chain_code = "+arg(f.ChainCode))
		tokens = append(tokens, chainToken(f.ChainCode))
	}
	if f.OwnerID != 0 {
		conds = append(conds, "a.owner_org_id = "+arg(f.OwnerID))
	}
	if f.Stage != "" {
		conds = append(conds, "a.stage = "+arg(f.Stage))
	}
	if f.MinTRL > 0 {
		conds = append(conds, "a.trl >= "+arg(f.MinTRL))
	}
	if f.Year != 0 {
		conds = append(conds, "a.published_on LIKE "+arg(fmt.Sprintf("%04d-%%", f.Year)))
		tokens = append(tokens, yearToken(fmt.Sprintf("%04d-", f.Year)))
	}
	if naive {
		for _, w := range strings.Fields(textnorm.Key(f.Query)) {
			conds = append(conds, `a.search_text LIKE `+arg(likePattern(w))+` ESCAPE '\'`)
		}
	} else {
		var cond string
		join, cond, rank = q.searchClause("achievements", "a", f.Query, tokens, arg)
		if cond != "" {
			conds = append(conds, cond)
		}
	}
	return join, "WHERE " + strings.Join(conds, " AND "), args, rank
}

// FindAchievements lists the achievements of a scope matching f, with the
// count of the filter (capped at domain.ListCountCap+1; with a query at
// domain.SearchCountCap+1).
// A query ranks its newest matches, title matches first, then by
// publication date (searchPage), unless f.Sort asks
// otherwise.
func (q *Q) FindAchievements(ctx context.Context, f domain.AchievementFilter, sc domain.AchievementScope) ([]*domain.Achievement, int, error) {
	return q.findAchievements(ctx, f, sc, false)
}

// FindAchievementsNaive is FindAchievements with the query matched by a
// LIKE scan of search_text, as before the index (kechuang bench chain's
// peer, and the index's agreement tests).
func (q *Q) FindAchievementsNaive(ctx context.Context, f domain.AchievementFilter, sc domain.AchievementScope) ([]*domain.Achievement, int, error) {
	return q.findAchievements(ctx, f, sc, true)
}

func (q *Q) findAchievements(ctx context.Context, f domain.AchievementFilter, sc domain.AchievementScope, naive bool) ([]*domain.Achievement, int, error) {
	join, where, args, rank := q.achievementWhere(f, sc, naive)
	return achievements.list(ctx, q, listQuery{join: join, where: where, args: args, rank: rank, sort: f.Sort, sorts: achievementSorts, page: f.Page, perPage: f.PerPage})
}

// achievementChunk is how many rows one INSERT of the kit's bulkInsert
// carries (unused by BulkInsertAchievementsIndexed, which takes the
// dialect's fast path): 650 parameters (SQLite finds a numbered parameter by
// a linear search while it parses, so a statement of thousands costs
// quadratic time).
const achievementChunk = 25

// achievementBulk is the achievements table for bulkInsertRows
// (bulk_rows.go); achievementPGTypes are the PostgreSQL types of
// achievementWriteCols, in order.
var achievementBulk = bulkTable{table: "achievements", cols: achievementWriteCols, pgTypes: achievementPGTypes}

var achievementPGTypes = []string{"text", "text", "text", "bigint", "text", "text", "text",
	"integer", "text", "text", "text", "text", "boolean", "text", "text", "bigint",
	"text", "text", "text", "text", "text", "text",
	"tsvector", "tsvector", "tsvector", "bigint", "text", "text", "bigint"}

// BulkInsertAchievements stores many achievements (the demo's years) in
// multi-row INSERTs, stamping none: each carries its own times and
// version 1. The ids are not read back; AchievementIDsByTitle finds them.
func (q *Q) BulkInsertAchievements(ctx context.Context, xs []*domain.Achievement) error {
	docs := make([]search.Doc, len(xs))
	parallel(len(xs), func(i int) { docs[i] = AchievementDoc(xs[i]) }) // segmentation is the cost of a load
	return q.BulkInsertAchievementsIndexed(ctx, xs, docs)
}

// BulkInsertAchievementsIndexed is BulkInsertAchievements with the index
// tokens of each achievement given (docs[i] for xs[i], computed once by a
// caller that reuses texts); nil docs are computed here.
func (q *Q) BulkInsertAchievementsIndexed(ctx context.Context, xs []*domain.Achievement, docs []search.Doc) error {
	cells := map[achievementCell]int64{}
	for _, x := range xs {
		x.Version = 1
		cells[cellOf(x.PublishedOn, x.ChainCode, string(x.Status))]++
	}
	values := func(i int) []any {
		if docs != nil {
			return q.achievementValues(xs[i], docs[i])
		}
		return q.achievementValues(xs[i], AchievementDoc(xs[i]))
	}
	if _, _, err := q.s.dialect.bulkInsertRows(ctx, q.w, achievementBulk, len(xs), values); err != nil {
		return fmt.Errorf("store: bulk insert achievements: %w", err)
	}
	return q.addAchievementRollup(ctx, cells)
}

// AchievementIDsByTitle maps the titles of the achievements first
// published in year to their ids (the demo's titles are unique).
func (q *Q) AchievementIDsByTitle(ctx context.Context, year int) (map[string]int64, error) {
	rows, err := q.r.QueryContext(ctx, `SELECT id, title FROM achievements WHERE published_on LIKE $1`, fmt.Sprintf("%04d-%%", year))
	if err != nil {
		return nil, fmt.Errorf("store: achievement ids: %w", err)
	}
	defer rows.Close()
	out := map[string]int64{}
	for rows.Next() {
		var id int64
		var t string
		if err := rows.Scan(&id, &t); err != nil {
			return nil, err
		}
		out[t] = id
	}
	return out, rows.Err()
}

// CountAchievements counts every achievement (kechuang bench chain, on a
// database it reuses).
func (q *Q) CountAchievements(ctx context.Context) (int64, error) {
	var n int64
	if err := q.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM achievements`).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: count achievements: %w", err)
	}
	return n, nil
}

// AchievementsPublished counts the achievements first published in year
// (the city's 成果发布 figure, from the records).
func (q *Q) AchievementsPublished(ctx context.Context, year int) (int, error) {
	var n int
	err := q.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM achievements WHERE published_on LIKE $1`, fmt.Sprintf("%04d-%%", year)).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: achievements published: %w", err)
	}
	return n, nil
}
