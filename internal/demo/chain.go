package demo

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"sort"
	"time"

	"kechuang/internal/domain"
	"kechuang/internal/store"
)

// The demo's chain (成果转化链条): each year's technology needs of the
// city's enterprises, and the year's registered contracts linked to the
// achievements and needs they came from, so that the chain's figures come
// from records like any others.

// LocalConversions is the city's published figure: 1700 achievements
// converted locally in 2022 (seed page) — distinct achievements named by a
// contract registered in 2022 whose buyer is in the city. The other years
// are the demo's assumption: 1310 in 2021, then 1790, 1850, 1900 and 1950
// a year from 2026 (about seven in ten of the year's published
// achievements); a year still running keeps its share of the contracts
// registered so far.
var LocalConversions = map[int]int{2021: 1310, 2022: 1700}

var conversionsAssumed = map[int]int{2023: 1790, 2024: 1850, 2025: 1900}

func conversionsPlanned(year int) int {
	if n, ok := LocalConversions[year]; ok {
		return n
	}
	if n, ok := conversionsAssumed[year]; ok {
		return n
	}
	return 1950
}

// NeedsPlanned is the demo's assumed count of technology needs published
// a year (no published figure): 260 in 2021, 318 in 2022, then 20 more a
// year; a year still running keeps those published up to Through.
func NeedsPlanned(year int) int {
	switch {
	case year <= 2021:
		return 260
	case year == 2022:
		return 318
	}
	return 318 + 20*(year-2022)
}

// Shares of the demo's links beyond the local conversions (assumptions):
// one in ten further local contracts is a second contract of an achievement
// already converted that year; one in four contracts bought outside the
// city names an achievement.
const (
	repeatLocalPct = 10
	outsidePct     = 25
)

// chainStep: one part a year, after the contracts and the achievements.
var chainStep = Step{Module: "chain", Parts: func(g *gen) []Part {
	var out []Part
	for _, y := range g.years {
		out = append(out, Part{Name: fmt.Sprintf("chain.%d", y.Year), Seed: func(ctx context.Context, g *gen, tx *store.Q, progress io.Writer) error {
			needs, local, linked, err := g.chainYear(ctx, tx, y)
			if err != nil {
				return err
			}
			fmt.Fprintf(progress, "  %d 年技术需求 %d 项；注明来源的合同 %d 项，本地转化成果 %d 项\n", y.Year, needs, linked, local)
			return nil
		}})
	}
	return out
}}

type needTheme struct {
	chain    string
	object   string
	problem  string
	keywords []string
	ind      domain.NeedIndicator
}

