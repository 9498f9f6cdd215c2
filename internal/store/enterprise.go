package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"kechuang/internal/domain"
	"kechuang/internal/textnorm"
)

// The enterprise registry (migration 0024): firms, their yearly facts
// filings and their qualifications.

var enterpriseWriteCols = []string{"uscc", "name", "name_key", "org_id", "district", "chain", "registered_on",
	"created_by", "created_at", "updated_at", "version"}

var enterprisePGTypes = []string{"text", "text", "text", "bigint", "text", "text", "text", "bigint", "text", "text", "bigint"}

// nullText is a text column's value: NULL for "".
func nullText(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func enterpriseValues(x *domain.Enterprise) []any {
	return []any{x.USCC, x.Name, textnorm.SortKey(x.Name), nullID(x.OrgID), x.District, x.Chain, x.RegisteredOn,
		x.CreatedBy, ts(x.CreatedAt), ts(x.UpdatedAt), x.Version}
}

const enterpriseReadCols = `e.id, e.uscc, e.name, COALESCE(e.org_id, 0), COALESCE(o.name, ''), e.district, e.chain, e.registered_on,
	COALESCE((SELECT MAX(f.year) FROM enterprise_filings f WHERE f.enterprise_id = e.id), 0),
	e.created_by, e.created_at, e.updated_at, e.version`

const enterpriseFrom = ` FROM enterprises e LEFT JOIN orgs o ON o.id = e.org_id `

func scanEnterprise(row rowScanner) (*domain.Enterprise, error) {
	var x domain.Enterprise
	var created, updated string
	if err := row.Scan(&x.ID, &x.USCC, &x.Name, &x.OrgID, &x.OrgName, &x.District, &x.Chain, &x.RegisteredOn, &x.LastFiled,
		&x.CreatedBy, &created, &updated, &x.Version); err != nil {
		return nil, err
	}
	x.CreatedAt, x.UpdatedAt = parseTS(created), parseTS(updated)
	return &x, nil
}

// enterprises is the registry's table for the store kit (kit.go).
var enterprises = &entityTable[*domain.Enterprise]{
	table: "enterprises", entity: "enterprise", alias: "e", write: enterpriseWriteCols,
	readCols: enterpriseReadCols, from: enterpriseFrom,
	values: func(_ *Q, x *domain.Enterprise) []any { return enterpriseValues(x) }, scan: scanEnterprise,
	rec: func(x *domain.Enterprise) record {
		return record{ID: &x.ID, CreatedAt: &x.CreatedAt, UpdatedAt: &x.UpdatedAt, Version: &x.Version}
	},
	notFound: "企业不存在", stale: EnterpriseStale, keepUpdated: true,
	uniqueField: "uscc", unique: "该统一社会信用代码已在企业库中",
}

// EnterpriseStale is the conflict of an update of a firm changed since it
// was read.
const EnterpriseStale = "此企业信息已被他人修改，您的操作未执行，请刷新后重试"

// enterpriseKeysFree refuses a firm whose credit code or organisation
// another registry row already has (checked before the write: a unique
// violation aborts a PostgreSQL transaction, so it cannot be asked after).
func (q *Q) enterpriseKeysFree(ctx context.Context, x *domain.Enterprise) error {
	var n int
	if err := q.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM enterprises WHERE uscc = $1 AND id <> $2`, x.USCC, x.ID).Scan(&n); err != nil {
		return fmt.Errorf("store: enterprise uscc: %w", err)
	} else if n > 0 {
		return domain.FieldErrorf("uscc", "该统一社会信用代码已在企业库中")
	}
	if x.OrgID == 0 {
		return nil
	}
	if err := q.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM enterprises WHERE org_id = $1 AND id <> $2`, x.OrgID, x.ID).Scan(&n); err != nil {
		return fmt.Errorf("store: enterprise org: %w", err)
	} else if n > 0 {
		return domain.FieldErrorf("org_id", "该机构已关联企业库中的另一家企业")
	}
	return nil
}

// InsertEnterprise stores a new firm and sets its ID; a credit code or
// organisation already in the registry is a field error.
func (q *Q) InsertEnterprise(ctx context.Context, x *domain.Enterprise) error {
	if err := q.enterpriseKeysFree(ctx, x); err != nil {
		return err
	}
	return enterprises.insert(ctx, q, x)
}

// UpdateEnterprise writes a firm back if its version is unchanged since it
// was read, and bumps the version.
func (q *Q) UpdateEnterprise(ctx context.Context, x *domain.Enterprise) error {
	if err := q.enterpriseKeysFree(ctx, x); err != nil {
		return err
	}
	return enterprises.update(ctx, q, x)
}

