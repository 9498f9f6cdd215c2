package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"kechuang/internal/domain"
)

// Post-registration records (domain/contract_postreg.go): the applicant's
// 变更/注销 requests, the superseded versions of a registration, and the
// objections. Their steps are also in entity_events (the service kit).

const requestCols = `id, kind, status, ground, reason, attachment, proposal, requested_by, requested_on, decided_by, decided_on, decision_note`

func scanRequest(row interface{ Scan(...any) error }) (*domain.RegRequest, error) {
	var r domain.RegRequest
	var proposal string
	if err := row.Scan(&r.ID, &r.Kind, &r.Status, &r.Ground, &r.Reason, &r.Attachment, &proposal, &r.RequestedBy, &r.RequestedOn,
		&r.DecidedBy, &r.DecidedOn, &r.Note); err != nil {
		return nil, err
	}
	if proposal != "" {
		r.Proposal = &domain.RegChange{}
		if err := json.Unmarshal([]byte(proposal), r.Proposal); err != nil {
			return nil, fmt.Errorf("store: request %d proposal: %w", r.ID, err)
		}
	}
	return &r, nil
}

// pendingRequest reads a contract's pending 变更/注销 request, nil if none.
func pendingRequest(ctx context.Context, q querier, id int64) (*domain.RegRequest, error) {
	r, err := scanRequest(q.QueryRowContext(ctx, `SELECT `+requestCols+` FROM contract_requests WHERE contract_id = $1 AND status = 'pending'`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("store: pending request: %w", err)
	}
	return r, nil
}

// AddContractRequest records an applicant's request and sets it as c.Pending.
func (q *Q) AddContractRequest(ctx context.Context, c *domain.Contract, r *domain.RegRequest) error {
	proposal := ""
	if r.Proposal != nil {
		b, err := json.Marshal(r.Proposal)
		if err != nil {
			return err
		}
		proposal = string(b)
	}
	r.Status = domain.RequestPending
	err := q.w.QueryRowContext(ctx, `INSERT INTO contract_requests (contract_id, kind, status, ground, reason, attachment, proposal, requested_by, requested_on)
		VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9) RETURNING id`, c.ID, r.Kind, r.Status, r.Ground, r.Reason, r.Attachment, proposal, r.RequestedBy, r.RequestedOn).Scan(&r.ID)
	if isUniqueViolation(err) {
		return domain.Errorf(domain.ECONFLICT, "该合同已有待审批的变更或注销申请")
	} else if err != nil {
		return fmt.Errorf("store: add request: %w", err)
	}
	c.Pending = r
	return nil
}

// DecideContractRequest records the registrar's decision of c's pending request
// (status approved or refused) and clears c.Pending.
func (q *Q) DecideContractRequest(ctx context.Context, c *domain.Contract, status, by, on, note string) error {
	if c.Pending == nil {
		return domain.Errorf(domain.ECONFLICT, "该合同没有待审批的申请")
	}
	res, err := q.w.ExecContext(ctx, `UPDATE contract_requests SET status = $1, decided_by = $2, decided_on = $3, decision_note = $4
		WHERE id = $5 AND status = 'pending'`, status, by, on, note, c.Pending.ID)
	if err != nil {
		return fmt.Errorf("store: decide request: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return domain.Errorf(domain.ECONFLICT, "该申请已被处理，您的操作未执行，请刷新后重试")
	}
	c.Pending = nil
	return nil
}

// ContractRequests lists a contract's 变更/注销 requests, oldest first.
func (q *Q) ContractRequests(ctx context.Context, id int64) ([]*domain.RegRequest, error) {
	rows, err := q.r.QueryContext(ctx, `SELECT `+requestCols+` FROM contract_requests WHERE contract_id = $1 ORDER BY id`, id)
	if err != nil {
		return nil, fmt.Errorf("store: requests: %w", err)
	}
	defer rows.Close()
	var out []*domain.RegRequest
	for rows.Next() {
		r, err := scanRequest(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// AddRegVersion keeps a superseded version of a registration whole.
func (q *Q) AddRegVersion(ctx context.Context, v domain.RegVersion) error {
	b, err := json.Marshal(v.Contract)
	if err != nil {
		return err
	}
	if _, err := q.w.ExecContext(ctx, `INSERT INTO contract_reg_versions (contract_id, version, valid_from, valid_until, snapshot) VALUES ($1,$2,$3,$4,$5)`,
		v.Contract.ID, v.Version, v.From, v.Until, string(b)); err != nil {
		return fmt.Errorf("store: add registration version: %w", err)
	}
	return nil
}

// RegVersions lists a registration's superseded versions, oldest first
// (the current version is the contract itself).
func (q *Q) RegVersions(ctx context.Context, id int64) ([]domain.RegVersion, error) {
	rows, err := q.r.QueryContext(ctx, `SELECT version, valid_from, valid_until, snapshot FROM contract_reg_versions WHERE contract_id = $1 ORDER BY version`, id)
	if err != nil {
		return nil, fmt.Errorf("store: registration versions: %w", err)
	}
	defer rows.Close()
	var out []domain.RegVersion
	for rows.Next() {
		var v domain.RegVersion
		var snap string
		if err := rows.Scan(&v.Version, &v.From, &v.Until, &snap); err != nil {
			return nil, err
		}
		v.Contract = &domain.Contract{}
		if err := json.Unmarshal([]byte(snap), v.Contract); err != nil {
			return nil, fmt.Errorf("store: registration version %d: %w", v.Version, err)
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

const contractObjectionCols = `id, against, reason, raised_by, raiser_role, raised_on, status, outcome_note, decided_by, decided_on`

func scanContractObjection(row interface{ Scan(...any) error }) (*domain.Objection, error) {
	var o domain.Objection
	if err := row.Scan(&o.ID, &o.Against, &o.Reason, &o.RaisedBy, &o.RaiserRole, &o.RaisedOn, &o.Status, &o.Outcome, &o.DecidedBy, &o.DecidedOn); err != nil {
		return nil, err
	}
	return &o, nil
}

// openContractObjection reads a contract's open objection, nil if none.
func openContractObjection(ctx context.Context, q querier, id int64) (*domain.Objection, error) {
	o, err := scanContractObjection(q.QueryRowContext(ctx, `SELECT `+contractObjectionCols+` FROM contract_objections WHERE contract_id = $1 AND status = 'open'`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("store: open objection: %w", err)
	}
	return o, nil
}

// AddContractObjection records an objection and sets it as c.Objection.
func (q *Q) AddContractObjection(ctx context.Context, c *domain.Contract, o *domain.Objection) error {
	o.Status = domain.ObjectionOpen
	err := q.w.QueryRowContext(ctx, `INSERT INTO contract_objections (contract_id, against, reason, raised_by, raiser_role, raised_on, status)
		VALUES ($1,$2,$3,$4,$5,$6,$7) RETURNING id`, c.ID, o.Against, o.Reason, o.RaisedBy, string(o.RaiserRole), o.RaisedOn, o.Status).Scan(&o.ID)
	if isUniqueViolation(err) {
		return domain.Errorf(domain.ECONFLICT, "该合同已有待处理的异议")
	} else if err != nil {
		return fmt.Errorf("store: add objection: %w", err)
	}
	c.Objection = o
	return nil
}

// DecideContractObjection records the registry's outcome of c's open objection
// and clears c.Objection.
func (q *Q) DecideContractObjection(ctx context.Context, c *domain.Contract, status, note, by, on string) error {
	if c.Objection == nil {
		return domain.Errorf(domain.ECONFLICT, "该合同没有待处理的异议")
	}
	res, err := q.w.ExecContext(ctx, `UPDATE contract_objections SET status = $1, outcome_note = $2, decided_by = $3, decided_on = $4
		WHERE id = $5 AND status = 'open'`, status, note, by, on, c.Objection.ID)
	if err != nil {
		return fmt.Errorf("store: decide objection: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return domain.Errorf(domain.ECONFLICT, "该异议已被处理，您的操作未执行，请刷新后重试")
	}
	c.Objection = nil
	return nil
}

// ContractObjections lists a contract's objections, oldest first.
func (q *Q) ContractObjections(ctx context.Context, id int64) ([]*domain.Objection, error) {
	rows, err := q.r.QueryContext(ctx, `SELECT `+contractObjectionCols+` FROM contract_objections WHERE contract_id = $1 ORDER BY id`, id)
	if err != nil {
		return nil, fmt.Errorf("store: objections: %w", err)
	}
	defer rows.Close()
	var out []*domain.Objection
	for rows.Next() {
		o, err := scanContractObjection(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// RemoveFromRollup takes registered contracts out of the statistics, in
// the transaction that cancels, revokes or changes them: the cells of
// their registration month, with the figures they were counted with (c
// as it was before the step). The statistics count what is registered
// now, so a cancelled or revoked registration stops counting from the day
// of its 注销/撤销, in every period it had counted in; a changed one
// counts with its current figures (RemoveFromRollup of the old version,
// AddToRollup of the new). The rollup keeps agreeing with the records
// (RollupRowsNaive counts status = 'registered').
func (q *Q) RemoveFromRollup(ctx context.Context, cs []*domain.Contract, cityCode string) error {
	neg := make([]*domain.Contract, 0, len(cs))
	for _, c := range cs {
		n := *c
		n.TurnoverFen, n.TechTransactionFen = -c.TurnoverFen, -c.TechTransactionFen
		neg = append(neg, &n)
	}
	return q.addToRollup(ctx, neg, cityCode, -1)
}
