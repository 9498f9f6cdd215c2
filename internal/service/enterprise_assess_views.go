package service

import (
	"context"
	"slices"

	"kechuang/internal/domain"
	"kechuang/internal/rules"
	"kechuang/internal/store"
)

// FirmAssessYear is one year of a firm's assessments: the stored verdict of
// each tier rule set with its explanation recomputed from the filing, the
// tiers held and what changed against the year before.
type FirmAssessYear struct {
	Year    int                 `json:"year"`
	Filed   bool                `json:"filed"`
	Verdict []FirmAssessVerdict `json:"verdicts"`
	Tiers   []domain.Tier       `json:"tiers"`
	Gained  []domain.Tier       `json:"gained"`
	Lost    []domain.Tier       `json:"lost"`
}

// FirmAssessVerdict is one rule set's stored verdict and the recomputed
// result; RulesChanged when the rule file (or the version in force)
// differs from the one the verdict was reached with.
type FirmAssessVerdict struct {
	*domain.EnterpriseAssessment
	Result       *rules.Result `json:"-"` // the page shows it; the API gives the verdicts
	RulesChanged bool          `json:"rules_changed"`
}

// FirmAssessments are a firm's verdicts by year, oldest first, with the
// tier transitions (sme→hnte in 2022; lost hnte in 2023). Whoever may see
// the firm may see them.
func (s *EnterpriseAssess) FirmAssessments(ctx context.Context, a *domain.Actor, enterpriseID int64) ([]FirmAssessYear, error) {
	if err := requireLogin(a); err != nil {
		return nil, err
	}
	b, err := s.book()
	if err != nil {
		return nil, err
	}
	q := s.store.Q
	if _, err := s.firm(ctx, q, a, enterpriseID); err != nil {
		return nil, err
	}
	rows, err := q.EnterpriseAssessmentsOf(ctx, enterpriseID)
	if err != nil {
		return nil, err
	}
	filings, err := q.EnterpriseFilings(ctx, enterpriseID)
	if err != nil {
		return nil, err
	}
	byYear := map[int]*domain.EnterpriseFiling{}
	var years []int
	for _, f := range filings {
		byYear[f.Year] = f
		years = append(years, f.Year)
	}
	for _, r := range rows {
		if !slices.Contains(years, r.Year) {
			years = append(years, r.Year)
		}
	}
	slices.Sort(years)
	m := rules.NewMulti(b.tiers, true)
	var out []FirmAssessYear
	var prev []domain.Tier
	for i, y := range years {
		fy := FirmAssessYear{Year: y, Filed: byYear[y] != nil, Verdict: []FirmAssessVerdict{}, Gained: []domain.Tier{}, Lost: []domain.Tier{}}
		var results map[string]*rules.Result
		if f := byYear[y]; f != nil {
			results = recompute(m, b.tiers, f)
		}
		passed := map[string]bool{}
		for _, r := range rows {
			if r.Year != y {
				continue
			}
			v := FirmAssessVerdict{EnterpriseAssessment: r, Result: results[r.RuleSet]}
			v.RulesChanged = b.hashes[r.RuleSet] != r.RulesHash || (v.Result != nil && v.Result.Version != r.Version)
			fy.Verdict = append(fy.Verdict, v)
			passed[r.RuleSet] = r.Verdict == "pass"
		}
		slices.SortFunc(fy.Verdict, func(x, y FirmAssessVerdict) int {
			return slices.Index(domain.TierRuleSets, x.RuleSet) - slices.Index(domain.TierRuleSets, y.RuleSet)
		})
		fy.Tiers = domain.TiersOf(passed)
		if fy.Tiers == nil {
			fy.Tiers = []domain.Tier{}
		}
		if i > 0 && years[i-1] == y-1 {
			for _, t := range fy.Tiers {
				if !slices.Contains(prev, t) {
					fy.Gained = append(fy.Gained, t)
				}
			}
			for _, t := range prev {
				if !slices.Contains(fy.Tiers, t) {
					fy.Lost = append(fy.Lost, t)
				}
			}
		} else {
			fy.Gained = append(fy.Gained, fy.Tiers...)
		}
		prev = fy.Tiers
		out = append(out, fy)
	}
	return out, nil
}

