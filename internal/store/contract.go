package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"kechuang/internal/domain"
	"kechuang/internal/textnorm"
)

// contractWriteCols are the columns written by InsertContract, in order.
var contractWriteCols = []string{"registry_id", "title", "contract_no",
	"seller_org_id", "seller_name", "seller_uscc", "seller_region", "seller_type", "seller_local",
	"buyer_org_id", "buyer_name", "buyer_uscc", "buyer_region", "buyer_type", "buyer_local",
	"broker_org_id", "signed_on", "term_start", "term_end", "category", "sub_type", "form", "seals_match",
	"tech_field", "chain_code", "turnover_fen", "tech_transaction_fen", "tech_income_fen", "cost_items", "flags",
	"status", "reg_no", "reg_year", "reg_serial", "registered_on", "refusal_ground", "refusal_note", "accepted_on",
	"regime", "due_on", "expert_review", "disputed", "intake_ground", "intake_note",
	"reg_version", "changed_on", "ended_on", "end_ground", "end_note",
	"owner_org_id", "created_by", "created_at", "updated_at", "title_key", "seller_key", "buyer_key", "version"}

func contractValues(c *domain.Contract, cityCode string) []any {
	items, _ := json.Marshal(c.CostItems)
	if c.CostItems == nil {
		items = []byte("[]")
	}
	var regNo, regYear, regSerial, regOn any
	if c.RegNo != "" {
		regNo, regYear, regSerial, regOn = c.RegNo, c.RegYear, c.RegSerial, c.RegisteredOn
	}
	regVersion := c.RegVersion
	if regVersion == 0 && c.Status.PostRegistration() {
		regVersion = 1 // a registration is version 1 until its first 变更
	}
	return []any{c.RegistryID, c.Title, c.ContractNo,
		nullID(c.Seller.OrgID), c.Seller.Name, c.Seller.USCC, c.Seller.RegionCode, string(c.Seller.Type), domain.IsLocal(cityCode, c.Seller.RegionCode),
		nullID(c.Buyer.OrgID), c.Buyer.Name, c.Buyer.USCC, c.Buyer.RegionCode, string(c.Buyer.Type), domain.IsLocal(cityCode, c.Buyer.RegionCode),
		nullID(c.BrokerID), c.SignedOn, c.TermStart, c.TermEnd, c.Category, c.SubType, c.Form, c.SealsMatch,
		c.Field, c.ChainCode, c.TurnoverFen, c.TechTransactionFen, c.TechIncomeFen, string(items), strings.Join(c.Flags, ","),
		string(c.Status), regNo, regYear, regSerial, regOn, c.RefusalGround, c.RefusalNote, c.AcceptedOn,
		c.Regime, c.DueOn, c.ExpertReview, c.Disputed, c.IntakeGround, c.IntakeNote,
		regVersion, c.ChangedOn, c.EndedOn, c.EndGround, c.EndNote,
		c.OwnerOrgID, c.CreatedBy, ts(c.CreatedAt), ts(c.UpdatedAt),
		textnorm.SortKey(c.Title), textnorm.SortKey(c.Seller.Name), textnorm.SortKey(c.Buyer.Name), c.Version}
}

func placeholders(n, from int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteString(",")
		}
		fmt.Fprintf(&b, "$%d", from+i)
	}
	return b.String()
}

// InsertContract stores a new contract and sets its ID. When it is already
// registered (an import of historical records) the rollup is updated in the
// same transaction.
func (q *Q) InsertContract(ctx context.Context, c *domain.Contract, cityCode string) error {
	now := q.Now()
	if c.CreatedAt.IsZero() {
		c.CreatedAt = now
	}
	c.UpdatedAt, c.Version = now, 1
	query := `INSERT INTO contracts (` + strings.Join(contractWriteCols, ",") + `) VALUES (` + placeholders(len(contractWriteCols), 1) + `) RETURNING id`
	err := q.w.QueryRowContext(ctx, query, contractValues(c, cityCode)...).Scan(&c.ID)
	if isUniqueViolation(err) {
		return domain.FieldErrorf("reg_no", "登记号 %s 已存在", c.RegNo)
	} else if err != nil {
		return fmt.Errorf("store: insert contract: %w", err)
	}
	if c.Status == domain.ContractRegistered {
		return q.AddToRollup(ctx, []*domain.Contract{c}, cityCode)
	}
	return nil
}

