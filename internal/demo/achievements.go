package demo

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"sort"
	"strings"
	"sync"
	"time"

	"kechuang/internal/domain"
	"kechuang/internal/service"
	"kechuang/internal/store"
)

// The demo catalogue's texts: real Chinese research abstracts (titles,
// abstracts, keywords) from the CSL dataset (Li et al., COLING 2022,
// Apache-2.0) and ChinaXiv preprints (CC BY 4.0, © the authors and CAS
// ChinaXiv), technology rows only; catalogue/build.py made the file from
// the project's shared data and says how. Everything else about a demo
// achievement (its unit, team, maturity, IP numbers, price, dates) is
// generated.
//
//go:embed catalogue/texts.jsonl.gz
var catalogueGz []byte

type catalogueText struct {
	Title    string   `json:"t"`
	Abstract string   `json:"a"`
	Keywords []string `json:"k"`
	Disc     string   `json:"d"`
	Category string   `json:"c"`
	Source   string   `json:"s"`
}

// catalogueTexts are the texts in a fixed shuffled order, so that each
// year takes its own slice whatever was loaded before it.
var catalogueTexts = sync.OnceValues(func() ([]catalogueText, error) {
	zr, err := gzip.NewReader(bytes.NewReader(catalogueGz))
	if err != nil {
		return nil, err
	}
	var out []catalogueText
	sc := bufio.NewScanner(zr)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		var t catalogueText
		if err := json.Unmarshal(sc.Bytes(), &t); err != nil {
			return nil, fmt.Errorf("演示成果文本：%w", err)
		}
		out = append(out, t)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	rng := rand.New(rand.NewPCG(2415, 1700))
	rng.Shuffle(len(out), func(i, j int) { out[i], out[j] = out[j], out[i] })
	return out, nil
})

// AchievementsPublished is the city's published figure: 2415 achievements
// published as awaiting transfer in 2022 (seed page). The other years are
// the demo's assumption, bounded by its pool of real texts (11,846): 1820
// in 2021, then a flat 1880 a year (to 2026 with today's filings, 11,769
// texts); the current year keeps those published
// up to yesterday.
var AchievementsPublished = map[int]int{2021: 1820, 2022: 2415}

// achievementsAssumed is the assumed yearly count after the published year.
const achievementsAssumed = 1880

func achievementsPlanned(year int) int {
	if n, ok := AchievementsPublished[year]; ok {
		return n
	}
	return achievementsAssumed
}

// filingUnits are the 18 key universities and institutes that file
// achievements (seed page: the filing system runs at 18 of them): the
// first 18 of the demo's universities and institutes, with weights.
const filingUnits = 18

// chainCues map words of a text to one of the city's key chains; the
// first that matches wins, and a text that matches none belongs to no
// chain.
var chainCues = []struct {
	code  string
	words []string
}{
	{"robot", strings.Split("机器人|机械臂|机械手", "|")},
	{"ic_equipment", strings.Split("集成电路|芯片|半导体|晶圆|光刻", "|")},
	{"aviation", strings.Split("航空|飞机|飞行器|无人机", "|")},
	{"aerospace", strings.Split("航天|卫星|火箭|空间站", "|")},
	{"nev", strings.Split("新能源汽车|电动汽车|动力电池|锂离子电池|充电", "|")},
	{"auto_parts", strings.Split("汽车|车辆|发动机", "|")},
	{"cnc", strings.Split("数控|机床|切削|刀具|加工中心", "|")},
	{"gas_turbine", strings.Split("燃气轮机|涡轮|叶片", "|")},
	{"power_grid", strings.Split("电网|输电|变压器|配电|变电|电力系统", "|")},
	{"energy_equipment", strings.Split("风电|光伏|核电|储能|锅炉|能源", "|")},
	{"medical_devices", strings.Split("医疗器械|医学影像|超声|内窥镜|诊断设备|CT", "|")},
	{"biopharma", strings.Split("药物|疫苗|抗体|中药|临床|肿瘤|基因|细胞|蛋白", "|")},
	{"metal_materials", strings.Split("合金|金属|钢|镁|铝|钛|铸造|焊接|涂层", "|")},
	{"fine_chemicals", strings.Split("化工|催化|合成|聚合|树脂|溶剂|染料", "|")},
	{"rail", strings.Split("轨道交通|铁路|列车|地铁|高铁", "|")},
	{"industrial_software", strings.Split("工业软件|仿真|数字孪生|建模软件|CAD", "|")},
	{"ai", strings.Split("深度学习|神经网络|人工智能|机器学习|识别|智能", "|")},
	{"ict", strings.Split("通信|网络|物联网|5G|大数据|云计算|信息", "|")},
	{"agrifood", strings.Split("作物|水稻|玉米|大豆|畜|养殖|食品|果蔬|育种|饲料|农", "|")},
	{"green", strings.Split("环保|污染|废水|节能|碳排放|减排|固废|土壤修复", "|")},
}

