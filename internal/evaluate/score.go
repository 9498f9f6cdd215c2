package evaluate

import (
	"cmp"
	"fmt"
	"maps"
	"math/big"
	"slices"
	"unicode/utf8"

	"kechuang/internal/domain"
)

// MaxComment bounds one comment of a scoring form, in characters.
const MaxComment = 2000

// Form is one expert's independent scoring form.
type Form struct {
	Expert int64
	// Scores gives every item of the result type its score in tenths of a
	// point (87.5 points = 875), within the item's guide range.
	Scores map[string]int64
	// Comments are the expert's comments per first-level indicator (code →
	// text); they reach the applicant without the expert's name.
	Comments map[string]string
	// Opinion is the expert's overall opinion (dissent included).
	Opinion string
}

// ValidateForm names every problem of a form: an unknown result type, an
// item without a score, a score outside its guide's range, an item or an
// indicator the set does not have, a comment too long.
func (s *Set) ValidateForm(resultType string, f Form) error {
	var v domain.Validator
	rt, ok := s.ResultType(resultType)
	if !ok {
		v.Add("result_type", "成果类型“%s”不在指标体系 %s 中", resultType, s.Key())
		return v.Err()
	}
	known := map[string]bool{}
	for _, it := range rt.Items {
		known[it.Code] = true
		field := "scores." + it.Code
		sc, ok := f.Scores[it.Code]
		if !ok {
			v.Add(field, "请为“%s”评分", domain.Msg(it.Name))
			continue
		}
		lo, hi := int64(it.Min)*10, int64(it.Max)*10
		v.Check(sc >= lo && sc <= hi, field, "“%s”的评分应在 %d–%d 分之间（可精确到 0.1 分），现为 %s 分",
			domain.Msg(it.Name), it.Min, it.Max, FormatTenths(sc))
	}
	for _, code := range slices.Sorted(maps.Keys(f.Scores)) {
		v.Check(known[code], "scores."+code, "“%s”不是该成果类型的评分项", code)
	}
	for _, code := range slices.Sorted(maps.Keys(f.Comments)) {
		field := "comments." + code
		if _, ok := s.Indicator(code); !ok {
			v.Add(field, "“%s”不是本指标体系的一级指标", code)
		}
		v.Check(utf8.RuneCountInString(f.Comments[code]) <= MaxComment, field, "评语至多 %d 字", MaxComment)
	}
	v.Check(utf8.RuneCountInString(f.Opinion) <= MaxComment, "opinion", "评价意见至多 %d 字", MaxComment)
	return v.Err()
}

// IndicatorResult is the panel's result on one first-level indicator.
type IndicatorResult struct {
	Code           string   `json:"code"`
	Name           string   `json:"name"`
	WeightPermille int      `json:"weight_permille"`
	ScoreTenths    int64    `json:"score_tenths"` // on the 100-point scale
	Comments       []string `json:"comments,omitempty"`
}

// Result is the panel's aggregated result.
type Result struct {
	Set         string            `json:"set"` // id@version
	ResultType  string            `json:"result_type"`
	Method      Method            `json:"method"`
	Experts     int               `json:"experts"`
	TotalTenths int64             `json:"total_tenths"`
	Grade       string            `json:"grade,omitempty"`
	Indicators  []IndicatorResult `json:"indicators"`
	// Opinions are the experts' overall opinions, dissent included (report
	// field 专家意见), in form order, without names.
	Opinions []string `json:"opinions,omitempty"`
	// Dropped are the experts whose totals the trimmed mean left out (the
	// lowest, then the highest), for the case file; never shown to the
	// applicant.
	Dropped []int64 `json:"dropped,omitempty"`
}

