package enterprisefacts

import (
	"fmt"
	"strings"
)

// Kind is how a fact is typed in: its form input and its template cell.
type Kind string

const (
	KindText  Kind = "text"
	KindDate  Kind = "date"
	KindInt   Kind = "int"   // a count
	KindMoney Kind = "money" // fen, typed in 元 or 万元
	KindBool  Kind = "bool"
	KindEnum  Kind = "enum"
	KindScore Kind = "score" // expert points
)

// Field is one fact of FACTS.md as the form and the template show it:
// its JSON path ("employees", "ip.class1", "flags.serious_fraud"; the
// yearly figures are YearFields under "years[i]."), its zh-CN name (a
// message id), its kind and, for an enum, its choices.
type Field struct {
	Path    string
	Label   string
	Kind    Kind
	Group   string // the form's section
	Choices []Choice
}

// Choice is one value of an enum fact.
type Choice struct{ Code, Label string }

// The form's sections, in order (message ids).
const (
	GroupBasic   = "基本情况"
	GroupYears   = "会计年度数据"
	GroupIP      = "知识产权与成果转化"
	GroupFlags   = "条件与情形"
	GroupDirect  = "科技型中小企业直通条件"
	GroupFunding = "融资情况"
	GroupExpert  = "专家评分（可选）"
	GroupPolicy  = "政策相关"
)

// HNTEEvents are the 高企认定情形 the city policies read.
var HNTEEvents = []Choice{{"none", "无"}, {"first", "首次认定"}, {"renewal", "重新认定"}, {"relocated_in", "整体迁入"}}

// Fields lists every fact of FACTS.md but the yearly figures, in the
// form's order. name, uscc and registered_on come from the registry.
var Fields = []Field{
	{"assessed_on", "评价日期", KindDate, GroupBasic, nil},
	{"employees", "职工总数", KindInt, GroupBasic, nil},
	{"tech_staff", "科技人员数", KindInt, GroupBasic, nil},
	{"total_assets_fen", "资产总额", KindMoney, GroupBasic, nil},

	{"ip.class1", "Ⅰ类知识产权数", KindInt, GroupIP, nil},
	{"ip.class2", "Ⅱ类知识产权数", KindInt, GroupIP, nil},
	{"ip.self_developed", "有自主研发取得的知识产权", KindBool, GroupIP, nil},
	{"conversions_3y", "近三年科技成果转化数", KindInt, GroupIP, nil},

	{"flags.resident_enterprise", "居民企业", KindBool, GroupFlags, nil},
	{"flags.excluded_industry", "属于限制或排除的行业", KindBool, GroupFlags, nil},
	{"flags.major_incident", "近一年发生重大安全、质量事故或严重环境违法行为", KindBool, GroupFlags, nil},
	{"flags.abnormal_or_dishonest_list", "列入经营异常名录或严重违法失信名单", KindBool, GroupFlags, nil},
	{"flags.serious_fraud", "有严重弄虚作假行为", KindBool, GroupFlags, nil},
	{"flags.core_ip_owned", "对主要产品核心技术拥有自主知识产权（专家判断）", KindBool, GroupFlags, nil},
	{"flags.in_supported_domain", "属于国家重点支持的高新技术领域（专家判断）", KindBool, GroupFlags, nil},
	{"flags.branch_or_sales_entity", "分支机构或销售型主体", KindBool, GroupFlags, nil},
	{"flags.software_certificates", "有软件企业证书和软件产品证书", KindBool, GroupFlags, nil},
	{"flags.contest_award", "创新创业大赛获奖", KindBool, GroupFlags, nil},
	{"flags.sci_tech_award", "获国家或省科学技术奖", KindBool, GroupFlags, nil},

	{"direct.hnte_certificate_valid", "有效期内高新技术企业证书", KindBool, GroupDirect, nil},
	{"direct.national_award_top3", "近五年获国家级科技奖励（前三名）", KindBool, GroupDirect, nil},
	{"direct.provincial_rd_institution", "拥有省部级以上研发机构", KindBool, GroupDirect, nil},
	{"direct.led_standard", "近五年主导制定国际、国家或行业标准", KindBool, GroupDirect, nil},

	{"funding.valuation_usd", "最近一轮投后估值（美元）", KindInt, GroupFunding, nil},
	{"funding.listed", "已上市", KindBool, GroupFunding, nil},
	{"funding.private_investment", "获得过私募投资", KindBool, GroupFunding, nil},
	{"funding.largest_vc_round_fen", "单轮最大风险投资额", KindMoney, GroupFunding, nil},

	{"expert_scores.ip_advanced", "知识产权：技术的先进程度", KindScore, GroupExpert, nil},
	{"expert_scores.ip_core_support", "知识产权：对主要产品的核心支持作用", KindScore, GroupExpert, nil},
	{"expert_scores.ip_quantity", "知识产权：数量", KindScore, GroupExpert, nil},
	{"expert_scores.ip_acquisition", "知识产权：获得方式", KindScore, GroupExpert, nil},
	{"expert_scores.ip_standards", "知识产权：参与标准制定", KindScore, GroupExpert, nil},
	{"expert_scores.conversion", "科技成果转化能力", KindScore, GroupExpert, nil},
	{"expert_scores.rd_management", "研究开发组织管理水平", KindScore, GroupExpert, nil},
	{"expert_scores.growth_net_assets", "成长性：净资产增长", KindScore, GroupExpert, nil},
	{"expert_scores.growth_sales", "成长性：销售收入增长", KindScore, GroupExpert, nil},

	{"hnte_event", "高企认定情形", KindEnum, GroupPolicy, HNTEEvents},
	{"above_designated_size", "规模以上企业", KindBool, GroupPolicy, nil},
	{"in_pool", "已入高新技术企业培育库", KindBool, GroupPolicy, nil},
	{"pool_subsidy_years", "已享受培育库研发补助年数", KindInt, GroupPolicy, nil},
	{"subsidy_paid_this_year_fen", "本年已获技术合同补助", KindMoney, GroupPolicy, nil},
	{"brokered_contracts", "促成登记的技术合同数", KindInt, GroupPolicy, nil},
}