func chainOf(t catalogueText) string {
	s := t.Title + " " + strings.Join(t.Keywords, " ") + " " + t.Abstract
	for _, c := range chainCues {
		for _, w := range c.words {
			if strings.Contains(s, w) {
				return c.code
			}
		}
	}
	return ""
}

var (
	surnames   = []rune("王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文")
	givenChars = []rune("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红鹏辉建宇浩凯博文斌晨阳雪梅琳峰亮宁欣瑶旭东海波颖")
	titles     = []string{"教授", "研究员", "副教授", "副研究员", "高级工程师", "讲师", "工程师", "博士研究生"}
	evidence   = map[string][]string{
		"lab":        {"实验室原理样机完成关键功能验证", "实验室小样测试达到设计指标"},
		"small":      {"小试样品经第三方检测达到设计指标", "完成公斤级小试，工艺稳定"},
		"pilot":      {"中试线连续运行三个月，良品率稳定", "在合作企业完成中试验证"},
		"industrial": {"已在企业生产线应用，形成稳定产品", "实现批量生产并取得用户应用证明"},
	}
)

func (g *gen) personName() string {
	n := string(surnames[g.rng.IntN(len(surnames))]) + string(givenChars[g.rng.IntN(len(givenChars))])
	if g.rng.IntN(3) > 0 {
		n += string(givenChars[g.rng.IntN(len(givenChars))])
	}
	return n
}

// patentNumber draws a Chinese patent number (ZL + year + type + serial +
// check digit, the check by the mod-11 rule of the application number).
func (g *gen) patentNumber(year int, kind string) string {
	t := 1 // invention
	if kind == "utility" {
		t = 2
	}
	digits := fmt.Sprintf("%04d%d%07d", year, t, g.rng.IntN(10_000_000))
	sum := 0
	for i, w := range []int{2, 3, 4, 5, 6, 7, 8, 9, 2, 3, 4, 5} {
		sum += int(digits[i]-'0') * w
	}
	check := "0123456789X"[sum%11 : sum%11+1]
	return "ZL" + digits + "." + check
}