// needThemes are the needs' subjects, by chain (drawn with a variant word).
var needThemes = []needTheme{
	{"robot", "焊装机器人", "视觉引导定位精度不足", []string{"机器人", "视觉定位"}, domain.NeedIndicator{Indicator: "重复定位精度", Target: "≤0.05", Unit: "mm"}},
	{"robot", "协作机器人关节", "减速器寿命偏短", []string{"减速器", "协作机器人"}, domain.NeedIndicator{Indicator: "额定寿命", Target: "≥10000", Unit: "h"}},
	{"aviation", "航空结构件", "复合材料自动铺放效率低", []string{"复合材料", "自动铺放"}, domain.NeedIndicator{Indicator: "铺放效率", Target: "≥15", Unit: "kg/h"}},
	{"ic_equipment", "晶圆清洗设备", "颗粒残留控制不稳定", []string{"晶圆", "清洗"}, domain.NeedIndicator{Indicator: "颗粒残留", Target: "≤10", Unit: "颗/片"}},
	{"nev", "动力电池包", "热失控预警滞后", []string{"动力电池", "热管理"}, domain.NeedIndicator{Indicator: "预警提前时间", Target: "≥300", Unit: "s"}},
	{"auto_parts", "铝合金轮毂", "铸造缺陷检出率低", []string{"铸造", "缺陷检测"}, domain.NeedIndicator{Indicator: "缺陷检出率", Target: "≥99", Unit: "%"}},
	{"cnc", "五轴数控机床", "热变形补偿精度不足", []string{"数控机床", "热误差"}, domain.NeedIndicator{Indicator: "热变形误差", Target: "≤5", Unit: "μm"}},
	{"power_grid", "变压器在线监测", "局部放电识别误报多", []string{"变压器", "局部放电"}, domain.NeedIndicator{Indicator: "误报率", Target: "≤2", Unit: "%"}},
	{"energy_equipment", "储能变流器", "并网效率偏低", []string{"储能", "变流器"}, domain.NeedIndicator{Indicator: "转换效率", Target: "≥98.5", Unit: "%"}},
	{"gas_turbine", "燃机叶片", "热障涂层剥落", []string{"热障涂层", "叶片"}, domain.NeedIndicator{Indicator: "热循环寿命", Target: "≥1000", Unit: "次"}},
	{"medical_devices", "超声诊断设备", "图像噪声大、分辨率不足", []string{"超声", "图像处理"}, domain.NeedIndicator{Indicator: "轴向分辨率", Target: "≤0.3", Unit: "mm"}},
	{"biopharma", "抗体药物", "细胞培养表达量低", []string{"抗体", "细胞培养"}, domain.NeedIndicator{Indicator: "表达量", Target: "≥5", Unit: "g/L"}},
	{"metal_materials", "高强镁合金板材", "室温成形性差", []string{"镁合金", "成形"}, domain.NeedIndicator{Indicator: "延伸率", Target: "≥20", Unit: "%"}},
	{"fine_chemicals", "聚氨酯催化剂", "选择性不高、副产物多", []string{"催化剂", "聚氨酯"}, domain.NeedIndicator{Indicator: "选择性", Target: "≥95", Unit: "%"}},
	{"", "生产线", "设备故障预测能力不足", []string{"预测性维护", "工业互联网"}, domain.NeedIndicator{Indicator: "故障预测准确率", Target: "≥90", Unit: "%"}},
	{"", "污水处理工艺", "氨氮去除不达标", []string{"污水处理", "氨氮"}, domain.NeedIndicator{Indicator: "氨氮去除率", Target: "≥95", Unit: "%"}},
	{"", "仓储物流", "分拣效率低", []string{"智能仓储", "分拣"}, domain.NeedIndicator{Indicator: "分拣效率", Target: "≥3000", Unit: "件/h"}},
}

var needVariants = []string{"优化", "攻关", "改进", "提升", "国产化替代", "工艺改进"}

// need draws one need of enterprise o published on day.
func (g *gen) demoNeed(o *orgRef, day string) *domain.Need {
	th := needThemes[g.rng.IntN(len(needThemes))]
	chain := th.chain
	if chain != "" && !g.chainVisible(chain) {
		chain = ""
	}
	v := needVariants[g.rng.IntN(len(needVariants))]
	x := &domain.Need{
		Title:      th.object + th.problem + v,
		Problem:    fmt.Sprintf("我公司在%s方面存在%s的问题，现有方案难以满足批量生产要求，希望与高校院所合作开展%s，并在我公司产线上完成验证。", th.object, th.problem, v),
		Indicators: []domain.NeedIndicator{th.ind},
		Deadline:   addDays(day, 60+g.rng.IntN(240)),
		ChainCode:  chain, Keywords: th.keywords,
		Stage:       []string{"", "small", "pilot", "industrial"}[g.rng.IntN(4)],
		Modes:       []string{[]string{"develop", "transfer", "license", "service"}[g.rng.IntN(4)]},
		ContactName: g.personName(), ContactPhone: fmt.Sprintf("024-%08d", 20000000+g.rng.IntN(70000000)),
		OwnerOrgID: o.id, OwnerName: o.name, Status: domain.NeedPublished, PublishedOn: day,
	}
	if g.rng.IntN(4) > 0 {
		x.BudgetMinFen = int64(10+g.rng.IntN(90)) * 1_000_000 // 10万 – 100万元
		x.BudgetMaxFen = x.BudgetMinFen * int64(2+g.rng.IntN(3))
	}
	return x
}

