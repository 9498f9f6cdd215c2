package domain

import "fmt"

// ContractLink names a record a contract came from (成果来源): an
// achievement, a need, a challenge, an event or an intention. The kinds
// are ContractLinkKinds; which of them a filing may name today is the
// service's registry of checks (a module registers its kind's check when
// it lands), so a kind whose module is not there yet is refused.
type ContractLink struct {
	Kind  string `json:"kind"`
	RefID int64  `json:"ref_id"`
	// Title is what the reader sees of the record named (filled on read,
	// ignored on write).
	Title string `json:"title,omitempty"`
}

// ContractLinkKinds are the kinds of record a contract may name, with
// their Chinese names (the timeline's and the form's labels).
var ContractLinkKinds = NewEnum[string](
	Item[string]{"achievement", "科技成果"}, Item[string]{"need", "技术需求"},
	Item[string]{"challenge", "揭榜挂帅榜单"}, Item[string]{"event", "路演/对接会"},
	Item[string]{"intention", "合作意向"},
)

// MaxContractLinks bounds the sources one contract names.
const MaxContractLinks = 10

// CheckContractLinks checks the shape of a contract's links (kind given,
// id positive, no record named twice, at most MaxContractLinks), naming
// the field of each bad one ("links[i].kind", "links[i].ref_id"). Whether
// the kind is accepted and the record exists is the service's check.
func CheckContractLinks(links []ContractLink) error {
	var v Validator
	v.Check(len(links) <= MaxContractLinks, "links", "一份合同最多注明 %d 个来源", MaxContractLinks)
	seen := map[ContractLink]bool{}
	for i, l := range links {
		f := fmt.Sprintf("links[%d]", i)
		if l.Kind == "" {
			v.Add(f+".kind", "第%d个来源请选择来源类型", i+1)
			continue
		}
		if l.RefID <= 0 {
			v.Add(f+".ref_id", "第%d个来源请填写%s编号（正整数）", i+1, ContractLinkKindLabel(l.Kind))
			continue
		}
		k := ContractLink{Kind: l.Kind, RefID: l.RefID}
		if seen[k] {
			v.Add(f+".ref_id", "第%d个来源与前面的来源重复", i+1)
		}
		seen[k] = true
	}
	return v.Err()
}

// ContractLinkKindLabel is the Chinese name of a kind (the code itself for
// an unknown one).
func ContractLinkKindLabel(kind string) string {
	if ContractLinkKinds.Valid(kind) {
		return ContractLinkKinds.Label(kind)
	}
	return kind
}

// ChainStage is one stage of the chain's funnel (成果转化漏斗): the figure
// that counts it and, where the records tell, the figure of its local part.
// A stage whose figure no module gives is shown as 暂无数据, not zero.
type ChainStage struct {
	Code   string `json:"code"`
	Label  string `json:"label"` // zh-CN, a message id
	Figure string `json:"figure"`
	Local  string `json:"local_figure,omitempty"`
}

// Chain figures of the funnel's later stages: a module that records them
// registers a source giving the key (service/chain.go) and its stage fills.
const (
	ChainAchievementsContracted    = "achievements_contracted"     // distinct achievements named by a contract registered in the year
	ChainAchievementsPitched       = "achievements_pitched"        // distinct achievements pitched at an event or matched in the year
	ChainAchievementsPiloted       = "achievements_piloted"        // distinct achievements with a pilot project in the year
	ChainAchievementsIndustrialise = "achievements_industrialised" // distinct achievements industrialised in the year
)

// ChainStages are the funnel's stages in order: published → pitched or
// matched → intention → contract (local or not) → pilot → industrialised.
// Registration line: one per stage.
var ChainStages = []ChainStage{
	{Code: "published", Label: "成果发布", Figure: ChainAchievementsPublished},
	{Code: "pitched", Label: "路演或匹配对接", Figure: ChainAchievementsPitched},
	{Code: "intention", Label: "签订合作意向", Figure: ChainIntentions},
	{Code: "contract", Label: "签订技术合同", Figure: ChainAchievementsContracted, Local: ChainLocalConversions},
	{Code: "pilot", Label: "中试熟化", Figure: ChainAchievementsPiloted},
	{Code: "industrialised", Label: "产业化", Figure: ChainAchievementsIndustrialise},
}
