package domain

import "time"

// OrgKind is the kind of an organisation.
type OrgKind string

const (
	OrgBureau     OrgKind = "bureau"     // 科技局
	OrgRegistry   OrgKind = "registry"   // 技术合同登记机构
	OrgUniversity OrgKind = "university" // 高等院校
	OrgInstitute  OrgKind = "institute"  // 科研院所
	OrgEnterprise OrgKind = "enterprise" // 企业
	OrgPilotBase  OrgKind = "pilot_base" // 中试基地
	OrgAgency     OrgKind = "agency"     // 技术转移机构
	OrgAuthority  OrgKind = "authority"  // 财政/税务部门 (reads registrations, may object)
)

// OrgKinds lists every kind with its Chinese label, in display order.
var OrgKinds = NewEnum[OrgKind](
	Item[OrgKind]{OrgBureau, "科技局"}, Item[OrgKind]{OrgRegistry, "技术合同登记机构"}, Item[OrgKind]{OrgUniversity, "高等院校"},
	Item[OrgKind]{OrgInstitute, "科研院所"}, Item[OrgKind]{OrgEnterprise, "企业"}, Item[OrgKind]{OrgPilotBase, "中试基地"},
	Item[OrgKind]{OrgAgency, "技术转移机构"}, Item[OrgKind]{OrgAuthority, "财政/税务部门"},
)

// Label returns the Chinese name of the kind.
func (k OrgKind) Label() string { return OrgKinds.Label(k) }

// Valid reports whether k is a known kind.
func (k OrgKind) Valid() bool { return OrgKinds.Valid(k) }

// PartyType is the 交易主体 class used by the national statistics.
type PartyType string

const (
	PartyEnterprise PartyType = "enterprise" // 企业法人
	PartyInstitute  PartyType = "institute"  // 科研机构
	PartyUniversity PartyType = "university" // 高等院校
	PartyOther      PartyType = "other"      // 其他（机关、社团、个人等）
)

// PartyTypes lists party types with labels.
var PartyTypes = NewEnum[PartyType](
	Item[PartyType]{PartyEnterprise, "企业法人"}, Item[PartyType]{PartyInstitute, "科研机构"},
	Item[PartyType]{PartyUniversity, "高等院校"}, Item[PartyType]{PartyOther, "其他"},
)

// Label returns the Chinese name of the party type.
func (p PartyType) Label() string { return PartyTypes.Label(p) }

// Valid reports whether p is known.
func (p PartyType) Valid() bool { return PartyTypes.Valid(p) }

// PartyTypeOf maps an organisation kind to its statistical party type.
func PartyTypeOf(k OrgKind) PartyType {
	switch k {
	case OrgUniversity:
		return PartyUniversity
	case OrgInstitute:
		return PartyInstitute
	case OrgEnterprise, OrgPilotBase, OrgAgency:
		return PartyEnterprise
	}
	return PartyOther
}

// Org is an organisation known to the system.
type Org struct {
	ID         int64     `json:"id"`
	Kind       OrgKind   `json:"kind"`
	Name       string    `json:"name"`
	USCC       string    `json:"uscc"`
	RegionCode string    `json:"region_code"`
	Disabled   bool      `json:"disabled"`
	Version    int64     `json:"version"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
}

// Validate checks an organisation before it is stored.
func (o *Org) Validate() error {
	var v Validator
	v.Check(o.Kind.Valid(), "kind", "机构类型无效")
	v.Check(o.Name != "" && len([]rune(o.Name)) <= 100, "name", "机构名称必填，且不超过100字")
	if o.USCC != "" {
		if err := ValidateUSCC(o.USCC); err != nil {
			v.Add("uscc", "%s", ErrorText(err))
		}
	}
	v.Check(ValidRegionCode(o.RegionCode), "region_code", "行政区划代码应为6位数字")
	return v.Err()
}

// ValidRegionCode reports whether s looks like a GB/T 2260 code (6 digits).
func ValidRegionCode(s string) bool {
	if len(s) != 6 {
		return false
	}
	for i := 0; i < 6; i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// OrgFilter selects organisations.
type OrgFilter struct {
	Kind   OrgKind
	Query  string       // substring of the name or the credit code
	Status ActiveStatus // "" for both active and disabled
	Sort   string       // one of OrgSortKeys, "-" prefix for descending; "" by kind
	Offset int
	Limit  int
}
