// Package service holds Kechuang's use cases: authorisation, transactions
// and the rules that cross modules. It is the only door to the store: the
// transports (httpapi, web, cli) and the codecs call it and never import
// the store (internal/archtest enforces this).
//
// Layout: one package, one type per module over a shared core
// (Contracts, Auth, Audit, Meta, Admin, …), composed by Service. A package
// per module (gotosocial's layout) was weighed and not taken: the modules
// share the core's transaction, audit and workflow machinery (kit.go), and
// one package keeps those unexported while each module's exported surface
// stays under its own name (svc.Contracts.Submit, svc.Admin.CreateOrg).
// What belongs to one module carries its name (contractEvent,
// ContractStats); the rules of access live in the module's policy in
// domain, never here.
package service

import (
	"context"
	"log/slog"
	"time"

	"kechuang/internal/anchor"
	"kechuang/internal/domain"
	"kechuang/internal/store"
)

// core is what every module's service shares: the store, the one clock and
// the logger.
type core struct {
	store *store.Store
	log   *slog.Logger
	clock domain.Clock
	// hooks run in every workflow step's transaction (stepHook).
	hooks []stepHook
	// mail is the notices' mail settings, shared by the copies WithClock
	// makes; nil: no mail is queued.
	mail *MailSettings
	// rules is the rule library every assessment reads (UseRules).
	rules *ruleLibrary
	// feed is the matching indexes followed from the database (match_feed.go).
	feed *matchFeed
}

func (c *core) now() time.Time { return c.clock.Now() }

// today is the current date in China, where registration dates are counted.
func (c *core) today() string { return domain.DateOf(c.now()) }

// Service is the application core: one value per module.
type Service struct {
	Contracts *Contracts
	Auth      *Auth
	Audit     *Audit
	Meta      *Meta
	Admin     *Admin
	Notify    *Notify

	Achievements *Achievements
	Needs        *Needs
	Challenges   *Challenges
	Events       *TechEvents
	// Assessments runs the rule engine (企业自评、政策计算器).
	Assessments *Assessments
	// Evaluations is the evaluation engine every scored module uses.
	Evaluations *Evaluations
	// Chain is the chain's figures, funnel and timelines (成果转化链条).
	Chain *Chain
	// Enterprises is the enterprise registry (企业库).
	Enterprises *Enterprises
	// EnterpriseAssess is the tier assessment of the registry's filings.
	EnterpriseAssess *EnterpriseAssess
	// Match is the matching module's surfaces and feedback (精准对接).
	Match *Match

	core *core
}

// New returns the services over st. They use st's clock, so the times the
// store stamps and the times the service reasons with are one.
func New(st *store.Store, log *slog.Logger) *Service {
	if log == nil {
		log = slog.Default()
	}
	c := &core{store: st, log: log, clock: st.Clock(), rules: &ruleLibrary{}}
	auth := &Auth{core: c, limiter: NewDBLimiter(st, c.now, nil)}
	notify := &Notify{core: c}
	eval := newEvaluations(c)
	c.hooks = append(c.hooks, notify.onStep)
	c.feed = newMatchFeed(c)
	return &Service{
		Contracts: &Contracts{core: c, stats: newStatsCache(st.StatsVersion), years: newVersionCache[struct{}, []int](st.StatsVersion), heavy: newHeavyLimits(), verify: &verifyLimits{}},
		Auth:      auth,
		Audit:     &Audit{core: c},
		Meta:      &Meta{c},
		Admin:     &Admin{core: c, auth: auth},
		Notify:    notify,

		Achievements:     &Achievements{c},
		Needs:            &Needs{c},
		Evaluations:      eval,
		Chain:            &Chain{core: c, stats: newVersionCache[chainStatsKey, *ChainStats](st.StatsVersion)},
		Challenges:       &Challenges{core: c, eval: eval},
		Events:           &TechEvents{c},
		Assessments:      newAssessments(c),
		Enterprises:      &Enterprises{c},
		EnterpriseAssess: &EnterpriseAssess{core: c},
		Match:            &Match{core: c, src: c.feed},
		core:             c,
	}
}

// Options are what Open takes beside the database: what protects the
// audit chain, kept outside it.
type Options struct {
	AuditKey []byte       // the chain's HMAC key; nil: the chain can be verified only up to keyed_from, and nothing is audited
	Anchors  *anchor.File // where the chain head is anchored; nil: nowhere
}

// Open opens the database at url and returns the services over it; Close
// closes it.
func Open(ctx context.Context, url string, log *slog.Logger, opt Options) (*Service, error) {
	st, err := store.Open(ctx, url, store.WithAuditKey(opt.AuditKey))
	if err != nil {
		return nil, err
	}
	s := New(st, log)
	s.Audit.anchors = opt.Anchors
	return s, nil
}

// WithClock returns services over the same database whose clock is c (the
// demo loader writes history dated in the past; tests fix the time).
func (s *Service) WithClock(c domain.Clock) *Service {
	// The login limiter needs no sharing: its counts are in the database,
	// and the new one reads the new clock.
	n := New(s.core.store.WithClock(c), s.core.log)
	n.Audit.anchors = s.Audit.anchors
	n.core.mail = s.core.mail
	return n
}

// Now is the service's clock.
func (s *Service) Now() time.Time { return s.core.now() }

// Today is the current date in China (YYYY-MM-DD).
func (s *Service) Today() string { return s.core.today() }

// Close closes the database.
func (s *Service) Close() error { s.core.feed.Close(); return s.core.store.Close() }

// Drain waits, until ctx ends, for the work the service runs in the
// background on a user's behalf (the bureau's batch assessment runs started
// from a page) and reports whether it all ended. serve calls it after the
// HTTP server has shut down and before Close: a run cut off by the store's
// closing would stay "running" and refuse the bureau's next run for
// runStale.
func (s *Service) Drain(ctx context.Context) bool {
	done := make(chan struct{})
	go func() { s.EnterpriseAssess.Wait(); close(done) }()
	select {
	case <-done:
		return true
	case <-ctx.Done():
		return false
	}
}

// Settings keys.
const (
	SettingCityCode        = "city_code"        // e.g. 210100 for Shenyang
	SettingCityName        = "city_name"        // e.g. 沈阳市
	SettingDefaultRegistry = "default_registry" // org id of the registry filers use by default
)

// cityCode returns the configured city's six-digit region code. A read
// error is returned, never guessed: contracts filed with a wrong city code
// would be counted as non-local for good.
func (c *core) cityCode(ctx context.Context) (string, error) {
	return c.store.Setting(ctx, SettingCityCode, "210100")
}

func (c *core) cityName(ctx context.Context) string {
	v, _ := c.store.Setting(ctx, SettingCityName, "沈阳市")
	return v
}

// ActorOf turns a user into an actor.
func ActorOf(u *domain.User) *domain.Actor {
	if u == nil {
		return nil
	}
	return &domain.Actor{UserID: u.ID, Username: u.Username, Role: u.Role, OrgID: u.OrgID}
}

func forbidden(what string) error {
	return domain.Errorf(domain.EFORBIDDEN, "无权%s", domain.Msg(what))
}

// tooLarge is an ETOOLARGE error naming the field.
func tooLarge(field, format string, args ...any) error {
	e := domain.Errorf(domain.ETOOLARGE, format, args...)
	e.Field = field
	return e
}

func requireLogin(a *domain.Actor) error {
	if a == nil {
		return domain.Errorf(domain.EUNAUTHORIZED, "请先登录")
	}
	return nil
}
