package service

import (
	"context"
	"encoding/json"
	"sort"

	"kechuang/internal/domain"
)

// Agg is a count with its two sums.
type Agg struct {
	Count              int64 `json:"count"`
	TurnoverFen        int64 `json:"turnover_fen"`
	TechTransactionFen int64 `json:"tech_transaction_fen"`
}

func (a *Agg) add(r domain.RollupRow) {
	a.Count += r.N
	a.TurnoverFen += r.TurnoverFen
	a.TechTransactionFen += r.TechFen
}

// KeyAgg is an Agg for one value of a dimension.
type KeyAgg struct {
	Key   string `json:"key"`
	Label string `json:"label"`
	Agg
	SharePct *json.Number `json:"share_pct"` // of the year's turnover
}

// MonthAgg is one month of a year.
type MonthAgg struct {
	Month int `json:"month"`
	Agg
	CumulativeTurnoverFen int64 `json:"cumulative_turnover_fen"`
	PrevTurnoverFen       int64 `json:"prev_turnover_fen"` // same month a year earlier
}

// Target is a turnover target and the progress of the year's turnover
// towards it: the year's own target, or else the next year's (the 2022
// dashboard shows how far 2022 got towards 2023's 500亿元).
type Target struct {
	Year        int          `json:"year"`
	TurnoverFen int64        `json:"turnover_fen"`
	ProgressPct *json.Number `json:"progress_pct"`
}

// ContractStats is the public statistics of registered technology
// contracts for one year, computed from the records (through the rollup
// kept in the registering transactions).
type ContractStats struct {
	Year               int          `json:"year"`
	City               string       `json:"city"`
	AsOf               string       `json:"as_of"` // last registration date counted
	Count              int64        `json:"count"`
	TurnoverFen        int64        `json:"turnover_fen"`
	TechTransactionFen int64        `json:"tech_transaction_fen"`
	Prev               Agg          `json:"prev"`
	TurnoverYoYPct     *json.Number `json:"turnover_yoy_pct"`
	CountYoYPct        *json.Number `json:"count_yoy_pct"`
	TechYoYPct         *json.Number `json:"tech_transaction_yoy_pct"`
	Output             Agg          `json:"output"` // seller in the city (输出)
	Absorb             Agg          `json:"absorb"` // buyer in the city (吸纳)
	Local              Agg          `json:"local"`  // both in the city
	// LocalSharePct is 本地转化率: locally absorbed output ÷ output, by turnover.
	LocalSharePct    *json.Number `json:"local_share_pct"`
	Monthly          []MonthAgg   `json:"monthly"`
	ByCategory       []KeyAgg     `json:"by_category"`
	ByField          []KeyAgg     `json:"by_field"`
	ByChain          []KeyAgg     `json:"by_chain"`
	ByOutputDistrict []KeyAgg     `json:"by_output_district"` // seller's district, sellers in the city
	ByAbsorbDistrict []KeyAgg     `json:"by_absorb_district"` // buyer's district, buyers in the city
	BySellerType     []KeyAgg     `json:"by_seller_type"`
	ByBuyerType      []KeyAgg     `json:"by_buyer_type"`
	Target           *Target      `json:"target"`
}

// TargetTurnover is the targets metric of the yearly contract turnover.
const TargetTurnover = "contract_turnover_fen"

// ContractStats computes the statistics of year (public).
func (s *Service) ContractStats(ctx context.Context, year int) (*ContractStats, error) {
	return s.contractStats(ctx, year, s.Store.RollupRows)
}

// ContractStatsNaive computes the same statistics with a plain GROUP BY
// over the contracts table instead of the rollup: the peer that
// `kechuang bench contracts` measures the rollup against, and a check that
// the rollup equals the records.
func (s *Service) ContractStatsNaive(ctx context.Context, year int) (*ContractStats, error) {
	return s.contractStats(ctx, year, s.Store.RollupRowsNaive)
}

func (s *Service) contractStats(ctx context.Context, year int, cells func(context.Context, ...int) ([]domain.RollupRow, error)) (*ContractStats, error) {
	if year < 1980 || year > 2200 {
		return nil, domain.FieldErrorf("year", "年份无效")
	}
	rows, err := cells(ctx, year, year-1)
	if err != nil {
		return nil, err
	}
	return s.assembleStats(ctx, year, rows)
}