// Aggregate combines the panel's forms, all of them checked first.
//
// Each expert's score on an indicator is the weighted sum of the item
// scores, each taken as a share of its item's maximum, on a 100-point
// scale: Σ weight/1000 × score/max × 100; the expert's total is the
// weighted sum of the indicator scores, Σ weight/1000 × indicator. The
// panel's total combines the experts' totals by the set's method (the
// customary rule: the highest and the lowest total are dropped when there
// are five or more, then the mean); each indicator's figure combines the
// experts' indicator scores by the same method, independently, so under
// the trimmed mean the weighted indicator figures need not add up to the
// total. Everything is exact (rationals); each published figure is rounded
// once, half up, to a tenth of a point. With ties, the lowest total with
// the smallest expert id and the highest with the largest are dropped.
func (s *Set) Aggregate(resultType string, forms []Form) (Result, error) {
	rt, ok := s.ResultType(resultType)
	if !ok {
		return Result{}, domain.FieldErrorf("result_type", "成果类型“%s”不在指标体系 %s 中", resultType, s.Key())
	}
	if len(forms) == 0 {
		return Result{}, domain.FieldErrorf("forms", "还没有专家提交评分表")
	}
	seen := map[int64]bool{}
	for i, f := range forms {
		if seen[f.Expert] {
			return Result{}, domain.FieldErrorf(fmt.Sprintf("forms[%d]", i), "同一位专家只能提交一份评分表")
		}
		seen[f.Expert] = true
		if err := s.ValidateForm(resultType, f); err != nil {
			return Result{}, err
		}
	}
	perInd := make([][]*big.Rat, len(s.Indicators)) // [indicator][form]
	totals := make([]*big.Rat, len(forms))
	for j, f := range forms {
		total := new(big.Rat)
		for i, in := range s.Indicators {
			x := indicatorScore(rt, in.Code, f)
			perInd[i] = append(perInd[i], x)
			total.Add(total, new(big.Rat).Mul(x, big.NewRat(int64(rt.Weights[in.Code]), PermilleTotal)))
		}
		totals[j] = total
	}
	ids := make([]int64, len(forms))
	for j, f := range forms {
		ids[j] = f.Expert
	}
	total, dropped := combine(s.Aggregation, totals, ids)
	r := Result{Set: s.Key(), ResultType: rt.Code, Method: s.Aggregation.Method, Experts: len(forms),
		TotalTenths: roundTenths(total), Dropped: dropped}
	r.Grade = s.Grade(r.TotalTenths)
	for i, in := range s.Indicators {
		x, _ := combine(s.Aggregation, perInd[i], ids)
		ir := IndicatorResult{Code: in.Code, Name: in.Name, WeightPermille: rt.Weights[in.Code], ScoreTenths: roundTenths(x)}
		for _, f := range forms {
			if c := f.Comments[in.Code]; c != "" {
				ir.Comments = append(ir.Comments, c)
			}
		}
		r.Indicators = append(r.Indicators, ir)
	}
	for _, f := range forms {
		if f.Opinion != "" {
			r.Opinions = append(r.Opinions, f.Opinion)
		}
	}
	return r, nil
}

// indicatorScore is one expert's exact score on an indicator (0–100).
func indicatorScore(rt *ResultType, indicator string, f Form) *big.Rat {
	x := new(big.Rat)
	for _, it := range rt.Items {
		if it.Indicator != indicator {
			continue
		}
		// weight/1000 × (score/10)/max × 100
		term := big.NewRat(int64(it.Weight)*f.Scores[it.Code]*ScoreScale, int64(PermilleTotal)*10*int64(it.Max))
		x.Add(x, term)
	}
	return x
}

// combine applies the method to values (one per expert, ids alike) and
// returns the experts left out.
func combine(a Aggregation, values []*big.Rat, ids []int64) (*big.Rat, []int64) {
	idx := make([]int, len(values))
	for i := range idx {
		idx[i] = i
	}
	slices.SortFunc(idx, func(i, j int) int {
		if c := values[i].Cmp(values[j]); c != 0 {
			return c
		}
		return cmp.Compare(ids[i], ids[j])
	})
	n := len(idx)
	switch {
	case a.Method == Median:
		if n%2 == 1 {
			return new(big.Rat).Set(values[idx[n/2]]), nil
		}
		m := new(big.Rat).Add(values[idx[n/2-1]], values[idx[n/2]])
		return m.Quo(m, big.NewRat(2, 1)), nil
	case a.Method == Trimmed && n >= a.TrimFrom:
		return mean(values, idx[1:n-1]), []int64{ids[idx[0]], ids[idx[n-1]]}
	}
	return mean(values, idx), nil
}

func mean(values []*big.Rat, idx []int) *big.Rat {
	sum := new(big.Rat)
	for _, i := range idx {
		sum.Add(sum, values[i])
	}
	return sum.Quo(sum, big.NewRat(int64(len(idx)), 1))
}

// roundTenths rounds a non-negative number of points half up to tenths.
func roundTenths(x *big.Rat) int64 {
	t := new(big.Rat).Mul(x, big.NewRat(10, 1))
	t.Add(t, big.NewRat(1, 2))
	q := new(big.Int).Quo(t.Num(), t.Denom()) // floor for non-negative values
	return q.Int64()
}

// FormatTenths renders tenths of a point as points with one decimal
// ("87.5"; "-0.5" for negatives, which only bad input carries).
func FormatTenths(t int64) string {
	sign := ""
	if t < 0 {
		sign, t = "-", -t
	}
	return fmt.Sprintf("%s%d.%d", sign, t/10, t%10)
}

// Feedback is what the applicant receives: per indicator the panel's
// score, its weight and the experts' comments (without their names), the
// total and grade, and the experts' opinions.
type Feedback struct {
	Set         string            `json:"set"`
	Basis       string            `json:"basis"`
	TotalTenths int64             `json:"total_tenths"`
	Grade       string            `json:"grade,omitempty"`
	Experts     int               `json:"experts"`
	Indicators  []IndicatorResult `json:"indicators"`
	Opinions    []string          `json:"opinions,omitempty"`
}

// Feedback returns the applicant's view of the result.
func (s *Set) Feedback(r Result) Feedback {
	return Feedback{Set: r.Set, Basis: s.Basis, TotalTenths: r.TotalTenths, Grade: r.Grade, Experts: r.Experts,
		Indicators: slices.Clone(r.Indicators), Opinions: slices.Clone(r.Opinions)}
}
