package adminio

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"kechuang/internal/domain"
	"kechuang/internal/sheetio"
)

// UserSheet is the user sheet of the xlsx files.
const UserSheet = "用户"

// User columns.
const (
	colUserID       = "ID"
	colUsername     = "用户名"
	colUserName     = "姓名"
	colUserRole     = "角色"
	colUserOrgUSCC  = "所属机构统一社会信用代码"
	colUserOrgName  = "所属机构名称"
	ColUserPassword = "初始密码" // the service checks the password rule and names this column
	colUserStatus   = "状态"
	colUserEmail    = "电子邮箱"
)

// UserColumns lists the user sheet's columns in order. Passwords are never
// exported.
var UserColumns = []Column{
	{colUserID, false, true, "导出时填写，导入时忽略（导入只新建用户）"},
	{colUsername, true, false, "必填，英文字母、数字和 . _ -，不得与已有用户重复"},
	{colUserName, true, false, "必填，不超过50字"},
	{colUserRole, true, false, "系统管理员、科技局、登记员、专家、高校院所、企业、中试基地或技术转移机构；须与所属机构的类型相符"},
	{colUserOrgUSCC, false, false, "所属机构的统一社会信用代码；填写时按它查找机构"},
	{colUserOrgName, false, false, "未填信用代码时按机构全称查找（须唯一）"},
	{ColUserPassword, false, false, "至少8位；留空则该用户暂不能登录，须由管理员重置密码后告知本人（导出时不含密码）"},
	{colUserStatus, false, true, "正常或已停用（导出时填写，导入的用户均为正常）"},
	{colUserEmail, false, false, "选填，接收通知邮件的地址，如 name@example.cn"},
}

var userFieldColumn = map[string]string{"username": colUsername, "name": colUserName, "role": colUserRole, "org_id": colUserOrgName, "email": colUserEmail}

// UserLookup is what converting user rows needs from the database.
type UserLookup struct {
	OrgsByUSCC map[string]*domain.Org
	OrgsByName map[string][]*domain.Org
	Usernames  map[string]bool // user names already taken
}

// UserRow is one user to create and its initial password ("" for none).
type UserRow struct {
	User     *domain.User
	Password string
}

// DecodeUsers reads a user file like DecodeOrgs.
func DecodeUsers(r io.Reader, format sheetio.Format, l *UserLookup, maxRows int, fn func(row int, u *UserRow, errs []RowError) error) ([]RowError, error) {
	seen := map[string]int{}
	return decode(r, format, UserSheet, UserColumns, maxRows, func(row int, h header, cells []string) error {
		u, errs := userOf(row, h, cells, l)
		name := u.User.Username
		if first, dup := seen[name]; dup && name != "" {
			errs = append(errs, RowError{Row: row, Field: colUsername, Message: fmt.Sprintf("用户名 %s 与第 %d 行重复", name, first)})
		} else if l.Usernames[name] {
			errs = append(errs, RowError{Row: row, Field: colUsername, Message: fmt.Sprintf("用户名 %s 已存在", name)})
		} else if name != "" {
			seen[name] = row
		}
		return fn(row, u, errs)
	})
}

func userOf(row int, h header, cells []string, l *UserLookup) (*UserRow, []RowError) {
	u := &domain.User{Username: h.cell(cells, colUsername), DisplayName: h.cell(cells, colUserName), Email: strings.TrimSpace(h.cell(cells, colUserEmail))}
	out := &UserRow{User: u, Password: h.cell(cells, ColUserPassword)}
	var errs []RowError
	if err := domain.ValidateUsername(u.Username); err != nil {
		errs = append(errs, rowErrors(row, err, userFieldColumn)...)
	}
	role, ok := parseRole(h.cell(cells, colUserRole))
	if !ok {
		return out, append(errs, RowError{Row: row, Field: colUserRole, Message: fmt.Sprintf("角色“%s”无效", h.cell(cells, colUserRole))})
	}
	u.Role = role
	o, oerr := findOrg(row, h, cells, l)
	if oerr != nil {
		errs = append(errs, *oerr)
	}
	var kind domain.OrgKind
	if o != nil {
		u.OrgID, u.OrgName, kind = o.ID, o.Name, o.Kind
	}
	if err := domain.ValidateUser(u, kind); err != nil {
		errs = append(errs, rowErrors(row, err, userFieldColumn)...)
	}
	return out, errs
}

// findOrg finds the user's organisation by credit code, else by name.
func findOrg(row int, h header, cells []string, l *UserLookup) (*domain.Org, *RowError) {
	if code := domain.NormalizeUSCC(h.cell(cells, colUserOrgUSCC)); code != "" {
		if o := l.OrgsByUSCC[code]; o != nil {
			return disabledOrg(row, o, colUserOrgUSCC)
		}
		return nil, &RowError{Row: row, Field: colUserOrgUSCC, Message: fmt.Sprintf("系统中没有统一社会信用代码为 %s 的机构", code)}
	}
	name := h.cell(cells, colUserOrgName)
	switch os := l.OrgsByName[name]; {
	case name == "":
		return nil, &RowError{Row: row, Field: colUserOrgName, Message: "请填写所属机构的统一社会信用代码或名称"}
	case len(os) == 0:
		return nil, &RowError{Row: row, Field: colUserOrgName, Message: fmt.Sprintf("系统中没有名为“%s”的机构", name)}
	case len(os) > 1:
		return nil, &RowError{Row: row, Field: colUserOrgName, Message: fmt.Sprintf("有 %d 个机构名为“%s”，请改填统一社会信用代码", len(os), name)}
	default:
		return disabledOrg(row, os[0], colUserOrgName)
	}
}

func disabledOrg(row int, o *domain.Org, col string) (*domain.Org, *RowError) {
	if o.Disabled {
		return o, &RowError{Row: row, Field: col, Message: fmt.Sprintf("机构“%s”已停用", o.Name)}
	}
	return o, nil
}

// parseRole accepts a role's label or its code.
func parseRole(s string) (domain.Role, bool) {
	for _, r := range domain.Roles.Codes() {
		if s == string(r) || s == r.Label() {
			return r, true
		}
	}
	return "", false
}

// UserTable is the users as a sheet (the export); orgUSCC gives each
// organisation's credit code.
func UserTable(users []*domain.User, orgUSCC map[int64]string) *sheetio.Table {
	t := &sheetio.Table{Sheet: UserSheet, Header: headers(UserColumns), Widths: []float64{8, 16, 16, 14, 24, 36, 12, 10, 28}, Kinds: []sheetio.Kind{sheetio.Int}}
	for _, u := range users {
		t.Rows = append(t.Rows, []string{strconv.FormatInt(u.ID, 10), u.Username, u.DisplayName, u.Role.Label(),
			orgUSCC[u.OrgID], u.OrgName, "", u.Status().Label(), u.Email})
	}
	return t
}
