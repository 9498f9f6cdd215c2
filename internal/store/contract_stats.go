package store

import (
	"context"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"kechuang/internal/domain"
)

type rollupKey struct {
	year, month int
	dim, key    string
}

// rollupKeys lists the cells a registered contract counts in.
func rollupKeys(c *domain.Contract, cityCode string) []rollupKey {
	year, _ := strconv.Atoi(c.RegisteredOn[:4])
	month, _ := strconv.Atoi(c.RegisteredOn[5:7])
	k := func(dim, key string) rollupKey { return rollupKey{year, month, dim, key} }
	keys := []rollupKey{k("all", ""), k("category", c.Category), k("field", c.Field), k("chain", c.ChainCode),
		k("seller_region", c.Seller.RegionCode), k("buyer_region", c.Buyer.RegionCode),
		k("seller_type", string(c.Seller.Type)), k("buyer_type", string(c.Buyer.Type))}
	sl, bl := domain.IsLocal(cityCode, c.Seller.RegionCode), domain.IsLocal(cityCode, c.Buyer.RegionCode)
	if sl {
		keys = append(keys, k("flow", "output"))
	}
	if bl {
		keys = append(keys, k("flow", "absorb"))
	}
	if sl && bl {
		keys = append(keys, k("flow", "local"))
	}
	return keys
}

// AddToRollup counts registered contracts into the statistics, in the same
// transaction that registers or imports them. Contracts are aggregated in
// memory first so a batch costs one upsert per distinct cell.
func (q *Q) AddToRollup(ctx context.Context, cs []*domain.Contract, cityCode string) error {
	return q.addToRollup(ctx, cs, cityCode, 1)
}

// addToRollup adds (sign 1) or takes away (sign -1, with the amounts
// negated by the caller) contracts' counts; a cell that falls to no
// contract is deleted, as the records would not produce it.
func (q *Q) addToRollup(ctx context.Context, cs []*domain.Contract, cityCode string, sign int64) error {
	agg := map[rollupKey]*domain.RollupRow{}
	var order []rollupKey
	for _, c := range cs {
		if c.Status != domain.ContractRegistered || len(c.RegisteredOn) < 7 {
			continue
		}
		for _, k := range rollupKeys(c, cityCode) {
			r := agg[k]
			if r == nil {
				r = &domain.RollupRow{Year: k.year, Month: k.month, Dim: k.dim, Key: k.key}
				agg[k] = r
				order = append(order, k)
			}
			r.N += sign
			r.TurnoverFen += c.TurnoverFen
			r.TechFen += c.RegisteredTechFen()
		}
	}
	if len(order) == 0 {
		return nil
	}
	if err := q.statsChanged(ctx); err != nil {
		return err
	}
	for _, k := range order {
		r := agg[k]
		_, err := q.w.ExecContext(ctx, `INSERT INTO contract_rollup (year, month, dim, key, n, turnover_fen, tech_fen) VALUES ($1,$2,$3,$4,$5,$6,$7)
			ON CONFLICT (year, month, dim, key) DO UPDATE SET n = contract_rollup.n + excluded.n,
			turnover_fen = contract_rollup.turnover_fen + excluded.turnover_fen, tech_fen = contract_rollup.tech_fen + excluded.tech_fen`,
			r.Year, r.Month, r.Dim, r.Key, r.N, r.TurnoverFen, r.TechFen)
		if err != nil {
			return fmt.Errorf("store: rollup: %w", err)
		}
		if sign < 0 {
			if _, err := q.w.ExecContext(ctx, `DELETE FROM contract_rollup WHERE year = $1 AND month = $2 AND dim = $3 AND key = $4 AND n <= 0`,
				r.Year, r.Month, r.Dim, r.Key); err != nil {
				return fmt.Errorf("store: rollup: %w", err)
			}
		}
	}
	return nil
}

