package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"kechuang/internal/domain"
)

// SetContractLinks replaces a contract's links (its sources) with links,
// in their order.
func (q *Q) SetContractLinks(ctx context.Context, contractID int64, links []domain.ContractLink) error {
	if _, err := q.w.ExecContext(ctx, `DELETE FROM contract_links WHERE contract_id = $1`, contractID); err != nil {
		return fmt.Errorf("store: clear contract links: %w", err)
	}
	for i, l := range links {
		if _, err := q.w.ExecContext(ctx, `INSERT INTO contract_links (contract_id, kind, ref_id, position) VALUES ($1, $2, $3, $4)`,
			contractID, l.Kind, l.RefID, i); err != nil {
			return fmt.Errorf("store: insert contract link: %w", err)
		}
	}
	return q.statsChanged(ctx) // the chain counts linked contracts
}

// BulkContractLinks adds links of many contracts at once (the demo's bulk
// path): each row a contract id and its link; no row may exist already.
func (q *Q) BulkContractLinks(ctx context.Context, rows []ContractLinkRow) error {
	const chunk = 200
	for from := 0; from < len(rows); from += chunk {
		part := rows[from:min(from+chunk, len(rows))]
		var b strings.Builder
		args := make([]any, 0, 4*len(part))
		b.WriteString(`INSERT INTO contract_links (contract_id, kind, ref_id, position) VALUES `)
		for i, r := range part {
			if i > 0 {
				b.WriteString(",")
			}
			fmt.Fprintf(&b, "($%d,$%d,$%d,$%d)", 4*i+1, 4*i+2, 4*i+3, 4*i+4)
			args = append(args, r.ContractID, r.Kind, r.RefID, r.Position)
		}
		if _, err := q.w.ExecContext(ctx, b.String(), args...); err != nil {
			return fmt.Errorf("store: bulk contract links: %w", err)
		}
	}
	return q.statsChanged(ctx) // the chain counts linked contracts
}

// ContractLinkRow is one stored link with its contract.
type ContractLinkRow struct {
	ContractID int64
	Kind       string
	RefID      int64
	Position   int
}

// contractLinks reads a contract's links in their order.
func contractLinks(ctx context.Context, q querier, id int64) ([]domain.ContractLink, error) {
	rows, err := q.QueryContext(ctx, `SELECT kind, ref_id FROM contract_links WHERE contract_id = $1 ORDER BY position, kind, ref_id`, id)
	if err != nil {
		return nil, fmt.Errorf("store: contract links: %w", err)
	}
	defer rows.Close()
	out := []domain.ContractLink{}
	for rows.Next() {
		var l domain.ContractLink
		if err := rows.Scan(&l.Kind, &l.RefID); err != nil {
			return nil, err
		}
		out = append(out, l)
	}
	return out, rows.Err()
}

// ChainContractFigures are the contracts' figures of the chain for a year.
type ChainContractFigures struct {
	Linked     int64 // registered contracts naming at least one source
	Contracted int64 // distinct achievements named by a registered contract
	Local      int64 // distinct achievements named by a registered contract whose buyer is in the city
}

// ChainContracts counts the year's registered contracts (by registration
// year) that name a source, and the distinct achievements they name, all
// and with a buyer in the city (the contract's buyer_local, as the
// contract statistics count 吸纳). chain "" is every chain; otherwise the
// contract's chain for Linked and the achievement's for the others.
func (q *Q) ChainContracts(ctx context.Context, year int, chain string) (ChainContractFigures, error) {
	var f ChainContractFigures
	cc, ac, aj := "", "", ""
	args := []any{year}
	if chain != "" {
		cc, ac, aj = ` AND c.chain_code = $2`, ` AND a.chain_code = $2`, ` CROSS JOIN achievements a`
		args = append(args, chain)
	}
	err := q.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM contracts c WHERE c.status = 'registered' AND c.reg_year = $1`+cc+`
		AND EXISTS (SELECT 1 FROM contract_links l WHERE l.contract_id = c.id)`, args...).Scan(&f.Linked)
	if err != nil {
		return f, fmt.Errorf("store: chain contracts linked: %w", err)
	}
	// CROSS JOIN keeps SQLite's join order (the year's contracts by
	// contracts_reg_year, then their links); PostgreSQL plans it as an
	// inner join.
	aw := ""
	if aj != "" {
		aw = ` AND a.id = l.ref_id`
	}
	err = q.r.QueryRowContext(ctx, `SELECT COUNT(DISTINCT l.ref_id),
			COUNT(DISTINCT CASE WHEN c.buyer_local THEN l.ref_id END)
		FROM contracts c CROSS JOIN contract_links l`+aj+`
		WHERE l.contract_id = c.id`+aw+` AND l.kind = 'achievement' AND c.status = 'registered' AND c.reg_year = $1`+ac, args...).Scan(&f.Contracted, &f.Local)
	if err != nil {
		return f, fmt.Errorf("store: chain conversions: %w", err)
	}
	return f, nil
}

// yearRange is the first and last day of year, for the YYYY-MM-DD columns.
func yearRange(year int) (string, string) {
	return fmt.Sprintf("%04d-01-01", year), fmt.Sprintf("%04d-12-31", year)
}

// ChainNeedsPublished counts the needs published in year (published_on)
// that the public may see (published, or closed after publication), of
// chain ("" every chain).
func (q *Q) ChainNeedsPublished(ctx context.Context, year int, chain string) (int64, error) {
	from, to := yearRange(year)
	args := []any{from, to}
	cc := ""
	if chain != "" {
		cc, args = ` AND chain_code = $3`, append(args, chain)
	}
	var n int64
	err := q.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM needs WHERE published_on >= $1 AND published_on <= $2
		AND status IN ('published', 'closed')`+cc, args...).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("store: chain needs published: %w", err)
	}
	return n, nil
}

