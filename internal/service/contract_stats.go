package service

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"sort"

	"kechuang/internal/domain"
)

// ContractAgg is a count with its two sums.
type ContractAgg struct {
	Count              int64 `json:"count"`
	TurnoverFen        int64 `json:"turnover_fen"`
	TechTransactionFen int64 `json:"tech_transaction_fen"`
}

func (a *ContractAgg) add(r domain.RollupRow) {
	a.Count += r.N
	a.TurnoverFen += r.TurnoverFen
	a.TechTransactionFen += r.TechFen
}

// ContractKeyAgg is an ContractAgg for one value of a dimension.
type ContractKeyAgg struct {
	Key   string `json:"key"`
	Label string `json:"label"`
	ContractAgg
	SharePct *json.Number `json:"share_pct"` // of the year's turnover
}

// ContractMonthAgg is one month of a year.
type ContractMonthAgg struct {
	Month int `json:"month"`
	ContractAgg
	CumulativeTurnoverFen int64 `json:"cumulative_turnover_fen"`
	PrevTurnoverFen       int64 `json:"prev_turnover_fen"` // same month a year earlier
}

// ContractTarget is a year's own turnover target and the progress of the
// year's turnover towards it. A year without a target of its own has none:
// the next year's is never shown as "reached" (walkthrough finding 5).
type ContractTarget struct {
	Year        int          `json:"year"`
	TurnoverFen int64        `json:"turnover_fen"`
	ProgressPct *json.Number `json:"progress_pct"`
}

// ContractStats is the public statistics of registered technology
// contracts for one year, computed from the records (through the rollup
// kept in the registering transactions).
type ContractStats struct {
	Year               int         `json:"year"`
	City               string      `json:"city"`
	AsOf               string      `json:"as_of"` // last registration date counted
	Count              int64       `json:"count"`
	TurnoverFen        int64       `json:"turnover_fen"`
	TechTransactionFen int64       `json:"tech_transaction_fen"`
	Prev               ContractAgg `json:"prev"`
	// PrevThrough is the last day of the year before that Prev counts: its
	// 31 December for a year that has ended, the same day as AsOf for the
	// year still running (the same period), "" when the running year has
	// no registration yet.
	PrevThrough    string       `json:"prev_through"`
	TurnoverYoYPct *json.Number `json:"turnover_yoy_pct"`
	CountYoYPct    *json.Number `json:"count_yoy_pct"`
	TechYoYPct     *json.Number `json:"tech_transaction_yoy_pct"`
	Output         ContractAgg  `json:"output"` // seller in the city (输出)
	Absorb         ContractAgg  `json:"absorb"` // buyer in the city (吸纳)
	Local          ContractAgg  `json:"local"`  // both in the city
	// LocalSharePct is 本地转化率: locally absorbed output ÷ output, by turnover.
	LocalSharePct    *json.Number       `json:"local_share_pct"`
	Monthly          []ContractMonthAgg `json:"monthly"`
	ByCategory       []ContractKeyAgg   `json:"by_category"`
	ByField          []ContractKeyAgg   `json:"by_field"`
	ByChain          []ContractKeyAgg   `json:"by_chain"`
	ByOutputDistrict []ContractKeyAgg   `json:"by_output_district"` // seller's district, sellers in the city
	ByAbsorbDistrict []ContractKeyAgg   `json:"by_absorb_district"` // buyer's district, buyers in the city
	BySellerType     []ContractKeyAgg   `json:"by_seller_type"`
	ByBuyerType      []ContractKeyAgg   `json:"by_buyer_type"`
	Target           *ContractTarget    `json:"target"`
	// Years are the years with registered contracts or a turnover target,
	// newest first: the years worth choosing.
	Years []int `json:"years"`
}

// TargetContractTurnover is the targets metric of the yearly contract turnover.
const TargetContractTurnover = "contract_turnover_fen"

