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

// ChallengesPublished are the 揭榜挂帅 challenges published (发榜) each demo
// year: 2022's 147 on the city's 20 chains is the seed's figure (DIGEST §1);
// the other years are the demo's assumption. A year still running keeps
// those published up to its last generated day.
var ChallengesPublished = map[int]int{2021: 118, 2022: 147, 2023: 162, 2024: 171, 2025: 180, 2026: 186}

func challengesPlanned(year int) int {
	if n, ok := ChallengesPublished[year]; ok {
		return n
	}
	return 186 + 5*(year-2026)
}

// challengeTopics are the kinds of key technology a demo 榜单 asks for.
var challengeTopics = []struct{ topic, indicator, target, unit string }{
	{"高精度减速器国产化", "传动精度", "≤1", "弧分"}, {"核心控制器自主研发", "控制周期", "≤1", "ms"},
	{"关键零部件寿命提升", "平均无故障时间", "≥20000", "h"}, {"在线检测与质量追溯", "检出率", "≥99.5", "%"},
	{"工业软件国产替代", "关键功能覆盖率", "≥95", "%"}, {"高性能材料制备工艺", "抗拉强度", "≥1200", "MPa"},
	{"能耗降低与绿色工艺", "单位能耗下降", "≥15", "%"}, {"智能运维与故障预测", "预测准确率", "≥90", "%"},
	{"高端传感器研制", "测量精度", "≤0.05", "%FS"}, {"精密加工装备攻关", "定位精度", "≤3", "μm"},
	{"关键工艺数字孪生", "仿真误差", "≤5", "%"}, {"进口核心部件替代", "性能达到进口产品", "≥95", "%"},
}

// challengeStage is how far a demo challenge got by the load's today.
type challengeStage struct {
	status                              domain.ChallengeStatus
	published, deadline, closed, chosen string
	agreed, started, ended              string
}

// challengeStep: each year's published challenges in one part, with their
// answers, the answers' evaluation cases (final for the selected ones), the
// projects' milestones and the history the workflow leaves.
var challengeStep = Step{Module: "challenge", Parts: func(g *gen) []Part {
	var out []Part
	for _, y := range g.years {
		out = append(out, Part{Name: fmt.Sprintf("challenge.%d", y.Year), Seed: func(ctx context.Context, g *gen, tx *store.Q, progress io.Writer) error {
			n, chains, err := g.challenges(ctx, tx, y)
			if err != nil {
				return err
			}
			fmt.Fprintf(progress, "  %d 年发榜揭榜挂帅榜单 %d 项，覆盖产业链 %d 条\n", y.Year, n, chains)
			return nil
		}})
	}
	return out
}}

