package service

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"kechuang/internal/domain"
	"kechuang/internal/rules"
	"kechuang/internal/store"
)

// EnterpriseAssess is the tier assessment of the registry's filings
// (issue 10 items 4 and 6): one firm's year, the bureau's batch run of a
// year, tier transitions and the public tier statistics. Verdicts are
// stored without their explanation, which is recomputed from the filing.
type EnterpriseAssess struct {
	*core
	mu     sync.Mutex
	cached *ruleBook
	// bg is the runs StartRun executes in the background.
	bg sync.WaitGroup
}

// ruleBook is the loaded rule sets with each file's content hash.
type ruleBook struct {
	snap   *rules.Snapshot
	sets   map[string]*rules.Set
	hashes map[string]string
	tiers  []*rules.Set // TierRuleSets present, in order
	policy []*rules.Set // the city policies, by id
}

// book is the rule sets in force with each file's content hash, rebuilt
// when the library rereads the bureau's files.
func (s *EnterpriseAssess) book() (*ruleBook, error) {
	snap, err := s.ruleSets()
	if err != nil {
		return nil, err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cached != nil && s.cached.snap == snap {
		return s.cached, nil
	}
	b := &ruleBook{snap: snap, sets: snap.Sets, hashes: map[string]string{}}
	for id, set := range snap.Sets {
		b.hashes[id] = snap.Hashes[id][:16]
		if set.Kind == "policy" {
			b.policy = append(b.policy, set)
		}
	}
	sort.Slice(b.policy, func(i, j int) bool { return b.policy[i].ID < b.policy[j].ID })
	for _, id := range domain.TierRuleSets {
		if set, ok := snap.Sets[id]; ok {
			b.tiers = append(b.tiers, set)
		}
	}
	s.cached = b
	return b, nil
}

// RunBatch is the filings assessed in one transaction of a batch run.
const RunBatch = 1000

// runStale is how long a running run may go without progress before a
// new run takes over (the process that ran it is gone).
const runStale = 10 * time.Minute

// checkAssessYear refuses a year outside the filings' years.
func checkAssessYear(year int) error {
	if year < domain.MinFilingYear || year > domain.MaxFilingYear {
		return domain.FieldErrorf("year", "年度应在%d至%d之间", domain.MinFilingYear, domain.MaxFilingYear)
	}
	return nil
}

// assessRows assesses one filing under the tier rule sets: the rows to store.
func assessRows(b *ruleBook, m *rules.Multi, f *domain.EnterpriseFiling, runID *int64) []*domain.EnterpriseAssessment {
	out := make([]*domain.EnterpriseAssessment, 0, len(b.tiers))
	row := func(set *rules.Set) *domain.EnterpriseAssessment {
		return &domain.EnterpriseAssessment{EnterpriseID: f.EnterpriseID, Year: f.Year, RuleSet: set.ID,
			RulesHash: b.hashes[set.ID], RunID: runID}
	}
	facts, err := rules.ParseJSON(f.Facts)
	var results []*rules.Result
	sets := b.tiers
	if err == nil && len(facts) == 1 {
		if results, err = m.Assess(&facts[0]); err != nil {
			// A set without a version in force on the day (an old year):
			// no verdict of that set; the others as usual.
			sets, results, err = assessInForce(b.tiers, &facts[0], false)
		}
	}
	if err != nil || len(facts) != 1 {
		// A filing the engine cannot read (filed before a rule change):
		// its facts are missing, never guessed.
		for _, set := range b.tiers {
			x := row(set)
			x.Verdict, x.Missing = "missing_facts", 1
			x.AssessedOn = fmt.Sprintf("%d-12-31", f.Year)
			out = append(out, x)
		}
		return out
	}
	on := fmt.Sprintf("%d-12-31", f.Year)
	if facts[0].AssessedOn != nil {
		on = *facts[0].AssessedOn
	}
	for i, r := range results {
		x := row(sets[i])
		x.Version, x.Verdict, x.Missing, x.AssessedOn = r.Version, domain.AssessVerdict(r.Verdict), len(r.Missing), on
		x.ScoreMin, x.ScoreMax = r.ScoreMin, r.ScoreMax
		out = append(out, x)
	}
	return out
}

// assessBatch is assessRows of each filing, in the filings' order: the
// filings are shared out among the Multis, one goroutine each (parsing the
// facts and evaluating the rules is pure CPU work), and the rows are
// gathered by position, so the result is the same as one loop's.
func assessBatch(b *ruleBook, ms []*rules.Multi, fs []*domain.EnterpriseFiling, runID *int64) []*domain.EnterpriseAssessment {
	per := make([][]*domain.EnterpriseAssessment, len(fs))
	var next atomic.Int64
	var wg sync.WaitGroup
	for _, m := range ms[:min(len(ms), len(fs))] {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < len(fs); i = int(next.Add(1) - 1) {
				per[i] = assessRows(b, m, fs[i], runID)
			}
		})
	}
	wg.Wait()
	rows := make([]*domain.EnterpriseAssessment, 0, len(fs)*len(b.tiers))
	for _, r := range per {
		rows = append(rows, r...)
	}
	return rows
}

