package domain

// The 技术合同 categories and sub-types (POLICY_RULES §3.2). Since the
// 民法典 (2021-01-01) there are five categories and 专利实施许可 moved from
// 技术转让 to the new 技术许可; contracts signed before keep the old set.

// CategoryCutover is the first signing date of the five-category set.
const CategoryCutover = "2021-01-01"

// SubType is one sub-type of a contract category.
type SubType struct {
	Code  string `json:"code"`
	Label string `json:"label"`
}

// Category is one contract category with the sub-types valid in its era.
type Category struct {
	Code     string    `json:"code"`
	Label    string    `json:"label"`
	SubTypes []SubType `json:"sub_types"`
}

var categories2021 = []Category{
	{"development", "技术开发", []SubType{{"entrusted_dev", "委托开发"}, {"cooperative_dev", "合作开发"}}},
	{"transfer", "技术转让", []SubType{{"patent_transfer", "专利权转让"}, {"patent_application_transfer", "专利申请权转让"},
		{"know_how_transfer", "技术秘密转让"}, {"other_transfer", "其他知识产权转让（软件著作权、集成电路布图设计、植物新品种等）"}}},
	{"license", "技术许可", []SubType{{"patent_license", "专利实施许可"}, {"know_how_license", "技术秘密使用许可"}, {"other_license", "其他知识产权许可"}}},
	{"consulting", "技术咨询", []SubType{{"consulting", "技术咨询"}}},
	{"service", "技术服务", []SubType{{"service", "技术服务"}, {"training", "技术培训"}, {"intermediary", "技术中介"}}},
}

var categoriesLegacy = []Category{
	{"development", "技术开发", []SubType{{"entrusted_dev", "委托开发"}, {"cooperative_dev", "合作开发"}}},
	{"transfer", "技术转让", []SubType{{"patent_transfer", "专利权转让"}, {"patent_application_transfer", "专利申请权转让"},
		{"patent_license", "专利实施许可"}, {"know_how_transfer", "技术秘密转让"}}},
	{"consulting", "技术咨询", []SubType{{"consulting", "技术咨询"}}},
	{"service", "技术服务", []SubType{{"service", "技术服务"}, {"training", "技术培训"}, {"intermediary", "技术中介"}}},
}

// CategoriesAt returns the categories valid for a contract signed on the
// given date (YYYY-MM-DD).
func CategoriesAt(signedOn string) []Category {
	if signedOn != "" && signedOn < CategoryCutover {
		return categoriesLegacy
	}
	return categories2021
}

// CheckCategory reports whether category/subType is valid at signedOn, with a
// message naming the field when not.
func CheckCategory(signedOn, category, subType string) error {
	for _, c := range CategoriesAt(signedOn) {
		if c.Code != category {
			continue
		}
		for _, s := range c.SubTypes {
			if s.Code == subType {
				return nil
			}
		}
		return FieldErrorf("sub_type", "合同类别“%s”下没有子类“%s”（签订日期 %s 适用的分类）", Msg(c.Label), subType, signedOn)
	}
	if category == "license" {
		return FieldErrorf("category", "技术许可合同自2021年1月1日起单列；%s 签订的专利实施许可请登记为技术转让", signedOn)
	}
	return FieldErrorf("category", "合同类别“%s”无效", category)
}

// CategoryLabel returns the Chinese label of a category code in any era.
func CategoryLabel(code string) string {
	for _, c := range categories2021 {
		if c.Code == code {
			return c.Label
		}
	}
	return code
}

// SubTypeLabel returns the Chinese label of a sub-type code in any era.
func SubTypeLabel(code string) string {
	for _, set := range [][]Category{categories2021, categoriesLegacy} {
		for _, c := range set {
			for _, s := range c.SubTypes {
				if s.Code == code {
					return s.Label
				}
			}
		}
	}
	return code
}

// AllCategoryCodes lists the category codes in display order.
var AllCategoryCodes = []string{"development", "transfer", "license", "consulting", "service"}

// TechField is one 技术领域 of the national statistics.
type TechField struct {
	Code  string `json:"code"`
	Label string `json:"label"`
}

// TechFields lists the 技术领域 used by the national technology-market reports.
var TechFields = []TechField{
	{"electronics", "电子信息"}, {"manufacturing", "先进制造"}, {"aerospace", "航空航天"},
	{"transport", "现代交通"}, {"agriculture", "农业"}, {"materials", "新材料及其应用"},
	{"energy", "新能源与高效节能"}, {"environment", "环境保护与资源综合利用"},
	{"biomedicine", "生物、医药和医疗器械"}, {"urban", "城市建设与社会发展"}, {"nuclear", "核应用"},
}

// TechFieldLabel returns the label of a field code.
func TechFieldLabel(code string) string {
	for _, f := range TechFields {
		if f.Code == code {
			return f.Label
		}
	}
	return code
}

// RefusalGround is one of the grounds on which a registry refuses a contract
// (科技部火炬中心 FAQ 2021-01-13, plus 口头合同 from the 2000 办法).
type RefusalGround struct {
	Code  string `json:"code"`
	Label string `json:"label"`
}

// RefusalGrounds lists the nine grounds of 不予登记 and the oral-contract rule.
var RefusalGrounds = []RefusalGround{
	{"invalid", "无效合同或未生效的合同"},
	{"not_technology", "非技术合同"},
	{"unclear_terms", "合同主体、技术标的、价款、报酬以及使用费约定不明确"},
	{"approval_missing", "国家规定需要有关部门审批的合同，未办理审批手续"},
	{"name_mismatch", "合同名称与合同中的权利义务关系不一致，要求补正而当事人未补正"},
	{"unreasonable_restriction", "合同条款含有非法垄断技术、妨碍技术进步等不合理限制条款"},
	{"documents_missing", "当事人不出具或者所出具的证明文件不符合要求"},
	{"seals_mismatch", "印章不齐全或者印章与书写名称不一致"},
	{"other", "其他不应认定登记的"},
	{"oral", "口头形式订立的技术合同不予受理"},
}

// RefusalLabel returns the label of a ground code.
func RefusalLabel(code string) string {
	for _, g := range RefusalGrounds {
		if g.Code == code {
			return g.Label
		}
	}
	return code
}

// ValidRefusalGround reports whether code is a known ground.
func ValidRefusalGround(code string) bool { return RefusalLabel(code) != code }