// recompute assesses a filing with reasons; nil when its facts do not parse.
func recompute(m *rules.Multi, sets []*rules.Set, f *domain.EnterpriseFiling) map[string]*rules.Result {
	facts, err := rules.ParseJSON(f.Facts)
	if err != nil || len(facts) != 1 {
		return nil
	}
	rs, err := m.Assess(&facts[0])
	if err != nil {
		if _, rs, err = assessInForce(sets, &facts[0], true); err != nil {
			return nil
		}
	}
	out := map[string]*rules.Result{}
	for _, r := range rs {
		out[r.RuleSet] = r
	}
	return out
}

// FirmPolicies assesses a firm's filing of a year under every city policy
// (computed on demand, never stored): eligible with the amount, not
// eligible with the failing condition, or the facts missing.
func (s *EnterpriseAssess) FirmPolicies(ctx context.Context, a *domain.Actor, enterpriseID int64, year int) ([]*rules.Result, error) {
	if err := requireLogin(a); err != nil {
		return nil, err
	}
	if err := checkAssessYear(year); err != nil {
		return nil, err
	}
	b, err := s.book()
	if err != nil {
		return nil, err
	}
	q := s.store.Q
	if _, err := s.firm(ctx, q, a, enterpriseID); err != nil {
		return nil, err
	}
	f, err := q.EnterpriseFiling(ctx, enterpriseID, year)
	if err != nil {
		return nil, err
	}
	facts, err := rules.ParseJSON(f.Facts)
	if err != nil {
		return nil, err
	}
	if len(facts) != 1 {
		return nil, domain.FieldErrorf("facts", "企业数据应为一个 JSON 对象")
	}
	_, rs, err := assessInForce(b.policy, &facts[0], true)
	if rs == nil {
		rs = []*rules.Result{}
	}
	return rs, err
}

// EnterpriseStats are the public tier statistics of a year, counted from
// the assessment records (GET /api/v1/stats/enterprises).
type EnterpriseStats struct {
	Year                 int   `json:"year"`
	TechEnterprises      int64 `json:"tech_enterprises"`
	TechEnterprisesAdded int64 `json:"tech_enterprises_added"`
	HighTech             int64 `json:"high_tech"`
	SME                  int64 `json:"sme"`
	Eaglet               int64 `json:"eaglet"`
	GazelleUnicorn       int64 `json:"gazelle_unicorn"`
	PoolIntake           int64 `json:"pool_intake"`
	// PoolIntakeRule is the [A] definition in use (a setting).
	PoolIntakeRule domain.PoolIntakeRule `json:"pool_intake_rule"`
	Assessed       int64                 `json:"assessed"`
	// Previous is the year before's tech enterprises (the base of _added).
	Previous int64 `json:"previous_tech_enterprises"`
	// PreviousAssessed is the firms assessed the year before: 0 means no
	// records for that year, and then _added and pool_intake are counted
	// against nothing (the first year of the records), not a true change.
	PreviousAssessed int64 `json:"previous_assessed"`
	// Target is the year's targets, Targets every year's (configured goals
	// from the city file or the settings, not statistics).
	Target  EnterpriseTarget   `json:"target"`
	Targets []EnterpriseTarget `json:"targets"`
	// Years are the years with assessed firms, newest first.
	Years []int `json:"years"`
}

// EnterpriseTarget is a year's tier targets; nil: none set.
type EnterpriseTarget struct {
	Year            int    `json:"year"`
	TechEnterprises *int64 `json:"tech_enterprises,omitempty"`
	HighTech        *int64 `json:"high_tech,omitempty"`
}

// Target metrics the tier statistics read (domain.TargetMetrics).
const (
	TargetTechEnterprises = "tech_enterprises"
	TargetHighTech        = "high_tech_enterprises"
)

