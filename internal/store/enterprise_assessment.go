package store

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"kechuang/internal/domain"
)

// Enterprise assessments: the verdicts of the tier rule sets per firm and
// year (a new assessment replaces the old), the yearly tier rollup kept
// current in the same transaction, and the bureau's batch runs.

// assessBulk is the upsert of assessments in the dialects' bulk path: a new
// assessment of a firm, year and rule set replaces the old in its row.
var assessBulk = bulkTable{table: "enterprise_assessments",
	cols: []string{"enterprise_id", "year", "rule_set", "version", "rules_hash", "verdict",
		"score_min", "score_max", "missing", "assessed_on", "run_id", "created_at"},
	pgTypes: []string{"bigint", "bigint", "text", "text", "text", "text", "bigint", "bigint", "bigint", "text", "bigint", "text"},
	tail: ` ON CONFLICT (enterprise_id, year, rule_set) DO UPDATE SET version = excluded.version,
  rules_hash = excluded.rules_hash, verdict = excluded.verdict, score_min = excluded.score_min,
  score_max = excluded.score_max, missing = excluded.missing, assessed_on = excluded.assessed_on,
  run_id = excluded.run_id, created_at = excluded.created_at`}

// UpsertEnterpriseAssessments stores the assessments of one year (a new one
// replaces the firm's old one of the same rule set) and moves the tier
// rollup of the year, and the pool intake of the next, by what changed.
func (q *Q) UpsertEnterpriseAssessments(ctx context.Context, year int, xs []*domain.EnterpriseAssessment) error {
	if len(xs) == 0 {
		return nil
	}
	ids := make([]int64, 0, len(xs))
	seen := map[int64]bool{}
	for _, x := range xs {
		if x.Year != year {
			return fmt.Errorf("store: assessment of %d in a write of %d", x.Year, year)
		}
		if !seen[x.EnterpriseID] {
			seen[x.EnterpriseID] = true
			ids = append(ids, x.EnterpriseID)
		}
	}
	before, err := q.passesOf(ctx, ids, year-1, year+1)
	if err != nil {
		return err
	}
	now := q.Now()
	if _, _, err := q.s.dialect.bulkInsertRows(ctx, q.w, assessBulk, len(xs), func(i int) []any {
		x := xs[i]
		x.CreatedAt = now
		var run any
		if x.RunID != nil {
			run = *x.RunID
		}
		return []any{x.EnterpriseID, x.Year, x.RuleSet, x.Version, x.RulesHash, string(x.Verdict),
			intPtr(x.ScoreMin), intPtr(x.ScoreMax), x.Missing, x.AssessedOn, run, ts(now)}
	}); err != nil {
		return fmt.Errorf("store: upsert assessments: %w", err)
	}
	after := firmPasses{}
	for id, p := range before {
		after[id] = p
	}
	for _, x := range xs {
		k := firmYear{x.EnterpriseID, year}
		p := after[k]
		bit := rulePassBit(x.RuleSet)
		p.assessed = true
		if x.Verdict == "pass" {
			p.bits |= bit
		} else {
			p.bits &^= bit
		}
		after[k] = p
	}
	return q.moveTierRollup(ctx, year, ids, before, after)
}

func intPtr(p *int) any {
	if p == nil {
		return nil
	}
	return int64(*p)
}

// The pass bits of a firm's year.
const (
	passSME = 1 << iota
	passHNTE
	passEaglet
	passGazelle
	passUnicorn
)

func rulePassBit(ruleSet string) int {
	switch ruleSet {
	case "sme":
		return passSME
	case "hnte":
		return passHNTE
	case "eaglet":
		return passEaglet
	case "gazelle":
		return passGazelle
	case "unicorn":
		return passUnicorn
	}
	return 0
}

type firmYear struct {
	id   int64
	year int
}

type yearPasses struct {
	assessed bool
	bits     int
}

func (p yearPasses) tech() bool { return p.bits&(passSME|passHNTE) != 0 }
func (p yearPasses) sme() bool  { return p.bits&passSME != 0 }

type firmPasses map[firmYear]yearPasses