// UpdateContract writes a contract back if its version is unchanged since
// it was read, and bumps the version.
func (q *Q) UpdateContract(ctx context.Context, c *domain.Contract, cityCode string) error {
	c.UpdatedAt = q.Now()
	vals := contractValues(c, cityCode)
	cols := contractWriteCols[:len(contractWriteCols)-1] // all but version
	var set strings.Builder
	for i, col := range cols {
		if i > 0 {
			set.WriteString(", ")
		}
		fmt.Fprintf(&set, "%s = $%d", col, i+1)
	}
	n := len(cols)
	query := fmt.Sprintf(`UPDATE contracts SET %s, version = version + 1 WHERE id = $%d AND version = $%d`, set.String(), n+1, n+2)
	args := append(vals[:n:n], c.ID, c.Version)
	res, err := q.w.ExecContext(ctx, query, args...)
	if isUniqueViolation(err) {
		return domain.FieldErrorf("reg_no", "登记号 %s 已存在", c.RegNo)
	} else if err != nil {
		return fmt.Errorf("store: update contract: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return domain.Errorf(domain.ECONFLICT, "此合同已被他人修改，您的操作未执行，请刷新后重试")
	}
	c.Version++
	return nil
}

const contractReadCols = `c.id, c.registry_id, c.title, c.contract_no,
	COALESCE(c.seller_org_id, 0), c.seller_name, c.seller_uscc, c.seller_region, c.seller_type,
	COALESCE(c.buyer_org_id, 0), c.buyer_name, c.buyer_uscc, c.buyer_region, c.buyer_type,
	COALESCE(c.broker_org_id, 0), COALESCE(b.name, ''),
	c.signed_on, c.term_start, c.term_end, c.category, c.sub_type, c.form, c.seals_match, c.tech_field, c.chain_code,
	c.turnover_fen, c.tech_transaction_fen, c.tech_income_fen, c.cost_items, c.flags,
	c.status, COALESCE(c.reg_no, ''), COALESCE(c.reg_year, 0), COALESCE(c.reg_serial, 0), COALESCE(c.registered_on, ''),
	c.refusal_ground, c.refusal_note, c.accepted_on,
	c.regime, c.due_on, c.expert_review, c.disputed, c.intake_ground, c.intake_note,
	c.reg_version, c.changed_on, c.ended_on, c.end_ground, c.end_note, c.owner_org_id, c.created_by, c.created_at, c.updated_at, c.version,
	COALESCE(d.name, ''), COALESCE(d.size, 0), COALESCE(d.sha256, '')`

const contractFrom = ` FROM contracts c LEFT JOIN orgs b ON b.id = c.broker_org_id LEFT JOIN contract_attachments d ON d.id = (SELECT MIN(x.id) FROM contract_attachments x WHERE x.contract_id = c.id AND x.kind = 'contract_text') `

func scanContract(row interface{ Scan(...any) error }) (*domain.Contract, error) {
	var c domain.Contract
	var items, flags, created, updated, docName, docSHA string
	var docSize int64
	err := row.Scan(&c.ID, &c.RegistryID, &c.Title, &c.ContractNo,
		&c.Seller.OrgID, &c.Seller.Name, &c.Seller.USCC, &c.Seller.RegionCode, &c.Seller.Type,
		&c.Buyer.OrgID, &c.Buyer.Name, &c.Buyer.USCC, &c.Buyer.RegionCode, &c.Buyer.Type,
		&c.BrokerID, &c.BrokerName,
		&c.SignedOn, &c.TermStart, &c.TermEnd, &c.Category, &c.SubType, &c.Form, &c.SealsMatch, &c.Field, &c.ChainCode,
		&c.TurnoverFen, &c.TechTransactionFen, &c.TechIncomeFen, &items, &flags,
		&c.Status, &c.RegNo, &c.RegYear, &c.RegSerial, &c.RegisteredOn,
		&c.RefusalGround, &c.RefusalNote, &c.AcceptedOn,
		&c.Regime, &c.DueOn, &c.ExpertReview, &c.Disputed, &c.IntakeGround, &c.IntakeNote,
		&c.RegVersion, &c.ChangedOn, &c.EndedOn, &c.EndGround, &c.EndNote, &c.OwnerOrgID, &c.CreatedBy, &created, &updated, &c.Version,
		&docName, &docSize, &docSHA)
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(items), &c.CostItems); err != nil {
		return nil, fmt.Errorf("store: contract %d cost items: %w", c.ID, err)
	}
	if flags != "" {
		c.Flags = strings.Split(flags, ",")
	}
	c.CreatedAt, c.UpdatedAt = parseTS(created), parseTS(updated)
	if docName != "" {
		c.Document = &domain.Document{Name: docName, Size: docSize, SHA256: docSHA}
	}
	return &c, nil
}

