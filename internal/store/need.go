package store

import (
	"context"
	"fmt"
	"strings"

	"kechuang/internal/domain"
	"kechuang/internal/search"
	"kechuang/internal/textnorm"
)

// needWriteCols are the columns InsertNeed writes, in order (version
// last: UpdateNeed bumps it instead).
var needWriteCols = []string{"title", "problem", "indicators", "budget_min_fen", "budget_max_fen", "deadline", "chain_code",
	"keywords", "stage", "modes", "contact_name", "contact_phone", "owner_org_id", "status", "outcome", "outcome_note",
	"published_on", "closed_on", "return_reason", "search_text", "title_key", "search_title", "search_body", "search_filter", "created_by", "created_at", "updated_at", "version"}

// needSearchText is what the keyword search scans: the normalised title,
// keywords, problem and indicator names.
func needSearchText(x *domain.Need) string {
	parts := []string{x.Title, strings.Join(x.Keywords, " "), x.Problem}
	for _, in := range x.Indicators {
		parts = append(parts, in.Indicator)
	}
	return textnorm.Key(strings.Join(parts, " "))
}

// needDoc is what the full-text index holds of a need: its title, then
// its keywords, problem and indicator names.
func needDoc(x *domain.Need) search.Doc {
	body := []string{strings.Join(x.Keywords, " "), x.Problem}
	for _, in := range x.Indicators {
		body = append(body, in.Indicator)
	}
	return search.NewDoc(x.Title, body...)
}

func (q *Q) needValues(x *domain.Need) []any {
	st, sb := q.s.dialect.searchValues(needDoc(x))
	return []any{x.Title, x.Problem, jsonText(x.Indicators), x.BudgetMinFen, x.BudgetMaxFen, x.Deadline, x.ChainCode,
		jsonText(x.Keywords), x.Stage, jsonText(x.Modes), x.ContactName, x.ContactPhone, x.OwnerOrgID, string(x.Status),
		x.Outcome, x.OutcomeNote, x.PublishedOn, x.ClosedOn, x.ReturnReason, needSearchText(x), textnorm.SortKey(x.Title),
		st, sb, q.s.dialect.filterValue(needFilterTokens(x)), x.CreatedBy, ts(x.CreatedAt), ts(x.UpdatedAt), x.Version}
}

// needs is the need table for the store kit (kit.go).
var needs = &entityTable[*domain.Need]{
	table: "needs", entity: "need", alias: "n", write: needWriteCols,
	readCols: needReadCols, from: needFrom, values: func(q *Q, x *domain.Need) []any { return q.needValues(x) }, scan: scanNeed,
	rec: func(x *domain.Need) record {
		return record{ID: &x.ID, CreatedAt: &x.CreatedAt, UpdatedAt: &x.UpdatedAt, Version: &x.Version}
	},
	notFound: "需求不存在", stale: "此需求已被他人修改，您的操作未执行，请刷新后重试",
}

// InsertNeed stores a new need and sets its ID.
func (q *Q) InsertNeed(ctx context.Context, x *domain.Need) error {
	return q.countsChanged(ctx, needs.insert(ctx, q, x))
}

// UpdateNeed writes a need back if its version is unchanged since it was
// read, and bumps the version.
func (q *Q) UpdateNeed(ctx context.Context, x *domain.Need) error {
	return q.countsChanged(ctx, needs.update(ctx, q, x))
}

// DeleteNeed removes a draft (the service checks it is one).
func (q *Q) DeleteNeed(ctx context.Context, id int64) error {
	return q.countsChanged(ctx, needs.deleteDraft(ctx, q, id))
}

const needReadCols = `n.id, n.title, n.problem, n.indicators, n.budget_min_fen, n.budget_max_fen, n.deadline, n.chain_code,
	n.keywords, n.stage, n.modes, n.contact_name, n.contact_phone, n.owner_org_id, COALESCE(o.name, ''), n.status,
	n.outcome, n.outcome_note, n.published_on, n.closed_on, n.return_reason, n.created_by, n.created_at, n.updated_at, n.version`

const needFrom = ` FROM needs n LEFT JOIN orgs o ON o.id = n.owner_org_id `

