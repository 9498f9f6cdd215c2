package demo

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"sort"
	"time"

	"kechuang/internal/city"
	"kechuang/internal/domain"
	"kechuang/internal/store"
)

func (g *gen) pick(weights []int) int {
	total := 0
	for _, w := range weights {
		total += w
	}
	n := g.rng.IntN(total)
	for i, w := range weights {
		if n -= w; n < 0 {
			return i
		}
	}
	return len(weights) - 1
}

// registrationDate draws a date of year y no later than end: by the month
// weights (the December rush, the Spring Festival's quiet month), and in
// the festival's own days four draws in five are drawn again.
func (g *gen) registrationDate(y int, weights [12]int, end string) string {
	for {
		m := g.pick(weights[:]) + 1
		first := time.Date(y, time.Month(m), 1, 0, 0, 0, 0, time.UTC)
		days := first.AddDate(0, 1, -1).Day()
		d := first.AddDate(0, 0, g.rng.IntN(days)).Format(time.DateOnly)
		if d > end || holiday(d, y) && g.rng.IntN(5) != 0 {
			continue
		}
		return d
	}
}

// amounts draws n heavy-tailed (log-normal, σ = 1.6, cut at 3.5σ so that
// no single contract towers over a month) contract amounts,
// rounded to hundreds of yuan, and scales them so they add up to total fen
// exactly; the rounding remainder goes to the largest contract.
func (g *gen) amounts(n int, total int64) []int64 {
	raw := make([]float64, n)
	var sum float64
	for i := range raw {
		raw[i] = math.Exp(14.0 + 1.6*max(-3.5, min(3.5, g.rng.NormFloat64())))
		sum += raw[i]
	}
	out := make([]int64, n)
	var got int64
	maxI := 0
	for i, r := range raw {
		v := int64(math.Round(r/sum*float64(total)/10_000)) * 10_000
		if v < 500_000 { // at least 5,000 yuan
			v = 500_000
		}
		out[i] = v
		got += v
		if v > out[maxI] {
			maxI = i
		}
	}
	out[maxI] += total - got
	return out
}

func (g *gen) orgParty(o *orgRef) domain.Party {
	return domain.Party{OrgID: o.id, Name: o.name, USCC: o.uscc, RegionCode: o.district, Type: domain.PartyTypeOf(o.kind)}
}

// seller draws the seller: universities and institutes file the most, then
// enterprises, then agencies and pilot bases. The 东北大学 and 中科院 weigh more.
func (g *gen) seller() *orgRef {
	switch r := g.rng.IntN(100); {
	case r < 44:
		if g.rng.IntN(4) == 0 {
			return g.univs[[]int{0, 15, 16}[g.rng.IntN(3)]]
		}
		return g.univs[g.rng.IntN(len(g.univs))]
	case r < 95:
		return g.enterprises[g.rng.IntN(len(g.enterprises))]
	case r < 98:
		return g.pilots[g.rng.IntN(len(g.pilots))]
	default:
		return g.agencies[g.rng.IntN(len(g.agencies))]
	}
}

// buyer draws the buyer: 42% in the city (a demo enterprise), the rest
// external firms across China.
func (g *gen) buyer(seller *orgRef) domain.Party {
	if g.rng.IntN(100) < 42 {
		for {
			e := g.enterprises[g.rng.IntN(len(g.enterprises))]
			if e != seller {
				return g.orgParty(e)
			}
		}
	}
	ws := make([]int, len(outside))
	for i, o := range outside {
		ws[i] = o.weight
	}
	o := outside[g.pick(ws)]
	city := o.name
	if len([]rune(city)) > 3 {
		city = string([]rune(city)[:2])
	} else {
		city = string([]rune(city)[:len([]rune(city))-1])
	}
	name := city + outsideWords[g.rng.IntN(len(outsideWords))] + enterpriseWords.trades[g.rng.IntN(len(enterpriseWords.trades))] + "有限公司"
	kind, t := "91", domain.PartyEnterprise
	if g.rng.IntN(25) == 0 {
		kind, t, name = "12", domain.PartyInstitute, city+"市"+outsideWords[g.rng.IntN(len(outsideWords))]+"技术研究院"
	}
	return domain.Party{Name: name, USCC: g.uscc(kind, o.code), RegionCode: o.code, Type: t}
}

func (g *gen) field() string {
	ws := make([]int, len(fieldOrder))
	for i, f := range fieldOrder {
		ws[i] = fieldWords[f].weight
	}
	return fieldOrder[g.pick(ws)]
}

