package service

import (
	"context"
	"crypto/rand"
	"fmt"
	"strings"
	"time"

	"kechuang/internal/domain"
	"kechuang/internal/password"
	"kechuang/internal/store"
)

// userKind is the user account for the workflow engine. Every logged-in
// actor "sees" accounts here so that a refusal is a clear 403 from the
// flow; only administrators pass it.
var userKind = &entityKind[domain.ActiveStatus, *domain.User]{
	name: "user", notFound: "用户不存在", flow: domain.UserFlow,
	load:   func(ctx context.Context, q *store.Q, id int64) (*domain.User, error) { return q.FindUserByID(ctx, id) },
	save:   func(ctx context.Context, q *store.Q, u *domain.User) error { return q.UpdateUser(ctx, u) },
	canSee: func(a *domain.Actor, _ *domain.User) bool { return a != nil },
	id:     func(u *domain.User) int64 { return u.ID }, version: func(u *domain.User) int64 { return u.Version },
	clone: func(u *domain.User) *domain.User { b := *u; return &b },
}

// CreateUser adds a user (administrators, and the CLI as the system
// actor). The role must fit the organisation's kind, and the organisation
// must be in use.
func (s *Admin) CreateUser(ctx context.Context, a *domain.Actor, u *domain.User, pw string) error {
	if err := requireLogin(a); err != nil {
		return err
	}
	if !domain.AdminRules.CanManageUsers(a) {
		return forbidden("创建用户")
	}
	u.Username, u.DisplayName, u.Disabled = strings.TrimSpace(u.Username), strings.TrimSpace(u.DisplayName), false
	u.Email = strings.TrimSpace(u.Email)
	var v domain.Validator
	if err := domain.ValidateUsername(u.Username); err != nil {
		v.Add("username", "%s", domain.ErrorText(err))
	}
	if err := domain.ValidateUser(u, ""); err != nil {
		for _, f := range err.(*domain.Error).Fields {
			v.Add(f.Field, "%s", f.Message)
		}
	}
	if err := password.Validate(pw); err != nil {
		v.Add("password", "%s", domain.ErrorText(err))
	}
	if err := v.Err(); err != nil {
		return err
	}
	hash, err := password.Hash(pw)
	if err != nil {
		return err
	}
	u.PasswordHash = hash
	return s.store.InTx(ctx, func(q *store.Q) error {
		if err := s.placeUser(ctx, q, u, true); err != nil {
			return err
		}
		if err := q.CreateUser(ctx, u); err != nil {
			return err
		}
		if err := addEvent(ctx, q, a, "user", u.ID, "create", "", string(u.Status()), step{}); err != nil {
			return err
		}
		return q.Audit(ctx, a, "user.create", "user", u.ID, nil, u)
	})
}

// placeUser checks the user's organisation exists and fits the role, and
// fills in its name; a user joining it (moving) needs it in use.
func (s *Admin) placeUser(ctx context.Context, q *store.Q, u *domain.User, moving bool) error {
	o, err := q.FindOrgByID(ctx, u.OrgID)
	if err != nil {
		return domain.FieldErrorf("org_id", "所属机构不存在")
	}
	if moving && o.Disabled {
		return domain.FieldErrorf("org_id", "所属机构“%s”已停用", o.Name)
	}
	u.OrgName = o.Name
	return domain.ValidateUser(u, o.Kind)
}

// SetPassword changes a user's password (admin, or the user themself; the
// command line's `user passwd`). Like ResetPassword, every session of the
// user ends and every API token is revoked in the same transaction.
func (s *Admin) SetPassword(ctx context.Context, a *domain.Actor, userID int64, pw string) error {
	if a == nil || (!a.Is(domain.RoleAdmin) && a.UserID != userID) {
		return forbidden("修改该用户的密码")
	}
	if err := password.Validate(pw); err != nil {
		return err
	}
	hash, err := password.Hash(pw)
	if err != nil {
		return err
	}
	return s.store.InTx(ctx, func(tx *store.Q) error {
		if err := tx.SetPassword(ctx, userID, hash); err != nil {
			return err
		}
		sessions, tokens, err := endAccess(ctx, tx, userID, true)
		if err != nil {
			return err
		}
		return tx.Audit(ctx, a, "user.set_password", "user", userID, nil, map[string]any{"sessions_ended": sessions, "tokens_revoked": tokens})
	})
}

