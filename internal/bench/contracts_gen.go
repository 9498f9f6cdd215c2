package bench

import (
	"cmp"
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
	"time"

	"kechuang/internal/city"
	"kechuang/internal/domain"
)

// districtWeights skew activity among the city file's districts to the
// university and industrial ones (浑南, 和平, 铁西, 沈北) as in the city's
// published breakdowns; a district without a weight weighs 1.
var districtWeights = map[string]int{
	"210102": 16, "210103": 9, "210104": 6, "210105": 8, "210106": 14, "210111": 3, "210112": 22,
	"210113": 10, "210114": 6, "210115": 2, "210123": 1, "210124": 1, "210181": 2,
}

// outside are regions of parties outside the city, with their place names.
var outside = []struct{ code, place string }{
	{"110108", "北京"}, {"310115", "上海"}, {"440305", "深圳"}, {"210202", "大连"}, {"210302", "鞍山"},
	{"210402", "抚顺"}, {"220104", "长春"}, {"230103", "哈尔滨"}, {"320106", "南京"}, {"330106", "杭州"},
	{"370102", "济南"}, {"120116", "天津"}, {"510107", "成都"}, {"420111", "武汉"}, {"610113", "西安"},
}

var universities = []string{"东北大学", "沈阳工业大学", "沈阳航空航天大学", "沈阳建筑大学", "沈阳药科大学", "沈阳农业大学",
	"中国医科大学", "辽宁大学", "沈阳理工大学", "沈阳化工大学", "沈阳师范大学", "沈阳大学", "沈阳医学院", "辽宁中医药大学"}

var institutes = []string{"中国科学院金属研究所", "中国科学院沈阳自动化研究所", "中国科学院沈阳应用生态研究所",
	"沈阳化工研究院有限公司", "沈阳铸造研究所有限公司", "沈阳仪表科学研究院有限公司", "沈阳飞机设计研究所",
	"沈阳发动机研究所", "辽宁省农业科学院", "沈阳市农业科学院"}

var nameParts = []string{"华", "新", "创", "远", "恒", "盛", "瑞", "德", "宏", "泰", "凯", "博", "联", "众", "智", "源",
	"峰", "航", "海", "正", "金", "鑫", "东", "北", "达", "通", "天", "宇", "昊", "锐"}

var industries = []string{"智能科技", "新材料科技", "生物医药", "机器人", "精密机械", "能源科技", "信息技术", "环保科技",
	"汽车零部件", "航空装备", "医疗器械", "软件", "自动化设备", "化工", "农业科技"}

var topics = map[string][]string{
	"electronics":   {"工业互联网平台", "智能传感器", "嵌入式控制系统", "数据中台", "边缘计算网关"},
	"manufacturing": {"数控加工工艺", "焊接机器人工作站", "智能产线", "精密齿轮", "液压系统"},
	"aerospace":     {"航空发动机叶片", "复合材料构件", "机载设备", "无人机飞控"},
	"transport":     {"新能源汽车电驱", "轨道车辆部件", "智能网联测试", "动力电池包"},
	"agriculture":   {"玉米品种选育", "水稻栽培技术", "设施农业", "畜禽疫病防控"},
	"materials":     {"高温合金", "钛合金粉末", "石墨烯涂层", "高分子材料"},
	"energy":        {"储能系统", "余热回收", "光伏组件", "氢能装备"},
	"environment":   {"污水处理工艺", "固废资源化", "土壤修复", "大气污染治理"},
	"biomedicine":   {"创新药物", "医学影像设备", "体外诊断试剂", "中药制剂"},
	"urban":         {"智慧社区", "建筑节能", "城市管网监测", "装配式建筑"},
	"nuclear":       {"核辐射检测", "同位素应用"},
}

// weighted choice helpers
type weighted[T any] struct {
	items []T
	cum   []int
}

func newWeighted[T any](items []T, weights []int) weighted[T] {
	w := weighted[T]{items: items, cum: make([]int, len(weights))}
	s := 0
	for i, x := range weights {
		s += x
		w.cum[i] = s
	}
	return w
}

func (w weighted[T]) pick(r *rand.Rand) T {
	x := r.IntN(w.cum[len(w.cum)-1])
	for i, c := range w.cum {
		if x < c {
			return w.items[i]
		}
	}
	return w.items[len(w.items)-1]
}