// assessInForce assesses the facts under those of the sets with a version
// in force on their assessed_on: the sets and their results.
func assessInForce(sets []*rules.Set, f *rules.Facts, detail bool) ([]*rules.Set, []*rules.Result, error) {
	var in []*rules.Set
	for _, s := range sets {
		if f.AssessedOn == nil {
			in = append(in, s)
		} else if _, err := s.VersionOn(*f.AssessedOn); err == nil {
			in = append(in, s)
		}
	}
	if len(in) == 0 {
		return nil, nil, nil
	}
	rs, err := rules.NewMulti(in, detail).Assess(f)
	return in, rs, err
}

// AssessFirm assesses a firm's filing of a year under every tier rule set
// and stores the verdicts (replacing the old ones), moving the tier
// statistics in the same transaction. The bureau, the administrator and
// the firm's own users may.
func (s *EnterpriseAssess) AssessFirm(ctx context.Context, a *domain.Actor, enterpriseID int64, year int) ([]*domain.EnterpriseAssessment, error) {
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
	var rows []*domain.EnterpriseAssessment
	err = s.store.InTx(ctx, func(q *store.Q) error {
		x, err := s.firm(ctx, q, a, enterpriseID)
		if err != nil {
			return err
		}
		if !domain.Enterprises.CanFile(a, x) {
			return forbidden("评价该企业")
		}
		f, err := q.EnterpriseFiling(ctx, enterpriseID, year)
		if err != nil {
			return err
		}
		rows = assessRows(b, rules.NewMulti(b.tiers, false), f, nil)
		if err := q.UpsertEnterpriseAssessments(ctx, year, rows); err != nil {
			return err
		}
		return q.Audit(ctx, a, "enterprise_assessment.assess", "enterprise_assessment", enterpriseID, nil, verdictsOf(year, rows))
	})
	if err != nil {
		return nil, err
	}
	return rows, nil
}

// verdictsOf is the audit row's record of a firm's verdicts.
func verdictsOf(year int, rows []*domain.EnterpriseAssessment) map[string]any {
	m := map[string]any{"year": year}
	for _, r := range rows {
		m[r.RuleSet] = string(r.Verdict)
	}
	return m
}

// firm is the registry firm if the actor may see it, else "not found".
func (s *EnterpriseAssess) firm(ctx context.Context, q *store.Q, a *domain.Actor, id int64) (*domain.Enterprise, error) {
	x, err := q.FindEnterpriseByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if !domain.Enterprises.CanSee(a, x) {
		return nil, domain.Errorf(domain.ENOTFOUND, "企业不存在")
	}
	return x, nil
}

// BeginRun starts the batch run of a year: refused while another runs
// (a run silent for runStale is closed as interrupted first). ExecuteRun
// then does the work.
func (s *EnterpriseAssess) BeginRun(ctx context.Context, a *domain.Actor, year int) (*domain.EnterpriseAssessmentRun, error) {
	if err := requireLogin(a); err != nil {
		return nil, err
	}
	if !domain.EnterpriseAssess.CanRun(a) {
		return nil, forbidden("运行年度批量评价")
	}
	if err := checkAssessYear(year); err != nil {
		return nil, err
	}
	b, err := s.book()
	if err != nil {
		return nil, err
	}
	r := &domain.EnterpriseAssessmentRun{Year: year, Counts: domain.EnterpriseRunCounts{}}
	for _, set := range b.tiers {
		r.RuleSets = append(r.RuleSets, set.ID)
	}
	if a.UserID != 0 {
		id := a.UserID
		r.StartedBy = &id
	}
	err = s.store.InTx(ctx, func(q *store.Q) error {
		cur, err := q.RunningEnterpriseRun(ctx)
		if err != nil {
			return err
		}
		if cur != nil {
			if q.Now().Sub(cur.UpdatedAt) < runStale {
				return domain.Errorf(domain.ECONFLICT, "%d 年度的批量评价正在运行（已完成 %d / %d），请等待其完成后再运行", cur.Year, cur.Done, cur.Total)
			}
			fin := q.Now()
			cur.FinishedAt, cur.Error = &fin, "运行中断"
			if err := q.UpdateEnterpriseRun(ctx, cur); err != nil {
				return err
			}
			if err := q.Audit(ctx, a, "enterprise_assessment_run.fail", "enterprise_assessment_run", cur.ID, nil, map[string]any{"error": cur.Error}); err != nil {
				return err
			}
		}
		if r.Total, err = q.CountEnterpriseFilingsOfYear(ctx, year); err != nil {
			return err
		}
		if err := q.StartEnterpriseRun(ctx, r); err != nil {
			if errors.Is(err, store.ErrRunRunning) {
				return domain.Errorf(domain.ECONFLICT, "已有批量评价正在运行，请等待其完成后再运行")
			}
			return err
		}
		return q.Audit(ctx, a, "enterprise_assessment_run.start", "enterprise_assessment_run", r.ID, nil,
			map[string]any{"year": year, "rule_sets": r.RuleSets, "total": r.Total})
	})
	if err != nil {
		return nil, err
	}
	return r, nil
}