// YearFields are the figures of one accounting year (years[i].<path>).
var YearFields = []Field{
	{"year", "会计年度", KindInt, GroupYears, nil},
	{"sales_revenue_fen", "销售收入", KindMoney, GroupYears, nil},
	{"total_income_fen", "总收入", KindMoney, GroupYears, nil},
	{"cost_total_fen", "成本费用支出总额", KindMoney, GroupYears, nil},
	{"rd_expense_fen", "研发费用", KindMoney, GroupYears, nil},
	{"rd_domestic_fen", "境内研发费用", KindMoney, GroupYears, nil},
	{"net_assets_fen", "年末净资产", KindMoney, GroupYears, nil},
	{"hightech_revenue_fen", "高新技术产品（服务）收入", KindMoney, GroupYears, nil},
	{"tech_activity_fen", "科技活动投入经费", KindMoney, GroupYears, nil},
	{"employees", "年末职工数", KindInt, GroupYears, nil},
}

// MaxYears is how many accounting years a filing holds (FACTS.md).
const MaxYears = 4

// registryLabels name the facts the registry fills.
var registryLabels = map[string]string{"name": "企业名称", "uscc": "统一社会信用代码", "registered_on": "成立日期",
	"contracts": "技术合同", "years": "会计年度数据", "ip": "知识产权", "flags": "条件与情形", "direct": "直通条件",
	"funding": "融资情况", "expert_scores": "专家评分"}

// Label is the Chinese name of a facts path ("years[1].rd_expense_fen":
// "第2个会计年度 研发费用"); an unknown path is itself.
func Label(path string) string {
	if l, ok := registryLabels[path]; ok {
		return l
	}
	for _, f := range Fields {
		if f.Path == path {
			return f.Label
		}
	}
	if rest, ok := strings.CutPrefix(path, "years["); ok {
		var i int
		var field string
		if j := strings.Index(rest, "]."); j > 0 {
			fmt.Sscanf(rest[:j], "%d", &i)
			field = rest[j+2:]
			for _, f := range YearFields {
				if f.Path == field {
					return fmt.Sprintf("第%d个会计年度 %s", i+1, f.Label)
				}
			}
		}
	}
	return path
}