// UserByUsername returns a user (administrators and the system actor).
func (s *Admin) UserByUsername(ctx context.Context, a *domain.Actor, username string) (*domain.User, error) {
	if !domain.AdminRules.CanManageUsers(a) {
		return nil, forbidden("查看用户")
	}
	return s.store.FindUserByUsername(ctx, username)
}

// User returns one user (administrators).
func (s *Admin) User(ctx context.Context, a *domain.Actor, id int64) (*domain.User, error) {
	if !domain.AdminRules.CanManageUsers(a) {
		return nil, forbidden("查看用户")
	}
	return s.store.FindUserByID(ctx, id)
}

// Users lists users by organisation, role, status and name (administrators).
func (s *Admin) Users(ctx context.Context, a *domain.Actor, f domain.UserFilter) ([]*domain.User, int, error) {
	if err := requireLogin(a); err != nil {
		return nil, 0, err
	}
	if !domain.AdminRules.CanManageUsers(a) {
		return nil, 0, forbidden("查看用户")
	}
	var v domain.Validator
	v.Check(f.Role == "" || f.Role.Valid(), "role", "角色无效")
	v.Check(f.Status == "" || f.Status.Valid(), "status", "状态应为 active 或 disabled")
	v.Check(domain.ValidSort(f.Sort, domain.UserSortKeys()), "sort", "排序字段应为 %s 之一", strings.Join(domain.UserSortKeys(), "、"))
	if err := v.Err(); err != nil {
		return nil, 0, err
	}
	f.Query = strings.TrimSpace(f.Query)
	return s.store.FindUsersPage(ctx, f)
}

// UpdateUser changes a user's name, role or organisation. Nobody changes
// their own role or organisation (an administrator could lock everyone out).
func (s *Admin) UpdateUser(ctx context.Context, a *domain.Actor, id, version int64, up domain.UserUpdate) (*domain.User, error) {
	return mutate(ctx, s.core, userKind, a, id, version, "update", func(q *store.Q, u *domain.User) (step, error) {
		role, org := u.Role, u.OrgID
		up.Apply(u)
		if (u.Role != role || u.OrgID != org) && !domain.AdminRules.CanChangeRole(a, u) {
			return step{}, domain.Errorf(domain.EFORBIDDEN, "不能修改自己的角色或所属机构")
		}
		return step{}, s.placeUser(ctx, q, u, u.OrgID != org)
	})
}

// DisableUser stops an account: in the same transaction every session of
// the user ends and every API token is revoked, so access stops at once.
func (s *Admin) DisableUser(ctx context.Context, a *domain.Actor, id, version int64) (*domain.User, error) {
	return mutate(ctx, s.core, userKind, a, id, version, "disable", func(q *store.Q, u *domain.User) (step, error) {
		u.Disabled = true
		sessions, tokens, err := endAccess(ctx, q, u.ID, true)
		return step{Comment: fmt.Sprintf("结束 %d 个登录会话，作废 %d 个 API 令牌", sessions, tokens)}, err
	})
}

// endAccess ends a user's sessions and, with tokens, revokes the API tokens.
func endAccess(ctx context.Context, q *store.Q, userID int64, tokens bool) (int64, int64, error) {
	n, err := q.DeleteUserSessions(ctx, userID, "")
	if err != nil || !tokens {
		return n, 0, err
	}
	m, err := q.DeleteUserTokens(ctx, userID)
	return n, m, err
}

// EnableUser puts a disabled account back in use; its organisation must be
// in use too.
func (s *Admin) EnableUser(ctx context.Context, a *domain.Actor, id, version int64) (*domain.User, error) {
	return mutate(ctx, s.core, userKind, a, id, version, "enable", func(q *store.Q, u *domain.User) (step, error) {
		o, err := q.FindOrgByID(ctx, u.OrgID)
		if err != nil {
			return step{}, err
		}
		if o.Disabled {
			return step{}, domain.Errorf(domain.ECONFLICT, "所属机构“%s”已停用，请先启用该机构或将用户调到其他机构", o.Name)
		}
		u.Disabled = false
		return step{}, nil
	})
}