// ExecuteRun assesses every filing of the run's year in batches of
// RunBatch, one transaction each (progress and counts recorded with it),
// then removes the assessments of firms without a filing of the year and
// closes the run with the counts of the records. A rerun replaces every
// verdict: running twice leaves the same rows and statistics.
func (s *EnterpriseAssess) ExecuteRun(ctx context.Context, a *domain.Actor, r *domain.EnterpriseAssessmentRun) (*domain.EnterpriseAssessmentRun, error) {
	err := s.executeRun(ctx, a, r)
	if err != nil {
		fin := s.now()
		r.FinishedAt, r.Error = &fin, "运行失败："+domain.ErrorMessage(err)
		if err2 := s.store.InTx(context.WithoutCancel(ctx), func(q *store.Q) error {
			if err := q.UpdateEnterpriseRun(ctx, r); err != nil {
				return err
			}
			return q.Audit(ctx, a, "enterprise_assessment_run.fail", "enterprise_assessment_run", r.ID, nil, map[string]any{"error": r.Error, "done": r.Done})
		}); err2 != nil {
			s.log.Error("enterprise assessment run: recording the failure", "run", r.ID, "err", err2)
		}
		return r, err
	}
	return r, nil
}

func (s *EnterpriseAssess) executeRun(ctx context.Context, a *domain.Actor, r *domain.EnterpriseAssessmentRun) error {
	b, err := s.book()
	if err != nil {
		return err
	}
	ms := make([]*rules.Multi, runtime.GOMAXPROCS(0)) // one per worker: a Multi is not safe for concurrent use
	for i := range ms {
		ms[i] = rules.NewMulti(b.tiers, false)
	}
	runID := r.ID
	var after int64
	r.Done = 0
	for {
		done := false
		err := s.store.InTx(ctx, func(q *store.Q) error {
			fs, err := q.EnterpriseFilingsOfYear(ctx, r.Year, after, RunBatch)
			if err != nil {
				return err
			}
			if len(fs) == 0 {
				done = true
				return nil
			}
			rows := assessBatch(b, ms, fs, &runID)
			if err := q.UpsertEnterpriseAssessments(ctx, r.Year, rows); err != nil {
				return err
			}
			r.Done += int64(len(fs))
			r.Total = max(r.Total, r.Done)
			for _, x := range rows {
				if r.Counts[x.RuleSet] == nil {
					r.Counts[x.RuleSet] = map[domain.AssessVerdict]int64{}
				}
				r.Counts[x.RuleSet][x.Verdict]++
			}
			after = fs[len(fs)-1].ID
			done = len(fs) < RunBatch
			return q.UpdateEnterpriseRun(ctx, r)
		})
		if err != nil {
			return err
		}
		if done {
			break
		}
	}
	return s.store.InTx(ctx, func(q *store.Q) error {
		removed, err := q.DeleteStaleEnterpriseAssessments(ctx, r.Year, r.RuleSets)
		if err != nil {
			return err
		}
		if r.Counts, err = q.EnterpriseVerdictCounts(ctx, r.Year); err != nil {
			return err
		}
		fin := q.Now()
		r.FinishedAt = &fin
		if err := q.UpdateEnterpriseRun(ctx, r); err != nil {
			return err
		}
		return q.Audit(ctx, a, "enterprise_assessment_run.finish", "enterprise_assessment_run", r.ID, nil,
			map[string]any{"year": r.Year, "done": r.Done, "removed": removed})
	})
}