// challenges writes the year's published challenges and returns how many
// and on how many chains. Every chain of the city gets at least one a year
// (the first ones go round the chains), the rest by chance.
func (g *gen) challenges(ctx context.Context, tx *store.Q, y Year) (int, int, error) {
	g.rng = rand.New(rand.NewPCG(147, uint64(y.Year)))
	today := domain.DateOf(g.today)
	planned := challengesPlanned(y.Year)
	end := fmt.Sprintf("%d-12-31", y.Year)
	if y.Year <= 2022 {
		end = y.Through // a published year's whole count by its last published day
	}
	days := make([]string, planned)
	for i := range days {
		days[i] = g.registrationDate(y.Year, monthsOf(y.Year), end)
	}
	sort.Strings(days)
	chains := g.city.Chains
	if len(chains) == 0 {
		return 0, 0, fmt.Errorf("演示城市没有重点产业链")
	}
	bureau, err := tx.FindUserByUsername(ctx, "bureau")
	if err != nil {
		return 0, 0, fmt.Errorf("演示科技局账号：%w", err)
	}
	bureauOrg := g.byName[OrgBureau]
	rules := domain.DefaultChallengeRules()
	type ev struct {
		at               time.Time
		entity           string
		id               *int64
		action, from, to string
		actor            string
		actorID          int64
	}
	var evs []ev
	at := func(d string, h int) time.Time {
		t, _ := time.ParseInLocation(time.DateOnly, d, domain.ChinaTZ)
		return t.Add(time.Duration(h)*time.Hour + time.Duration(g.rng.IntN(3600))*time.Second)
	}
	order := g.rng.Perm(len(chains))
	count, seen := 0, map[string]bool{}
	for i, day := range days {
		if day > y.Through { // the running year: only those published by its last generated day
			continue
		}
		chain := chains[order[i%len(chains)]]
		if i >= len(chains) {
			chain = chains[g.rng.IntN(len(chains))]
		}
		owner := bureauOrg
		if g.rng.IntN(10) < 7 && len(g.enterprises) > 0 {
			owner = g.enterprises[g.rng.IntN(len(g.enterprises))]
			if i%9 == 0 {
				owner = g.byName[OrgEnterprise]
			}
		}
		tp := challengeTopics[g.rng.IntN(len(challengeTopics))]
		budget := int64(100+g.rng.IntN(900)) * 1_000_000 // 100万–1000万元
		gov := min(budget*int64(g.rng.IntN(5))/10, rules.GovCapFen)
		x := &domain.Challenge{
			Title:   fmt.Sprintf("%s%s", chain.Name, tp.topic),
			Problem: fmt.Sprintf("面向%s产业链的卡点与短板，%s相关技术长期依赖进口或性能不足，制约产品升级。需攻克%s的关键核心技术，形成可工程化应用的成果。", chain.Name, tp.topic, tp.topic),
			Indicators: []domain.ChallengeIndicator{{Indicator: tp.indicator, Target: tp.target, Unit: tp.unit, Method: "第三方检测机构检测"},
				{Indicator: "形成发明专利", Target: fmt.Sprintf("≥%d", 2+g.rng.IntN(4)), Unit: "件"}},
			Eligibility: "在中国境内注册的高校、科研院所或企业，具有相关领域研究基础；鼓励组建创新联合体揭榜。",
			BudgetFen:   budget, GovShareFen: gov, ChainCode: chain.Code, OwnerOrgID: owner.id, OwnerName: owner.name,
			Publisher: "enterprise",
		}
		if owner == bureauOrg {
			x.Publisher = "bureau"
		}
		st := challengeStage{published: day, deadline: addDays(day, 45+g.rng.IntN(46))}
		st.closed = addDays(st.deadline, 1+g.rng.IntN(5))
		st.chosen = addDays(st.closed, 20+g.rng.IntN(25))
		st.agreed = addDays(st.chosen, 10+g.rng.IntN(25))
		st.started = addDays(st.agreed, 3+g.rng.IntN(10))
		st.ended = addDays(st.started, 360+g.rng.IntN(360))
		outcome := []domain.ChallengeStatus{domain.ChallengeAccepted, domain.ChallengeAccepted, domain.ChallengeAccepted,
			domain.ChallengeAccepted, domain.ChallengeAccepted, domain.ChallengeAccepted, domain.ChallengeAccepted,
			domain.ChallengeFailed, domain.ChallengeExited}[g.rng.IntN(9)]
		switch {
		case st.ended < today:
			st.status = outcome
		case st.started < today:
			st.status = domain.ChallengeInProject
		case st.agreed < today:
			st.status = domain.ChallengeContracted
		case st.chosen < today:
			st.status = domain.ChallengeSelected
		case st.closed < today:
			st.status = domain.ChallengeClosed
		default:
			st.status = domain.ChallengePublished
		}
		x.Status, x.Deadline = st.status, st.deadline
		confirmed := addDays(day, -(1 + g.rng.IntN(7)))
		submitted := addDays(confirmed, -(2 + g.rng.IntN(10)))
		created := addDays(submitted, -(1 + g.rng.IntN(15)))
		x.ConfirmedOn, x.PublishedOn = confirmed, day
		x.CreatedAt, x.UpdatedAt = at(created, 9), at(day, 15)
		if err := x.Validate(nil, "", rules); err != nil {
			return 0, 0, fmt.Errorf("演示榜单“%s”无效：%w", x.Title, err)
		}
		if st.status != domain.ChallengePublished {
			x.ClosedOn = st.closed
		}
		// Answers: one to four universities and institutes, NEU often.
		n := 1 + g.rng.IntN(4)
		var answerers []*orgRef
		if neu := g.byName[OrgNEU]; neu != nil && g.rng.IntN(3) == 0 {
			answerers = append(answerers, neu)
		}
		for _, k := range g.rng.Perm(len(g.univs)) {
			if len(answerers) >= n {
				break
			}
			if o := g.univs[k]; o != g.byName[OrgNEU] {
				answerers = append(answerers, o)
			}
		}
		selected := st.status != domain.ChallengePublished && st.status != domain.ChallengeClosed
		win := 0
		if selected {
			x.WinnerOrgID, x.WinnerName, x.SelectedOn = answerers[win].id, answerers[win].name, st.chosen
		}
		if st.status == domain.ChallengeContracted || st.status == domain.ChallengeInProject || st.status == domain.ChallengeAccepted ||
			st.status == domain.ChallengeFailed || st.status == domain.ChallengeExited {
			agreed := budget * int64(80+g.rng.IntN(21)) / 100
			p := &domain.ChallengeProject{AgreementDate: st.agreed, AgreedFen: agreed}
			first := agreed * 4 / 10
			for k, fen := range []int64{first, agreed - first} {
				p.Milestones = append(p.Milestones, domain.ChallengeMilestone{Seq: k + 1, Title: []string{"样机研制与台架测试", "工程化验证与示范应用"}[k],
					DueOn: addDays(st.agreed, 180*(k+1)), PaymentFen: fen})
			}
			if st.ended < today || st.status == domain.ChallengeAccepted {
				p.Milestones[0].DoneOn = p.Milestones[0].DueOn
			}
			switch st.status {
			case domain.ChallengeAccepted:
				p.Milestones[1].DoneOn = p.Milestones[1].DueOn
				p.EndedOn, p.Report = st.ended, "经专家组验收，各项技术指标均达到榜单要求。"
				x.KeyTechSolved = 1 + g.rng.IntN(4)
				x.KeyTechIntl = g.rng.IntN(x.KeyTechSolved + 1)
			case domain.ChallengeFailed:
				p.EndedOn, p.Report = st.ended, "关键指标未达到榜单要求，验收不通过。"
			case domain.ChallengeExited:
				p.EndedOn, p.Report = st.ended, "揭榜方团队调整，经双方协商退出。"
			}
			x.Project = p
		}
		if err := tx.InsertChallenge(ctx, x); err != nil {
			return 0, 0, err
		}
		count++
		seen[x.ChainCode] = true
		if x.Project != nil {
			for k := range x.Project.Milestones {
				m := &x.Project.Milestones[k]
				m.ChallengeID = x.ID
				if err := tx.AddChallengeMilestone(ctx, m); err != nil {
					return 0, 0, err
				}
			}
		}
		id := x.ID
		ownerName := owner.name
		add := func(d string, h int, action string, from, to domain.ChallengeStatus, byBureau bool) {
			e := ev{at: at(d, h), entity: "challenge", id: &id, action: action, from: string(from), to: string(to), actor: ownerName}
			if byBureau {
				e.actor, e.actorID = bureau.Username, bureau.ID
			}
			evs = append(evs, e)
		}
		add(submitted, 10, "submit", domain.ChallengeDraft, domain.ChallengeSubmitted, false)
		add(confirmed, 11, "confirm", domain.ChallengeSubmitted, domain.ChallengeConfirmed, true)
		add(day, 14, "publish", domain.ChallengeConfirmed, domain.ChallengePublished, true)
		if st.status != domain.ChallengePublished {
			add(st.closed, 9, "close_answers", domain.ChallengePublished, domain.ChallengeClosed, true)
		}
		// The answers, their cases and their steps.
		for k, o := range answerers {
			an := &domain.ChallengeAnswer{ChallengeID: x.ID, OrgID: o.id, OrgName: o.name, ChallengeOwnerID: x.OwnerOrgID,
				Team:       fmt.Sprintf("负责人：%s教授；成员：%s、%s", g.personName(), g.personName(), g.personName()),
				Approach:   fmt.Sprintf("依托本单位在%s领域的研究基础，采用“仿真设计—样机验证—工程化应用”的技术路线攻克%s，指标全面响应榜单要求。", chain.Name, tp.topic),
				Milestones: "第6个月完成方案设计与关键工艺验证；第12个月完成样机研制与台架测试；第18个月完成工程化验证与示范应用。",
				PriceFen:   budget * int64(70+g.rng.IntN(31)) / 100, Status: domain.AnswerSubmitted}
			answered := addDays(day, 3+g.rng.IntN(40))
			if answered > st.deadline {
				answered = st.deadline
			}
			if answered >= today { // still to come
				continue
			}
			an.CreatedAt, an.UpdatedAt = at(answered, 10), at(answered, 10)
			if st.status != domain.ChallengePublished {
				an.Status = domain.AnswerEvaluating
			}
			if selected {
				an.Status = domain.AnswerNotSelected
				if k == win {
					an.Status = domain.AnswerSelected
				}
			}
			if err := tx.InsertChallengeAnswer(ctx, an); err != nil {
				return 0, 0, err
			}
			if an.Status != domain.AnswerSubmitted {
				e := &domain.Evaluation{SubjectKind: "challenge_answer", SubjectID: an.ID, ApplicantOrgID: o.id,
					CoApplicantOrgIDs: []int64{x.OwnerOrgID}, Fields: []string{x.ChainCode}, SetID: "challenge_answer", SetVersion: 1,
					ResultType: "answer", Status: domain.EvaluationScoring, Round: 1}
				if selected {
					e.Status, e.ResultTenths = domain.EvaluationFinal, int64(650+g.rng.IntN(300))
					if k == win {
						e.ResultTenths = 900 + int64(g.rng.IntN(80))
					}
					e.PublicityFrom = addDays(st.closed, 12)
					e.PublicityUntil = addDays(e.PublicityFrom, 6)
					an.DefenceOn, an.DefenceNotes = addDays(st.closed, 8), "答辩陈述清楚，回答专家提问充分。"
				}
				if err := tx.CreateEvaluation(ctx, e); err != nil {
					return 0, 0, err
				}
				an.EvaluationID = e.ID
				if err := tx.UpdateChallengeAnswer(ctx, an); err != nil {
					return 0, 0, err
				}
			}
			aid := an.ID
			evs = append(evs, ev{at: an.CreatedAt, entity: "challenge_answer", id: &aid, action: "create", to: string(domain.AnswerSubmitted), actor: o.name})
			if an.Status != domain.AnswerSubmitted {
				evs = append(evs, ev{at: at(st.closed, 15), entity: "challenge_answer", id: &aid, action: "evaluate", from: string(domain.AnswerSubmitted),
					to: string(domain.AnswerEvaluating), actor: bureau.Username, actorID: bureau.ID})
			}
			if selected {
				action := "not_select"
				if k == win {
					action = "select"
				}
				evs = append(evs, ev{at: at(st.chosen, 10), entity: "challenge_answer", id: &aid, action: action, from: string(domain.AnswerEvaluating),
					to: string(an.Status), actor: bureau.Username, actorID: bureau.ID})
			}
			if k == win && selected {
				x.WinnerAnswerID = an.ID
			}
		}
		if selected {
			if err := tx.UpdateChallenge(ctx, x); err != nil {
				return 0, 0, err
			}
			add(st.chosen, 11, "select", domain.ChallengeClosed, domain.ChallengeSelected, true)
		}
		if x.Project != nil {
			add(st.agreed, 10, "contract", domain.ChallengeSelected, domain.ChallengeContracted, false)
			for range x.Project.Milestones {
				add(st.agreed, 11, "milestone", domain.ChallengeContracted, domain.ChallengeContracted, false)
			}
			if st.status != domain.ChallengeContracted {
				add(st.started, 9, "start", domain.ChallengeContracted, domain.ChallengeInProject, false)
			}
			switch st.status {
			case domain.ChallengeAccepted:
				add(st.ended, 15, "accept", domain.ChallengeInProject, domain.ChallengeAccepted, true)
			case domain.ChallengeFailed:
				add(st.ended, 15, "accept", domain.ChallengeInProject, domain.ChallengeFailed, true)
			case domain.ChallengeExited:
				add(st.ended, 15, "exit", domain.ChallengeInProject, domain.ChallengeExited, false)
			}
		}
	}
	sort.SliceStable(evs, func(i, j int) bool { return evs[i].at.Before(evs[j].at) })
	out := make([]*domain.Event, len(evs))
	for i, e := range evs {
		out[i] = &domain.Event{Entity: e.entity, EntityID: *e.id, At: e.at, ActorID: e.actorID, ActorName: e.actor, Action: e.action,
			From: e.from, To: e.to}
	}
	err = tx.BulkHistory(ctx, out, func(i int) (before, after any) {
		return map[string]any{"status": out[i].From}, map[string]any{"status": out[i].To}
	})
	return count, len(seen), err
}
