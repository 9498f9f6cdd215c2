package service

import (
	"context"

	"kechuang/internal/domain"
	"kechuang/internal/password"
	"kechuang/internal/store"
)

// Admin is the administration module: organisations, users and the city's
// settings.
type Admin struct{ *core }

// CreateUser adds a user (administrators, and the CLI as the system actor).
func (s *Admin) CreateUser(ctx context.Context, a *domain.Actor, u *domain.User, pw string) error {
	if !a.Is(domain.RoleAdmin) {
		return forbidden("创建用户")
	}
	var v domain.Validator
	v.Check(u.Username != "" && len(u.Username) <= 50, "username", "用户名必填，且不超过50个字符")
	v.Check(u.Role.Valid(), "role", "角色无效")
	v.Check(u.DisplayName != "", "display_name", "姓名必填")
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
	return s.store.InTx(ctx, func(tx *store.Q) error {
		if _, err := tx.FindOrgByID(ctx, u.OrgID); err != nil {
			return domain.FieldErrorf("org_id", "所属机构不存在")
		}
		if err := tx.CreateUser(ctx, u); err != nil {
			return err
		}
		return tx.Audit(ctx, a, "user.create", "user", u.ID, nil, u)
	})
}

// SetPassword changes a user's password (admin, or the user themself).
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
		return tx.Audit(ctx, a, "user.set_password", "user", userID, nil, nil)
	})
}

// CreateOrg adds an organisation (administrators and bureau staff).
func (s *Admin) CreateOrg(ctx context.Context, a *domain.Actor, o *domain.Org) error {
	if !a.Is(domain.RoleAdmin, domain.RoleBureau) {
		return forbidden("创建机构")
	}
	o.USCC = domain.NormalizeUSCC(o.USCC)
	if err := o.Validate(); err != nil {
		return err
	}
	return s.store.InTx(ctx, func(tx *store.Q) error {
		if err := tx.CreateOrg(ctx, o); err != nil {
			return err
		}
		return tx.Audit(ctx, a, "org.create", "org", o.ID, nil, o)
	})
}

// UserByUsername returns a user (administrators and the system actor).
func (s *Admin) UserByUsername(ctx context.Context, a *domain.Actor, username string) (*domain.User, error) {
	if !a.Is(domain.RoleAdmin) {
		return nil, forbidden("查看用户")
	}
	return s.store.FindUserByUsername(ctx, username)
}

// Users lists the users of an organisation (0: all), for administrators.
func (s *Admin) Users(ctx context.Context, a *domain.Actor, orgID int64) ([]*domain.User, error) {
	if !a.Is(domain.RoleAdmin) {
		return nil, forbidden("查看用户")
	}
	return s.store.FindUsers(ctx, orgID)
}
