package service

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"time"

	"kechuang/internal/domain"
	"kechuang/internal/rules"
)

// Assessments runs the rule engine for callers: POST /api/v1/assessments,
// the self-check page /assess and the policy calculator /assess/policies.
// The rules are public, and so is the use: anyone may assess facts they
// give; nothing is stored. What protects the server is a budget of firms
// per caller (a token bucket: a logged-in user by account, the public by
// address), the body limit of the transport (1 MiB of JSON) and the batch
// limit, the setting assess_batch_max.
type Assessments struct {
	*core
	budget verifyLimits
}

func newAssessments(c *core) *Assessments {
	return &Assessments{core: c, budget: verifyLimits{burst: assessBurst, every: assessEvery}}
}

// The firms' budget: a burst of firm × rule-set assessments, then one every
// assessEvery (about 5 ms of CPU per 50 with every reason rendered).
const (
	assessBurst = 2000
	assessEvery = 20 * time.Millisecond
	// SettingAssessBatchMax is the largest batch one request may hold.
	SettingAssessBatchMax = "assess_batch_max"
	assessBatchDefault    = 100
)

// Sets are the rule sets in force (UseRules: the built-in ones, or the
// bureau's directory, reread after an edit).
func (s *Assessments) Sets() (map[string]*rules.Set, error) {
	snap, err := s.ruleSets()
	if err != nil {
		return nil, err
	}
	return snap.Sets, nil
}

// BatchMax is the setting assess_batch_max (default 100, at least 1).
func (s *Assessments) BatchMax(ctx context.Context) int {
	v, err := s.store.Setting(ctx, SettingAssessBatchMax, "")
	if n, e := strconv.Atoi(v); err == nil && e == nil && n >= 1 {
		return n
	}
	return assessBatchDefault
}

// Assess parses the facts (one object or an array, FACTS.md) and assesses
// them under the rule sets ids names (an id, a comma list or all). client
// is the caller's address; a, if logged in, is charged instead. single: one
// object under one set, answered as an object.
func (s *Assessments) Assess(ctx context.Context, a *domain.Actor, client string, body []byte, ids string) (results []*rules.Result, single bool, err error) {
	sets, err := s.Sets()
	if err != nil {
		return nil, false, err
	}
	chosen, err := rules.SelectSets(sets, ids)
	if err != nil {
		return nil, false, factsError(err)
	}
	firms, err := rules.ParseJSON(body)
	if err != nil {
		return nil, false, factsError(err)
	}
	if max := s.BatchMax(ctx); len(firms) > max {
		return nil, false, tooLarge("(body)", "一次最多评估 %d 家企业（设置 assess_batch_max），实际为 %d 家", max, len(firms))
	}
	if !s.charge(a, client, len(firms)*len(chosen)) {
		return nil, false, domain.RetryLater(5, "评估过于频繁，请稍后再试")
	}
	results, err = rules.AssessAll(chosen, firms)
	if err != nil {
		return nil, false, factsError(err)
	}
	t := firstNonSpace(body)
	return results, t == '{' && len(chosen) == 1, nil
}

// charge takes n firm assessments from the caller's budget.
func (s *Assessments) charge(a *domain.Actor, client string, n int) bool {
	key := "addr:" + client
	if a != nil {
		key = "user:" + strconv.FormatInt(a.UserID, 10)
	}
	if n > assessBurst {
		return false
	}
	return s.budget.allowN(key, n)
}

func firstNonSpace(b []byte) byte {
	for _, c := range b {
		switch c {
		case ' ', '\t', '\r', '\n':
			continue
		}
		return c
	}
	return 0
}

// factsError turns the engine's input error into a field error (the
// field is named with the firm's position in a batch: [3].years).
func factsError(err error) error {
	var ie *rules.InputError
	if !errors.As(err, &ie) {
		return err
	}
	field := ie.Field
	if ie.Row > 0 {
		field = fmt.Sprintf("[%d].%s", ie.Row-1, ie.Field)
	}
	e := domain.FieldErrorf(field, "%s", ie.Error())
	return e
}

// Guide is the one-to-one guidance for one firm: each tier's result with
// the next tier's advice, and every city policy.
type Guide struct {
	Tiers    *rules.TierReport
	Policies []rules.PolicyLine
}

// Guide assesses one firm for the pages (charged like one request of
// every rule set).
func (s *Assessments) Guide(ctx context.Context, a *domain.Actor, client string, f *rules.Facts) (*Guide, error) {
	sets, err := s.Sets()
	if err != nil {
		return nil, err
	}
	if !s.charge(a, client, len(sets)) {
		return nil, domain.RetryLater(5, "评估过于频繁，请稍后再试")
	}
	tiers, err := rules.NextTier(sets, f)
	if err != nil {
		return nil, factsError(err)
	}
	pols, err := rules.PolicyCalc(sets, f)
	if err != nil {
		return nil, factsError(err)
	}
	return &Guide{Tiers: tiers, Policies: pols}, nil
}
