package service

import (
	"context"
	"sync"
	"time"

	"golang.org/x/time/rate"

	"kechuang/internal/domain"
)

// PublicCertificate is what anyone may learn of a registration certificate
// by its 登记号: the public fields only — the number, the title, the
// parties' names, the category, the amounts the certificate shows under its
// regime, the registration date and the registry.
type PublicCertificate struct {
	RegNo              string `json:"reg_no"`
	Title              string `json:"title"`
	SellerName         string `json:"seller_name"`
	BuyerName          string `json:"buyer_name"`
	Category           string `json:"category"`
	SubType            string `json:"sub_type"`
	Regime             string `json:"regime,omitempty"`
	TurnoverFen        *int64 `json:"turnover_fen,omitempty"`         // 技术合同成交额 (2026 regime)
	TechTransactionFen *int64 `json:"tech_transaction_fen,omitempty"` // 技术交易额 (2026 regime)
	TechIncomeFen      *int64 `json:"tech_income_fen,omitempty"`      // 技术性收入 (2000 regime)
	RegisteredOn       string `json:"registered_on"`
	Registry           string `json:"registry"`
	// Status is valid, changed (valid in a later version: Version, ChangeNo
	// and ChangedOn say which), cancelled or revoked (EndedOn the date);
	// the figures are the current version's.
	Status    string `json:"status"`
	Version   int    `json:"registration_version"`
	ChangeNo  string `json:"change_no,omitempty"`
	ChangedOn string `json:"changed_on,omitempty"`
	EndedOn   string `json:"ended_on,omitempty"`
}

// certificateRegime is the regime whose certificate contents a registered
// contract shows: its own, or the 2000 regime for a record without one.
func certificateRegime(c *domain.Contract) *domain.Regime {
	if g, ok := domain.RegimeByCode(c.Regime); ok {
		return g
	}
	g, _ := domain.RegimeByCode(domain.Regime2000)
	return g
}

// Verification limits per client address: like the login's, a burst then a
// steady rate, so the registration numbers cannot be walked.
const (
	verifyBurst = 20
	verifyEvery = 2 * time.Second
	verifyKeep  = 10_000 // client addresses remembered at most
)

// verifyLimits belong to one service (not the process): two services in
// one process — the tests' SQLite and PostgreSQL worlds — keep their own.
// Burst and Every override the verification's figures (the assessments'
// limits count firms, not requests).
type verifyLimits struct {
	mu    sync.Mutex
	by    map[string]*rate.Limiter
	burst int
	every time.Duration
}

func (l *verifyLimits) allow(client string) bool { return l.allowN(client, 1) }

// allowN takes n tokens of the client's bucket, or none if it lacks them.
func (l *verifyLimits) allowN(client string, n int) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.by == nil || len(l.by) >= verifyKeep {
		l.by = map[string]*rate.Limiter{} // forget everyone rather than grow without bound
	}
	lim := l.by[client]
	if lim == nil {
		burst, every := verifyBurst, verifyEvery
		if l.burst > 0 {
			burst, every = l.burst, l.every
		}
		lim = rate.NewLimiter(rate.Every(every), burst)
		l.by[client] = lim
	}
	return lim.AllowN(time.Now(), n)
}

// Certificate verifies a registration certificate by its 登记号 for anyone
// (the public included): the public fields of a registered contract, or
// ENOTFOUND for a number that is not one (malformed, unknown, or never
// registered). A cancelled or revoked registration answers with its
// status and date. client is the caller's address, rate-limited.
func (s *Contracts) Certificate(ctx context.Context, client, regNo string) (*PublicCertificate, error) {
	if !s.verify.allow(client) {
		return nil, domain.Errorf(domain.ERATELIMIT, "查验过于频繁，请稍后再试")
	}
	if len(regNo) != 16 || !domain.AllDigits(regNo) {
		return nil, domain.Errorf(domain.ENOTFOUND, "登记号应为16位数字，未找到该登记号")
	}
	c, err := s.store.FindContractByRegNo(ctx, regNo)
	if err != nil || !c.Status.PostRegistration() {
		return nil, domain.Errorf(domain.ENOTFOUND, "登记号 %s 不存在", regNo)
	}
	out := &PublicCertificate{RegNo: c.RegNo, Title: c.Title, SellerName: c.Seller.Name, BuyerName: c.Buyer.Name,
		Category: c.Category, SubType: c.SubType, Regime: c.Regime, RegisteredOn: c.RegisteredOn,
		Status: c.CertificateStatus(), Version: max(c.RegVersion, 1), ChangedOn: c.ChangedOn, EndedOn: c.EndedOn}
	if out.Version > 1 {
		out.ChangeNo = domain.ChangeNo(c.RegNo, out.Version)
	}
	if reg, err := s.store.FindOrgByID(ctx, c.RegistryID); err == nil {
		out.Registry = reg.Name
	}
	g := certificateRegime(c)
	if g.ShowsOnCertificate("turnover_fen") {
		out.TurnoverFen = &c.TurnoverFen
	}
	if g.ShowsOnCertificate("tech_transaction_fen") {
		fen := c.RegisteredTechFen() // the registrar's 核定技术交易额 under the 2026 regime
		out.TechTransactionFen = &fen
	}
	if g.ShowsOnCertificate("tech_income_fen") {
		out.TechIncomeFen = &c.TechIncomeFen
	}
	return out, nil
}