// FindContractByID returns one contract (unscoped: the service checks access).
func (q *Q) FindContractByID(ctx context.Context, id int64) (*domain.Contract, error) {
	return findContract(ctx, q.r, id)
}

func findContract(ctx context.Context, q querier, id int64) (*domain.Contract, error) {
	c, err := scanContract(q.QueryRowContext(ctx, `SELECT `+contractReadCols+contractFrom+`WHERE c.id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, domain.Errorf(domain.ENOTFOUND, "合同不存在")
	} else if err != nil {
		return nil, fmt.Errorf("store: find contract: %w", err)
	}
	if c.Corrections, err = corrections(ctx, q, id); err != nil {
		return nil, err
	}
	if c.Reviews, err = reviews(ctx, q, id); err != nil {
		return nil, err
	}
	if c.Pending, err = pendingRequest(ctx, q, id); err != nil {
		return nil, err
	}
	if c.Objection, err = openContractObjection(ctx, q, id); err != nil {
		return nil, err
	}
	if c.Links, err = contractLinks(ctx, q, id); err != nil {
		return nil, err
	}
	return c, nil
}

// reviews reads a contract's expert reviewers in the order assigned.
func reviews(ctx context.Context, q querier, id int64) ([]domain.Review, error) {
	rows, err := q.QueryContext(ctx, `SELECT user_id, username, display_name, org_id, assigned_on, opinion, comment, opined_on
		FROM contract_reviews WHERE contract_id = $1 ORDER BY assigned_on, user_id`, id)
	if err != nil {
		return nil, fmt.Errorf("store: reviews: %w", err)
	}
	defer rows.Close()
	out := []domain.Review{}
	for rows.Next() {
		var r domain.Review
		if err := rows.Scan(&r.UserID, &r.Username, &r.Name, &r.OrgID, &r.AssignedOn, &r.Opinion, &r.Comment, &r.OpinedOn); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// AddReview assigns a reviewer to a contract and appends it to c.Reviews.
func (q *Q) AddReview(ctx context.Context, c *domain.Contract, r domain.Review) error {
	if _, err := q.w.ExecContext(ctx, `INSERT INTO contract_reviews (contract_id, user_id, username, display_name, org_id, assigned_on)
		VALUES ($1, $2, $3, $4, $5, $6)`, c.ID, r.UserID, r.Username, r.Name, r.OrgID, r.AssignedOn); err != nil {
		return fmt.Errorf("store: add review: %w", err)
	}
	c.Reviews = append(c.Reviews, r)
	return nil
}

// SetOpinion records a reviewer's opinion (the review must be assigned).
func (q *Q) SetOpinion(ctx context.Context, c *domain.Contract, r *domain.Review) error {
	if _, err := q.w.ExecContext(ctx, `UPDATE contract_reviews SET opinion = $1, comment = $2, opined_on = $3 WHERE contract_id = $4 AND user_id = $5`,
		r.Opinion, r.Comment, r.OpinedOn, c.ID, r.UserID); err != nil {
		return fmt.Errorf("store: set opinion: %w", err)
	}
	return nil
}

// corrections reads a contract's 补正 cycles, oldest first (lists leave
// them out; one contract carries them).
func corrections(ctx context.Context, q querier, id int64) ([]domain.Correction, error) {
	rows, err := q.QueryContext(ctx, `SELECT seq, requested_on, reason, resubmitted_on FROM contract_corrections WHERE contract_id = $1 ORDER BY seq`, id)
	if err != nil {
		return nil, fmt.Errorf("store: corrections: %w", err)
	}
	defer rows.Close()
	out := []domain.Correction{}
	for rows.Next() {
		var k domain.Correction
		if err := rows.Scan(&k.Seq, &k.RequestedOn, &k.Reason, &k.ResubmittedOn); err != nil {
			return nil, err
		}
		out = append(out, k)
	}
	return out, rows.Err()
}

// AddCorrection opens a 补正 cycle of a contract (requested on day) and
// appends it to c.Corrections.
func (q *Q) AddCorrection(ctx context.Context, c *domain.Contract, day, reason string) error {
	seq := len(c.Corrections) + 1
	if _, err := q.w.ExecContext(ctx, `INSERT INTO contract_corrections (contract_id, seq, requested_on, reason) VALUES ($1, $2, $3, $4)`,
		c.ID, seq, day, reason); err != nil {
		return fmt.Errorf("store: add correction: %w", err)
	}
	c.Corrections = append(c.Corrections, domain.Correction{Seq: seq, RequestedOn: day, Reason: reason})
	return nil
}

// CloseCorrection records the arrival of the corrected materials on day
// for the contract's open cycle, if any; it reports whether one was open.
func (q *Q) CloseCorrection(ctx context.Context, c *domain.Contract, day string) (bool, error) {
	n := len(c.Corrections)
	if n == 0 || c.Corrections[n-1].ResubmittedOn != "" {
		return false, nil
	}
	if _, err := q.w.ExecContext(ctx, `UPDATE contract_corrections SET resubmitted_on = $1 WHERE contract_id = $2 AND seq = $3`,
		day, c.ID, c.Corrections[n-1].Seq); err != nil {
		return false, fmt.Errorf("store: close correction: %w", err)
	}
	c.Corrections[n-1].ResubmittedOn = day
	return true, nil
}

// orderBy is the ORDER BY of a list sorted by sort (a key of cols, "-"
// for descending; "" the newest first), ties broken by idCol. Columns
// ending in _key are pinyin sort keys, compared bytewise.
func (q *Q) orderBy(sort string, cols map[string]string, idCol string) (string, error) {
	if sort == "" {
		return idCol + " DESC", nil
	}
	key, dir := strings.TrimPrefix(sort, "-"), "ASC"
	if strings.HasPrefix(sort, "-") {
		dir = "DESC"
	}
	col, ok := cols[key]
	if !ok {
		return "", domain.FieldErrorf("sort", "不支持按“%s”排序", key)
	}
	if strings.HasSuffix(col, "_key") {
		col = q.s.dialect.bytewise(col)
	}
	return col + " " + dir + ", " + idCol + " " + dir, nil
}

// contractSorts maps sort keys to columns. Nullable columns are coalesced
// so both databases put unregistered contracts first ascending (SQLite
// sorts NULL first, PostgreSQL last).
var contractSorts = map[string]string{
	"id": "c.id", "signed_on": "c.signed_on", "turnover_fen": "c.turnover_fen", "registered_on": "COALESCE(c.registered_on, '')",
	"accepted_on": "c.accepted_on", "due_on": "c.due_on", "updated_at": "c.updated_at", "reg_no": "COALESCE(c.reg_no, '')",
	// Names sort by their pinyin keys (textnorm.SortKey), compared bytewise.
	"title": "c.title_key", "seller": "c.seller_key", "buyer": "c.buyer_key",
}

func contractWhere(f domain.ContractFilter) (string, []any, error) {
	var conds []string
	var args []any
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	// Every placeholder is used (PostgreSQL cannot type an unused one).
	o := ""
	if (f.Scope.ReviewerID == 0 && !f.Scope.PostRegistration) || f.Scope.RegistryID != 0 {
		o = arg(f.Scope.OrgID)
	}
	if f.Scope.ReviewerID != 0 { // an expert: what it is assigned to review, never a draft
		conds = append(conds, "c.status <> 'draft' AND c.id IN (SELECT contract_id FROM contract_reviews WHERE user_id = "+arg(f.Scope.ReviewerID)+")")
	} else if f.Scope.PostRegistration { // the 财政/税务 authority: registrations only
		conds = append(conds, "c.status IN ('registered', 'cancelled', 'revoked')")
	} else if f.Scope.All {
		conds = append(conds, fmt.Sprintf("(c.status <> 'draft' OR c.owner_org_id = %s)", o))
	} else {
		if f.Scope.OrgID == 0 {
			return "", nil, domain.Errorf(domain.EFORBIDDEN, "无权查看合同")
		}
		// One disjunct per indexed column, so both databases can answer
		// from the owner, seller, buyer and broker indexes (an OR under an
		// AND made them scan the table).
		conds = append(conds, fmt.Sprintf("(c.owner_org_id = %[1]s OR (c.seller_org_id = %[1]s AND c.status <> 'draft') "+
			"OR (c.buyer_org_id = %[1]s AND c.status <> 'draft') OR (c.broker_org_id = %[1]s AND c.status <> 'draft'))", o))
	}
	if f.Scope.RegistryID != 0 { // a registrar's own organisation's filings stay visible, as CanSee says
		// The unary + keeps SQLite from answering this OR from two indexes,
		// which collects and sorts every match (most of the table, for a
		// registry) before the page's LIMIT; walking ids stops at the page.
		conds = append(conds, fmt.Sprintf("(+c.registry_id = %s OR c.owner_org_id = %s)", arg(f.Scope.RegistryID), o))
	}
	if len(f.Statuses) > 0 {
		var ph []string
		for _, s := range f.Statuses {
			ph = append(ph, arg(string(s)))
		}
		conds = append(conds, "c.status IN ("+strings.Join(ph, ",")+")")
	}
	if f.Year != 0 {
		conds = append(conds, "c.reg_year = "+arg(f.Year))
	}
	if f.Category != "" {
		conds = append(conds, "c.category = "+arg(f.Category))
	}
	if f.Field != "" {
		conds = append(conds, "c.tech_field = "+arg(f.Field))
	}
	if f.Query != "" {
		// LOWER on both sides: PostgreSQL's LIKE is case-sensitive, SQLite's is not.
		p := "LOWER(" + arg(likePattern(f.Query)) + ")"
		// 合同编号 and the credit codes too (walkthrough #21).
		conds = append(conds, fmt.Sprintf(`(LOWER(c.title) LIKE %[1]s ESCAPE '\' OR LOWER(c.seller_name) LIKE %[1]s ESCAPE '\'
			OR LOWER(c.buyer_name) LIKE %[1]s ESCAPE '\' OR c.reg_no LIKE %[1]s ESCAPE '\' OR LOWER(c.contract_no) LIKE %[1]s ESCAPE '\'
			OR LOWER(c.seller_uscc) LIKE %[1]s ESCAPE '\' OR LOWER(c.buyer_uscc) LIKE %[1]s ESCAPE '\')`, p))
	}
	if f.Overdue {
		conds = append(conds, "c.status = 'accepted' AND c.due_on <> '' AND c.due_on < "+arg(f.OverdueBefore))
	}
	if len(conds) == 0 {
		return "", args, nil
	}
	return "WHERE " + strings.Join(conds, " AND "), args, nil
}

// FindContracts lists contracts with the total count of the filter, which
// stops at domain.ListCountCap+1: beyond it the count would cost a scan of
// the scope on every page.
func (q *Q) FindContracts(ctx context.Context, f domain.ContractFilter) ([]*domain.Contract, int, error) {
	where, args, err := contractWhere(f)
	if err != nil {
		return nil, 0, err
	}
	var total int
	countSQL := fmt.Sprintf(`SELECT COUNT(*) FROM (SELECT 1 FROM contracts c %s LIMIT %d) capped`, where, domain.ListCountCap+1)
	if err := q.r.QueryRowContext(ctx, countSQL, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store: count contracts: %w", err)
	}
	order, err := q.orderBy(f.Sort, contractSorts, "c.id")
	if err != nil {
		return nil, 0, err
	}
	if f.Limit <= 0 || f.Limit > 1000 {
		f.Limit = 50
	}
	args = append(args, f.Limit, f.Offset)
	query := fmt.Sprintf(`SELECT %s %s %s ORDER BY %s LIMIT $%d OFFSET $%d`, contractReadCols, contractFrom, where, order, len(args)-1, len(args))
	rows, err := q.r.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("store: find contracts: %w", err)
	}
	defer rows.Close()
	var out []*domain.Contract
	for rows.Next() {
		c, err := scanContract(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, c)
	}
	return out, total, rows.Err()
}

// ContractTotals counts the contracts matching f (exactly, not capped) and
// sums their 成交额 and 技术交易额: the totals above a filtered list.
func (q *Q) ContractTotals(ctx context.Context, f domain.ContractFilter) (domain.ContractTotals, error) {
	var t domain.ContractTotals
	where, args, err := contractWhere(f)
	if err != nil {
		return t, err
	}
	err = q.r.QueryRowContext(ctx, `SELECT COUNT(*), CAST(COALESCE(SUM(c.turnover_fen), 0) AS BIGINT), CAST(COALESCE(SUM(`+registeredTechSQL("c.")+`), 0) AS BIGINT)
		FROM contracts c `+where, args...).Scan(&t.Count, &t.TurnoverFen, &t.TechTransactionFen)
	if err != nil {
		return t, fmt.Errorf("store: contract totals: %w", err)
	}
	return t, nil
}

// FillSortKeys computes the sort keys of the contracts written before
// they existed (migration 0011), a thousand at a time, and returns how
// many it filled.
func (q *Q) FillSortKeys(ctx context.Context) (int, error) {
	filled := 0
	for {
		rows, err := q.w.QueryContext(ctx, `SELECT id, title, seller_name, buyer_name FROM contracts
			WHERE title_key = '' AND (title <> '' OR seller_name <> '' OR buyer_name <> '') ORDER BY id LIMIT 1000`)
		if err != nil {
			return filled, fmt.Errorf("store: sort keys: %w", err)
		}
		type row struct {
			id                   int64
			title, seller, buyer string
		}
		var batch []row
		for rows.Next() {
			var r row
			if err := rows.Scan(&r.id, &r.title, &r.seller, &r.buyer); err != nil {
				rows.Close()
				return filled, err
			}
			batch = append(batch, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil || len(batch) == 0 {
			return filled, err
		}
		for _, r := range batch {
			key := textnorm.SortKey(r.title)
			if key == "" {
				key = " " // filled, though the title sorts as empty
			}
			if _, err := q.w.ExecContext(ctx, `UPDATE contracts SET title_key = $1, seller_key = $2, buyer_key = $3 WHERE id = $4`,
				key, textnorm.SortKey(r.seller), textnorm.SortKey(r.buyer), r.id); err != nil {
				return filled, fmt.Errorf("store: sort keys: %w", err)
			}
		}
		filled += len(batch)
	}
}

// EachContract streams every contract matching f (ignoring Offset/Limit) to
// fn in id order; exports use it so memory stays flat.
func (q *Q) EachContract(ctx context.Context, f domain.ContractFilter, fn func(*domain.Contract) error) error {
	where, args, err := contractWhere(f)
	if err != nil {
		return err
	}
	rows, err := q.r.QueryContext(ctx, `SELECT `+contractReadCols+contractFrom+where+` ORDER BY c.id`, args...)
	if err != nil {
		return fmt.Errorf("store: each contract: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		c, err := scanContract(rows)
		if err != nil {
			return err
		}
		if err := fn(c); err != nil {
			return err
		}
	}
	return rows.Err()
}

// NextRegSerial takes the next registration serial of a registry and year
// inside the registering transaction. The upsert locks the sequence row
// until commit, so concurrent registrars queue; a rollback returns the
// number, so serials have no gaps.
func (q *Q) NextRegSerial(ctx context.Context, registryID int64, year int) (int64, error) {
	var n int64
	err := q.w.QueryRowContext(ctx, `INSERT INTO reg_sequences (registry_id, year, last_serial) VALUES ($1, $2, 1)
		ON CONFLICT (registry_id, year) DO UPDATE SET last_serial = reg_sequences.last_serial + 1 RETURNING last_serial`,
		registryID, year).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: next serial: %w", err)
	}
	return n, nil
}

// SetRegSerialAtLeast raises a sequence to n (used by imports of registered
// historical contracts, which carry their own serials).
func (q *Q) SetRegSerialAtLeast(ctx context.Context, registryID int64, year int, n int64) error {
	_, err := q.w.ExecContext(ctx, `INSERT INTO reg_sequences (registry_id, year, last_serial) VALUES ($1, $2, $3)
		ON CONFLICT (registry_id, year) DO UPDATE SET last_serial = CASE WHEN reg_sequences.last_serial < excluded.last_serial THEN excluded.last_serial ELSE reg_sequences.last_serial END`,
		registryID, year, n)
	return err
}

// likePattern makes a LIKE pattern matching q anywhere, with q's own %, _
// and \ taken literally (used with ESCAPE '\').
func likePattern(q string) string {
	r := strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)
	return "%" + r.Replace(q) + "%"
}

// FindContractByRegNo returns the contract with a registration number.
func (q *Q) FindContractByRegNo(ctx context.Context, regNo string) (*domain.Contract, error) {
	c, err := scanContract(q.r.QueryRowContext(ctx, `SELECT `+contractReadCols+contractFrom+`WHERE c.reg_no = $1`, regNo))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, domain.Errorf(domain.ENOTFOUND, "合同不存在")
	} else if err != nil {
		return nil, fmt.Errorf("store: find contract by reg_no: %w", err)
	}
	return c, nil
}