// FindEnterpriseByID returns one firm (unscoped: the service checks
// access).
func (q *Q) FindEnterpriseByID(ctx context.Context, id int64) (*domain.Enterprise, error) {
	return enterprises.find(ctx, q, id)
}

// findEnterpriseBy returns the firm matching cond (one argument), or nil.
func (q *Q) findEnterpriseBy(ctx context.Context, cond string, arg any) (*domain.Enterprise, error) {
	x, err := scanEnterprise(q.r.QueryRowContext(ctx, `SELECT `+enterpriseReadCols+enterpriseFrom+`WHERE `+cond, arg))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("store: find enterprise: %w", err)
	}
	return x, nil
}

// FindEnterpriseByUSCC returns the firm with a credit code, or nil.
func (q *Q) FindEnterpriseByUSCC(ctx context.Context, uscc string) (*domain.Enterprise, error) {
	return q.findEnterpriseBy(ctx, "e.uscc = $1", uscc)
}

// FindEnterpriseByOrg returns the firm of an organisation (我的企业), or nil.
func (q *Q) FindEnterpriseByOrg(ctx context.Context, orgID int64) (*domain.Enterprise, error) {
	return q.findEnterpriseBy(ctx, "e.org_id = $1", orgID)
}

var enterpriseSorts = map[string]string{
	"id": "e.id", "name": "e.name_key", "uscc": "e.uscc", "registered_on": "e.registered_on",
	"district": "e.district", "chain": "e.chain", "updated_at": "e.updated_at",
}

func enterpriseWhere(f domain.EnterpriseFilter, sc domain.EnterpriseScope) (string, []any, error) {
	var conds []string
	var args []any
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	switch {
	case sc.None:
		conds = append(conds, "1 = 0")
	case !sc.All:
		conds = append(conds, "e.org_id = "+arg(sc.OrgID))
	}
	if f.District != "" {
		conds = append(conds, "e.district = "+arg(f.District))
	}
	if f.Chain != "" {
		conds = append(conds, "e.chain = "+arg(f.Chain))
	}
	if f.OrgID != 0 {
		conds = append(conds, "e.org_id = "+arg(f.OrgID))
	}
	if s := strings.TrimSpace(f.Query); s != "" {
		p := arg(likePattern(s))
		conds = append(conds, fmt.Sprintf(`(e.name LIKE %[1]s ESCAPE '\' OR e.uscc LIKE %[1]s ESCAPE '\')`, p))
	}
	filed := fmt.Sprintf("EXISTS (SELECT 1 FROM enterprise_filings f WHERE f.enterprise_id = e.id AND f.year = %s)", "%s")
	switch f.Filed {
	case "":
	case "yes", "no":
		if f.Year < domain.MinFilingYear || f.Year > domain.MaxFilingYear {
			return "", nil, domain.FieldErrorf("year", "按填报情况筛选时须指定年度")
		}
		c := fmt.Sprintf(filed, arg(f.Year))
		if f.Filed == "no" {
			c = "NOT " + c
		}
		conds = append(conds, c)
	default:
		return "", nil, domain.FieldErrorf("filed", "填报情况应为 yes 或 no")
	}
	if len(conds) == 0 {
		return "", args, nil
	}
	return "WHERE " + strings.Join(conds, " AND "), args, nil
}

// FindEnterprises lists the firms of a scope matching f, with the count
// of the filter (capped at domain.ListCountCap+1).
func (q *Q) FindEnterprises(ctx context.Context, f domain.EnterpriseFilter, sc domain.EnterpriseScope) ([]*domain.Enterprise, int, error) {
	where, args, err := enterpriseWhere(f, sc)
	if err != nil {
		return nil, 0, err
	}
	return enterprises.list(ctx, q, listQuery{where: where, args: args, sort: f.Sort, sorts: enterpriseSorts, page: f.Page, perPage: f.PerPage})
}

