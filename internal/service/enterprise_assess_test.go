package service_test

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"kechuang/internal/domain"
	"kechuang/internal/rules"
	"kechuang/internal/service"
)

// The hnte expert scores that make the world's facts pass (every expert
// item at its band's top) or fail (at its bottom).
var (
	hnteTop    = map[string]int64{"conversion": 18, "growth_net_assets": 4, "growth_sales": 6, "ip_acquisition": 6, "ip_advanced": 8, "ip_core_support": 8, "ip_quantity": 8, "ip_standards": 2, "rd_management": 20}
	hnteBottom = map[string]int64{"conversion": 13, "growth_net_assets": 3, "growth_sales": 5, "ip_acquisition": 1, "ip_advanced": 0, "ip_core_support": 0, "ip_quantity": 7, "ip_standards": 0, "rd_management": 0}
)

func scored(s map[string]int64) func(*rules.Facts) {
	return func(f *rules.Facts) { f.ExpertScores = s }
}

// tooBig makes a firm of 600 staff: no 科技型中小企业 nor 高企 (size gate).
func tooBig(f *rules.Facts) { n := int64(600); f.Employees = &n }

// tierFirms files three firms over 2021–2023:
// A (the world's enterprise): sme 2021; sme and hnte 2022; sme, hnte failed 2023.
// B: too big 2021; sme 2022; too big 2023. C: sme 2022 only.
func tierFirms(t *testing.T, w *world) (a, b, c *domain.Enterprise) {
	w.city.SetDay("2024-06-01")
	a = w.city.Enterprise().Filed(2021).Filed(2022, scored(hnteTop)).Filed(2023, scored(hnteBottom)).Insert(t)
	b = w.city.Enterprise().Unlinked("沈阳乙科技有限公司").Filed(2021, tooBig).Filed(2022).Filed(2023, tooBig).Insert(t)
	c = w.city.Enterprise().Unlinked("沈阳丙科技有限公司").Filed(2022).Insert(t)
	return a, b, c
}

func checkRollup(t *testing.T, w *world, years ...int) {
	t.Helper()
	for _, y := range years {
		rows, err := w.st.EnterpriseTierRows(t.Context(), y)
		if err != nil {
			t.Fatal(err)
		}
		naive, err := w.st.EnterpriseTierCountsNaive(t.Context(), y)
		if err != nil {
			t.Fatal(err)
		}
		if rows[0] != naive {
			t.Errorf("%d: rollup %+v, records %+v", y, rows[0], naive)
		}
	}
}

type tierWant struct{ tech, added, high, intake int64 }

func checkStats(t *testing.T, w *world, year int, want tierWant) *service.EnterpriseStats {
	t.Helper()
	st, err := w.svc.EnterpriseAssess.Stats(t.Context(), year)
	if err != nil {
		t.Fatal(err)
	}
	if got := (tierWant{st.TechEnterprises, st.TechEnterprisesAdded, st.HighTech, st.PoolIntake}); got != want {
		t.Errorf("%d: tech/added/high/intake %+v, want %+v", year, got, want)
	}
	return st
}