// contracts generates and inserts the registered contracts of one year
// and returns how many. Each year draws from its own generator, so a year's
// records do not depend on the years before it or on the day of the load.
// A published year draws its whole count up to its last published day; a
// year of the assumed path draws the whole year's plan and keeps what falls
// up to Through (yesterday, in the current year).
func (g *gen) contracts(ctx context.Context, tx *store.Q, y Year) (int, error) {
	g.rng = rand.New(rand.NewPCG(2023, uint64(y.Year)))
	// The credit codes already taken: the organisations' only, never an
	// earlier year's buyers, so the year draws the same whether or not the
	// years before it were generated in this process (a resumed load).
	g.usedUSCC = map[string]bool{}
	for _, o := range g.byName {
		g.usedUSCC[o.uscc] = true
	}
	end := fmt.Sprintf("%d-12-31", y.Year)
	if published(y.Year) {
		end = y.Through
	}
	weights := monthsOf(y.Year)
	dates := make([]string, y.Count)
	for i := range dates {
		dates[i] = g.registrationDate(y.Year, weights, end)
	}
	sort.Strings(dates)
	amounts := g.amounts(y.Count, y.TurnoverFen)
	catWeights := make([]int, len(categoryMix))
	for i, c := range categoryMix {
		catWeights[i] = c.weight
	}
	cs := make([]*domain.Contract, 0, y.Count)
	for i, reg := range dates {
		if reg > y.Through {
			break
		}
		c := g.contract(y, reg, amounts[i], categoryMix[g.pick(catWeights)])
		c.RegSerial = int64(i + 1)
		c.RegNo = domain.RegNoFor(y.Year, g.registry.district, c.RegSerial)
		if err := c.Validate(); err != nil {
			return 0, fmt.Errorf("demo contract %d of %d: %w", i+1, y.Year, err)
		}
		cs = append(cs, c)
	}
	if err := tx.BulkInsertContracts(ctx, cs, g.city.Code); err != nil {
		return 0, err
	}
	if err := g.history(ctx, tx, y.Year, cs); err != nil {
		return 0, err
	}
	if err := g.assumedTarget(ctx, tx, y); err != nil {
		return 0, err
	}
	return len(cs), tx.SetRegSerialAtLeast(ctx, g.registry.id, y.Year, int64(len(cs)))
}

// assumedTarget gives a year after the published ones that has no turnover
// target in the city file one of the demo's own, so every year the demo
// shows has its own: the planned turnover rounded up to the next 10亿元 (an
// assumption, like the city file's targets after 2023).
func (g *gen) assumedTarget(ctx context.Context, tx *store.Q, y Year) error {
	if published(y.Year) {
		return nil
	}
	if _, ok, err := tx.Target(ctx, y.Year, city.MetricContractTurnoverFen); err != nil || ok {
		return err
	}
	const step = 10 * 100_000_000 * 100 // 10亿元 in fen
	return tx.SetTarget(ctx, y.Year, city.MetricContractTurnoverFen, (y.TurnoverFen/step+1)*step)
}

// history gives the year's registered contracts the history and audit
// rows the workflow writes: submitted by the seller's filer and accepted
// (受理) by the registrar on the accepted day, registered on the
// registration day, each at its own time, in time order.
func (g *gen) history(ctx context.Context, tx *store.Q, year int, cs []*domain.Contract) error {
	ids, err := tx.RegisteredIDs(ctx, year)
	if err != nil {
		return err
	}
	reg, err := tx.FindUserByUsername(ctx, "registrar")
	if err != nil {
		return fmt.Errorf("演示登记员：%w", err)
	}
	type step struct {
		ev *domain.Event
		c  *domain.Contract
	}
	steps := make([]step, 0, 2*len(cs))
	for _, c := range cs {
		id := ids[c.RegNo]
		if id == 0 {
			return fmt.Errorf("演示合同 %s 未写入", c.RegNo)
		}
		steps = append(steps,
			step{&domain.Event{Entity: "contract", EntityID: id, At: c.CreatedAt, ActorName: c.Seller.Name, Action: "submit",
				From: string(domain.ContractDraft), To: string(domain.ContractSubmitted)}, c},
			step{&domain.Event{Entity: "contract", EntityID: id, At: c.CreatedAt.Add(20 * time.Minute), ActorID: reg.ID, ActorName: reg.Username, Action: "accept",
				From: string(domain.ContractSubmitted), To: string(domain.ContractAccepted)}, c},
			step{&domain.Event{Entity: "contract", EntityID: id, At: c.UpdatedAt, ActorID: reg.ID, ActorName: reg.Username, Action: "register",
				From: string(domain.ContractAccepted), To: string(domain.ContractRegistered)}, c})
	}
	sort.SliceStable(steps, func(i, j int) bool { return steps[i].ev.At.Before(steps[j].ev.At) })
	evs := make([]*domain.Event, len(steps))
	for i, st := range steps {
		evs[i] = st.ev
	}
	return tx.BulkHistory(ctx, evs, func(i int) (before, after any) {
		c := steps[i].c
		switch steps[i].ev.Action {
		case "submit":
			return map[string]any{"status": domain.ContractDraft},
				map[string]any{"status": domain.ContractSubmitted, "title": c.Title, "turnover_fen": c.TurnoverFen}
		case "accept":
			return map[string]any{"status": domain.ContractSubmitted},
				map[string]any{"status": domain.ContractAccepted, "accepted_on": c.AcceptedOn, "regime": c.Regime}
		}
		return map[string]any{"status": domain.ContractAccepted},
			map[string]any{"status": domain.ContractRegistered, "reg_no": c.RegNo, "registered_on": c.RegisteredOn, "tech_income_fen": c.TechIncomeFen}
	})
}

