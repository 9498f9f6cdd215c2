package httpx

import (
	"context"
	"net/http"

	"kechuang/internal/domain"
	"kechuang/internal/service"
)

type ctxKey int

const userKey ctxKey = 1

// UserFrom returns the authenticated user of a request, or nil.
func UserFrom(ctx context.Context) *domain.User {
	u, _ := ctx.Value(userKey).(*domain.User)
	return u
}

// WithUser returns ctx carrying u (the middleware and tests use it).
func WithUser(ctx context.Context, u *domain.User) context.Context {
	return context.WithValue(ctx, userKey, u)
}

// ActorFrom returns the request's actor, or nil for the public.
func ActorFrom(r *http.Request) *domain.Actor { return service.ActorOf(UserFrom(r.Context())) }

// RequireActor returns the request's actor, or an unauthorised error:
// protected handlers call it first so the public never learns how a body
// would have been validated.
func RequireActor(r *http.Request) (*domain.Actor, error) {
	if a := ActorFrom(r); a != nil {
		return a, nil
	}
	return nil, domain.Errorf(domain.EUNAUTHORIZED, "请先登录")
}

// Allowed is RequireActor that also checks a module policy's rule, before
// a handler parses its input, so a refused caller learns nothing from
// validation errors; the service checks the same rule again.
func Allowed(r *http.Request, rule func(*domain.Actor) bool) (*domain.Actor, error) {
	a, err := RequireActor(r)
	if err == nil && !rule(a) {
		return nil, domain.Errorf(domain.EFORBIDDEN, "无权访问")
	}
	return a, err
}
