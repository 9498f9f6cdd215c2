package evaluate

import (
	"cmp"
	"slices"

	"kechuang/internal/domain"
)

// PanelRules are a set's panel composition rules (data, in the set file).
// The defaults of the achievement set follow the 2009 pilot measures
// (arts 16–17: 5–9 experts, technical experts at least two thirds; at most
// two from one unit).
type PanelRules struct {
	MinSize int `yaml:"min_size"`
	MaxSize int `yaml:"max_size"`
	// Size is the size Propose aims at (MinSize when 0).
	Size int `yaml:"size,omitempty"`
	// TechnicalNum/TechnicalDen is the least share of technical experts:
	// TechnicalDen*technical >= TechnicalNum*size, compared exactly.
	TechnicalNum int `yaml:"technical_num"`
	TechnicalDen int `yaml:"technical_den"`
	// MaxPerOrg is the most experts from one organisation.
	MaxPerOrg int `yaml:"max_per_org"`
	// FinanceRequired asks for at least one finance expert.
	FinanceRequired bool `yaml:"finance_required,omitempty"`
}

func (r *PanelRules) validate(v *domain.Validator) {
	v.Check(r.MinSize >= 1 && r.MinSize <= r.MaxSize && r.MaxSize <= maxPanelSize, "panel.max_size",
		"专家组人数应满足 1 ≤ 最少人数 ≤ 最多人数 ≤ %d", maxPanelSize)
	v.Check(r.Size == 0 || (r.Size >= r.MinSize && r.Size <= r.MaxSize), "panel.size", "建议的专家组人数应在最少与最多人数之间")
	v.Check(r.TechnicalDen >= 1 && r.TechnicalNum >= 0 && r.TechnicalNum <= r.TechnicalDen && r.TechnicalDen <= 100,
		"panel.technical_den", "技术专家最低比例应为 0–1 之间的分数（分母 1–100）")
	v.Check(r.MaxPerOrg >= 1, "panel.max_per_org", "同一单位专家人数上限应为正整数")
}

// target is the size Propose aims at.
func (r PanelRules) target() int {
	if r.Size != 0 {
		return r.Size
	}
	return r.MinSize
}

// minTechnical is the fewest technical experts a panel of n needs:
// ceil(num*n/den).
func (r PanelRules) minTechnical(n int) int {
	return (r.TechnicalNum*n + r.TechnicalDen - 1) / r.TechnicalDen
}

// Panel rule codes, one per rule a proposed panel can break.
const (
	RuleSize      = "size"
	RuleTechnical = "technical_share"
	RuleOrg       = "org_limit"
	RuleFinance   = "finance"
	RuleConflict  = "conflict"
	RuleDuplicate = "duplicate"
)

// Violation is one broken panel rule, explained.
type Violation struct {
	Rule string
	Text domain.Text
}

// CheckPanel names every rule the proposed panel breaks for the
// application; none means it may be assigned.
func (r PanelRules) CheckPanel(app Application, panel []Expert) []Violation {
	var out []Violation
	add := func(rule, format string, args ...any) {
		out = append(out, Violation{rule, domain.Msg(format, args...)})
	}
	n := len(panel)
	if n < r.MinSize || n > r.MaxSize {
		add(RuleSize, "专家组应有 %d–%d 人，现有 %d 人", r.MinSize, r.MaxSize, n)
	}
	technical, finance := 0, 0
	perOrg := map[int64]int{}
	seen := map[int64]bool{}
	var orgs []Org
	for _, e := range panel {
		if seen[e.ID] {
			add(RuleDuplicate, "专家%s重复列入专家组", e.Name)
			continue
		}
		seen[e.ID] = true
		switch e.Kind {
		case Technical:
			technical++
		case Finance:
			finance++
		}
		if e.Org.ID != 0 {
			if perOrg[e.Org.ID] == 0 {
				orgs = append(orgs, e.Org)
			}
			perOrg[e.Org.ID]++
		}
		for _, c := range Conflicts(e, app) {
			add(RuleConflict, "%s（利益冲突，不能指派）", c.Text)
		}
	}
	if r.TechnicalDen*technical < r.TechnicalNum*n {
		add(RuleTechnical, "技术专家应不少于 %d/%d：%d 人中只有 %d 名技术专家", r.TechnicalNum, r.TechnicalDen, n, technical)
	}
	for _, o := range orgs {
		if perOrg[o.ID] > r.MaxPerOrg {
			add(RuleOrg, "同一单位的专家至多 %d 人：%s有 %d 人", r.MaxPerOrg, o.Name, perOrg[o.ID])
		}
	}
	if r.FinanceRequired && finance == 0 {
		add(RuleFinance, "本指标体系要求专家组至少有 1 名财务专家")
	}
	return out
}

