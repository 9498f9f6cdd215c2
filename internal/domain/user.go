package domain

import "time"

// Role is what a user may do. A user has exactly one role and belongs to
// one organisation; the role decides the verbs, the organisation the scope.
type Role string

const (
	RoleAdmin      Role = "admin"      // 系统管理员
	RoleBureau     Role = "bureau"     // 科技局工作人员
	RoleRegistrar  Role = "registrar"  // 技术合同登记员
	RoleExpert     Role = "expert"     // 专家
	RoleTTO        Role = "tto"        // 高校院所成果转化办
	RoleEnterprise Role = "enterprise" // 企业用户
	RolePilotBase  Role = "pilot_base" // 中试基地
	RoleAgency     Role = "agency"     // 技术转移机构
	// RoleAuthority is a 财政/税务 officer: it reads the city's registered
	// contracts (to check a policy claim) and may raise an 异议 against a
	// registration (2024 draft art 17). It files and decides nothing.
	RoleAuthority Role = "authority" // 财政/税务部门
)

// Roles lists every role with its label.
var Roles = NewEnum[Role](
	Item[Role]{RoleAdmin, "系统管理员"}, Item[Role]{RoleBureau, "科技局"}, Item[Role]{RoleRegistrar, "登记员"},
	Item[Role]{RoleExpert, "专家"}, Item[Role]{RoleTTO, "高校院所"}, Item[Role]{RoleEnterprise, "企业"},
	Item[Role]{RolePilotBase, "中试基地"}, Item[Role]{RoleAgency, "技术转移机构"},
	Item[Role]{RoleAuthority, "财政/税务部门"},
)

// Label returns the Chinese name of the role.
func (r Role) Label() string { return Roles.Label(r) }

// Valid reports whether r is known.
func (r Role) Valid() bool { return Roles.Valid(r) }

// User is a person who logs in.
type User struct {
	ID          int64  `json:"id"`
	Username    string `json:"username"`
	DisplayName string `json:"display_name"`
	Role        Role   `json:"role"`
	OrgID       int64  `json:"org_id"`
	OrgName     string `json:"org_name,omitempty"`
	// Email is where notices are mailed ("" for none); Lang the language
	// of that mail ("" for zh-CN).
	Email        string    `json:"email"`
	Lang         string    `json:"lang,omitempty"`
	PasswordHash string    `json:"-"`
	Disabled     bool      `json:"disabled"`
	Version      int64     `json:"version"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
}

// Actor is who performs an action; nil means the public.
type Actor struct {
	UserID   int64
	Username string
	Role     Role
	OrgID    int64
}

// SystemActor performs imports and the demo load from the command line.
// Each call returns a fresh value, so no caller can change who "system" is
// for everyone else.
func SystemActor() *Actor { return &Actor{UserID: 0, Username: "system", Role: RoleAdmin} }

// Is reports whether the actor has one of the roles.
func (a *Actor) Is(roles ...Role) bool {
	if a == nil {
		return false
	}
	for _, r := range roles {
		if a.Role == r {
			return true
		}
	}
	return false
}

// Session is a logged-in browser session; Token is never stored, only its hash.
type Session struct {
	UserID    int64
	ExpiresAt time.Time
}

// APIToken is a token for scripts; the secret is shown once at creation.
type APIToken struct {
	ID         int64      `json:"id"`
	UserID     int64      `json:"user_id"`
	Name       string     `json:"name"`
	Scope      TokenScope `json:"scope"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt time.Time  `json:"last_used_at,omitzero"`
	ExpiresAt  time.Time  `json:"expires_at,omitzero"` // zero: until revoked
}
