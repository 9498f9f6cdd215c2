package store

import (
	"context"
	"fmt"

	"kechuang/internal/domain"
)

// ContractsByNo returns the contracts carrying one of the 合同编号 nos,
// refused ones left out (a refused filing may be filed anew): the
// candidates of a duplicate filing, which the service compares by parties
// (domain.SameDeal). It reads through q, so inside a transaction it sees
// the transaction's rows.
func (q *Q) ContractsByNo(ctx context.Context, nos []string) (map[string][]*domain.Contract, error) {
	out := map[string][]*domain.Contract{}
	for start := 0; start < len(nos); start += bulkRows {
		chunk := nos[start:min(start+bulkRows, len(nos))]
		args := make([]any, len(chunk))
		for i, n := range chunk {
			args[i] = n
		}
		rows, err := q.w.QueryContext(ctx, `SELECT `+contractReadCols+contractFrom+`WHERE c.contract_no IN (`+placeholders(len(chunk), 1)+`) AND c.status <> 'refused' ORDER BY c.id`, args...)
		if err != nil {
			return nil, fmt.Errorf("store: contracts by number: %w", err)
		}
		for rows.Next() {
			c, err := scanContract(rows)
			if err != nil {
				rows.Close()
				return nil, err
			}
			out[c.ContractNo] = append(out[c.ContractNo], c)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// DeleteDraft removes a draft and its text (the history and the audit rows
// stay). Only a draft: anything filed is the registry's record.
func (q *Q) DeleteDraft(ctx context.Context, id int64) error {
	if _, err := q.w.ExecContext(ctx, `DELETE FROM contract_attachments WHERE contract_id = $1`, id); err != nil {
		return fmt.Errorf("store: delete draft attachments: %w", err)
	}
	res, err := q.w.ExecContext(ctx, `DELETE FROM contracts WHERE id = $1 AND status = 'draft'`, id)
	if err != nil {
		return fmt.Errorf("store: delete draft: %w", err)
	}
	if n, _ := res.RowsAffected(); n != 1 {
		return domain.Errorf(domain.ECONFLICT, "合同已不是草稿，不能删除")
	}
	return nil
}