// achievement draws one achievement of unit o from text t, first
// published on day.
func (g *gen) achievement(t catalogueText, o *orgRef, day string) *domain.Achievement {
	stage := domain.MaturityStages.Codes()[g.pick([]int{35, 30, 25, 10})]
	trl := map[string][2]int{"lab": {2, 4}, "small": {4, 5}, "pilot": {6, 7}, "industrial": {8, 9}}[stage]
	x := &domain.Achievement{Title: t.Title, Abstract: t.Abstract, Keywords: t.Keywords, OwnerOrgID: o.id, OwnerName: o.name,
		Discipline: t.Disc, ChainCode: chainOf(t), Stage: stage, TRL: trl[0] + g.rng.IntN(trl[1]-trl[0]+1),
		Funding: domain.FundingSources.Codes()[g.pick([]int{60, 25, 10, 5})], Status: domain.AchievementPublished, PublishedOn: day}
	if x.TRL >= 4 {
		ev := evidence[stage]
		x.TRLEvidence = ev[g.rng.IntN(len(ev))]
	}
	for n := 2 + g.rng.IntN(5); len(x.Team) < n; {
		x.Team = append(x.Team, domain.TeamMember{Name: g.personName(), Title: titles[g.rng.IntN(len(titles))], Leader: len(x.Team) == 0})
	}
	x.Team[0].Title = titles[g.rng.IntN(2)] // the leader: a professor or a research fellow
	year := 2015 + g.rng.IntN(min(7, max(1, yearOf(day)-2015)))
	for n := g.pick([]int{15, 40, 30, 15}); len(x.IP) < n; {
		kind := []string{"invention", "invention", "utility", "software"}[g.rng.IntN(4)]
		ip := domain.IPRight{Type: kind, Number: g.patentNumber(year, kind)}
		if kind == "software" {
			ip.Number = fmt.Sprintf("%dSR%07d", year, g.rng.IntN(10_000_000))
		}
		x.IP = append(x.IP, ip)
	}
	modes := domain.TransferModes.Codes()
	for i, w := range []int{30, 70, 20, 40} {
		if g.rng.IntN(100) < w {
			x.Modes = append(x.Modes, modes[i])
		}
	}
	if len(x.Modes) == 0 {
		x.Modes = []string{"license"}
	}
	if g.rng.IntN(10) >= 3 { // three in ten are 面议
		x.AskingFen = int64(5+g.rng.IntN(400)) * 5_000_000 // 5万元 steps, 25万 – 2000万元
	}
	// 赋权: the pilot unit (沈阳化工大学) grants most of its fiscal results;
	// elsewhere a few.
	pilot := o.name == "沈阳化工大学"
	if x.Funding == "fiscal" && (pilot && g.rng.IntN(10) < 7 || !pilot && g.rng.IntN(20) == 0) {
		agreed := addDays(day, -(30 + g.rng.IntN(200)))
		pubTo := addDays(agreed, -(1 + g.rng.IntN(10)))
		e := &domain.Empowerment{Kind: "ownership", AgreementOn: agreed, PublicityFrom: addDays(pubTo, -14), PublicityTo: pubTo}
		if g.rng.IntN(4) == 0 {
			e.Kind, e.UseFrom, e.UseTo, e.Exclusive = "long_term_use", agreed, addDays(agreed, 365*10+3), g.rng.IntN(2) == 0
		} else {
			e.TeamPermille = []int{700, 700, 800, 900}[g.rng.IntN(4)]
			e.UnitPermille = 1000 - e.TeamPermille
		}
		x.Empowerment = e
	}
	return x
}

func yearOf(day string) int {
	var y int
	fmt.Sscanf(day, "%d", &y)
	return y
}

// achievementStep: each year's published achievements in one part, then
// the filings now in the units' and the bureau's hands, through the real
// use cases.
var achievementStep = Step{Module: "achievement", Parts: func(g *gen) []Part {
	var out []Part
	for _, y := range g.years {
		out = append(out, Part{Name: fmt.Sprintf("achievement.%d", y.Year), Seed: func(ctx context.Context, g *gen, tx *store.Q, progress io.Writer) error {
			n, err := g.achievements(ctx, tx, y)
			if err != nil {
				return err
			}
			fmt.Fprintf(progress, "  %d 年发布科技成果 %d 项\n", y.Year, n)
			return nil
		}})
	}
	return append(out, Part{Name: "achievement.inflight", Run: func(ctx context.Context, g *gen, progress io.Writer) error {
		if err := g.achievementsInFlight(ctx); err != nil {
			return fmt.Errorf("演示在办成果：%w", err)
		}
		fmt.Fprintln(progress, "  在办成果（草稿、待备案审核、退回修改、已备案未发布）已生成")
		return nil
	}})
}}

// textAt is the i-th text. The pool covers every demo year to 2026 and
// today's filings with texts of their own; a load in a later year reuses
// texts from the start (the titles then repeat across years).
func textAt(texts []catalogueText, i int) catalogueText { return texts[i%len(texts)] }