// Run is the batch run of a year from start to end (the command line and
// the demo load): BeginRun then ExecuteRun.
func (s *EnterpriseAssess) Run(ctx context.Context, a *domain.Actor, year int) (*domain.EnterpriseAssessmentRun, error) {
	r, err := s.BeginRun(ctx, a, year)
	if err != nil {
		return nil, err
	}
	return s.ExecuteRun(ctx, a, r)
}

// StartRun begins the batch run of a year and executes it in the
// background (the pages and the API answer at once; the run page shows
// its progress). Wait waits for such runs.
func (s *EnterpriseAssess) StartRun(ctx context.Context, a *domain.Actor, year int) (*domain.EnterpriseAssessmentRun, error) {
	r, err := s.BeginRun(ctx, a, year)
	if err != nil {
		return nil, err
	}
	out := *r
	out.Counts = domain.EnterpriseRunCounts{} // the run's own map changes as it runs
	actor := *a
	s.bg.Add(1)
	go func() {
		defer s.bg.Done()
		if _, err := s.ExecuteRun(context.WithoutCancel(ctx), &actor, r); err != nil {
			s.log.Error("enterprise assessment run failed", "run", r.ID, "year", r.Year, "err", err)
		}
	}()
	return &out, nil
}

// Wait waits until the runs started by StartRun have ended.
func (s *EnterpriseAssess) Wait() { s.bg.Wait() }

// RunNotFound is the answer for a run that is not there.
const RunNotFound = "批量评价记录不存在"

// GetRun is one run (its progress while it runs).
func (s *EnterpriseAssess) GetRun(ctx context.Context, a *domain.Actor, id int64) (*domain.EnterpriseAssessmentRun, error) {
	if err := requireLogin(a); err != nil {
		return nil, err
	}
	if !domain.EnterpriseAssess.CanSeeRuns(a) {
		return nil, forbidden("查看年度批量评价")
	}
	r, err := s.store.EnterpriseRun(ctx, id)
	if err != nil {
		return nil, err
	}
	if r == nil {
		return nil, domain.Errorf(domain.ENOTFOUND, "%s", domain.Msg(RunNotFound))
	}
	return r, nil
}

// Runs are the latest runs of a year, newest first, for the run page.
func (s *EnterpriseAssess) Runs(ctx context.Context, a *domain.Actor, year int) ([]*domain.EnterpriseAssessmentRun, error) {
	if err := requireLogin(a); err != nil {
		return nil, err
	}
	if !domain.EnterpriseAssess.CanSeeRuns(a) {
		return nil, forbidden("查看年度批量评价")
	}
	return s.store.EnterpriseRuns(ctx, year, 10)
}

// RunningRun is the run that runs now (nil none).
func (s *EnterpriseAssess) RunningRun(ctx context.Context, a *domain.Actor) (*domain.EnterpriseAssessmentRun, error) {
	if err := requireLogin(a); err != nil {
		return nil, err
	}
	if !domain.EnterpriseAssess.CanSeeRuns(a) {
		return nil, forbidden("查看年度批量评价")
	}
	return s.store.RunningEnterpriseRun(ctx)
}

// YearVerdicts counts a year's assessments by rule set and verdict.
func (s *EnterpriseAssess) YearVerdicts(ctx context.Context, a *domain.Actor, year int) (domain.EnterpriseRunCounts, error) {
	if err := requireLogin(a); err != nil {
		return nil, err
	}
	if !domain.EnterpriseAssess.CanSeeRuns(a) {
		return nil, forbidden("查看年度批量评价")
	}
	if err := checkAssessYear(year); err != nil {
		return nil, err
	}
	return s.store.EnterpriseVerdictCounts(ctx, year)
}

// AssessedFirms lists the firms of a year's rule set and verdict (a page;
// PerPage 0 all of them, for the export).
func (s *EnterpriseAssess) AssessedFirms(ctx context.Context, a *domain.Actor, f domain.EnterpriseAssessmentFilter) ([]domain.EnterpriseAssessedFirm, int, error) {
	if err := requireLogin(a); err != nil {
		return nil, 0, err
	}
	if !domain.EnterpriseAssess.CanSeeRuns(a) {
		return nil, 0, forbidden("查看年度批量评价")
	}
	if err := checkAssessYear(f.Year); err != nil {
		return nil, 0, err
	}
	if !slices.Contains(domain.TierRuleSets, f.RuleSet) {
		return nil, 0, domain.FieldErrorf("rule_set", "规则集应为 %v 之一", domain.TierRuleSets)
	}
	if f.Verdict != "" && !domain.AssessVerdicts.Valid(domain.AssessVerdict(f.Verdict)) {
		return nil, 0, domain.FieldErrorf("verdict", "评价结论无效")
	}
	return s.store.FindEnterpriseAssessments(ctx, f)
}