// TestEnterpriseTiers: a firm passing sme and hnte counts once as a tech
// enterprise; the pool intake is the firms tech this year and not the year
// before; added is the difference of two years (negative when firms are
// lost). Years assessed out of order (2022 before 2021) leave the rollup
// equal to the records; a rerun replaces and changes nothing; the firm's
// page reads sme→hnte in 2022 and hnte lost in 2023.
func TestEnterpriseTiers(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		a, b, _ := tierFirms(t, w)
		for _, y := range []int{2022, 2021, 2023} {
			r, err := w.svc.EnterpriseAssess.Run(t.Context(), w.bureau, y)
			if err != nil {
				t.Fatal(err)
			}
			if r.Running || r.FinishedAt == nil || r.Done != r.Total {
				t.Errorf("run %d: %+v", y, r)
			}
		}
		checkRollup(t, w, 2021, 2022, 2023, 2024)
		// 2021 is the first year of records: its "added" and intake are
		// counted against nothing, and the statistics say so.
		if s21 := checkStats(t, w, 2021, tierWant{1, 1, 0, 1}); s21.PreviousAssessed != 0 {
			t.Errorf("2021: %d firms assessed in 2020", s21.PreviousAssessed)
		}
		s22 := checkStats(t, w, 2022, tierWant{3, 2, 1, 2})
		if s22.PreviousAssessed != 2 {
			t.Errorf("2022: %d firms assessed in 2021, want 2", s22.PreviousAssessed)
		}
		checkStats(t, w, 2023, tierWant{1, -2, 0, 0})
		if s22.SME != 3 || s22.Assessed != 3 || s22.Previous != 1 || s22.PoolIntakeRule != domain.PoolIntakeNewTech {
			t.Errorf("2022: %+v", s22)
		}

		// The rerun: the same rows, the same figures, a second run recorded.
		before, _, err := w.svc.EnterpriseAssess.AssessedFirms(t.Context(), w.bureau, domain.EnterpriseAssessmentFilter{Year: 2022, RuleSet: "sme"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.EnterpriseAssess.Run(t.Context(), w.bureau, 2022); err != nil {
			t.Fatal(err)
		}
		after, n, err := w.svc.EnterpriseAssess.AssessedFirms(t.Context(), w.bureau, domain.EnterpriseAssessmentFilter{Year: 2022, RuleSet: "sme"})
		if err != nil {
			t.Fatal(err)
		}
		if n != 3 || len(after) != len(before) {
			t.Fatalf("rerun: %d rows, before %d", len(after), len(before))
		}
		for i := range after {
			if after[i].ID != before[i].ID || after[i].Verdict != before[i].Verdict || *after[i].RunID == *before[i].RunID {
				t.Errorf("rerun row %d: %+v, before %+v", i, after[i].EnterpriseAssessment, before[i].EnterpriseAssessment)
			}
		}
		checkRollup(t, w, 2022, 2023)
		checkStats(t, w, 2022, tierWant{3, 2, 1, 2})
		runs, err := w.svc.EnterpriseAssess.Runs(t.Context(), w.bureau, 2022)
		if err != nil || len(runs) != 2 || runs[0].Counts["sme"]["pass"] != 3 || runs[0].Counts["hnte"]["pass"] != 1 {
			t.Errorf("runs: %+v %v", runs, err)
		}

		// One firm reassessed: hnte 2022 now fails; the rollup follows.
		if _, err := w.svc.EnterpriseAssess.AssessFirm(t.Context(), w.ent, b.ID, 2022); domain.ErrorCode(err) != domain.ENOTFOUND {
			t.Errorf("another firm's assessment by the enterprise: %v", err)
		}
		rows, err := w.svc.EnterpriseAssess.AssessFirm(t.Context(), w.ent, a.ID, 2022)
		if err != nil || len(rows) != len(domain.TierRuleSets) {
			t.Fatalf("own firm: %v %v", rows, err)
		}

		// The firm's years: sme→hnte in 2022, hnte lost in 2023.
		ys, err := w.svc.EnterpriseAssess.FirmAssessments(t.Context(), w.ent, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(ys) != 3 {
			t.Fatalf("years: %+v", ys)
		}
		tiers := func(ts []domain.Tier) string { return fmt.Sprint(ts) }
		if tiers(ys[0].Tiers) != "[tech]" || tiers(ys[1].Gained) != "[high_tech]" || tiers(ys[2].Lost) != "[high_tech]" || len(ys[2].Gained) != 0 {
			t.Errorf("transitions: %+v", ys)
		}
		for _, v := range ys[1].Verdict {
			if v.Result == nil || v.Result.Verdict != string(v.Verdict) || v.RulesChanged {
				t.Errorf("2022 %s: stored %s, recomputed %+v, changed %v", v.RuleSet, v.Verdict, v.Result, v.RulesChanged)
			}
		}
		if _, err := w.svc.EnterpriseAssess.FirmAssessments(t.Context(), w.expert, a.ID); domain.ErrorCode(err) != domain.ENOTFOUND {
			t.Errorf("an expert reads the firm's verdicts: %v", err)
		}
		ps, err := w.svc.EnterpriseAssess.FirmPolicies(t.Context(), w.bureau, a.ID, 2022)
		if err != nil || len(ps) == 0 {
			t.Errorf("policies: %v %v", ps, err)
		}

		// The [A] pool-intake definition is a setting.
		if err := w.svc.EnterpriseAssess.SetPoolIntakeRule(t.Context(), w.ent, domain.PoolIntakeNewSME); domain.ErrorCode(err) != domain.EFORBIDDEN {
			t.Errorf("the enterprise sets the pool intake: %v", err)
		}
		if err := w.svc.EnterpriseAssess.SetPoolIntakeRule(t.Context(), w.bureau, "nonsense"); domain.ErrorField(err) != "pool_intake_rule" {
			t.Errorf("bad rule: %v", err)
		}
		if err := w.svc.EnterpriseAssess.SetPoolIntakeRule(t.Context(), w.bureau, domain.PoolIntakeNewSME); err != nil {
			t.Fatal(err)
		}
		s21 := checkStats(t, w, 2021, tierWant{1, 1, 0, 1})
		if s21.PoolIntakeRule != domain.PoolIntakeNewSME {
			t.Errorf("rule: %s", s21.PoolIntakeRule)
		}
	})
}

// TestEnterpriseRunRefusals: only the bureau and the administrator run; a
// run while one is running is refused naming the running one; a run
// silent for ten minutes is closed as interrupted by the next; a bad year
// names year.
func TestEnterpriseRunRefusals(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		tierFirms(t, w)
		s := w.svc.EnterpriseAssess
		if _, err := s.BeginRun(t.Context(), w.ent, 2022); domain.ErrorCode(err) != domain.EFORBIDDEN {
			t.Errorf("enterprise: %v", err)
		}
		for _, y := range []int{1999, 2101} {
			if _, err := s.BeginRun(t.Context(), w.bureau, y); domain.ErrorField(err) != "year" {
				t.Errorf("year %d: %v", y, err)
			}
		}
		first, err := s.BeginRun(t.Context(), w.bureau, 2022)
		if err != nil {
			t.Fatal(err)
		}
		if first.Total != 3 || !first.Running {
			t.Errorf("begun: %+v", first)
		}
		if _, err := s.BeginRun(t.Context(), w.bureau, 2023); domain.ErrorCode(err) != domain.ECONFLICT {
			t.Errorf("second run: %v", err)
		}
		w.city.Clock.Advance(11 * time.Minute)
		second, err := s.Run(t.Context(), w.bureau, 2023)
		if err != nil {
			t.Fatal(err)
		}
		old, err := s.GetRun(t.Context(), w.bureau, first.ID)
		if err != nil || old.Running || old.Error == "" || old.FinishedAt == nil {
			t.Errorf("interrupted run: %+v %v", old, err)
		}
		if second.Error != "" || second.Done != 2 {
			t.Errorf("second: %+v", second)
		}
		if _, err := s.GetRun(t.Context(), w.bureau, 999999); domain.ErrorCode(err) != domain.ENOTFOUND {
			t.Errorf("missing run: %v", err)
		}
		if _, _, err := s.AssessedFirms(t.Context(), w.bureau, domain.EnterpriseAssessmentFilter{Year: 2023, RuleSet: "policy"}); domain.ErrorField(err) != "rule_set" {
			t.Errorf("bad rule set: %v", err)
		}
		if _, err := s.Stats(t.Context(), 1979); domain.ErrorField(err) != "year" {
			t.Errorf("stats 1979: %v", err)
		}
		st, err := s.Stats(t.Context(), 2023)
		if err != nil {
			t.Fatal(err)
		}
		var target *service.EnterpriseTarget
		for i := range st.Targets {
			if st.Targets[i].Year == 2023 {
				target = &st.Targets[i]
			}
		}
		if target == nil || target.TechEnterprises == nil || *target.TechEnterprises != 20000 || *target.HighTech != 5000 ||
			st.Target.TechEnterprises == nil || !slices.Contains(st.Years, 2023) {
			t.Errorf("targets: %+v (this year %+v, years %v)", st.Targets, st.Target, st.Years)
		}
	})
}

// TestEnterpriseRunDrain: a run started from a page (StartRun, in the
// background) has ended when Drain returns, so serve's exit does not leave
// it running to block the bureau's next run.
func TestEnterpriseRunDrain(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		tierFirms(t, w)
		s := w.svc.EnterpriseAssess
		r, err := s.StartRun(t.Context(), w.bureau, 2022)
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
		defer cancel()
		if !w.svc.Drain(ctx) {
			t.Fatal("Drain: the run did not end within a minute")
		}
		got, err := s.GetRun(t.Context(), w.bureau, r.ID)
		if err != nil || got.Running || got.FinishedAt == nil || got.Done != 3 || got.Error != "" {
			t.Fatalf("after Drain: %+v %v", got, err)
		}
		if _, err := s.BeginRun(t.Context(), w.bureau, 2023); err != nil {
			t.Errorf("the next run after Drain: %v", err)
		}
	})
}