// textOffset is where year's slice of the texts starts: after every
// earlier demo year's full plan.
func textOffset(year int) int {
	off := 0
	for y := FirstYear; y < year; y++ {
		off += achievementsPlanned(y)
	}
	return off
}

// achievements writes the year's published achievements with their
// history (submitted, filed by the bureau, published: like the registered
// contracts', it starts at the submission) and returns
// how many. The year draws its whole plan from its own generator and keeps
// those published up to Through.
func (g *gen) achievements(ctx context.Context, tx *store.Q, y Year) (int, error) {
	texts, err := catalogueTexts()
	if err != nil {
		return 0, err
	}
	g.rng = rand.New(rand.NewPCG(2415, uint64(y.Year)))
	planned, off := achievementsPlanned(y.Year), textOffset(y.Year)

	units := g.univs[:min(filingUnits, len(g.univs))]
	weights := make([]int, len(units))
	for i := range units {
		weights[i] = 30 - i // the larger universities first
	}
	end := fmt.Sprintf("%d-12-31", y.Year)
	if _, ok := AchievementsPublished[y.Year]; ok {
		end = y.Through // a published year's whole count by its last published day
	}
	days := make([]string, planned)
	for i := range days {
		days[i] = g.registrationDate(y.Year, monthsOf(y.Year), end)
	}
	sort.Strings(days)
	bureau, err := tx.FindUserByUsername(ctx, "bureau")
	if err != nil {
		return 0, fmt.Errorf("演示科技局账号：%w", err)
	}
	var xs []*domain.Achievement
	var textIdx []int // each achievement's catalogue text
	type hist struct {
		x        *domain.Achievement
		at       time.Time
		action   string
		from, to domain.AchievementStatus
		actor    string
		actorID  int64
	}
	var steps []hist
	for i, day := range days {
		x := g.achievement(textAt(texts, off+i), units[g.pick(weights)], day)
		if day > y.Through {
			continue
		}
		textIdx = append(textIdx, off+i)
		if err := x.Validate(nil, domain.DefaultAchievementRules()); err != nil {
			return 0, fmt.Errorf("演示成果“%s”无效：%w", x.Title, err)
		}
		filed := addDays(day, -(1 + g.rng.IntN(6)))
		submitted := addDays(filed, -(2 + g.rng.IntN(15)))
		created := addDays(submitted, -(1 + g.rng.IntN(20)))
		x.FiledOn = filed
		at := func(d string, h int) time.Time {
			t, _ := time.ParseInLocation(time.DateOnly, d, domain.ChinaTZ)
			return t.Add(time.Duration(h)*time.Hour + time.Duration(g.rng.IntN(3600))*time.Second)
		}
		x.CreatedAt, x.UpdatedAt = at(created, 9), at(day, 14)
		xs = append(xs, x)
		steps = append(steps,
			hist{x, at(submitted, 10), "submit", domain.AchievementDraft, domain.AchievementSubmitted, x.OwnerName, 0},
			hist{x, at(filed, 15), "file", domain.AchievementSubmitted, domain.AchievementFiled, bureau.Username, bureau.ID},
			hist{x, x.UpdatedAt, "publish", domain.AchievementFiled, domain.AchievementPublished, x.OwnerName, 0})
	}
	docs, err := CatalogueDocs(textIdx)
	if err != nil {
		return 0, err
	}
	for i, x := range xs {
		docs[i] = achievementDoc(docs[i], x)
	}
	if err := tx.BulkInsertAchievementsIndexed(ctx, xs, docs); err != nil {
		return 0, err
	}
	ids, err := tx.AchievementIDsByTitle(ctx, y.Year)
	if err != nil {
		return 0, err
	}
	sort.SliceStable(steps, func(i, j int) bool { return steps[i].at.Before(steps[j].at) })
	evs := make([]*domain.Event, len(steps))
	for i, s := range steps {
		id := ids[s.x.Title]
		if id == 0 {
			return 0, fmt.Errorf("演示成果“%s”未写入", s.x.Title)
		}
		s.x.ID = id
		evs[i] = &domain.Event{Entity: "achievement", EntityID: id, At: s.at, ActorID: s.actorID, ActorName: s.actor, Action: s.action,
			From: string(s.from), To: string(s.to)}
	}
	err = tx.BulkHistory(ctx, evs, func(i int) (before, after any) {
		s := steps[i]
		if s.action == "submit" {
			return map[string]any{"status": s.from}, map[string]any{"status": s.to, "title": s.x.Title, "owner_org_id": s.x.OwnerOrgID}
		}
		return map[string]any{"status": s.from}, map[string]any{"status": s.to}
	})
	return len(xs), err
}

