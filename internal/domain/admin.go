package domain

import (
	"strings"
	"unicode/utf8"
)

// The administration module's types: organisations and users as the
// administrator manages them, and the city's settings. Its policy and its
// workflow tables are in admin_policy.go.

// ActiveStatus is whether an organisation or a user account is in use.
type ActiveStatus string

const (
	StatusActive   ActiveStatus = "active"   // 正常
	StatusDisabled ActiveStatus = "disabled" // 已停用
)

// ActiveStatuses lists the statuses with their labels, in display order.
var ActiveStatuses = []Label{{string(StatusActive), "正常"}, {string(StatusDisabled), "已停用"}}

// Label returns the Chinese name of the status.
func (s ActiveStatus) Label() string {
	for _, l := range ActiveStatuses {
		if l.Code == string(s) {
			return l.Label
		}
	}
	return string(s)
}

// Valid reports whether s is a known status.
func (s ActiveStatus) Valid() bool { return s.Label() != string(s) }

func statusOf(disabled bool) ActiveStatus {
	if disabled {
		return StatusDisabled
	}
	return StatusActive
}

// Status is the organisation's status in the administration workflow.
func (o *Org) Status() ActiveStatus { return statusOf(o.Disabled) }

// Status is the account's status in the administration workflow.
func (u *User) Status() ActiveStatus { return statusOf(u.Disabled) }

// OrgSortKeys lists the accepted sort keys of the organisation list.
func OrgSortKeys() []string {
	return []string{"id", "name", "kind", "region_code", "created_at", "updated_at"}
}

// UserSortKeys lists the accepted sort keys of the user list.
func UserSortKeys() []string {
	return []string{"id", "username", "display_name", "role", "org_name", "created_at", "updated_at"}
}

// ValidSort reports whether sort (with an optional "-") is one of keys or empty.
func ValidSort(sort string, keys []string) bool {
	k := strings.TrimPrefix(sort, "-")
	if k == "" {
		return sort == ""
	}
	for _, x := range keys {
		if x == k {
			return true
		}
	}
	return false
}

// UserFilter selects users for the administration lists.
type UserFilter struct {
	OrgID  int64
	Role   Role
	Status ActiveStatus
	Query  string // substring of the user name or the display name
	Sort   string // one of UserSortKeys, "-" prefix for descending; "" by id
	Offset int
	Limit  int
}

// OrgUpdate is a change of an organisation's fields; nil leaves a field as it is.
type OrgUpdate struct {
	Kind       *OrgKind `json:"kind,omitempty"`
	Name       *string  `json:"name,omitempty"`
	USCC       *string  `json:"uscc,omitempty"`
	RegionCode *string  `json:"region_code,omitempty"`
}

// Apply writes the set fields onto o.
func (up OrgUpdate) Apply(o *Org) {
	if up.Kind != nil {
		o.Kind = *up.Kind
	}
	if up.Name != nil {
		o.Name = strings.TrimSpace(*up.Name)
	}
	if up.USCC != nil {
		o.USCC = NormalizeUSCC(*up.USCC)
	}
	if up.RegionCode != nil {
		o.RegionCode = strings.TrimSpace(*up.RegionCode)
	}
}

// UserUpdate is a change of a user's name, role or organisation; nil
// leaves a field as it is.
type UserUpdate struct {
	DisplayName *string `json:"name,omitempty"`
	Role        *Role   `json:"role,omitempty"`
	OrgID       *int64  `json:"org_id,omitempty"`
	Email       *string `json:"email,omitempty"` // "" removes it
}

// Apply writes the set fields onto u.
func (up UserUpdate) Apply(u *User) {
	if up.DisplayName != nil {
		u.DisplayName = strings.TrimSpace(*up.DisplayName)
	}
	if up.Role != nil {
		u.Role = *up.Role
	}
	if up.OrgID != nil {
		u.OrgID = *up.OrgID
	}
	if up.Email != nil {
		u.Email = strings.TrimSpace(*up.Email)
	}
}

// ValidateUsername checks a new login name: 1–50 ASCII letters, digits,
// dots, hyphens or underscores, starting with a letter or a digit (names
// are typed on phones and in scripts, and appear in the audit log).
func ValidateUsername(s string) error {
	if len(s) < 1 || len(s) > 50 {
		return FieldErrorf("username", "用户名必填，且不超过50个字符")
	}
	for i, r := range s {
		alnum := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9'
		if !alnum && (i == 0 || !strings.ContainsRune("._-", r)) {
			return FieldErrorf("username", "用户名只能包含英文字母、数字和 . _ -，并以字母或数字开头")
		}
	}
	return nil
}