// published reports whether y is one of the published years.
func published(y int) bool {
	for _, p := range Published {
		if p.Year == y {
			return true
		}
	}
	return false
}

func (g *gen) contract(y Year, registered string, turnover int64, cat struct {
	category, subType, suffix string
	weight                    int
}) *domain.Contract {
	accepted := addDays(registered, -(1 + g.rng.IntN(25)))
	signed := addDays(accepted, -g.rng.IntN(60))
	category, subType, suffix := cat.category, cat.subType, cat.suffix
	if signed < domain.CategoryCutover && category == "license" {
		category, subType, suffix = "transfer", "patent_license", "专利实施许可"
	}
	seller := g.seller()
	field := g.field()
	fw := fieldWords[field]
	c := &domain.Contract{
		RegistryID: g.registry.id,
		Title:      fw.objects[g.rng.IntN(len(fw.objects))] + suffix,
		ContractNo: fmt.Sprintf("%s-%04d", signed[:4], g.rng.IntN(10000)),
		Seller:     g.orgParty(seller),
		Buyer:      g.buyer(seller),
		SignedOn:   signed, TermStart: signed,
		TermEnd:  addDays(signed, 180+g.rng.IntN(900)),
		Category: category, SubType: subType, Form: "written", SealsMatch: true, Field: field,
		TurnoverFen: turnover, Status: domain.ContractRegistered, RegYear: y.Year, RegisteredOn: registered,
		AcceptedOn: accepted, Regime: domain.DefaultRegimeRules().At(accepted).Code, OwnerOrgID: seller.id,
		CreatedAt: g.workTime(accepted), UpdatedAt: g.workTime(registered),
	}
	if g.rng.IntN(10) < 7 {
		c.ChainCode = fw.chains[g.rng.IntN(len(fw.chains))]
	}
	if g.rng.IntN(12) == 0 {
		c.BrokerID = g.agencies[g.rng.IntN(len(g.agencies))].id
	}
	g.costItems(c)
	c.Compute()
	// 技术性收入 as the registrar set it: most of the technical amount.
	c.TechIncomeFen = c.TechTransactionFen / 100 * int64(70+g.rng.IntN(31))
	if g, ok := domain.RegimeByCode(c.Regime); ok && g.Approved == domain.ApprovedTransaction {
		// Under the 2026 regime the registrar fixes the 技术交易额 itself:
		// the declared one, as a registrar usually finds it.
		c.TechIncomeFen = c.TechTransactionFen
	}
	return c
}

// costItems adds equipment and materials to some development and transfer
// contracts, and a few prototypes (over the reasonable quantity now and then).
func (g *gen) costItems(c *domain.Contract) {
	if c.Category != "development" && c.Category != "transfer" && c.Category != "license" {
		return
	}
	if g.rng.IntN(10) < 3 {
		share := int64(5 + g.rng.IntN(26)) // percent
		qty := int64(1 + g.rng.IntN(3))
		unit := c.TurnoverFen * share / 100 / qty / 100 * 100
		kinds := []string{"equipment", "instrument", "parts", "materials"}
		labels := []string{"专用测试设备", "检测仪器", "关键零部件", "试验原材料"}
		k := g.rng.IntN(len(kinds))
		c.CostItems = append(c.CostItems, domain.CostItem{Kind: kinds[k], Description: labels[k], UnitPriceFen: unit, Quantity: qty})
	}
	if g.rng.IntN(20) == 0 {
		qty := int64(1 + g.rng.IntN(2))
		if g.rng.IntN(4) == 0 {
			qty = 3
		}
		unit := c.TurnoverFen / 50 / 100 * 100
		c.CostItems = append(c.CostItems, domain.CostItem{Kind: "prototype", Description: "样机", UnitPriceFen: unit, Quantity: qty})
	}
}

// workTime is a time on date in China's working hours: 09:00 plus up to
// eight hours, drawn.
func (g *gen) workTime(date string) time.Time {
	t, _ := time.ParseInLocation(time.DateOnly, date, domain.ChinaTZ)
	return t.Add(9*time.Hour + time.Duration(g.rng.IntN(8*60))*time.Minute).UTC()
}
