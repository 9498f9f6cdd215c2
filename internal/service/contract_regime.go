package service

import (
	"context"
	"errors"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"

	"kechuang/internal/domain"
	"kechuang/internal/store"
	"kechuang/internal/textnorm"
	"kechuang/internal/workday"
)

// Settings keys of the regime rules (domain.RegimeRules).
const (
	SettingRegimeCutover   = "regime_cutover"       // YYYY-MM-DD, first 受理 date of the 2026 regime
	SettingExpertThreshold = "expert_threshold_fen" // 技术交易额 from which a contract goes to expert review
)

// regimeRules reads the administration's regime settings (defaults when
// unset). Read before a transaction, never inside (see mutate).
func (c *core) regimeRules(ctx context.Context) (domain.RegimeRules, error) {
	return readRegimeRules(ctx, c.store.Q)
}

func readRegimeRules(ctx context.Context, q *store.Q) (domain.RegimeRules, error) {
	r := domain.DefaultRegimeRules()
	cut, err := q.Setting(ctx, SettingRegimeCutover, r.Cutover)
	if err != nil {
		return r, err
	}
	th, err := q.Setting(ctx, SettingExpertThreshold, strconv.FormatInt(r.ExpertThresholdFen, 10))
	if err != nil {
		return r, err
	}
	r.Cutover = cut
	if n, err := strconv.ParseInt(th, 10, 64); err == nil {
		r.ExpertThresholdFen = n
	}
	return r, nil
}

// calendar is the working-day calendar: the library's with the
// arrangements the bureau loaded over it.
func (c *core) calendar(ctx context.Context) (*workday.Calendar, error) {
	days, err := c.store.WorkdayDays(ctx)
	if err != nil {
		return nil, err
	}
	return workday.New(days), nil
}

// RegimeInfo is what the pages and the API show of the rules: the
// settings, the table and the calendar's sources.
type RegimeInfo struct {
	Rules   domain.RegimeRules `json:"rules"`
	Current string             `json:"current"` // the regime a filing accepted today falls under
	Loaded  []int              `json:"loaded_years"`
	Regimes []domain.Regime    `json:"regimes"`
}

// Regime returns the regime settings; any logged-in user may read them.
func (s *Contracts) Regime(ctx context.Context, a *domain.Actor) (*RegimeInfo, error) {
	if err := requireLogin(a); err != nil {
		return nil, err
	}
	r, err := s.regimeRules(ctx)
	if err != nil {
		return nil, err
	}
	days, err := s.store.WorkdayDays(ctx)
	if err != nil {
		return nil, err
	}
	return &RegimeInfo{Rules: r, Current: r.At(s.today()).Code, Loaded: workday.Years(days), Regimes: domain.Regimes}, nil
}

// RegimeToday is the regime a filing accepted today falls under (public
// rules: the form's category set follows it).
func (s *Contracts) RegimeToday(ctx context.Context) (*domain.Regime, error) {
	r, err := s.regimeRules(ctx)
	if err != nil {
		return nil, err
	}
	return r.At(s.today()), nil
}

// SetRegime changes the cut-over and the expert-review threshold (admin).
// Filings already accepted keep the regime and clock they were given.
func (s *Contracts) SetRegime(ctx context.Context, a *domain.Actor, r domain.RegimeRules) (*domain.RegimeRules, error) {
	if err := requireLogin(a); err != nil {
		return nil, err
	}
	if !domain.Contracts.CanEditRegime(a) {
		return nil, forbidden("修改登记办法适用设置")
	}
	if err := r.Validate(); err != nil {
		return nil, err
	}
	err := s.store.InTx(ctx, func(q *store.Q) error {
		before, err := readRegimeRules(ctx, q)
		if err != nil {
			return err
		}
		if err := q.SetSetting(ctx, SettingRegimeCutover, r.Cutover); err != nil {
			return err
		}
		if err := q.SetSetting(ctx, SettingExpertThreshold, strconv.FormatInt(r.ExpertThresholdFen, 10)); err != nil {
			return err
		}
		return q.Audit(ctx, a, "contract.regime_settings", "settings", "regime", before, r)
	})
	if err != nil {
		return nil, err
	}
	return &r, nil
}

// CalendarLoad is the outcome of loading an arrangement.
type CalendarLoad struct {
	Years       []int `json:"years"`
	Days        int   `json:"days"`
	Recomputed  int   `json:"recomputed"` // due dates of running clocks changed
	OpenFilings int   `json:"open_filings"`
}

