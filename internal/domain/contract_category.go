package domain

// The 技术合同 categories and sub-types (POLICY_RULES §3.2). Since the
// 民法典 (2021-01-01) there are five categories and 专利实施许可 moved from
// 技术转让 to the new 技术许可; contracts signed before keep the old set.

// CategoryCutover is the first signing date of the five-category set.
const CategoryCutover = "2021-01-01"

// SubType is one sub-type of a contract category.
type SubType = Item[string]

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
	return checkCategoryIn(nil, signedOn, category, subType)
}

// CategoriesUnder returns the categories of a contract signed on signedOn
// under the regime g (nil: by the signing date alone, as for the
// historical records of an import).
func CategoriesUnder(g *Regime, signedOn string) []Category {
	if g == nil || g.Categories == nil {
		return CategoriesAt(signedOn)
	}
	return g.Categories(signedOn)
}

// CheckCategoryUnder is CheckCategory in the set of the regime g.
func CheckCategoryUnder(g *Regime, signedOn, category, subType string) error {
	return checkCategoryIn(g, signedOn, category, subType)
}

func checkCategoryIn(g *Regime, signedOn, category, subType string) error {
	set := CategoriesUnder(g, signedOn)
	for _, c := range set {
		if c.Code != category {
			continue
		}
		for _, s := range c.SubTypes {
			if s.Code == subType {
				return nil
			}
		}
		if g != nil && subType == "patent_license" && inSet(set, "license") {
			return FieldErrorf("sub_type", "按%s，合同分五类登记：专利实施许可属于“技术许可”类，不再属于技术转让（签订日期 %s 的合同亦然）", Msg(g.Label), signedOn)
		}
		if g != nil {
			return FieldErrorf("sub_type", "合同类别“%s”下没有子类“%s”（%s对签订日期 %s 适用的分类）", Msg(c.Label), subType, Msg(g.Label), signedOn)
		}
		return FieldErrorf("sub_type", "合同类别“%s”下没有子类“%s”（签订日期 %s 适用的分类）", Msg(c.Label), subType, signedOn)
	}
	if category == "license" {
		return FieldErrorf("category", "技术许可合同自2021年1月1日起单列；%s 签订的专利实施许可请登记为技术转让", signedOn)
	}
	return FieldErrorf("category", "合同类别“%s”无效", category)
}

func inSet(set []Category, code string) bool {
	for _, c := range set {
		if c.Code == code {
			return true
		}
	}
	return false
}

// Categories and SubTypes label the codes of every era (the five-category
// set, whose labels also name the legacy categories, then the legacy-only
// sub-types), in display order.
var (
	Categories = NewEnum(categoryItems()...)
	SubTypes   = NewEnum(subTypeItems()...)
)

func categoryItems() []Item[string] {
	out := make([]Item[string], len(categories2021))
	for i, c := range categories2021 {
		out[i] = Item[string]{c.Code, c.Label}
	}
	return out
}

// subTypeItems lists each sub-type once: patent_license is in both eras.
func subTypeItems() []Item[string] {
	var out []Item[string]
	seen := map[string]bool{}
	for _, set := range [][]Category{categories2021, categoriesLegacy} {
		for _, c := range set {
			for _, s := range c.SubTypes {
				if !seen[s.Code] {
					seen[s.Code] = true
					out = append(out, s)
				}
			}
		}
	}
	return out
}

// CategoryLabel returns the Chinese label of a category code in any era.
func CategoryLabel(code string) string { return Categories.Label(code) }

// SubTypeLabel returns the Chinese label of a sub-type code in any era.
func SubTypeLabel(code string) string { return SubTypes.Label(code) }

// AllCategoryCodes lists the category codes in display order.
var AllCategoryCodes = Categories.Codes()

// TechField is one 技术领域 of the national statistics.
type TechField = Item[string]

// TechFields lists the 技术领域 used by the national technology-market reports.
var TechFields = NewEnum[string](
	TechField{"electronics", "电子信息"}, TechField{"manufacturing", "先进制造"}, TechField{"aerospace", "航空航天"},
	TechField{"transport", "现代交通"}, TechField{"agriculture", "农业"}, TechField{"materials", "新材料及其应用"},
	TechField{"energy", "新能源与高效节能"}, TechField{"environment", "环境保护与资源综合利用"},
	TechField{"biomedicine", "生物、医药和医疗器械"}, TechField{"urban", "城市建设与社会发展"}, TechField{"nuclear", "核应用"},
)

// TechFieldLabel returns the label of a field code.
func TechFieldLabel(code string) string { return TechFields.Label(code) }

// RefusalGround is one of the grounds on which a registry refuses a contract
// (科技部火炬中心 FAQ 2021-01-13, plus 口头合同 from the 2000 办法).
type RefusalGround = Item[string]

// RefusalGrounds labels every ground of 不予登记 of any regime (each
// regime's list is Regime.RefusalGrounds): the nine of the 2000 regime, the
// oral-contract rule of old automatic refusals, and the 2026 regime's.
var RefusalGrounds = NewEnum[string](
	RefusalGround{"invalid", "无效合同或未生效的合同"},
	RefusalGround{"not_technology", "非技术合同"},
	RefusalGround{"unclear_terms", "合同主体、技术标的、价款、报酬以及使用费约定不明确"},
	RefusalGround{"approval_missing", "国家规定需要有关部门审批的合同，未办理审批手续"},
	RefusalGround{"name_mismatch", "合同名称与合同中的权利义务关系不一致，要求补正而当事人未补正"},
	RefusalGround{"unreasonable_restriction", "合同条款含有非法垄断技术、妨碍技术进步等不合理限制条款"},
	RefusalGround{"documents_missing", "当事人不出具或者所出具的证明文件不符合要求"},
	RefusalGround{"seals_mismatch", "印章不齐全或者印章与书写名称不一致"},
	RefusalGround{"other", "其他不应认定登记的"},
	RefusalGround{"oral", "口头形式订立的技术合同不予受理"},
	// The 2026 regime's six provisional grounds (RK8 art 39, [S]) beside
	// documents_missing, seals_mismatch and other above.
	RefusalGround{"unclear_parties", "合同主体不明确"},
	RefusalGround{"unclear_subject", "合同标的不明确，不能使登记人员了解其技术内容"},
	RefusalGround{"unclear_price", "合同价款、报酬或使用费约定不明确"},
	RefusalGround{"monopoly_infringing", "合同含有非法垄断技术或侵害他人技术成果的条款"},
)

// RefusalLabel returns the label of a ground code.
func RefusalLabel(code string) string { return RefusalGrounds.Label(code) }

// ValidRefusalGround reports whether code is a known ground of any regime.
func ValidRefusalGround(code string) bool { return RefusalGrounds.Valid(code) }