// Stats returns the statistics of year (public). The answer is shared
// with other callers: read it, never change it.
func (s *Contracts) Stats(ctx context.Context, year int) (*ContractStats, error) {
	st, _, err := s.StatsVersioned(ctx, year)
	return st, err
}

// StatsVersioned returns the statistics of year and the statistics version
// they are current at, for answers that carry a validator (ETag). They come
// from the cache while no transaction has changed the statistics since.
func (s *Contracts) StatsVersioned(ctx context.Context, year int) (*ContractStats, int64, error) {
	if err := checkStatsYear(year); err != nil {
		return nil, 0, err
	}
	return s.stats.get(ctx, year, year >= domain.ChinaYear(s.now()), func(ctx context.Context) (*ContractStats, error) {
		return s.StatsRollup(ctx, year)
	})
}

func checkStatsYear(year int) error {
	if year < 1980 || year > 2200 {
		return domain.FieldErrorf("year", "年份无效")
	}
	return nil
}

// StatsRollup assembles the statistics of year from the rollup, bypassing
// the cache: what a cache miss costs, for `kechuang bench contracts`.
func (s *Contracts) StatsRollup(ctx context.Context, year int) (*ContractStats, error) {
	return s.contractStats(ctx, year, s.store.RollupRows)
}

// StatsNaive computes the same statistics with a plain GROUP BY
// over the contracts table instead of the rollup: the peer that
// `kechuang bench contracts` measures the rollup against, and a check that
// the rollup equals the records.
func (s *Contracts) StatsNaive(ctx context.Context, year int) (*ContractStats, error) {
	return s.contractStats(ctx, year, s.store.RollupRowsNaive)
}

func (s *Contracts) contractStats(ctx context.Context, year int, cells func(context.Context, ...int) ([]domain.RollupRow, error)) (*ContractStats, error) {
	if err := checkStatsYear(year); err != nil {
		return nil, err
	}
	rows, err := cells(ctx, year, year-1)
	if err != nil {
		return nil, err
	}
	return s.assembleStats(ctx, year, rows)
}