// achievementsInFlight files today's work through the use cases, as 东北大学
// (the demo's university account) and the bureau: drafts, filings awaiting
// the bureau's check, one returned, filed ones not yet published.
func (g *gen) achievementsInFlight(ctx context.Context) error {
	texts, err := catalogueTexts()
	if err != nil {
		return err
	}
	g.rng = rand.New(rand.NewPCG(2415, 0))
	off := textOffset(g.years[len(g.years)-1].Year + 1)
	// Every step with the clock at its own time in the weeks before today,
	// so its history, audit row and stamps carry that time.
	midnight, _ := time.ParseInLocation(time.DateOnly, domain.DateOf(g.today), domain.ChinaTZ)
	clock := domain.NewManualClock(midnight)
	at := g.svc.WithClock(clock)
	svc := at.Achievements
	neu, err := at.Admin.UserByUsername(ctx, domain.SystemActor(), "neu")
	if err != nil {
		return err
	}
	bureau, err := at.Admin.UserByUsername(ctx, domain.SystemActor(), "bureau")
	if err != nil {
		return err
	}
	a, b := service.ActorOf(neu), service.ActorOf(bureau)
	unit := g.byName[OrgNEU]
	plan := []struct {
		want    domain.AchievementStatus
		daysAgo int
	}{
		{domain.AchievementDraft, 1}, {domain.AchievementDraft, 3}, {domain.AchievementDraft, 6},
		{domain.AchievementSubmitted, 2}, {domain.AchievementSubmitted, 4}, {domain.AchievementSubmitted, 5},
		{domain.AchievementSubmitted, 8}, {domain.AchievementSubmitted, 11}, {domain.AchievementSubmitted, 16},
		{domain.AchievementReturned, 9}, {domain.AchievementReturned, 20},
		{domain.AchievementFiled, 12}, {domain.AchievementFiled, 18}, {domain.AchievementFiled, 25},
	}
	for i, p := range plan {
		in := g.achievement(textAt(texts, off+i), unit, domain.DateOf(g.today))
		in.Status, in.PublishedOn, in.OwnerOrgID, in.OwnerName = "", "", 0, ""
		if in.ChainCode != "" && !g.chainVisible(in.ChainCode) {
			in.ChainCode = ""
		}
		day := midnight.AddDate(0, 0, -p.daysAgo).Add(9*time.Hour + time.Duration(i*7)*time.Minute)
		clock.Set(day)
		x, err := svc.Create(ctx, a, in)
		if err != nil {
			return fmt.Errorf("“%s”：%w", in.Title, err)
		}
		if p.want == domain.AchievementDraft {
			continue
		}
		clock.Set(day.Add(2 * time.Hour))
		if x, err = svc.Submit(ctx, a, x.ID, x.Version); err != nil {
			return err
		}
		clock.Set(day.Add(24 * time.Hour))
		switch p.want {
		case domain.AchievementReturned:
			_, err = svc.Return(ctx, b, x.ID, x.Version, "请补充专利证书扫描件，并说明成熟度依据的检测机构。")
		case domain.AchievementFiled:
			_, err = svc.File(ctx, b, x.ID, x.Version, "材料齐全，予以备案。")
		}
		if err != nil {
			return err
		}
	}
	return nil
}

// chainVisible reports whether code is one of the city's chains.
func (g *gen) chainVisible(code string) bool {
	for _, c := range g.city.Chains {
		if c.Code == code {
			return true
		}
	}
	return false
}