func (s *Service) assembleStats(ctx context.Context, year int, rows []domain.RollupRow) (*ContractStats, error) {
	city, err := s.CityCode(ctx)
	if err != nil {
		return nil, err
	}
	labels, err := s.labels(ctx)
	if err != nil {
		return nil, err
	}
	st := &ContractStats{Year: year, City: s.CityName(ctx), Monthly: make([]MonthAgg, 12)}
	for i := range st.Monthly {
		st.Monthly[i].Month = i + 1
	}
	var cur Agg
	dims := map[string]map[string]*KeyAgg{}
	for _, r := range rows {
		if r.Year != year {
			if r.Dim == "all" {
				st.Prev.add(r)
				st.Monthly[r.Month-1].PrevTurnoverFen += r.TurnoverFen
			}
			continue
		}
		switch r.Dim {
		case "all":
			cur.add(r)
			st.Monthly[r.Month-1].add(r)
		case "flow":
			map[string]*Agg{"output": &st.Output, "absorb": &st.Absorb, "local": &st.Local}[r.Key].add(r)
		default:
			if (r.Dim == "seller_region" || r.Dim == "buyer_region") && !domain.IsLocal(city, r.Key) {
				continue
			}
			if dims[r.Dim] == nil {
				dims[r.Dim] = map[string]*KeyAgg{}
			}
			k := dims[r.Dim][r.Key]
			if k == nil {
				k = &KeyAgg{Key: r.Key, Label: labels(r.Dim, r.Key)}
				dims[r.Dim][r.Key] = k
			}
			k.add(r)
		}
	}
	st.Count, st.TurnoverFen, st.TechTransactionFen = cur.Count, cur.TurnoverFen, cur.TechTransactionFen
	var cum int64
	for i := range st.Monthly {
		cum += st.Monthly[i].TurnoverFen
		st.Monthly[i].CumulativeTurnoverFen = cum
	}
	st.TurnoverYoYPct = domain.PctChange(cur.TurnoverFen, st.Prev.TurnoverFen)
	st.CountYoYPct = domain.PctChange(cur.Count, st.Prev.Count)
	st.TechYoYPct = domain.PctChange(cur.TechTransactionFen, st.Prev.TechTransactionFen)
	st.LocalSharePct = domain.Pct(st.Local.TurnoverFen, st.Output.TurnoverFen)
	list := func(dim string) []KeyAgg {
		out := make([]KeyAgg, 0, len(dims[dim]))
		for _, k := range dims[dim] {
			k.SharePct = domain.Pct(k.TurnoverFen, cur.TurnoverFen)
			out = append(out, *k)
		}
		sort.Slice(out, func(i, j int) bool {
			if out[i].TurnoverFen != out[j].TurnoverFen {
				return out[i].TurnoverFen > out[j].TurnoverFen
			}
			return out[i].Key < out[j].Key
		})
		return out
	}
	st.ByCategory, st.ByField, st.ByChain = list("category"), list("field"), list("chain")
	st.ByOutputDistrict, st.ByAbsorbDistrict = list("seller_region"), list("buyer_region")
	st.BySellerType, st.ByBuyerType = list("seller_type"), list("buyer_type")
	for _, y := range []int{year, year + 1} {
		if t, ok, err := s.Store.Target(ctx, y, TargetTurnover); err != nil {
			return nil, err
		} else if ok {
			st.Target = &Target{Year: y, TurnoverFen: t, ProgressPct: domain.Pct(cur.TurnoverFen, t)}
			break
		}
	}
	if st.AsOf, err = s.Store.LatestRegisteredOn(ctx, year); err != nil {
		return nil, err
	}
	return st, nil
}

// labels returns a function naming a dimension's key in Chinese.
func (s *Service) labels(ctx context.Context) (func(dim, key string) string, error) {
	regions, err := s.Store.Regions(ctx)
	if err != nil {
		return nil, err
	}
	chains, err := s.Store.Chains(ctx)
	if err != nil {
		return nil, err
	}
	rn := map[string]string{}
	for _, r := range regions {
		rn[r.Code] = r.Name
	}
	cn := map[string]string{"": "未关联产业链"}
	for _, c := range chains {
		cn[c.Code] = c.Name
	}
	return func(dim, key string) string {
		switch dim {
		case "category":
			return domain.CategoryLabel(key)
		case "field":
			return domain.TechFieldLabel(key)
		case "chain":
			if n, ok := cn[key]; ok {
				return n
			}
		case "seller_region", "buyer_region":
			if n, ok := rn[key]; ok {
				return n
			}
		case "seller_type", "buyer_type":
			return domain.PartyType(key).Label()
		}
		return key
	}, nil
}