var (
	categoryPick = newWeighted([]string{"development", "service", "consulting", "transfer", "license"}, []int{44, 32, 9, 8, 7})
	fieldPick    = newWeighted([]string{"electronics", "manufacturing", "aerospace", "transport", "agriculture", "materials",
		"energy", "environment", "biomedicine", "urban", "nuclear"}, []int{22, 20, 6, 8, 6, 9, 8, 7, 8, 5, 1})
	monthWeights = []int{5, 6, 8, 8, 8, 8, 8, 8, 9, 9, 10, 13} // December peak of registrations
)

// Generator produces a deterministic stream of registered contracts for one
// year: the i-th contract of n always has the same content, registered in
// serial order on a date that grows with i (as a registry registers them).
type Generator struct {
	City       *city.City // its districts, chains and registry code
	Year       int
	N          int
	RegistryID int64
	OwnerOrgID int64

	rng     *rand.Rand
	sellers []domain.Party
	buyers  []domain.Party
	next    int
	day0    time.Time
	cumDays []float64 // cumulative share of registrations at the end of each day
}

// NewGenerator returns a generator of n contracts of year in city c,
// registered by the registry org (also the owner of the records).
func NewGenerator(c *city.City, seed uint64, year, n int, registryID, ownerOrgID int64) *Generator {
	g := &Generator{City: c, Year: year, N: n, RegistryID: registryID, OwnerOrgID: ownerOrgID,
		rng: rand.New(rand.NewPCG(seed, 0x6b656368))}
	g.day0 = time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC)
	days := g.day0.AddDate(1, 0, 0).Sub(g.day0).Hours() / 24
	g.cumDays = make([]float64, int(days))
	total := 0.0
	for d := range g.cumDays {
		t := g.day0.AddDate(0, 0, d)
		w := float64(monthWeights[t.Month()-1])
		if t.Weekday() == time.Saturday || t.Weekday() == time.Sunday {
			w /= 8
		}
		total += w
		g.cumDays[d] = total
	}
	for d := range g.cumDays {
		g.cumDays[d] /= total
	}
	g.makeParties()
	return g
}

func (g *Generator) makeParties() {
	r := g.rng
	weights := make([]int, len(g.City.Districts))
	for i, d := range g.City.Districts {
		weights[i] = cmp.Or(districtWeights[d.Code], 1)
	}
	local := newWeighted(g.City.Districts, weights)
	place := strings.TrimSuffix(g.City.Name, "市") // 沈阳 in company names
	serial := 0
	uscc := func(kind, region string) string {
		serial++
		return domain.MakeUSCC(fmt.Sprintf("%s%s%09d", kind, region, serial))
	}
	for _, u := range universities {
		g.sellers = append(g.sellers, domain.Party{Name: u, RegionCode: local.pick(r).Code, Type: domain.PartyUniversity})
	}
	for _, in := range institutes {
		g.sellers = append(g.sellers, domain.Party{Name: in, RegionCode: local.pick(r).Code, Type: domain.PartyInstitute})
	}
	for i := range g.sellers {
		g.sellers[i].USCC = uscc("12", g.sellers[i].RegionCode)
	}
	company := func(place, region string) domain.Party {
		name := place + nameParts[r.IntN(len(nameParts))] + nameParts[r.IntN(len(nameParts))] +
			industries[r.IntN(len(industries))] + []string{"有限公司", "股份有限公司"}[r.IntN(2)]
		return domain.Party{Name: name, USCC: uscc("91", region), RegionCode: region, Type: domain.PartyEnterprise}
	}
	// Enterprise sellers: mostly local; a few from other cities sell to
	// Shenyang buyers (技术吸纳).
	for range 3000 {
		if r.IntN(10) < 8 {
			d := local.pick(r)
			g.sellers = append(g.sellers, company(place, d.Code))
		} else {
			o := outside[r.IntN(len(outside))]
			g.sellers = append(g.sellers, company(o.place, o.code))
		}
	}
	for range 20000 {
		if r.IntN(100) < 62 {
			d := local.pick(r)
			g.buyers = append(g.buyers, company(place, d.Code))
		} else {
			o := outside[r.IntN(len(outside))]
			g.buyers = append(g.buyers, company(o.place, o.code))
		}
	}
	// Hospitals and public bodies buy services too (主体类型“其他”).
	for i := range 400 {
		d := local.pick(r)
		g.buyers = append(g.buyers, domain.Party{Name: fmt.Sprintf("%s%s第%d事业服务中心", g.City.Name, d.Name, i+1),
			USCC: uscc("12", d.Code), RegionCode: d.Code, Type: domain.PartyOther})
	}
}

// Done reports whether the stream is exhausted.
func (g *Generator) Done() bool { return g.next >= g.N }