// LoadCalendar loads a year's working-day arrangement (the State
// Council's notice, usually published in November) as data: each year in
// the file replaces what was loaded for it, and the due dates of running
// 2026-regime clocks are recomputed in the same transaction.
func (s *Contracts) LoadCalendar(ctx context.Context, a *domain.Actor, r io.Reader) (*CalendarLoad, error) {
	if err := requireLogin(a); err != nil {
		return nil, err
	}
	if !domain.Contracts.CanLoadCalendar(a) {
		return nil, forbidden("载入工作日安排")
	}
	days, err := workday.Parse(r)
	if err != nil {
		var le *workday.LineError
		if errors.As(err, &le) {
			return nil, domain.FieldErrorf("file", "工作日安排文件第%d行：%s", le.Line, domain.Msg(le.Msg, le.Arg))
		}
		return nil, domain.FieldErrorf("file", "无法读取工作日安排文件")
	}
	out := &CalendarLoad{Years: workday.Years(days), Days: len(days)}
	err = s.store.InTx(ctx, func(q *store.Q) error {
		if err := q.ReplaceWorkdayYears(ctx, days); err != nil {
			return err
		}
		all, err := q.WorkdayDays(ctx)
		if err != nil {
			return err
		}
		out.OpenFilings, out.Recomputed, err = recomputeClocks(ctx, q, workday.New(all))
		if err != nil {
			return err
		}
		return q.Audit(ctx, a, "calendar.load", "calendar", strconv.Itoa(out.Years[0]), nil, out)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// recomputeClocks recomputes the due dates of running clocks (and fills
// missing ones) from the calendar; it returns how many it looked at and
// how many changed.
func recomputeClocks(ctx context.Context, q *store.Q, cal *workday.Calendar) (int, int, error) {
	rows, err := q.OpenClocks(ctx)
	if err != nil {
		return 0, 0, err
	}
	changed := 0
	for _, r := range rows {
		g, ok := domain.RegimeByCode(r.Regime)
		if !ok {
			continue
		}
		due := g.Due(r.AcceptedOn, r.Expert, cal)
		if err := q.SetDueOn(ctx, r.ID, due); err != nil {
			return 0, 0, err
		}
		changed++
	}
	return len(rows), changed, nil
}

// fillClocks gives every accepted filing a due date (after the migration
// that introduced regimes: the 2026 regime's working days are not SQL).
func (s *Contracts) fillClocks(ctx context.Context) error {
	cal, err := s.calendar(ctx)
	if err != nil {
		return err
	}
	return s.store.InTx(ctx, func(q *store.Q) error {
		_, _, err := recomputeClocks(ctx, q, cal)
		return err
	})
}

// Accept accepts a submitted filing (受理) after the formal review
// (形式审查): the regime in force today is recorded, the clock starts, and
// a large or disputed contract under the 2026 regime is marked for expert
// review with the longer limit.
func (s *Contracts) Accept(ctx context.Context, a *domain.Actor, id, version int64) (*domain.Contract, error) {
	rules, err := s.regimeRules(ctx) // before the transaction (see mutate)
	if err != nil {
		return nil, err
	}
	cal, err := s.calendar(ctx)
	if err != nil {
		return nil, err
	}
	return s.mutate(ctx, a, id, version, "accept", func(tx *store.Q, c *domain.Contract) (step, error) {
		if err := checkMaterials(ctx, tx, c, rules.RegimeOf(c, s.today()), true); err != nil {
			return step{}, err
		}
		// The regime chosen now decides the categories (a filing saved
		// under the other one, or signed before 2021, may not fit it).
		if err := rules.RegimeOf(c, s.today()).CheckAcceptance(c); err != nil {
			return step{}, err
		}
		c.Status = domain.ContractAccepted
		c.StartClock(s.today(), rules, cal)
		return step{Comment: c.DueOn, Reason: c.Regime}, nil
	})
}

// Reject refuses a submitted filing at intake (不予受理) on one of the
// regime's intake grounds; the notice prints the ground.
func (s *Contracts) Reject(ctx context.Context, a *domain.Actor, id, version int64, ground, note string) (*domain.Contract, error) {
	rules, err := s.regimeRules(ctx)
	if err != nil {
		return nil, err
	}
	return s.mutate(ctx, a, id, version, "reject", func(tx *store.Q, c *domain.Contract) (step, error) {
		g := rules.RegimeOf(c, s.today())
		if !g.ValidIntake(ground) {
			return step{}, domain.FieldErrorf("ground", "请选择不予受理的理由")
		}
		note, err := cleanNote(note)
		if err != nil {
			return step{}, err
		}
		if ground == "other" && note == "" {
			return step{}, domain.FieldErrorf("note", "选择“其他”理由时须填写说明")
		}
		c.Status, c.IntakeGround, c.IntakeNote = domain.ContractRejected, ground, note
		if c.Regime == "" {
			c.Regime = g.Code
		}
		return step{Comment: note, Reason: ground}, nil
	})
}

// cleanNote checks a registrar's free-text note (≤ 2000 characters).
func cleanNote(note string) (string, error) {
	if err := textnorm.CheckField("note", note, textnorm.Options{Multiline: true}); err != nil {
		return "", err
	}
	note = strings.TrimSpace(note)
	if utf8.RuneCountInString(note) > 2000 {
		return "", domain.FieldErrorf("note", "说明不超过2000字")
	}
	return note, nil
}