// LinkedContract is a registered contract naming a record, as a timeline
// shows it: the fields its public certificate shows (number, title), its
// registration day and its buyer's place.
type LinkedContract struct {
	ID           int64
	RegNo        string
	Title        string
	RegisteredOn string
	BuyerLocal   bool
	// RegisteredAt is when the register step was taken (zero for a
	// contract imported registered, which has no such step).
	RegisteredAt time.Time
}

// ContractsLinkedTo lists the registered contracts naming kind/refID,
// oldest registration first.
func (q *Q) ContractsLinkedTo(ctx context.Context, kind string, refID int64) ([]LinkedContract, error) {
	rows, err := q.r.QueryContext(ctx, `SELECT c.id, COALESCE(c.reg_no, ''), c.title, COALESCE(c.registered_on, ''), c.buyer_local,
			COALESCE((SELECT MIN(e.at) FROM entity_events e WHERE e.entity = 'contract' AND e.entity_id = c.id AND e.action = 'register'), '')
		FROM contract_links l JOIN contracts c ON c.id = l.contract_id
		WHERE l.kind = $1 AND l.ref_id = $2 AND c.status = 'registered' ORDER BY c.registered_on, c.id`, kind, refID)
	if err != nil {
		return nil, fmt.Errorf("store: contracts linked: %w", err)
	}
	defer rows.Close()
	out := []LinkedContract{}
	for rows.Next() {
		var c LinkedContract
		var at string
		if err := rows.Scan(&c.ID, &c.RegNo, &c.Title, &c.RegisteredOn, &c.BuyerLocal, &at); err != nil {
			return nil, err
		}
		if at != "" {
			c.RegisteredAt = parseTS(at)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// EvaluationStep is an evaluation case of a subject as a timeline shows it.
type EvaluationStep struct {
	ID            int64
	Status        string
	PublicityFrom string
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// EvaluationsOf lists the evaluation cases of subject kind/id, oldest first.
func (q *Q) EvaluationsOf(ctx context.Context, kind string, id int64) ([]EvaluationStep, error) {
	rows, err := q.r.QueryContext(ctx, `SELECT id, status, publicity_from, created_at, updated_at FROM evaluations
		WHERE subject_kind = $1 AND subject_id = $2 ORDER BY id`, kind, id)
	if err != nil {
		return nil, fmt.Errorf("store: evaluations of: %w", err)
	}
	defer rows.Close()
	var out []EvaluationStep
	for rows.Next() {
		var e EvaluationStep
		var c, u string
		if err := rows.Scan(&e.ID, &e.Status, &e.PublicityFrom, &c, &u); err != nil {
			return nil, err
		}
		e.CreatedAt, e.UpdatedAt = parseTS(c), parseTS(u)
		out = append(out, e)
	}
	return out, rows.Err()
}

// ChainDemoContract is a registered contract as the demo links it.
type ChainDemoContract struct {
	ID           int64
	SellerOrgID  int64
	BuyerOrgID   int64
	BuyerLocal   bool
	RegisteredOn string
}

// RegisteredContractsOf lists the year's registered contracts (by
// registration year), by id: the demo's bulk path to link them.
func (q *Q) RegisteredContractsOf(ctx context.Context, year int) ([]ChainDemoContract, error) {
	rows, err := q.r.QueryContext(ctx, `SELECT id, COALESCE(seller_org_id, 0), COALESCE(buyer_org_id, 0), buyer_local, registered_on
		FROM contracts WHERE status = 'registered' AND reg_year = $1 ORDER BY id`, year)
	if err != nil {
		return nil, fmt.Errorf("store: registered contracts: %w", err)
	}
	defer rows.Close()
	var out []ChainDemoContract
	for rows.Next() {
		var c ChainDemoContract
		if err := rows.Scan(&c.ID, &c.SellerOrgID, &c.BuyerOrgID, &c.BuyerLocal, &c.RegisteredOn); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// ChainDemoAchievement is a published achievement as the demo links it.
type ChainDemoAchievement struct {
	ID          int64
	OwnerOrgID  int64
	PublishedOn string
}

// PublishedAchievementsThrough lists the public achievements first
// published on or before day, by id.
func (q *Q) PublishedAchievementsThrough(ctx context.Context, day string) ([]ChainDemoAchievement, error) {
	rows, err := q.r.QueryContext(ctx, `SELECT id, owner_org_id, published_on FROM achievements
		WHERE published_on <> '' AND published_on <= $1 AND status IN ('published', 'transferred') ORDER BY id`, day)
	if err != nil {
		return nil, fmt.Errorf("store: published achievements: %w", err)
	}
	defer rows.Close()
	var out []ChainDemoAchievement
	for rows.Next() {
		var a ChainDemoAchievement
		if err := rows.Scan(&a.ID, &a.OwnerOrgID, &a.PublishedOn); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}