// chainYear writes year's needs and links its registered contracts to
// achievements and needs; it returns the needs written, the local
// conversions and the contracts linked.
func (g *gen) chainYear(ctx context.Context, tx *store.Q, y Year) (int, int, int, error) {
	g.rng = rand.New(rand.NewPCG(1700, uint64(y.Year)))
	cs, err := tx.RegisteredContractsOf(ctx, y.Year)
	if err != nil {
		return 0, 0, 0, err
	}
	end := fmt.Sprintf("%d-12-31", y.Year)
	if y.Through < end {
		end = y.Through
	}
	achs, err := tx.PublishedAchievementsThrough(ctx, end)
	if err != nil {
		return 0, 0, 0, err
	}
	sort.SliceStable(achs, func(i, j int) bool { return achs[i].PublishedOn < achs[j].PublishedOn })
	byOwner := map[int64][]int{} // indexes into achs
	for i, a := range achs {
		byOwner[a.OwnerOrgID] = append(byOwner[a.OwnerOrgID], i)
	}
	// before is how many achievements were published before day.
	before := func(day string) int {
		return sort.Search(len(achs), func(i int) bool { return achs[i].PublishedOn >= day })
	}
	target := conversionsPlanned(y.Year)
	if len(cs) < y.Count { // the year still running: its share so far
		target = target * len(cs) / y.Count
	}
	order := g.rng.Perm(len(cs))
	used := map[int64]bool{} // achievements converted locally this year
	var usedList []int       // their indexes
	links := map[int64][]store.ContractLinkRow{}
	link := func(c store.ChainDemoContract, kind string, ref int64) {
		links[c.ID] = append(links[c.ID], store.ContractLinkRow{ContractID: c.ID, Kind: kind, RefID: ref, Position: len(links[c.ID])})
	}
	// pick draws an achievement published before day: the seller's own
	// when it files achievements, else any of the last two years'; fresh
	// ones (not yet converted locally this year) when fresh.
	pick := func(c store.ChainDemoContract, fresh bool) int {
		n := before(c.RegisteredOn)
		if n == 0 {
			return -1
		}
		if own := byOwner[c.SellerOrgID]; len(own) > 0 {
			k := sort.Search(len(own), func(i int) bool { return own[i] >= n })
			for try := 0; try < 8 && k > 0; try++ {
				i := own[g.rng.IntN(k)]
				if !fresh || !used[achs[i].ID] {
					return i
				}
			}
		}
		lo := 0
		if from := fmt.Sprintf("%d-01-01", y.Year-1); achs[0].PublishedOn < from {
			lo = before(from)
		}
		for try := 0; try < 40; try++ {
			i := lo + g.rng.IntN(n-lo)
			if !fresh || !used[achs[i].ID] {
				return i
			}
		}
		return -1
	}
	var rest []store.ChainDemoContract
	for _, k := range order {
		c := cs[k]
		if !c.BuyerLocal {
			if g.rng.IntN(100) < outsidePct && before(c.RegisteredOn) >= 200 { // not the year's first days' few

				if i := pick(c, false); i >= 0 {
					link(c, "achievement", achs[i].ID)
				}
			}
			continue
		}
		if len(used) < target {
			if i := pick(c, true); i >= 0 {
				used[achs[i].ID] = true
				usedList = append(usedList, i)
				link(c, "achievement", achs[i].ID)
				continue
			}
		}
		rest = append(rest, c)
	}
	if len(used) != target {
		return 0, 0, 0, fmt.Errorf("演示链条：%d 年本地转化成果 %d 项，计划 %d 项（本地买方合同不足）", y.Year, len(used), target)
	}
	// Second local contracts of achievements already converted this year.
	for _, c := range rest {
		if g.rng.IntN(100) >= repeatLocalPct {
			continue
		}
		i := usedList[g.rng.IntN(len(usedList))]
		if achs[i].PublishedOn < c.RegisteredOn {
			link(c, "achievement", achs[i].ID)
		}
	}
	needs, err := g.needsOf(ctx, tx, y, cs, link)
	if err != nil {
		return 0, 0, 0, err
	}
	var rows []store.ContractLinkRow
	ids := make([]int64, 0, len(links))
	for id := range links {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	for _, id := range ids {
		rows = append(rows, links[id]...)
	}
	if err := tx.BulkContractLinks(ctx, rows); err != nil {
		return 0, 0, 0, err
	}
	return needs, len(used), len(ids), nil
}

// needsOf writes the year's published needs with their history (submitted,
// published by the bureau, and for those past their deadline by the load's
// day closed): about half of those closed solved by a contract registered
// in the year whose buyer is the need's enterprise, which then names the
// need.
func (g *gen) needsOf(ctx context.Context, tx *store.Q, y Year, cs []store.ChainDemoContract,
	link func(store.ChainDemoContract, string, int64)) (int, error) {
	bureau, err := tx.FindUserByUsername(ctx, "bureau")
	if err != nil {
		return 0, fmt.Errorf("演示科技局账号：%w", err)
	}
	byBuyer := map[int64][]store.ChainDemoContract{}
	for _, c := range cs {
		if c.BuyerOrgID != 0 {
			byBuyer[c.BuyerOrgID] = append(byBuyer[c.BuyerOrgID], c)
		}
	}
	yesterday := addDays(domain.DateOf(g.today), -1)
	end := fmt.Sprintf("%d-12-31", y.Year)
	days := make([]string, NeedsPlanned(y.Year))
	for i := range days {
		days[i] = g.registrationDate(y.Year, monthsOf(y.Year), end)
	}
	sort.Strings(days)
	at := func(d string, h int) time.Time {
		t, _ := time.ParseInLocation(time.DateOnly, d, domain.ChinaTZ)
		return t.Add(time.Duration(h)*time.Hour + time.Duration(g.rng.IntN(3600))*time.Second)
	}
	var evs []*domain.Event
	named := map[int64]bool{}
	n := 0
	for _, day := range days {
		o := g.enterprises[g.rng.IntN(len(g.enterprises))]
		x := g.demoNeed(o, day)
		if day > y.Through {
			continue
		}
		if err := x.Validate(nil, day); err != nil {
			return 0, fmt.Errorf("演示需求“%s”无效：%w", x.Title, err)
		}
		submitted := addDays(day, -(2 + g.rng.IntN(10)))
		x.CreatedAt = at(addDays(submitted, -(1+g.rng.IntN(5))), 9)
		x.UpdatedAt = at(day, 15)
		var solved *store.ChainDemoContract
		if x.Deadline <= yesterday {
			x.Status, x.ClosedOn = domain.NeedClosed, addDays(x.Deadline, 1+g.rng.IntN(5))
			x.Outcome = []string{"contract", "contract", "other", "expired", "expired"}[g.rng.IntN(5)]
			if x.Outcome == "contract" {
				for _, c := range byBuyer[o.id] {
					if c.RegisteredOn > day && c.RegisteredOn <= x.Deadline && !named[c.ID] {
						solved = &c
						break
					}
				}
				if solved == nil {
					x.Outcome = "other"
				} else {
					x.ClosedOn = addDays(solved.RegisteredOn, 1+g.rng.IntN(4))
				}
			}
			if x.ClosedOn > yesterday {
				x.ClosedOn = yesterday
			}
			x.UpdatedAt = at(x.ClosedOn, 16)
		}
		closedAt := x.UpdatedAt // InsertNeed stamps the record itself with the load's time
		if err := tx.InsertNeed(ctx, x); err != nil {
			return 0, err
		}
		n++
		evs = append(evs,
			&domain.Event{Entity: "need", EntityID: x.ID, At: at(submitted, 10), ActorName: o.name, Action: "submit",
				From: string(domain.NeedDraft), To: string(domain.NeedSubmitted)},
			&domain.Event{Entity: "need", EntityID: x.ID, At: at(day, 11), ActorID: bureau.ID, ActorName: bureau.Username, Action: "publish",
				From: string(domain.NeedSubmitted), To: string(domain.NeedPublished)})
		if x.Status == domain.NeedClosed {
			evs = append(evs, &domain.Event{Entity: "need", EntityID: x.ID, At: closedAt, ActorName: o.name, Action: "close",
				From: string(domain.NeedPublished), To: string(domain.NeedClosed), Reason: x.Outcome})
		}
		if solved != nil {
			named[solved.ID] = true
			link(*solved, "need", x.ID)
		}
	}
	sort.SliceStable(evs, func(i, j int) bool { return evs[i].At.Before(evs[j].At) })
	err = tx.BulkHistory(ctx, evs, func(i int) (before, after any) {
		e := evs[i]
		return map[string]any{"status": e.From}, map[string]any{"status": e.To}
	})
	return n, err
}
