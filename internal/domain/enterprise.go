package domain

import (
	"bytes"
	"encoding/json"
	"strings"
	"time"
	"unicode/utf8"
)

// Enterprise is one firm of the enterprise registry (企业库), keyed by its
// 统一社会信用代码: its profile (district of the city, industrial chain,
// date of registration) and, when the firm has an account, the
// organisation whose users see and file for it. Its yearly facts are
// EnterpriseFilings, its certificates EnterpriseQualifications.
type Enterprise struct {
	ID           int64     `json:"id"`
	USCC         string    `json:"uscc"`
	Name         string    `json:"name"`
	OrgID        int64     `json:"org_id,omitempty"` // 0: no account
	OrgName      string    `json:"org_name,omitempty"`
	District     string    `json:"district"`      // GB/T 2260 code of a district or county of the city
	Chain        string    `json:"chain"`         // a chain code of the city file, "" none
	RegisteredOn string    `json:"registered_on"` // 成立日期 YYYY-MM-DD
	LastFiled    int       `json:"last_filed_year,omitempty"`
	CreatedBy    int64     `json:"created_by"`
	Version      int64     `json:"version"`
	CreatedAt    time.Time `json:"created_at"`
	UpdatedAt    time.Time `json:"updated_at"`
}

// Validate checks a firm's fields, naming each bad one. districts and
// chains are the city's codes (nil skips that check); today (YYYY-MM-DD,
// China time, "" skips) is the latest registration date allowed.
func (x *Enterprise) Validate(districts, chains []string, today string) error {
	var v Validator
	if err := ValidateUSCC(x.USCC); err != nil {
		v.Add("uscc", "%s", ErrorText(err))
	}
	v.Check(strings.TrimSpace(x.Name) != "" && utf8.RuneCountInString(x.Name) <= 100, "name", "企业名称必填，且不超过100字")
	switch {
	case !ValidRegionCode(x.District):
		v.Add("district", "所在区县应为6位行政区划代码")
	case districts != nil && !contains(districts, x.District):
		v.Add("district", "所在区县“%s”不是本市的区县", x.District)
	}
	if chains != nil {
		v.Check(x.Chain == "" || contains(chains, x.Chain), "chain", "产业链“%s”不是本市的重点产业链", x.Chain)
	}
	if _, err := ParseDate(x.RegisteredOn); err != nil {
		v.Add("registered_on", "成立日期应为 YYYY-MM-DD 格式的有效日期")
	} else {
		v.Check(x.RegisteredOn >= "1949-10-01", "registered_on", "成立日期不能早于1949-10-01")
		v.Check(today == "" || x.RegisteredOn <= today, "registered_on", "成立日期不能晚于今天（%s）", today)
	}
	v.Check(x.OrgID >= 0, "org_id", "关联机构无效")
	return v.Err()
}

// EnterpriseFiling is one firm's facts for one assessment year (the year
// of the facts' assessed_on): the object of ../shared/rules/FACTS.md as
// filed, in its canonical JSON encoding (the service parses and encodes it
// with internal/rules, the one facts parser). FiledBy is 0 for imports and
// the demo.
type EnterpriseFiling struct {
	ID           int64           `json:"id"`
	EnterpriseID int64           `json:"enterprise_id"`
	Year         int             `json:"year"`
	Facts        json.RawMessage `json:"facts"`
	FiledBy      int64           `json:"filed_by,omitempty"`
	FiledByName  string          `json:"filed_by_name,omitempty"`
	FiledAt      time.Time       `json:"filed_at"`
	UpdatedAt    time.Time       `json:"updated_at"`
	Version      int64           `json:"version"`
}

// MinFilingYear and MaxFilingYear bound an assessment year.
const (
	MinFilingYear = 2000
	MaxFilingYear = 2100
)

// Validate checks what the store relies on: a year and a facts object
// (their content is the rule engine's parser's to check).
func (x *EnterpriseFiling) Validate() error {
	var v Validator
	v.Check(x.EnterpriseID > 0, "enterprise_id", "企业必填")
	v.Check(x.Year >= MinFilingYear && x.Year <= MaxFilingYear, "year", "年度应在%d至%d之间", MinFilingYear, MaxFilingYear)
	f := bytes.TrimSpace(x.Facts)
	v.Check(len(f) > 1 && f[0] == '{' && json.Valid(f), "facts", "企业数据应为 JSON 对象")
	return v.Err()
}

// EnterpriseQualKind is a qualification a firm holds.
type EnterpriseQualKind string

const (
	QualHNTE EnterpriseQualKind = "hnte" // 高新技术企业证书
	QualSME  EnterpriseQualKind = "sme"  // 科技型中小企业入库登记编号
)

// EnterpriseQualKinds lists the qualifications with their Chinese names.
var EnterpriseQualKinds = NewEnum[EnterpriseQualKind](
	Item[EnterpriseQualKind]{QualHNTE, "高新技术企业证书"},
	Item[EnterpriseQualKind]{QualSME, "科技型中小企业登记编号"},
)

// Label returns the Chinese name of the kind.
func (k EnterpriseQualKind) Label() string { return EnterpriseQualKinds.Label(k) }