// RollupRows reads the statistics cells of the given years from the rollup.
func (q *Q) RollupRows(ctx context.Context, years ...int) ([]domain.RollupRow, error) {
	var out []domain.RollupRow
	for _, y := range years {
		rows, err := q.r.QueryContext(ctx, `SELECT year, month, dim, key, n, turnover_fen, tech_fen FROM contract_rollup WHERE year = $1`, y)
		if err != nil {
			return nil, fmt.Errorf("store: rollup rows: %w", err)
		}
		for rows.Next() {
			var r domain.RollupRow
			if err := rows.Scan(&r.Year, &r.Month, &r.Dim, &r.Key, &r.N, &r.TurnoverFen, &r.TechFen); err != nil {
				rows.Close()
				return nil, err
			}
			out = append(out, r)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	sortRollup(out)
	return out, nil
}

// naiveDims are the GROUP BY expressions that reproduce each rollup
// dimension from the contracts table.
var naiveDims = []struct{ dim, key, cond string }{
	{"all", "''", ""}, {"category", "category", ""}, {"field", "tech_field", ""}, {"chain", "chain_code", ""},
	{"seller_region", "seller_region", ""}, {"buyer_region", "buyer_region", ""},
	{"seller_type", "seller_type", ""}, {"buyer_type", "buyer_type", ""},
	{"flow", "'output'", "AND seller_local"}, {"flow", "'absorb'", "AND buyer_local"}, {"flow", "'local'", "AND seller_local AND buyer_local"},
}

// RollupRowsNaive computes the same cells with a plain GROUP BY over the
// contracts table. It is the benchmark's peer and the conformance suite's
// check that the rollup equals the records.
func (q *Q) RollupRowsNaive(ctx context.Context, years ...int) ([]domain.RollupRow, error) {
	return rollupRowsNaive(ctx, q.r, years...)
}

func rollupRowsNaive(ctx context.Context, q querier, years ...int) ([]domain.RollupRow, error) {
	var out []domain.RollupRow
	for _, y := range years {
		for _, d := range naiveDims {
			sqlText := fmt.Sprintf(`SELECT CAST(SUBSTR(registered_on, 6, 2) AS INTEGER) AS m, %s AS k, COUNT(*), SUM(turnover_fen), SUM(`+registeredTechSQL("")+`)
				FROM contracts WHERE status = 'registered' AND registered_on >= $1 AND registered_on < $2 %s GROUP BY m, k`, d.key, d.cond)
			rows, err := q.QueryContext(ctx, sqlText, fmt.Sprintf("%04d-01-01", y), fmt.Sprintf("%04d-01-01", y+1))
			if err != nil {
				return nil, fmt.Errorf("store: naive stats: %w", err)
			}
			for rows.Next() {
				r := domain.RollupRow{Year: y, Dim: d.dim}
				if err := rows.Scan(&r.Month, &r.Key, &r.N, &r.TurnoverFen, &r.TechFen); err != nil {
					rows.Close()
					return nil, err
				}
				out = append(out, r)
			}
			rows.Close()
			if err := rows.Err(); err != nil {
				return nil, err
			}
		}
	}
	sortRollup(out)
	return out, nil
}

func sortRollup(rs []domain.RollupRow) {
	sort.Slice(rs, func(i, j int) bool {
		a, b := rs[i], rs[j]
		if a.Year != b.Year {
			return a.Year < b.Year
		}
		if a.Month != b.Month {
			return a.Month < b.Month
		}
		if a.Dim != b.Dim {
			return a.Dim < b.Dim
		}
		return a.Key < b.Key
	})
}

// RegisteredYears lists the years that have registered contracts.
func (q *Q) RegisteredYears(ctx context.Context) ([]int, error) {
	return registeredYears(ctx, q.r)
}

func registeredYears(ctx context.Context, q querier) ([]int, error) {
	rows, err := q.QueryContext(ctx, `SELECT DISTINCT CAST(SUBSTR(registered_on, 1, 4) AS INTEGER) AS y FROM contracts WHERE status = 'registered' ORDER BY y`)
	if err != nil {
		return nil, fmt.Errorf("store: registered years: %w", err)
	}
	defer rows.Close()
	var years []int
	for rows.Next() {
		var y int
		if err := rows.Scan(&y); err != nil {
			return nil, err
		}
		years = append(years, y)
	}
	return years, rows.Err()
}

// RebuildRollup recomputes the rollup from the records (for operators, after
// a restore or a manual fix). Reading the records and rewriting the rollup
// happen in one write transaction, so no registration can slip between.
func (s *Store) RebuildRollup(ctx context.Context) error {
	return s.InTx(ctx, func(q *Q) error {
		years, err := registeredYears(ctx, q.r)
		if err != nil {
			return err
		}
		cells, err := rollupRowsNaive(ctx, q.r, years...)
		if err != nil {
			return err
		}
		if _, err := q.w.ExecContext(ctx, `DELETE FROM contract_rollup`); err != nil {
			return err
		}
		q.bumpStats = true
		for _, r := range cells {
			if _, err := q.w.ExecContext(ctx, `INSERT INTO contract_rollup (year, month, dim, key, n, turnover_fen, tech_fen) VALUES ($1,$2,$3,$4,$5,$6,$7)`,
				r.Year, r.Month, r.Dim, r.Key, r.N, r.TurnoverFen, r.TechFen); err != nil {
				return fmt.Errorf("store: rebuild rollup: %w", err)
			}
		}
		return nil
	})
}

// LatestRegisteredOn returns the last registration date of a year, "" if none.
func (q *Q) LatestRegisteredOn(ctx context.Context, year int) (string, error) {
	var d *string
	err := q.r.QueryRowContext(ctx, `SELECT MAX(registered_on) FROM contracts WHERE status = 'registered' AND registered_on >= $1 AND registered_on < $2`,
		fmt.Sprintf("%04d-01-01", year), fmt.Sprintf("%04d-01-01", year+1)).Scan(&d)
	if err != nil || d == nil {
		return "", err
	}
	return *d, nil
}

// RegisteredBetween counts the contracts registered from one date to
// another (both included, YYYY-MM-DD): the same period of the year before,
// for a year still running.
func (q *Q) RegisteredBetween(ctx context.Context, from, through string) (domain.RollupRow, error) {
	var r domain.RollupRow
	err := q.r.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(turnover_fen), 0), COALESCE(SUM(`+registeredTechSQL("")+`), 0)
		FROM contracts WHERE status = 'registered' AND registered_on >= $1 AND registered_on <= $2`, from, through).Scan(&r.N, &r.TurnoverFen, &r.TechFen)
	if err != nil {
		return r, fmt.Errorf("store: registered between: %w", err)
	}
	return r, nil
}

// registeredTechSQL is domain.Contract.RegisteredTechFen in SQL over the
// contracts table (alias "c." or ""): the registrar's 核定技术交易额 for a
// contract registered under a regime that fixes it, else the declared
// 技术交易额. The regime codes come from the domain's table.
func registeredTechSQL(alias string) string {
	codes := domain.RegimesApprovingTransaction()
	if len(codes) == 0 {
		return alias + "tech_transaction_fen"
	}
	return "CASE WHEN " + alias + "registered_on IS NOT NULL AND " + alias + "registered_on <> '' AND " + alias + "regime IN ('" +
		strings.Join(codes, "','") + "') THEN " + alias + "tech_income_fen ELSE " + alias + "tech_transaction_fen END"
}
