package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
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
	"published_on", "closed_on", "return_reason", "search_text", "title_key", "search_title", "search_body", "created_by", "created_at", "updated_at", "version"}

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
		st, sb, x.CreatedBy, ts(x.CreatedAt), ts(x.UpdatedAt), x.Version}
}

// InsertNeed stores a new need and sets its ID.
func (q *Q) InsertNeed(ctx context.Context, x *domain.Need) error {
	now := q.Now()
	if x.CreatedAt.IsZero() {
		x.CreatedAt = now
	}
	x.UpdatedAt, x.Version = now, 1
	query := `INSERT INTO needs (` + strings.Join(needWriteCols, ",") + `) VALUES (` +
		placeholders(len(needWriteCols), 1) + `) RETURNING id`
	if err := q.w.QueryRowContext(ctx, query, q.needValues(x)...).Scan(&x.ID); err != nil {
		return fmt.Errorf("store: insert need: %w", err)
	}
	return nil
}

// UpdateNeed writes a need back if its version is unchanged since it was
// read, and bumps the version.
func (q *Q) UpdateNeed(ctx context.Context, x *domain.Need) error {
	x.UpdatedAt = q.Now()
	cols := needWriteCols[:len(needWriteCols)-1]
	var set strings.Builder
	for i, col := range cols {
		if i > 0 {
			set.WriteString(", ")
		}
		fmt.Fprintf(&set, "%s = $%d", col, i+1)
	}
	n := len(cols)
	vals := q.needValues(x)
	query := fmt.Sprintf(`UPDATE needs SET %s, version = version + 1 WHERE id = $%d AND version = $%d`, set.String(), n+1, n+2)
	res, err := q.w.ExecContext(ctx, query, append(vals[:n:n], x.ID, x.Version)...)
	if err != nil {
		return fmt.Errorf("store: update need: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return domain.Errorf(domain.ECONFLICT, "此需求已被他人修改，您的操作未执行，请刷新后重试")
	}
	x.Version++
	return nil
}

// DeleteNeed removes a draft (the service checks it is one).
func (q *Q) DeleteNeed(ctx context.Context, id int64) error {
	if _, err := q.w.ExecContext(ctx, `DELETE FROM needs WHERE id = $1 AND status = 'draft'`, id); err != nil {
		return fmt.Errorf("store: delete need: %w", err)
	}
	return nil
}

const needReadCols = `n.id, n.title, n.problem, n.indicators, n.budget_min_fen, n.budget_max_fen, n.deadline, n.chain_code,
	n.keywords, n.stage, n.modes, n.contact_name, n.contact_phone, n.owner_org_id, COALESCE(o.name, ''), n.status,
	n.outcome, n.outcome_note, n.published_on, n.closed_on, n.return_reason, n.created_by, n.created_at, n.updated_at, n.version`

const needFrom = ` FROM needs n LEFT JOIN orgs o ON o.id = n.owner_org_id `

func scanNeed(row interface{ Scan(...any) error }) (*domain.Need, error) {
	var x domain.Need
	var indicators, keywords, modes, created, updated string
	if err := row.Scan(&x.ID, &x.Title, &x.Problem, &indicators, &x.BudgetMinFen, &x.BudgetMaxFen, &x.Deadline, &x.ChainCode,
		&keywords, &x.Stage, &modes, &x.ContactName, &x.ContactPhone, &x.OwnerOrgID, &x.OwnerName, &x.Status,
		&x.Outcome, &x.OutcomeNote, &x.PublishedOn, &x.ClosedOn, &x.ReturnReason, &x.CreatedBy, &created, &updated, &x.Version); err != nil {
		return nil, err
	}
	for _, f := range []struct {
		src string
		dst any
	}{{indicators, &x.Indicators}, {keywords, &x.Keywords}, {modes, &x.Modes}} {
		if err := json.Unmarshal([]byte(f.src), f.dst); err != nil {
			return nil, fmt.Errorf("store: need %d: %w", x.ID, err)
		}
	}
	x.CreatedAt, x.UpdatedAt = parseTS(created), parseTS(updated)
	return &x, nil
}

// FindNeedByID returns one need (unscoped: the service checks access).
func (q *Q) FindNeedByID(ctx context.Context, id int64) (*domain.Need, error) {
	x, err := scanNeed(q.r.QueryRowContext(ctx, `SELECT `+needReadCols+needFrom+`WHERE n.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, domain.Errorf(domain.ENOTFOUND, "需求不存在")
	} else if err != nil {
		return nil, fmt.Errorf("store: find need: %w", err)
	}
	return x, nil
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
	if f.ChainCode != "" {
		conds = append(conds, "n.chain_code = "+arg(f.ChainCode))
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
	join, cond, rank = q.searchClause("needs", "n", f.Query, arg)
	if cond != "" {
		conds = append(conds, cond)
	}
	return join, "WHERE " + strings.Join(conds, " AND "), args, rank, nil
}

// FindNeeds lists the needs of a scope matching f, with the count of the
// filter (capped at domain.ListCountCap+1).
func (q *Q) FindNeeds(ctx context.Context, f domain.NeedFilter, sc domain.NeedScope) ([]*domain.Need, int, error) {
	join, where, args, rank, err := q.needWhere(f, sc)
	if err != nil {
		return nil, 0, err
	}
	var total int
	if err := q.r.QueryRowContext(ctx, fmt.Sprintf(`SELECT COUNT(*) FROM (SELECT 1 FROM needs n %s %s LIMIT %d) capped`,
		join, where, domain.ListCountCap+1), args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store: count needs: %w", err)
	}
	order := "n.id DESC"
	if f.Sort != "" {
		key, dir := strings.TrimPrefix(f.Sort, "-"), "ASC"
		if strings.HasPrefix(f.Sort, "-") {
			dir = "DESC"
		}
		col, ok := needSorts[key]
		if !ok {
			return nil, 0, domain.FieldErrorf("sort", "不支持按“%s”排序", key)
		}
		if strings.HasSuffix(col, "_key") {
			col = q.s.dialect.bytewise(col)
		}
		order = col + " " + dir + ", n.id " + dir
	}
	per := f.PerPage
	if per <= 0 || per > 200 {
		per = 20
	}
	page := max(f.Page, 1)
	if f.Sort == "" && rank != "" {
		ids, err := q.rankedIDs(ctx, "needs", "n", join, where, rank, args, per, (page-1)*per)
		if err != nil || len(ids) == 0 {
			return []*domain.Need{}, total, err
		}
		out, err := q.needsByID(ctx, ids)
		return out, total, err
	}
	args = append(args, per, (page-1)*per)
	rows, err := q.r.QueryContext(ctx, fmt.Sprintf(`SELECT %s %s %s %s ORDER BY %s LIMIT $%d OFFSET $%d`,
		needReadCols, needFrom, join, where, order, len(args)-1, len(args)), args...)
	if err != nil {
		return nil, 0, fmt.Errorf("store: find needs: %w", err)
	}
	defer rows.Close()
	out := []*domain.Need{}
	for rows.Next() {
		x, err := scanNeed(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, x)
	}
	return out, total, rows.Err()
}

// needsByID reads the needs of ids, in that order.
func (q *Q) needsByID(ctx context.Context, ids []int64) ([]*domain.Need, error) {
	rows, err := q.r.QueryContext(ctx, `SELECT `+needReadCols+needFrom+`WHERE n.id IN (`+idList(ids)+`)`)
	if err != nil {
		return nil, fmt.Errorf("store: find needs: %w", err)
	}
	defer rows.Close()
	byID := map[int64]*domain.Need{}
	for rows.Next() {
		x, err := scanNeed(rows)
		if err != nil {
			return nil, err
		}
		byID[x.ID] = x
	}
	out := make([]*domain.Need, 0, len(ids))
	for _, id := range ids {
		if x := byID[id]; x != nil {
			out = append(out, x)
		}
	}
	return out, rows.Err()
}