// passesOf reads the passes of the firms in the years from..to.
func (q *Q) passesOf(ctx context.Context, ids []int64, from, to int) (firmPasses, error) {
	out := firmPasses{}
	for start := 0; start < len(ids); start += 500 {
		part := ids[start:min(start+500, len(ids))]
		args := make([]any, len(part))
		ph := make([]string, len(part))
		for i, id := range part {
			args[i] = id
			ph[i] = fmt.Sprintf("$%d", i+1)
		}
		// By firm only, the years filtered here: with a year condition
		// PostgreSQL, without fresh statistics after a bulk write, walks the
		// year index and tests each row against the list (0.5 s a batch).
		rows, err := q.r.QueryContext(ctx, `SELECT enterprise_id, year, rule_set, verdict FROM enterprise_assessments
WHERE enterprise_id IN (`+strings.Join(ph, ",")+`)`, args...)
		if err != nil {
			return nil, fmt.Errorf("store: assessment passes: %w", err)
		}
		for rows.Next() {
			var k firmYear
			var rs, v string
			if err := rows.Scan(&k.id, &k.year, &rs, &v); err != nil {
				rows.Close()
				return nil, err
			}
			if k.year < from || k.year > to {
				continue
			}
			p := out[k]
			p.assessed = true
			if v == "pass" {
				p.bits |= rulePassBit(rs)
			}
			out[k] = p
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// tierContribution is what one firm adds to the rollup row of year y.
func tierContribution(p firmPasses, id int64, y int) domain.EnterpriseTierRow {
	cur, prev := p[firmYear{id, y}], p[firmYear{id, y - 1}]
	var r domain.EnterpriseTierRow
	if !cur.assessed {
		return r
	}
	b := func(ok bool) int64 {
		if ok {
			return 1
		}
		return 0
	}
	r.Assessed = 1
	r.Tech = b(cur.tech())
	r.HighTech = b(cur.bits&passHNTE != 0)
	r.SME = b(cur.sme())
	r.Eaglet = b(cur.bits&passEaglet != 0)
	r.GazelleUnicorn = b(cur.bits&(passGazelle|passUnicorn) != 0)
	r.IntakeNewTech = b(cur.tech() && !prev.tech())
	r.IntakeNewSME = b(cur.sme() && !prev.sme())
	return r
}

// moveTierRollup adds to the rollup rows of year and year+1 the change of
// the firms' contributions.
func (q *Q) moveTierRollup(ctx context.Context, year int, ids []int64, before, after firmPasses) error {
	for _, y := range []int{year, year + 1} {
		var d domain.EnterpriseTierRow
		for _, id := range ids {
			o, n := tierContribution(before, id, y), tierContribution(after, id, y)
			d.Assessed += n.Assessed - o.Assessed
			d.Tech += n.Tech - o.Tech
			d.HighTech += n.HighTech - o.HighTech
			d.SME += n.SME - o.SME
			d.Eaglet += n.Eaglet - o.Eaglet
			d.GazelleUnicorn += n.GazelleUnicorn - o.GazelleUnicorn
			d.IntakeNewTech += n.IntakeNewTech - o.IntakeNewTech
			d.IntakeNewSME += n.IntakeNewSME - o.IntakeNewSME
		}
		if d == (domain.EnterpriseTierRow{}) {
			continue
		}
		if _, err := q.w.ExecContext(ctx, `INSERT INTO enterprise_tier_counts (year, assessed, tech, high_tech, sme, eaglet,
  gazelle_unicorn, intake_new_tech, intake_new_sme, updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)
ON CONFLICT (year) DO UPDATE SET assessed = enterprise_tier_counts.assessed + excluded.assessed,
  tech = enterprise_tier_counts.tech + excluded.tech, high_tech = enterprise_tier_counts.high_tech + excluded.high_tech,
  sme = enterprise_tier_counts.sme + excluded.sme, eaglet = enterprise_tier_counts.eaglet + excluded.eaglet,
  gazelle_unicorn = enterprise_tier_counts.gazelle_unicorn + excluded.gazelle_unicorn,
  intake_new_tech = enterprise_tier_counts.intake_new_tech + excluded.intake_new_tech,
  intake_new_sme = enterprise_tier_counts.intake_new_sme + excluded.intake_new_sme, updated_at = excluded.updated_at`,
			y, d.Assessed, d.Tech, d.HighTech, d.SME, d.Eaglet, d.GazelleUnicorn, d.IntakeNewTech, d.IntakeNewSME, ts(q.Now())); err != nil {
			return fmt.Errorf("store: tier rollup: %w", err)
		}
	}
	return nil
}

// tierCountSQL counts the tiers of year $1 from the records ($2 = $1 − 1).
const tierCountSQL = `WITH f AS (
  SELECT enterprise_id,
    MAX(CASE WHEN rule_set IN ('sme','hnte') AND verdict = 'pass' THEN 1 ELSE 0 END) AS tech,
    MAX(CASE WHEN rule_set = 'hnte' AND verdict = 'pass' THEN 1 ELSE 0 END) AS ht,
    MAX(CASE WHEN rule_set = 'sme' AND verdict = 'pass' THEN 1 ELSE 0 END) AS sme,
    MAX(CASE WHEN rule_set = 'eaglet' AND verdict = 'pass' THEN 1 ELSE 0 END) AS eg,
    MAX(CASE WHEN rule_set IN ('gazelle','unicorn') AND verdict = 'pass' THEN 1 ELSE 0 END) AS gu
  FROM enterprise_assessments WHERE year = $1 GROUP BY enterprise_id),
p AS (
  SELECT enterprise_id,
    MAX(CASE WHEN rule_set IN ('sme','hnte') AND verdict = 'pass' THEN 1 ELSE 0 END) AS tech,
    MAX(CASE WHEN rule_set = 'sme' AND verdict = 'pass' THEN 1 ELSE 0 END) AS sme
  FROM enterprise_assessments WHERE year = $2 GROUP BY enterprise_id)
SELECT COUNT(*), COALESCE(SUM(f.tech), 0), COALESCE(SUM(f.ht), 0), COALESCE(SUM(f.sme), 0),
  COALESCE(SUM(f.eg), 0), COALESCE(SUM(f.gu), 0),
  COALESCE(SUM(CASE WHEN f.tech = 1 AND COALESCE(p.tech, 0) = 0 THEN 1 ELSE 0 END), 0),
  COALESCE(SUM(CASE WHEN f.sme = 1 AND COALESCE(p.sme, 0) = 0 THEN 1 ELSE 0 END), 0)
FROM f LEFT JOIN p ON p.enterprise_id = f.enterprise_id`

// EnterpriseTierCountsNaive counts the tiers of year from the assessment
// records themselves (the peer the rollup is checked against).
func (q *Q) EnterpriseTierCountsNaive(ctx context.Context, year int) (domain.EnterpriseTierRow, error) {
	r := domain.EnterpriseTierRow{Year: year}
	err := q.r.QueryRowContext(ctx, tierCountSQL, year, year-1).Scan(&r.Assessed, &r.Tech, &r.HighTech, &r.SME,
		&r.Eaglet, &r.GazelleUnicorn, &r.IntakeNewTech, &r.IntakeNewSME)
	if err != nil {
		return r, fmt.Errorf("store: count tiers: %w", err)
	}
	return r, nil
}

// RecountEnterpriseTiers sets the rollup rows of the years from the records
// (after a run removed the assessments of firms without a filing).
func (q *Q) RecountEnterpriseTiers(ctx context.Context, years ...int) error {
	for _, y := range years {
		r, err := q.EnterpriseTierCountsNaive(ctx, y)
		if err != nil {
			return err
		}
		if _, err := q.w.ExecContext(ctx, `INSERT INTO enterprise_tier_counts (year, assessed, tech, high_tech, sme, eaglet,
  gazelle_unicorn, intake_new_tech, intake_new_sme, updated_at) VALUES ($1,$2,$3,$4,$5,$6,$7,$8,$9,$10)
ON CONFLICT (year) DO UPDATE SET assessed = excluded.assessed, tech = excluded.tech, high_tech = excluded.high_tech,
  sme = excluded.sme, eaglet = excluded.eaglet, gazelle_unicorn = excluded.gazelle_unicorn,
  intake_new_tech = excluded.intake_new_tech, intake_new_sme = excluded.intake_new_sme, updated_at = excluded.updated_at`,
			y, r.Assessed, r.Tech, r.HighTech, r.SME, r.Eaglet, r.GazelleUnicorn, r.IntakeNewTech, r.IntakeNewSME, ts(q.Now())); err != nil {
			return fmt.Errorf("store: recount tiers: %w", err)
		}
	}
	return nil
}

// EnterpriseTierRows reads the rollup rows of the years (a year without
// assessments is a row of zeros).
func (q *Q) EnterpriseTierRows(ctx context.Context, years ...int) ([]domain.EnterpriseTierRow, error) {
	out := make([]domain.EnterpriseTierRow, 0, len(years))
	for _, y := range years {
		r := domain.EnterpriseTierRow{Year: y}
		err := q.r.QueryRowContext(ctx, `SELECT assessed, tech, high_tech, sme, eaglet, gazelle_unicorn, intake_new_tech,
  intake_new_sme FROM enterprise_tier_counts WHERE year = $1`, y).Scan(&r.Assessed, &r.Tech, &r.HighTech, &r.SME,
			&r.Eaglet, &r.GazelleUnicorn, &r.IntakeNewTech, &r.IntakeNewSME)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return nil, fmt.Errorf("store: tier rows: %w", err)
		}
		out = append(out, r)
	}
	return out, nil
}

// EnterpriseAssessedYears are the years with a tier rollup of firms
// assessed, newest first.
func (q *Q) EnterpriseAssessedYears(ctx context.Context) ([]int, error) {
	rows, err := q.r.QueryContext(ctx, `SELECT year FROM enterprise_tier_counts WHERE assessed > 0 ORDER BY year DESC`)
	if err != nil {
		return nil, fmt.Errorf("store: assessed years: %w", err)
	}
	defer rows.Close()
	out := []int{}
	for rows.Next() {
		var y int
		if err := rows.Scan(&y); err != nil {
			return nil, err
		}
		out = append(out, y)
	}
	return out, rows.Err()
}

// DeleteStaleEnterpriseAssessments removes the assessments of year whose
// firm has no filing of the year any more, or of a rule set not in sets,
// and recounts the year and the next; the number removed.
func (q *Q) DeleteStaleEnterpriseAssessments(ctx context.Context, year int, sets []string) (int64, error) {
	args := []any{year}
	ph := make([]string, len(sets))
	for i, s := range sets {
		args = append(args, s)
		ph[i] = fmt.Sprintf("$%d", i+2)
	}
	notIn := ""
	if len(sets) > 0 {
		notIn = " OR rule_set NOT IN (" + strings.Join(ph, ",") + ")"
	}
	res, err := q.w.ExecContext(ctx, `DELETE FROM enterprise_assessments WHERE year = $1 AND (NOT EXISTS (
  SELECT 1 FROM enterprise_filings f WHERE f.enterprise_id = enterprise_assessments.enterprise_id AND f.year = $1)`+notIn+`)`, args...)
	if err != nil {
		return 0, fmt.Errorf("store: delete stale assessments: %w", err)
	}
	n, _ := res.RowsAffected()
	if n > 0 {
		if err := q.RecountEnterpriseTiers(ctx, year, year+1); err != nil {
			return 0, err
		}
	}
	return n, nil
}

const assessReadCols = `a.id, a.enterprise_id, a.year, a.rule_set, a.version, a.rules_hash, a.verdict, a.score_min,
  a.score_max, a.missing, a.assessed_on, a.run_id, a.created_at`

func scanAssessment(s rowScanner, extra ...any) (*domain.EnterpriseAssessment, error) {
	x := &domain.EnterpriseAssessment{}
	var smin, smax, run sql.NullInt64
	var created, verdict string
	dst := append([]any{&x.ID, &x.EnterpriseID, &x.Year, &x.RuleSet, &x.Version, &x.RulesHash, &verdict, &smin, &smax,
		&x.Missing, &x.AssessedOn, &run, &created}, extra...)
	if err := s.Scan(dst...); err != nil {
		return nil, err
	}
	x.Verdict = domain.AssessVerdict(verdict)
	if smin.Valid {
		v := int(smin.Int64)
		x.ScoreMin = &v
	}
	if smax.Valid {
		v := int(smax.Int64)
		x.ScoreMax = &v
	}
	if run.Valid {
		x.RunID = &run.Int64
	}
	x.CreatedAt = parseTS(created)
	return x, nil
}

// EnterpriseAssessmentsOf are a firm's assessments, by year and rule set.
func (q *Q) EnterpriseAssessmentsOf(ctx context.Context, enterpriseID int64) ([]*domain.EnterpriseAssessment, error) {
	rows, err := q.r.QueryContext(ctx, `SELECT `+assessReadCols+` FROM enterprise_assessments a
WHERE a.enterprise_id = $1 ORDER BY a.year, a.rule_set`, enterpriseID)
	if err != nil {
		return nil, fmt.Errorf("store: assessments of firm: %w", err)
	}
	defer rows.Close()
	var out []*domain.EnterpriseAssessment
	for rows.Next() {
		x, err := scanAssessment(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, rows.Err()
}

// FindEnterpriseAssessments lists the firms of a year's rule set and
// verdict, in firm order, with the total.
func (q *Q) FindEnterpriseAssessments(ctx context.Context, f domain.EnterpriseAssessmentFilter) ([]domain.EnterpriseAssessedFirm, int, error) {
	where := `a.year = $1 AND a.rule_set = $2`
	args := []any{f.Year, f.RuleSet}
	if f.Verdict != "" {
		where += ` AND a.verdict = $3`
		args = append(args, f.Verdict)
	}
	var total int
	if err := q.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM enterprise_assessments a WHERE `+where, args...).Scan(&total); err != nil {
		return nil, 0, fmt.Errorf("store: count assessments: %w", err)
	}
	tail := ` ORDER BY a.enterprise_id`
	if f.PerPage > 0 {
		page := max(f.Page, 1)
		tail += fmt.Sprintf(` LIMIT %d OFFSET %d`, f.PerPage, (page-1)*f.PerPage)
	}
	rows, err := q.r.QueryContext(ctx, `SELECT `+assessReadCols+`, e.uscc, e.name, e.district FROM enterprise_assessments a
JOIN enterprises e ON e.id = a.enterprise_id WHERE `+where+tail, args...)
	if err != nil {
		return nil, 0, fmt.Errorf("store: list assessments: %w", err)
	}
	defer rows.Close()
	out := []domain.EnterpriseAssessedFirm{}
	for rows.Next() {
		var r domain.EnterpriseAssessedFirm
		x, err := scanAssessment(rows, &r.USCC, &r.Name, &r.District)
		if err != nil {
			return nil, 0, err
		}
		r.EnterpriseAssessment = x
		out = append(out, r)
	}
	return out, total, rows.Err()
}

// EnterpriseVerdictCounts counts a year's assessments by rule set and verdict.
func (q *Q) EnterpriseVerdictCounts(ctx context.Context, year int) (domain.EnterpriseRunCounts, error) {
	rows, err := q.r.QueryContext(ctx, `SELECT rule_set, verdict, COUNT(*) FROM enterprise_assessments WHERE year = $1
GROUP BY rule_set, verdict`, year)
	if err != nil {
		return nil, fmt.Errorf("store: verdict counts: %w", err)
	}
	defer rows.Close()
	out := domain.EnterpriseRunCounts{}
	for rows.Next() {
		var rs, v string
		var n int64
		if err := rows.Scan(&rs, &v, &n); err != nil {
			return nil, err
		}
		if out[rs] == nil {
			out[rs] = map[domain.AssessVerdict]int64{}
		}
		out[rs][domain.AssessVerdict(v)] = n
	}
	return out, rows.Err()
}

// ErrRunRunning is returned by StartEnterpriseRun while another run runs.
var ErrRunRunning = errors.New("store: an assessment run is running")

// StartEnterpriseRun inserts a running run (sets its id and times);
// ErrRunRunning when one is running already.
func (q *Q) StartEnterpriseRun(ctx context.Context, r *domain.EnterpriseAssessmentRun) error {
	now := q.Now()
	r.StartedAt, r.UpdatedAt, r.Running = now, now, true
	var by any
	if r.StartedBy != nil {
		by = *r.StartedBy
	}
	err := q.w.QueryRowContext(ctx, `INSERT INTO enterprise_assessment_runs (year, rule_sets, started_by, started_at, updated_at,
  running, total, done, counts) VALUES ($1,$2,$3,$4,$4,1,$5,0,'{}') RETURNING id`,
		r.Year, strings.Join(r.RuleSets, ","), by, ts(now), r.Total).Scan(&r.ID)
	if err != nil {
		if isUniqueViolation(err) {
			return ErrRunRunning
		}
		return fmt.Errorf("store: start run: %w", err)
	}
	return nil
}

// UpdateEnterpriseRun records a run's progress, counts and, when finished
// (FinishedAt set), its end: the run then no longer holds the running slot.
func (q *Q) UpdateEnterpriseRun(ctx context.Context, r *domain.EnterpriseAssessmentRun) error {
	now := q.Now()
	r.UpdatedAt = now
	counts, _ := json.Marshal(r.Counts)
	var fin, running any
	if r.FinishedAt != nil {
		fin = ts(*r.FinishedAt)
		r.Running = false
	} else {
		running = 1
	}
	_, err := q.w.ExecContext(ctx, `UPDATE enterprise_assessment_runs SET updated_at = $2, finished_at = $3, running = $4,
  total = $5, done = $6, counts = $7, error = $8 WHERE id = $1`, r.ID, ts(now), fin, running, r.Total, r.Done, string(counts), r.Error)
	if err != nil {
		return fmt.Errorf("store: update run: %w", err)
	}
	return nil
}

const runCols = `id, year, rule_sets, started_by, started_at, updated_at, finished_at, running, total, done, counts, error`

func scanRun(s rowScanner) (*domain.EnterpriseAssessmentRun, error) {
	r := &domain.EnterpriseAssessmentRun{}
	var sets, started, updated, counts string
	var by, running sql.NullInt64
	var fin sql.NullString
	if err := s.Scan(&r.ID, &r.Year, &sets, &by, &started, &updated, &fin, &running, &r.Total, &r.Done, &counts, &r.Error); err != nil {
		return nil, err
	}
	if sets != "" {
		r.RuleSets = strings.Split(sets, ",")
	}
	if by.Valid {
		r.StartedBy = &by.Int64
	}
	r.StartedAt, r.UpdatedAt = parseTS(started), parseTS(updated)
	if fin.Valid {
		t := parseTS(fin.String)
		r.FinishedAt = &t
	}
	r.Running = running.Valid
	r.Counts = domain.EnterpriseRunCounts{}
	if err := json.Unmarshal([]byte(counts), &r.Counts); err != nil {
		return nil, fmt.Errorf("store: run %d counts: %w", r.ID, err)
	}
	return r, nil
}

// EnterpriseRun finds a run; nil when there is none.
func (q *Q) EnterpriseRun(ctx context.Context, id int64) (*domain.EnterpriseAssessmentRun, error) {
	r, err := scanRun(q.r.QueryRowContext(ctx, `SELECT `+runCols+` FROM enterprise_assessment_runs WHERE id = $1`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return r, err
}

// RunningEnterpriseRun is the run that runs now; nil when none.
func (q *Q) RunningEnterpriseRun(ctx context.Context) (*domain.EnterpriseAssessmentRun, error) {
	r, err := scanRun(q.r.QueryRowContext(ctx, `SELECT `+runCols+` FROM enterprise_assessment_runs WHERE running = 1`))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	return r, err
}

// EnterpriseRuns are the latest runs of a year (0: of every year), newest first.
func (q *Q) EnterpriseRuns(ctx context.Context, year, limit int) ([]*domain.EnterpriseAssessmentRun, error) {
	where, args := "", []any{}
	if year != 0 {
		where, args = " WHERE year = $1", append(args, year)
	}
	rows, err := q.r.QueryContext(ctx, `SELECT `+runCols+` FROM enterprise_assessment_runs`+where+
		fmt.Sprintf(` ORDER BY id DESC LIMIT %d`, max(limit, 1)), args...)
	if err != nil {
		return nil, fmt.Errorf("store: runs: %w", err)
	}
	defer rows.Close()
	var out []*domain.EnterpriseAssessmentRun
	for rows.Next() {
		r, err := scanRun(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// CountEnterpriseFilingsOfYear counts the filings of a year (a run's total).
func (q *Q) CountEnterpriseFilingsOfYear(ctx context.Context, year int) (int64, error) {
	var n int64
	if err := q.r.QueryRowContext(ctx, `SELECT COUNT(*) FROM enterprise_filings WHERE year = $1`, year).Scan(&n); err != nil {
		return 0, fmt.Errorf("store: count filings: %w", err)
	}
	return n, nil
}
