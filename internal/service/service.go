// Package service holds Kechuang's use cases: authorisation, transactions
// and the rules that cross modules. Handlers (HTTP, CLI) call it; it calls
// the store. Every state change writes its audit row in the same
// transaction.
package service

import (
	"context"
	"log/slog"
	"time"

	"kechuang/internal/domain"
	"kechuang/internal/store"
)

// Service is the application core.
type Service struct {
	Store *store.Store
	Log   *slog.Logger
	// Now is the clock; tests replace it.
	Now func() time.Time

	limiter *loginLimiter
}

// New returns a service over st.
func New(st *store.Store, log *slog.Logger) *Service {
	if log == nil {
		log = slog.Default()
	}
	return &Service{Store: st, Log: log, Now: time.Now, limiter: newLoginLimiter(5, 15*time.Minute)}
}

// Settings keys.
const (
	SettingCityCode        = "city_code"        // e.g. 210100 for Shenyang
	SettingCityName        = "city_name"        // e.g. 沈阳市
	SettingDefaultRegistry = "default_registry" // org id of the registry filers use by default
)

// CityCode returns the configured city's six-digit region code. A read
// error is returned, never guessed: contracts filed with a wrong city code
// would be counted as non-local for good.
func (s *Service) CityCode(ctx context.Context) (string, error) {
	return s.Store.Setting(ctx, SettingCityCode, "210100")
}

// CityName returns the configured city's name.
func (s *Service) CityName(ctx context.Context) string {
	v, _ := s.Store.Setting(ctx, SettingCityName, "沈阳市")
	return v
}

func (s *Service) today() string { return s.Now().In(chinaTZ).Format(time.DateOnly) }

// chinaTZ is China Standard Time; dates of registration are local dates.
var chinaTZ = domain.ChinaTZ

// ActorOf turns a user into an actor.
func ActorOf(u *domain.User) *domain.Actor {
	if u == nil {
		return nil
	}
	return &domain.Actor{UserID: u.ID, Username: u.Username, Role: u.Role, OrgID: u.OrgID}
}

func forbidden(what string) error { return domain.Errorf(domain.EFORBIDDEN, "无权%s", what) }

func requireLogin(a *domain.Actor) error {
	if a == nil {
		return domain.Errorf(domain.EUNAUTHORIZED, "请先登录")
	}
	return nil
}