// Next returns the next batch of at most size contracts, reusing buf.
func (g *Generator) Next(buf []*domain.Contract, size int) ([]*domain.Contract, error) {
	buf = buf[:0]
	for ; len(buf) < size && g.next < g.N; g.next++ {
		c, err := g.contract(g.next)
		if err != nil {
			return nil, err
		}
		buf = append(buf, c)
	}
	return buf, nil
}

// dayOf maps position i of n onto a date of the year, following the
// month and weekday weights.
func (g *Generator) dayOf(i int) time.Time {
	p := (float64(i) + 0.5) / float64(g.N)
	lo, hi := 0, len(g.cumDays)-1
	for lo < hi {
		m := (lo + hi) / 2
		if g.cumDays[m] < p {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return g.day0.AddDate(0, 0, lo)
}

func (g *Generator) contract(i int) (*domain.Contract, error) {
	r := g.rng
	reg := g.dayOf(i)
	signed := reg.AddDate(0, 0, -(3 + r.IntN(60)))
	accepted := reg.AddDate(0, 0, -r.IntN(min(25, int(reg.Sub(signed).Hours()/24))+1))
	end := signed.AddDate(0, 3+r.IntN(34), 0)
	cat := categoryPick.pick(r)
	sub := domain.CategoriesAt(signed.Format(time.DateOnly))
	var subType string
	for _, c := range sub {
		if c.Code == cat {
			subType = c.SubTypes[r.IntN(len(c.SubTypes))].Code
		}
	}
	field := fieldPick.pick(r)
	seller := g.sellers[r.IntN(len(g.sellers))]
	if r.IntN(3) == 0 { // universities and institutes sell a third of the contracts
		seller = g.sellers[r.IntN(len(universities)+len(institutes))]
	}
	buyer := g.buyers[r.IntN(len(g.buyers))]
	chain := ""
	if r.IntN(10) < 6 {
		chain = g.City.Chains[r.IntN(len(g.City.Chains))].Code
	}
	serial := int64(i + 1)
	c := &domain.Contract{
		RegistryID: g.RegistryID, OwnerOrgID: g.OwnerOrgID,
		Title:      topics[field][r.IntN(len(topics[field]))] + domain.SubTypeLabel(subType) + "合同",
		ContractNo: fmt.Sprintf("HT%d-%07d", g.Year, r.IntN(10_000_000)),
		Seller:     seller, Buyer: buyer,
		SignedOn: signed.Format(time.DateOnly), TermStart: signed.Format(time.DateOnly), TermEnd: end.Format(time.DateOnly),
		Category: cat, SubType: subType, Form: "written", SealsMatch: true, Field: field, ChainCode: chain,
		TurnoverFen: g.amountFen(),
		Status:      domain.ContractRegistered, RegYear: g.Year, RegSerial: serial,
		RegNo:        domain.RegNoFor(g.Year, g.City.Registry.Code, serial),
		RegisteredOn: reg.Format(time.DateOnly), AcceptedOn: accepted.Format(time.DateOnly),
	}
	c.CostItems = g.costItems(c)
	if err := c.Validate(); err != nil {
		return nil, fmt.Errorf("bench: generated contract %d is invalid: %w", i+1, err)
	}
	c.TechIncomeFen = c.TechTransactionFen / 100 * int64(55+r.IntN(40))
	return c, nil
}

// amountFen draws 合同成交额 from a log-normal distribution (median 300,000
// yuan): most contracts are small, a few run to hundreds of millions.
func (g *Generator) amountFen() int64 {
	yuan := math.Exp(math.Log(300_000) + 1.5*g.rng.NormFloat64())
	yuan = math.Min(math.Max(yuan, 2_000), 800_000_000)
	return int64(yuan/100) * 100 * 100 // whole hundreds of yuan, in fen
}

var costKinds = []string{"equipment", "instrument", "parts", "materials", "prototype", "other"}

// costItems itemises non-technical costs for about a quarter of the
// development and service contracts, never more than half the turnover.
func (g *Generator) costItems(c *domain.Contract) []domain.CostItem {
	r := g.rng
	if (c.Category != "development" && c.Category != "service") || r.IntN(4) != 0 {
		return nil
	}
	budget := c.TurnoverFen / 2
	n := 1 + r.IntN(3)
	items := make([]domain.CostItem, 0, n)
	for range n {
		kind := costKinds[r.IntN(len(costKinds))]
		qty := int64(1 + r.IntN(3))
		unit := budget / int64(n) / qty / 100 * int64(20+r.IntN(80))
		if unit <= 0 {
			continue
		}
		items = append(items, domain.CostItem{Kind: kind, Description: domain.CostKindLabel(kind), UnitPriceFen: unit, Quantity: qty})
	}
	return items
}