// ValidateUser checks a user's name, role, organisation kind and e-mail
// address together.
func ValidateUser(u *User, kind OrgKind) error {
	var v Validator
	if _, err := CleanEmail(u.Email); err != nil {
		v.Add("email", "%s", ErrorText(err))
	}
	n := utf8.RuneCountInString(u.DisplayName)
	v.Check(n > 0 && n <= 50, "name", "姓名必填，且不超过50字")
	if !u.Role.Valid() {
		v.Add("role", "角色无效")
	} else if kind != "" && !RoleFitsOrg(u.Role, kind) {
		v.Add("role", "角色“%s”不能属于%s类机构", Msg(u.Role.Label()), Msg(kind.Label()))
	}
	return v.Err()
}

// roleKinds are the organisation kinds each role may belong to; a role
// missing here (admin, expert) fits any organisation: administrators and
// experts come from anywhere.
var roleKinds = map[Role][]OrgKind{
	RoleBureau:     {OrgBureau},
	RoleRegistrar:  {OrgRegistry},
	RoleTTO:        {OrgUniversity, OrgInstitute},
	RoleEnterprise: {OrgEnterprise},
	RolePilotBase:  {OrgPilotBase},
	RoleAgency:     {OrgAgency},
	RoleAuthority:  {OrgAuthority},
}

// RoleFitsOrg reports whether a user of role may belong to an
// organisation of kind: the role decides the verbs and the organisation
// the scope, so a registrar outside a registry would decide nothing.
func RoleFitsOrg(r Role, kind OrgKind) bool {
	kinds, ok := roleKinds[r]
	if !ok {
		return true
	}
	for _, k := range kinds {
		if k == kind {
			return true
		}
	}
	return false
}

// CityBody reports whether organisations of kind k are the city's own
// body, whose region must lie in the city: the bureau. Everything else may
// sit anywhere and need only name a known region: contracts are made with
// universities, enterprises and agencies outside the city, and the
// platform may record registries of neighbouring cities (contracts
// registered there are imported with their registry).
func CityBody(k OrgKind) bool { return k == OrgBureau }

// CheckOrgRegion checks an organisation's region: a current code of the
// regions table (r is its row, nil when there is none; CheckRegionCode)
// and, for the city's own body, in the city (IsLocal).
func CheckOrgRegion(o *Org, r *Region, cityCode string) error {
	if err := CheckRegionCode("region_code", o.RegionCode, r); err != nil {
		return err
	}
	if CityBody(o.Kind) && !IsLocal(cityCode, o.RegionCode) {
		return FieldErrorf("region_code", "%s须位于本市（行政区划代码 %s 不在城市 %s 之内）", Msg(o.Kind.Label()), o.RegionCode, cityCode)
	}
	return nil
}

// CitySettings are the city's name and code and its yearly targets.
type CitySettings struct {
	Code    string       `json:"city_code"`
	Name    string       `json:"city_name"`
	Targets []YearTarget `json:"targets"`
}

// YearTarget is a yearly goal of the city (a configured figure, not a
// statistic).
type YearTarget struct {
	Year   int    `json:"year"`
	Metric string `json:"metric"`
	Value  int64  `json:"value"`
}

// TargetMetric is one kind of yearly target: money (fen, typed in
// 元/万元/亿元), a rate in basis points (6500 = 65.00%) or a count.
type TargetMetric struct {
	Code  string
	Label string
	Kind  string // "money", "rate" or "count"
	Max   int64  // 0: no upper bound
}

// TargetMetrics are the yearly targets the settings page edits, with
// their labels — the same list as the city file's (city.Metrics; a test
// keeps the two equal).
var TargetMetrics = []TargetMetric{
	{"contract_turnover_fen", "技术合同成交额", "money", 0},
	{"local_conversion_rate_bp", "本地转化率", "rate", 10_000},
	{"tech_enterprises", "科技型中小企业数", "count", 0},
	{"high_tech_enterprises", "高新技术企业数", "count", 0},
	{"platforms", "创新平台数", "count", 0},
}

// TargetMetricOf finds a metric.
func TargetMetricOf(code string) (TargetMetric, bool) {
	for _, m := range TargetMetrics {
		if m.Code == code {
			return m, true
		}
	}
	return TargetMetric{}, false
}

// ValidTargetMetric reports whether m is a known target metric.
func ValidTargetMetric(m string) bool {
	_, ok := TargetMetricOf(m)
	return ok
}