// HNTEValidYears is how long a 高企 certificate is valid (认定管理办法 第十二条).
const HNTEValidYears = 3

// EnterpriseQualification is a certificate or registration number a firm
// holds: a 高企证书 (valid three years from issue) or a 科技型中小企业
// registration number (for its year). RevokedOn is "" while it stands.
type EnterpriseQualification struct {
	ID           int64              `json:"id"`
	EnterpriseID int64              `json:"enterprise_id"`
	Kind         EnterpriseQualKind `json:"kind"`
	Number       string             `json:"number"`
	Year         int                `json:"year"`
	IssuedOn     string             `json:"issued_on"`
	ExpiresOn    string             `json:"expires_on"`
	RevokedOn    string             `json:"revoked_on,omitempty"`
	RevokeReason string             `json:"revoke_reason,omitempty"`
	CreatedBy    int64              `json:"created_by"`
	Version      int64              `json:"version"`
	CreatedAt    time.Time          `json:"created_at"`
	UpdatedAt    time.Time          `json:"updated_at"`
}

// DefaultExpiry fills ExpiresOn when it is empty: a 高企 certificate three
// years from issue (the day before the third anniversary), an sme number
// the end of its year.
func (x *EnterpriseQualification) DefaultExpiry() {
	if x.ExpiresOn != "" {
		return
	}
	switch x.Kind {
	case QualHNTE:
		if t, err := ParseDate(x.IssuedOn); err == nil {
			x.ExpiresOn = t.AddDate(HNTEValidYears, 0, -1).Format(time.DateOnly)
		}
	case QualSME:
		if x.Year >= MinFilingYear && x.Year <= MaxFilingYear {
			x.ExpiresOn = time.Date(x.Year, 12, 31, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
		}
	}
}

// Validate checks a qualification's fields, naming each bad one.
func (x *EnterpriseQualification) Validate() error {
	var v Validator
	v.Check(EnterpriseQualKinds.Valid(x.Kind), "kind", "资质类型无效")
	v.Check(strings.TrimSpace(x.Number) != "" && utf8.RuneCountInString(x.Number) <= 50, "number", "证书编号必填，且不超过50字")
	v.Check(x.Year >= MinFilingYear && x.Year <= MaxFilingYear, "year", "年度应在%d至%d之间", MinFilingYear, MaxFilingYear)
	issued, err1 := ParseDate(x.IssuedOn)
	v.Check(err1 == nil, "issued_on", "发证日期应为 YYYY-MM-DD 格式的有效日期")
	expires, err2 := ParseDate(x.ExpiresOn)
	v.Check(err2 == nil, "expires_on", "有效期至应为 YYYY-MM-DD 格式的有效日期")
	if err1 == nil && err2 == nil {
		v.Check(!expires.Before(issued), "expires_on", "有效期至不能早于发证日期")
		if x.Kind == QualHNTE {
			v.Check(!expires.After(issued.AddDate(HNTEValidYears, 0, 0)), "expires_on", "高新技术企业证书有效期为三年")
		}
	}
	if x.RevokedOn != "" {
		r, err := ParseDate(x.RevokedOn)
		v.Check(err == nil && err1 == nil && !r.Before(issued), "revoked_on", "撤销日期应为不早于发证日期的有效日期")
		v.Check(strings.TrimSpace(x.RevokeReason) != "" && utf8.RuneCountInString(x.RevokeReason) <= 500, "revoke_reason", "撤销理由必填，且不超过500字")
	}
	return v.Err()
}

// Valid reports whether the qualification stands on day (YYYY-MM-DD):
// issued, not expired, not revoked.
func (x *EnterpriseQualification) Valid(day string) bool {
	return x.RevokedOn == "" && x.IssuedOn <= day && day <= x.ExpiresOn
}

// EnterpriseFilter selects registry firms.
type EnterpriseFilter struct {
	District string
	Chain    string
	Query    string // name or credit code, a substring
	OrgID    int64
	// Year with Filed: the firms that filed facts for Year (Filed
	// "yes") or did not ("no"); Year alone sorts nothing and filters
	// nothing.
	Year    int
	Filed   string
	Sort    string // name, uscc, registered_on, district, updated_at; "-" for descending
	Page    int
	PerPage int
}

// EnterpriseScope is the part of the registry an actor may list.
type EnterpriseScope struct {
	All   bool  // the bureau and the administrator
	OrgID int64 // else the firm of this organisation only
	None  bool  // nothing
}

// EnterpriseChanges lists what an edit of a firm's profile changed.
func EnterpriseChanges(before, after *Enterprise) []Change {
	var out []Change
	add := func(field, label, o, n string) {
		if o != n {
			out = append(out, Change{field, label, o, n})
		}
	}
	add("uscc", "统一社会信用代码", before.USCC, after.USCC)
	add("name", "企业名称", before.Name, after.Name)
	add("org_id", "关联机构", before.OrgName, after.OrgName)
	add("district", "所在区县", before.District, after.District)
	add("chain", "产业链", before.Chain, after.Chain)
	add("registered_on", "成立日期", before.RegisteredOn, after.RegisteredOn)
	return out
}