// Stats are the tier statistics of year (public); year 1980–2200.
func (s *EnterpriseAssess) Stats(ctx context.Context, year int) (*EnterpriseStats, error) {
	if err := checkStatsYear(year); err != nil {
		return nil, err
	}
	q := s.store.Q
	rows, err := q.EnterpriseTierRows(ctx, year, year-1)
	if err != nil {
		return nil, err
	}
	rule, err := poolIntakeRule(ctx, q)
	if err != nil {
		return nil, err
	}
	cur, prev := rows[0], rows[1]
	st := &EnterpriseStats{Year: year, TechEnterprises: cur.Tech, TechEnterprisesAdded: cur.Tech - prev.Tech,
		HighTech: cur.HighTech, SME: cur.SME, Eaglet: cur.Eaglet, GazelleUnicorn: cur.GazelleUnicorn,
		PoolIntake: cur.IntakeNewTech, PoolIntakeRule: rule, Assessed: cur.Assessed, Previous: prev.Tech, PreviousAssessed: prev.Assessed,
		Target: EnterpriseTarget{Year: year}, Targets: []EnterpriseTarget{}}
	if rule == domain.PoolIntakeNewSME {
		st.PoolIntake = cur.IntakeNewSME
	}
	ts, err := q.Targets(ctx)
	if err != nil {
		return nil, err
	}
	for _, t := range ts {
		if t.Metric != TargetTechEnterprises && t.Metric != TargetHighTech {
			continue
		}
		if n := len(st.Targets); n == 0 || st.Targets[n-1].Year != t.Year {
			st.Targets = append(st.Targets, EnterpriseTarget{Year: t.Year})
		}
		et := &st.Targets[len(st.Targets)-1]
		v := t.Value
		if t.Metric == TargetTechEnterprises {
			et.TechEnterprises = &v
		} else {
			et.HighTech = &v
		}
		if t.Year == year {
			st.Target = *et
		}
	}
	if st.Years, err = q.EnterpriseAssessedYears(ctx); err != nil {
		return nil, err
	}
	return st, nil
}

// poolIntakeRule is the pool-intake definition in the settings (default
// new_tech).
func poolIntakeRule(ctx context.Context, q *store.Q) (domain.PoolIntakeRule, error) {
	v, err := q.Setting(ctx, domain.SettingPoolIntake, string(domain.PoolIntakeNewTech))
	if err != nil {
		return "", err
	}
	if !domain.PoolIntakeRules.Valid(domain.PoolIntakeRule(v)) {
		return domain.PoolIntakeNewTech, nil
	}
	return domain.PoolIntakeRule(v), nil
}

// PoolIntakeRule is the definition in use.
func (s *EnterpriseAssess) PoolIntakeRule(ctx context.Context) (domain.PoolIntakeRule, error) {
	return poolIntakeRule(ctx, s.store.Q)
}

// SetPoolIntakeRule changes the [A] pool-intake definition (audited).
func (s *EnterpriseAssess) SetPoolIntakeRule(ctx context.Context, a *domain.Actor, rule domain.PoolIntakeRule) error {
	if err := requireLogin(a); err != nil {
		return err
	}
	if !domain.EnterpriseAssess.CanSetPoolIntake(a) {
		return forbidden("修改入库培育口径")
	}
	if !domain.PoolIntakeRules.Valid(rule) {
		return domain.FieldErrorf("pool_intake_rule", "入库培育口径无效")
	}
	return s.store.InTx(ctx, func(q *store.Q) error {
		before, err := poolIntakeRule(ctx, q)
		if err != nil {
			return err
		}
		if err := q.SetSetting(ctx, domain.SettingPoolIntake, string(rule)); err != nil {
			return err
		}
		return q.Audit(ctx, a, "enterprise_assessment.pool_intake", "enterprise_assessment", "pool_intake",
			map[string]any{"rule": before}, map[string]any{"rule": rule})
	})
}
