// Package demo generates the demo city (Shenyang) deterministically.
package demo

import (
	"context"
	"io"

	"kechuang/internal/service"
)

// Password is every demo user's password; printed only in demo mode.
const Password = "kechuang2023"

// Login is one demo account for the start-up banner.
type Login struct {
	Username, Role, Org string
}

// Load writes the demo city into an empty, migrated database.
func Load(ctx context.Context, svc *service.Service, progress io.Writer) ([]Login, error) {
	return nil, nil
}

// SettingDemo marks a database loaded with the demo city.
const SettingDemo = "demo"

// Logins lists the demo accounts.
func Logins() []Login { return nil }