// PanelError turns violations into one EINVALID error on the field
// "panel", listing every rule.
func PanelError(vs []Violation) error {
	if len(vs) == 0 {
		return nil
	}
	var v domain.Validator
	for _, x := range vs {
		v.Add("panel", "%s", x.Text)
	}
	return v.Err()
}

// maxSearch bounds Propose's search (it succeeds at once on a pool with
// room to spare; the bound only stops a pathological pool).
const maxSearch = 200_000

// Propose picks a panel from the pool deterministically: experts with a
// conflict of interest are left out; the rest are ranked by field fit
// (most of the application's fields covered first, then by id), and the
// panel is the first choice in that order, of the rules' target size, that
// meets every rule (the finance expert, the technical share, the limit per
// organisation). It names why when the pool cannot make a panel.
func (r PanelRules) Propose(app Application, pool []Expert) ([]Expert, error) {
	var cands []Expert
	seen := map[int64]bool{}
	for _, e := range pool {
		if !seen[e.ID] && len(Conflicts(e, app)) == 0 {
			cands = append(cands, e)
		}
		seen[e.ID] = true
	}
	slices.SortStableFunc(cands, func(a, b Expert) int {
		if c := cmp.Compare(fit(b, app), fit(a, app)); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	n := r.target()
	needTech := r.minTechnical(n)
	// suffix counts for pruning: technical and finance experts from i on
	techFrom := make([]int, len(cands)+1)
	finFrom := make([]int, len(cands)+1)
	for i := len(cands) - 1; i >= 0; i-- {
		techFrom[i], finFrom[i] = techFrom[i+1], finFrom[i+1]
		switch cands[i].Kind {
		case Technical:
			techFrom[i]++
		case Finance:
			finFrom[i]++
		}
	}
	needFin := 0
	if r.FinanceRequired {
		needFin = 1
	}
	var (
		chosen       []Expert
		perOrg       = map[int64]int{}
		tech, fin    int
		steps        int
		search       func(i int) bool
		nonTechLimit = n - needTech
	)
	search = func(i int) bool {
		if len(chosen) == n {
			return tech >= needTech && fin >= needFin
		}
		steps++
		if steps > maxSearch || len(cands)-i < n-len(chosen) ||
			techFrom[i] < needTech-tech || finFrom[i] < needFin-fin {
			return false
		}
		e := cands[i]
		ok := e.Org.ID == 0 || perOrg[e.Org.ID] < r.MaxPerOrg
		if e.Kind != Technical && len(chosen)-tech >= nonTechLimit {
			ok = false
		}
		if ok {
			chosen = append(chosen, e)
			perOrg[e.Org.ID]++
			if e.Kind == Technical {
				tech++
			}
			if e.Kind == Finance {
				fin++
			}
			if search(i + 1) {
				return true
			}
			chosen = chosen[:len(chosen)-1]
			perOrg[e.Org.ID]--
			if e.Kind == Technical {
				tech--
			}
			if e.Kind == Finance {
				fin--
			}
		}
		return search(i + 1)
	}
	if search(0) {
		return slices.Clone(chosen), nil
	}
	if r.FinanceRequired {
		return nil, domain.Errorf(domain.ECONFLICT,
			"专家库无法组成符合规则的 %d 人专家组（需 %d 名以上技术专家、1 名以上财务专家，同一单位至多 %d 人；可用专家 %d 人，因利益冲突排除 %d 人）",
			n, needTech, r.MaxPerOrg, len(cands), len(seen)-len(cands))
	}
	return nil, domain.Errorf(domain.ECONFLICT,
		"专家库无法组成符合规则的 %d 人专家组（需 %d 名以上技术专家，同一单位至多 %d 人；可用专家 %d 人，因利益冲突排除 %d 人）",
		n, needTech, r.MaxPerOrg, len(cands), len(seen)-len(cands))
}