func (s *Contracts) assembleStats(ctx context.Context, year int, rows []domain.RollupRow) (*ContractStats, error) {
	city, err := s.cityCode(ctx)
	if err != nil {
		return nil, err
	}
	labels, err := s.labels(ctx)
	if err != nil {
		return nil, err
	}
	st := &ContractStats{Year: year, City: s.cityName(ctx), Monthly: make([]ContractMonthAgg, 12)}
	for i := range st.Monthly {
		st.Monthly[i].Month = i + 1
	}
	var cur ContractAgg
	dims := map[string]map[string]*ContractKeyAgg{}
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
			map[string]*ContractAgg{"output": &st.Output, "absorb": &st.Absorb, "local": &st.Local}[r.Key].add(r)
		default:
			if (r.Dim == "seller_region" || r.Dim == "buyer_region") && !domain.IsLocal(city, r.Key) {
				continue
			}
			if dims[r.Dim] == nil {
				dims[r.Dim] = map[string]*ContractKeyAgg{}
			}
			k := dims[r.Dim][r.Key]
			if k == nil {
				k = &ContractKeyAgg{Key: r.Key, Label: labels(r.Dim, r.Key)}
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
	if st.AsOf, err = s.store.LatestRegisteredOn(ctx, year); err != nil {
		return nil, err
	}
	if err := s.samePeriod(ctx, st); err != nil {
		return nil, err
	}
	st.TurnoverYoYPct = domain.PctChange(cur.TurnoverFen, st.Prev.TurnoverFen)
	st.CountYoYPct = domain.PctChange(cur.Count, st.Prev.Count)
	st.TechYoYPct = domain.PctChange(cur.TechTransactionFen, st.Prev.TechTransactionFen)
	st.LocalSharePct = domain.Pct(st.Local.TurnoverFen, st.Output.TurnoverFen)
	list := func(dim string) []ContractKeyAgg {
		out := make([]ContractKeyAgg, 0, len(dims[dim]))
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
	if t, ok, err := s.store.Target(ctx, year, TargetContractTurnover); err != nil {
		return nil, err
	} else if ok {
		st.Target = &ContractTarget{Year: year, TurnoverFen: t, ProgressPct: domain.Pct(cur.TurnoverFen, t)}
	}
	if st.Years, err = s.StatsYears(ctx); err != nil {
		return nil, err
	}
	return st, nil
}

// samePeriod sets what the year is compared with: the whole year before
// for a year that has ended (2022 to 22 December against all of 2021, as
// the city publishes it), and for the year still running (China time) the
// year before up to the same day as the last registration, so that eleven
// months are not compared with twelve.
func (s *Contracts) samePeriod(ctx context.Context, st *ContractStats) error {
	st.PrevThrough = fmt.Sprintf("%04d-12-31", st.Year-1)
	if st.Year < domain.ChinaYear(s.now()) {
		return nil
	}
	if st.AsOf == "" {
		st.Prev, st.PrevThrough = ContractAgg{}, ""
		return nil
	}
	through := fmt.Sprintf("%04d%s", st.Year-1, st.AsOf[4:])
	if st.AsOf[5:] == "02-29" {
		through = fmt.Sprintf("%04d-02-28", st.Year-1)
	}
	if through == st.PrevThrough {
		return nil
	}
	r, err := s.store.RegisteredBetween(ctx, fmt.Sprintf("%04d-01-01", st.Year-1), through)
	if err != nil {
		return err
	}
	st.Prev, st.PrevThrough = ContractAgg{}, through
	st.Prev.add(r)
	return nil
}

// StatsYears lists the years with registered contracts or a turnover
// target, newest first (the year selector's choices). Cached at the
// statistics version (a registration and a target bump it); the caller
// gets its own copy.
func (s *Contracts) StatsYears(ctx context.Context) ([]int, error) {
	years, _, err := s.years.get(ctx, struct{}{}, false, s.statsYears)
	return slices.Clone(years), err
}

func (s *Contracts) statsYears(ctx context.Context) ([]int, error) {
	years, err := s.store.RegisteredYears(ctx)
	if err != nil {
		return nil, err
	}
	targets, err := s.store.Targets(ctx)
	if err != nil {
		return nil, err
	}
	for _, t := range targets {
		if t.Metric == TargetContractTurnover && !slices.Contains(years, t.Year) {
			years = append(years, t.Year)
		}
	}
	if years == nil {
		years = []int{}
	}
	sort.Sort(sort.Reverse(sort.IntSlice(years)))
	return years, nil
}

// labels returns a function naming a dimension's key in Chinese.
func (s *Contracts) labels(ctx context.Context) (func(dim, key string) string, error) {
	regions, err := s.store.Regions(ctx)
	if err != nil {
		return nil, err
	}
	chains, err := s.store.Chains(ctx)
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

// RollupCheck returns the rollup's cells and the same cells recomputed
// from the records (all registered years when none are given), for the
// operator's `kechuang stats check`.
func (s *Contracts) RollupCheck(ctx context.Context, a *domain.Actor, years ...int) (rolled, naive []domain.RollupRow, err error) {
	if !a.Is(domain.RoleAdmin) {
		return nil, nil, forbidden("核对统计汇总表")
	}
	if len(years) == 0 {
		if years, err = s.store.RegisteredYears(ctx); err != nil {
			return nil, nil, err
		}
	}
	if rolled, err = s.store.RollupRows(ctx, years...); err != nil {
		return nil, nil, err
	}
	naive, err = s.store.RollupRowsNaive(ctx, years...)
	return rolled, naive, err
}

// RebuildRollup recomputes the rollup from the records (for operators,
// after a restore or a manual fix).
func (s *Contracts) RebuildRollup(ctx context.Context, a *domain.Actor) error {
	if !a.Is(domain.RoleAdmin) {
		return forbidden("重建统计汇总表")
	}
	return s.store.RebuildRollup(ctx)
}
