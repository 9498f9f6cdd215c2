package domain

import "time"

// TokenScope is what an API token may do: read only, or read and write
// like its owner.
type TokenScope string

const (
	ScopeRead  TokenScope = "read"  // 只读
	ScopeWrite TokenScope = "write" // 读写
)

// TokenScopes lists the scopes with their labels.
var TokenScopes = NewEnum[TokenScope](Item[TokenScope]{ScopeRead, "只读"}, Item[TokenScope]{ScopeWrite, "读写"})

// Label returns the Chinese name of the scope.
func (s TokenScope) Label() string { return TokenScopes.Label(s) }

// Valid reports whether s is known.
func (s TokenScope) Valid() bool { return TokenScopes.Valid(s) }

// MaxTokenDays bounds a token's lifetime when it is given one.
const MaxTokenDays = 365

// TokenSpec is what the owner chooses for a new token. Days 0 means no
// expiry (until revoked); otherwise 1–MaxTokenDays. Scope "" is read-write,
// what every token could do before scopes existed.
type TokenSpec struct {
	Name  string
	Scope TokenScope
	Days  int
}

// Validate checks the spec and fills in the default scope.
func (s *TokenSpec) Validate() error {
	if s.Scope == "" {
		s.Scope = ScopeWrite
	}
	var v Validator
	v.Check(s.Scope.Valid(), "scope", "令牌权限应为 read（只读）或 write（读写）")
	v.Check(s.Days >= 0 && s.Days <= MaxTokenDays, "expires_in_days", "有效天数应为 1 到 %d 天，不填为长期有效", MaxTokenDays)
	return v.Err()
}

// Expired reports whether the token has passed its expiry at now.
func (t *APIToken) Expired(now time.Time) bool {
	return !t.ExpiresAt.IsZero() && !now.Before(t.ExpiresAt)
}

// Allows reports whether the token may be used for a request of method:
// a read-only token only for the safe methods, which change nothing.
func (t *APIToken) Allows(method string) bool {
	switch method {
	case "GET", "HEAD", "OPTIONS":
		return true
	}
	return t.Scope != ScopeRead
}