// ResetPassword sets a user's password to password, or to a generated one
// when password is empty, and returns it (shown once, never stored in
// clear). The user's sessions end and API tokens are revoked in the same
// transaction (a reset is what an administrator does to a compromised
// account), and the login lock is cleared, so the new password works at once.
func (s *Admin) ResetPassword(ctx context.Context, a *domain.Actor, id int64, pw string) (string, *domain.User, error) {
	if pw == "" {
		pw = GeneratePassword()
	}
	if err := password.Validate(pw); err != nil {
		return "", nil, err
	}
	hash, err := password.Hash(pw)
	if err != nil {
		return "", nil, err
	}
	u, err := mutate(ctx, s.core, userKind, a, id, 0, "reset_password", func(q *store.Q, u *domain.User) (step, error) {
		if err := q.SetPassword(ctx, u.ID, hash); err != nil {
			return step{}, err
		}
		n, m, err := endAccess(ctx, q, u.ID, true)
		return step{Comment: fmt.Sprintf("结束 %d 个登录会话，作废 %d 个 API 令牌", n, m)}, err
	})
	if err != nil {
		return "", nil, err
	}
	if err := s.clearLock(ctx, u); err != nil {
		return "", nil, err
	}
	return pw, u, nil
}

// Unlock clears the login lock a user ran into after too many failed
// attempts (recorded in history and audit like any other action).
func (s *Admin) Unlock(ctx context.Context, a *domain.Actor, id int64) (*domain.User, error) {
	u, err := mutate(ctx, s.core, userKind, a, id, 0, "unlock", func(q *store.Q, u *domain.User) (step, error) {
		return step{}, nil
	})
	if err != nil {
		return nil, err
	}
	if err := s.clearLock(ctx, u); err != nil {
		return nil, err
	}
	return u, nil
}

// clearLock forgets the failed logins counted against the user's name
// from every address (not those of client addresses, which other users
// share).
func (s *Admin) clearLock(ctx context.Context, u *domain.User) error {
	return s.auth.clearName(ctx, u.Username)
}

// LockedUntil reports until when u is locked out of logging in after too
// many wrong passwords (zero: not locked), for administrators.
func (s *Admin) LockedUntil(ctx context.Context, a *domain.Actor, u *domain.User) (time.Time, error) {
	if !domain.AdminRules.CanManageUsers(a) {
		return time.Time{}, forbidden("查看用户")
	}
	return s.auth.nameLockedUntil(ctx, u.Username)
}

// UserActions lists what a may do with u now (the page's buttons).
func (s *Admin) UserActions(a *domain.Actor, u *domain.User) map[string]bool {
	return domain.UserFlow.Actions(a, u)
}

// UserEvents returns a user's history (administrators).
func (s *Admin) UserEvents(ctx context.Context, a *domain.Actor, id int64) ([]*domain.Event, error) {
	if !domain.AdminRules.CanManageUsers(a) {
		return nil, forbidden("查看用户的变更记录")
	}
	return s.store.Events(ctx, "user", id)
}

// passwordChars leave out look-alikes (0/O, 1/l/I), as a generated
// password is read off a screen and typed.
const passwordChars = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789"

// GeneratePassword returns a random 12-character password (about 70
// bits); bytes past the last whole multiple of the alphabet are dropped,
// so every character is equally likely.
func GeneratePassword() string {
	out := make([]byte, 0, 12)
	limit := byte(256 / len(passwordChars) * len(passwordChars))
	b := make([]byte, 32)
	for len(out) < cap(out) {
		rand.Read(b)
		for _, c := range b {
			if c < limit && len(out) < cap(out) {
				out = append(out, passwordChars[int(c)%len(passwordChars)])
			}
		}
	}
	return string(out)
}