func scanNeed(row rowScanner) (*domain.Need, error) {
	var x domain.Need
	var indicators, keywords, modes, created, updated string
	if err := row.Scan(&x.ID, &x.Title, &x.Problem, &indicators, &x.BudgetMinFen, &x.BudgetMaxFen, &x.Deadline, &x.ChainCode,
		&keywords, &x.Stage, &modes, &x.ContactName, &x.ContactPhone, &x.OwnerOrgID, &x.OwnerName, &x.Status,
		&x.Outcome, &x.OutcomeNote, &x.PublishedOn, &x.ClosedOn, &x.ReturnReason, &x.CreatedBy, &created, &updated, &x.Version); err != nil {
		return nil, err
	}
	if err := decodeJSON("need", x.ID, jsonCol{indicators, &x.Indicators}, jsonCol{keywords, &x.Keywords}, jsonCol{modes, &x.Modes}); err != nil {
		return nil, err
	}
	x.CreatedAt, x.UpdatedAt = parseTS(created), parseTS(updated)
	return &x, nil
}

// FindNeedByID returns one need (unscoped: the service checks access).
func (q *Q) FindNeedByID(ctx context.Context, id int64) (*domain.Need, error) {
	return needs.find(ctx, q, id)
}

var needSorts = map[string]string{
	"id": "n.id", "title": "n.title_key", "deadline": "n.deadline", "budget_max_fen": "n.budget_max_fen",
	"published_on": "n.published_on", "updated_at": "n.updated_at",
}

// needPublic is the public board in SQL (domain.Need.Public).
const needPublic = "(n.status = 'published' OR (n.status = 'closed' AND n.published_on <> ''))"

func (q *Q) needWhere(f domain.NeedFilter, sc domain.NeedScope) (join, where string, args []any, rank string, err error) {
	var conds []string
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	switch {
	case sc.All:
		conds = append(conds, fmt.Sprintf("(n.status <> 'draft' OR n.owner_org_id = %s)", arg(sc.OrgID)))
	case sc.OrgID != 0:
		conds = append(conds, fmt.Sprintf("(%s OR n.owner_org_id = %s)", needPublic, arg(sc.OrgID)))
	default:
		conds = append(conds, needPublic)
	}
	if f.Status != "" {
		conds = append(conds, "n.status = "+arg(string(f.Status)))
	}
	switch f.State {
	case "":
	case "open":
		conds = append(conds, "n.status = 'published' AND n.deadline >= "+arg(f.Today))
	case "closed":
		conds = append(conds, "(n.status = 'closed' OR (n.status = 'published' AND n.deadline < "+arg(f.Today)+"))")
	default:
		return "", "", nil, "", domain.FieldErrorf("state", "状态筛选应为 open 或 closed")
	}
	var tokens []string // the filter tokens of the search (search.go)
	if f.ChainCode != "" {
		conds = append(conds, "n.chain_code = "+arg(f.ChainCode))
		tokens = append(tokens, chainToken(f.ChainCode))
	}
	if f.Stage != "" {
		conds = append(conds, "n.stage = "+arg(f.Stage))
	}
	if f.OwnerID != 0 {
		conds = append(conds, "n.owner_org_id = "+arg(f.OwnerID))
	}
	if f.MinBudget > 0 {
		conds = append(conds, "n.budget_max_fen >= "+arg(f.MinBudget))
	}
	if f.MaxBudget > 0 {
		conds = append(conds, "n.budget_max_fen > 0 AND n.budget_min_fen <= "+arg(f.MaxBudget))
	}
	var cond string
	join, cond, rank = q.searchClause("needs", "n", f.Query, tokens, arg)
	if cond != "" {
		conds = append(conds, cond)
	}
	return join, "WHERE " + strings.Join(conds, " AND "), args, rank, nil
}

// FindNeeds lists the needs of a scope matching f, with the count of the
// filter (capped at domain.ListCountCap+1; with a query at
// domain.SearchCountCap+1).
func (q *Q) FindNeeds(ctx context.Context, f domain.NeedFilter, sc domain.NeedScope) ([]*domain.Need, int, error) {
	join, where, args, rank, err := q.needWhere(f, sc)
	if err != nil {
		return nil, 0, err
	}
	return needs.list(ctx, q, listQuery{join: join, where: where, args: args, rank: rank, sort: f.Sort, sorts: needSorts, page: f.Page, perPage: f.PerPage})
}