// EnterpriseIDsByUSCC maps credit codes to registry ids (the codes not in
// the registry are absent).
func (q *Q) EnterpriseIDsByUSCC(ctx context.Context, codes []string) (map[string]int64, error) {
	out := make(map[string]int64, len(codes))
	for start := 0; start < len(codes); start += bulkRows {
		chunk := codes[start:min(start+bulkRows, len(codes))]
		args := make([]any, len(chunk))
		for i, c := range chunk {
			args[i] = c
		}
		rows, err := q.r.QueryContext(ctx, `SELECT id, uscc FROM enterprises WHERE uscc IN (`+placeholders(len(chunk), 1)+`)`, args...)
		if err != nil {
			return nil, fmt.Errorf("store: enterprise ids: %w", err)
		}
		for rows.Next() {
			var id int64
			var c string
			if err := rows.Scan(&id, &c); err != nil {
				rows.Close()
				return nil, err
			}
			out[c] = id
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

var enterpriseBulk = bulkTable{table: "enterprises", cols: enterpriseWriteCols, pgTypes: enterprisePGTypes}

// BulkInsertEnterprises stores many firms in the dialect's fast path
// (bulk_rows.go) and sets their IDs (read back by credit code). Times
// the caller left zero are now; the callers (imports, the demo) have
// checked the firms and their keys.
func (q *Q) BulkInsertEnterprises(ctx context.Context, xs []*domain.Enterprise) error {
	now := q.Now()
	codes := make([]string, len(xs))
	for i, x := range xs {
		if x.CreatedAt.IsZero() {
			x.CreatedAt = now
		}
		if x.UpdatedAt.IsZero() {
			x.UpdatedAt = now
		}
		x.Version = 1
		codes[i] = x.USCC
	}
	if start, n, err := q.s.dialect.bulkInsertRows(ctx, q.w, enterpriseBulk, len(xs), func(i int) []any { return enterpriseValues(xs[i]) }); err != nil {
		if isUniqueViolation(err) {
			return domain.FieldErrorf("uscc", "统一社会信用代码或关联机构重复（第 %d–%d 家之间）", start+1, start+n)
		}
		return fmt.Errorf("store: bulk insert enterprises: %w", err)
	}
	ids, err := q.EnterpriseIDsByUSCC(ctx, codes)
	if err != nil {
		return err
	}
	for _, x := range xs {
		x.ID = ids[x.USCC]
	}
	return nil
}

// ——— filings ———

var filingWriteCols = []string{"enterprise_id", "year", "facts", "filed_by", "filed_at", "updated_at", "version"}

var filingPGTypes = []string{"bigint", "integer", "text", "bigint", "text", "text", "bigint"}

func filingValues(x *domain.EnterpriseFiling) []any {
	return []any{x.EnterpriseID, x.Year, string(x.Facts), nullID(x.FiledBy), ts(x.FiledAt), ts(x.UpdatedAt), x.Version}
}

const filingReadCols = `f.id, f.enterprise_id, f.year, f.facts, COALESCE(f.filed_by, 0), COALESCE(u.display_name, ''),
	f.filed_at, f.updated_at, f.version`

const filingFrom = ` FROM enterprise_filings f LEFT JOIN users u ON u.id = f.filed_by `

func scanFiling(row rowScanner) (*domain.EnterpriseFiling, error) {
	var x domain.EnterpriseFiling
	var facts, filed, updated string
	if err := row.Scan(&x.ID, &x.EnterpriseID, &x.Year, &facts, &x.FiledBy, &x.FiledByName, &filed, &updated, &x.Version); err != nil {
		return nil, err
	}
	x.Facts = []byte(facts)
	x.FiledAt, x.UpdatedAt = parseTS(filed), parseTS(updated)
	return &x, nil
}

var filings = &entityTable[*domain.EnterpriseFiling]{
	table: "enterprise_filings", entity: "enterprise filing", alias: "f", write: filingWriteCols,
	readCols: filingReadCols, from: filingFrom,
	values: func(_ *Q, x *domain.EnterpriseFiling) []any { return filingValues(x) }, scan: scanFiling,
	rec: func(x *domain.EnterpriseFiling) record {
		return record{ID: &x.ID, CreatedAt: &x.FiledAt, UpdatedAt: &x.UpdatedAt, Version: &x.Version}
	},
	notFound: "该企业该年度尚未填报数据", stale: FilingStale, keepUpdated: true,
	uniqueField: "year", unique: "该企业该年度的数据已填报",
}

// FilingStale is the conflict of a correction of facts changed since they
// were read.
const FilingStale = "该年度数据已被他人修改，您的操作未执行，请刷新后重试"

// EnterpriseFiling returns a firm's filing of a year (not found: the
// filing's notFound, a user error).
func (q *Q) EnterpriseFiling(ctx context.Context, enterpriseID int64, year int) (*domain.EnterpriseFiling, error) {
	x, err := scanFiling(q.r.QueryRowContext(ctx, `SELECT `+filingReadCols+filingFrom+`WHERE f.enterprise_id = $1 AND f.year = $2`, enterpriseID, year))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, domain.Errorf(domain.ENOTFOUND, "%s", domain.Msg(filings.notFound))
	} else if err != nil {
		return nil, fmt.Errorf("store: find enterprise filing: %w", err)
	}
	return x, nil
}

// UpsertEnterpriseFiling stores a firm's facts for a year: a new filing
// (created true; FiledAt kept when set, else now) or the correction of
// the one there. version is the version the caller read (0: do not
// check); a filing changed since is the FilingStale conflict. x gets the
// stored row's id, times and version.
func (q *Q) UpsertEnterpriseFiling(ctx context.Context, x *domain.EnterpriseFiling, version int64) (created bool, err error) {
	old, err := q.EnterpriseFiling(ctx, x.EnterpriseID, x.Year)
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		if version != 0 {
			return false, domain.Errorf(domain.ECONFLICT, "%s", domain.Msg(FilingStale))
		}
		x.UpdatedAt = x.FiledAt
		return true, filings.insert(ctx, q, x)
	} else if err != nil {
		return false, err
	}
	if version != 0 && version != old.Version {
		return false, domain.Errorf(domain.ECONFLICT, "%s", domain.Msg(FilingStale))
	}
	x.ID, x.FiledAt, x.Version = old.ID, old.FiledAt, old.Version
	return false, filings.update(ctx, q, x)
}

// EnterpriseFilings lists a firm's filings, oldest year first.
func (q *Q) EnterpriseFilings(ctx context.Context, enterpriseID int64) ([]*domain.EnterpriseFiling, error) {
	return filings.all(ctx, q, `WHERE f.enterprise_id = $1 ORDER BY f.year`, enterpriseID)
}

// EnterpriseFilingsOfYear returns up to limit filings of a year with ids
// above afterID, in id order (a batch run reads a year in pages: pass the
// last id of a page to read the next).
func (q *Q) EnterpriseFilingsOfYear(ctx context.Context, year int, afterID int64, limit int) ([]*domain.EnterpriseFiling, error) {
	if limit <= 0 {
		limit = 1000
	}
	return filings.all(ctx, q, `WHERE f.year = $1 AND f.id > $2 ORDER BY f.id LIMIT $3`, year, afterID, limit)
}

// EnterpriseFilingYears lists the years with at least one filing, newest
// first (the list page's year picker).
func (q *Q) EnterpriseFilingYears(ctx context.Context) ([]int, error) {
	rows, err := q.r.QueryContext(ctx, `SELECT DISTINCT year FROM enterprise_filings ORDER BY year DESC`)
	if err != nil {
		return nil, fmt.Errorf("store: filing years: %w", err)
	}
	defer rows.Close()
	out := []int{}
	for rows.Next() {
		var y int
		if err := rows.Scan(&y); err != nil {
			return nil, err
		}
		out = append(out, y)
	}
	return out, rows.Err()
}

var filingBulk = bulkTable{table: "enterprise_filings", cols: filingWriteCols, pgTypes: filingPGTypes}

// BulkInsertEnterpriseFilings stores many new filings in the dialect's
// fast path (ids not read back; times the caller left zero are now). A
// second filing of a firm and year is a field error naming the rows.
func (q *Q) BulkInsertEnterpriseFilings(ctx context.Context, xs []*domain.EnterpriseFiling) error {
	now := q.Now()
	for _, x := range xs {
		if x.FiledAt.IsZero() {
			x.FiledAt = now
		}
		if x.UpdatedAt.IsZero() {
			x.UpdatedAt = x.FiledAt
		}
		x.Version = 1
	}
	if start, n, err := q.s.dialect.bulkInsertRows(ctx, q.w, filingBulk, len(xs), func(i int) []any { return filingValues(xs[i]) }); err != nil {
		if isUniqueViolation(err) {
			return domain.FieldErrorf("year", "同一企业同一年度的数据重复（第 %d–%d 条之间）", start+1, start+n)
		}
		return fmt.Errorf("store: bulk insert enterprise filings: %w", err)
	}
	return nil
}

// ——— qualifications ———

var qualWriteCols = []string{"enterprise_id", "kind", "number", "year", "issued_on", "expires_on", "revoked_on", "revoke_reason",
	"created_by", "created_at", "updated_at", "version"}

func qualValues(x *domain.EnterpriseQualification) []any {
	return []any{x.EnterpriseID, string(x.Kind), x.Number, x.Year, x.IssuedOn, x.ExpiresOn, nullText(x.RevokedOn), x.RevokeReason,
		x.CreatedBy, ts(x.CreatedAt), ts(x.UpdatedAt), x.Version}
}

const qualReadCols = `g.id, g.enterprise_id, g.kind, g.number, g.year, g.issued_on, g.expires_on, COALESCE(g.revoked_on, ''),
	g.revoke_reason, g.created_by, g.created_at, g.updated_at, g.version`

func scanQual(row rowScanner) (*domain.EnterpriseQualification, error) {
	var x domain.EnterpriseQualification
	var created, updated string
	if err := row.Scan(&x.ID, &x.EnterpriseID, &x.Kind, &x.Number, &x.Year, &x.IssuedOn, &x.ExpiresOn, &x.RevokedOn,
		&x.RevokeReason, &x.CreatedBy, &created, &updated, &x.Version); err != nil {
		return nil, err
	}
	x.CreatedAt, x.UpdatedAt = parseTS(created), parseTS(updated)
	return &x, nil
}

var quals = &entityTable[*domain.EnterpriseQualification]{
	table: "enterprise_qualifications", entity: "enterprise qualification", alias: "g", write: qualWriteCols,
	readCols: qualReadCols, from: ` FROM enterprise_qualifications g `,
	values: func(_ *Q, x *domain.EnterpriseQualification) []any { return qualValues(x) }, scan: scanQual,
	rec: func(x *domain.EnterpriseQualification) record {
		return record{ID: &x.ID, CreatedAt: &x.CreatedAt, UpdatedAt: &x.UpdatedAt, Version: &x.Version}
	},
	notFound: "资质记录不存在", stale: "此资质记录已被他人修改，您的操作未执行，请刷新后重试", keepUpdated: true,
	uniqueField: "number", unique: "该类资质的证书编号已登记",
}

// InsertEnterpriseQualification stores a qualification and sets its ID; a
// number of its kind already recorded is a field error.
func (q *Q) InsertEnterpriseQualification(ctx context.Context, x *domain.EnterpriseQualification) error {
	var n int
	if err := q.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM enterprise_qualifications WHERE kind = $1 AND number = $2`,
		string(x.Kind), x.Number).Scan(&n); err != nil {
		return fmt.Errorf("store: qualification number: %w", err)
	} else if n > 0 {
		return domain.FieldErrorf("number", "该类资质的证书编号已登记")
	}
	return quals.insert(ctx, q, x)
}

// FindEnterpriseQualification returns one qualification (unscoped).
func (q *Q) FindEnterpriseQualification(ctx context.Context, id int64) (*domain.EnterpriseQualification, error) {
	return quals.find(ctx, q, id)
}

// RevokeEnterpriseQualification records a revocation (on, reason) of a
// qualification read at version.
func (q *Q) RevokeEnterpriseQualification(ctx context.Context, x *domain.EnterpriseQualification, on, reason string) error {
	x.RevokedOn, x.RevokeReason = on, reason
	return quals.update(ctx, q, x)
}

// EnterpriseQualifications lists a firm's qualifications, newest year
// first.
func (q *Q) EnterpriseQualifications(ctx context.Context, enterpriseID int64) ([]*domain.EnterpriseQualification, error) {
	return quals.all(ctx, q, `WHERE g.enterprise_id = $1 ORDER BY g.year DESC, g.id DESC`, enterpriseID)
}

var qualBulk = bulkTable{table: "enterprise_qualifications", cols: qualWriteCols,
	pgTypes: []string{"bigint", "text", "text", "integer", "text", "text", "text", "text", "bigint", "text", "text", "bigint"}}

// BulkInsertEnterpriseQualifications stores many qualifications (the
// demo) in the dialect's fast path; ids are not read back.
func (q *Q) BulkInsertEnterpriseQualifications(ctx context.Context, xs []*domain.EnterpriseQualification) error {
	now := q.Now()
	for _, x := range xs {
		if x.CreatedAt.IsZero() {
			x.CreatedAt = now
		}
		if x.UpdatedAt.IsZero() {
			x.UpdatedAt = x.CreatedAt
		}
		x.Version = 1
	}
	if start, n, err := q.s.dialect.bulkInsertRows(ctx, q.w, qualBulk, len(xs), func(i int) []any { return qualValues(xs[i]) }); err != nil {
		if isUniqueViolation(err) {
			return domain.FieldErrorf("number", "证书编号重复（第 %d–%d 条之间）", start+1, start+n)
		}
		return fmt.Errorf("store: bulk insert enterprise qualifications: %w", err)
	}
	return nil
}
