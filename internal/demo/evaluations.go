package demo

import (
	"context"
	"fmt"
	"io"
	"time"

	"kechuang/internal/domain"
	"kechuang/internal/evaluate"
	"kechuang/internal/password"
	"kechuang/internal/service"
	"kechuang/internal/store"
)

// evaluationStep: the expert pool (the demo's expert 张研究员, a second
// login expert2, and thirty more experts across the universities,
// institutes and firms), then three dozen achievement evaluations in every
// state, all through the use cases, dated in the two months before today.
var evaluationStep = Step{Module: "evaluation", Parts: func(g *gen) []Part {
	return []Part{
		{Name: "evaluation.experts", Seed: func(ctx context.Context, g *gen, tx *store.Q, progress io.Writer) error {
			return g.expertAccounts(ctx, tx)
		}},
		{Name: "evaluation.run", Run: func(ctx context.Context, g *gen, progress io.Writer) error {
			n, err := g.evaluations(ctx)
			if err != nil {
				return fmt.Errorf("演示成果评价：%w", err)
			}
			fmt.Fprintf(progress, "  评价专家库 %d 人，成果评价 %d 项（各状态）\n", n.pool, n.cases)
			return nil
		}},
	}
}}

// poolMember is one demo expert account beyond 张研究员.
type poolMember struct {
	username, name string
	org            *orgRef
}

// poolMembers are the demo's expert accounts beyond 张研究员: expert2 and
// thirty more across the universities, institutes and firms.
func (g *gen) poolMembers() []poolMember {
	var orgs []*orgRef
	orgs = append(orgs, g.univs...)
	orgs = append(orgs, g.enterprises[:8]...)
	out := []poolMember{{Expert2, "刘教授", g.byName["沈阳工业大学"]}}
	for i, name := range poolNames {
		out = append(out, poolMember{fmt.Sprintf("pool%02d", i+1), name, orgs[(i*7+3)%len(orgs)]})
	}
	return out
}

// expertAccounts writes the pool's accounts (reference data, one password
// hash for all, as the city's demo accounts).
func (g *gen) expertAccounts(ctx context.Context, tx *store.Q) error {
	hash, err := password.Hash(Password)
	if err != nil {
		return err
	}
	for _, m := range g.poolMembers() {
		u := &domain.User{Username: m.username, DisplayName: m.name, Role: domain.RoleExpert, OrgID: m.org.id, PasswordHash: hash}
		if err := tx.CreateUser(ctx, u); err != nil {
			return err
		}
	}
	return nil
}

// Expert2 is the second demo expert's login.
const Expert2 = "expert2"

// poolPlan is the demo's expert pool beyond 张研究员: name, organisation,
// kind and fields (chain codes of the demo city).
var poolNames = []string{"赵立新", "钱文博", "孙海涛", "李春华", "周建国", "吴晓峰", "郑国平", "王志强", "冯淑芬", "陈思远",
	"褚宏伟", "卫东升", "蒋丽娟", "沈继光", "韩雪梅", "杨振宇", "朱明哲", "秦玉兰", "尤建华", "许德胜",
	"何晓光", "吕文静", "施永康", "张丽萍", "孔令辉", "曹雪松", "严海波", "华志远", "金秀英", "魏长青"}

type evaluationCounts struct{ pool, cases int }

func (g *gen) evaluations(ctx context.Context) (evaluationCounts, error) {
	var n evaluationCounts
	midnight, _ := time.ParseInLocation(time.DateOnly, domain.DateOf(g.today), domain.ChinaTZ)
	clock := domain.NewManualClock(midnight.AddDate(0, 0, -70).Add(9 * time.Hour))
	at := g.svc.WithClock(clock)
	sys := domain.SystemActor()
	bureauU, err := at.Admin.UserByUsername(ctx, sys, "bureau")
	if err != nil {
		return n, err
	}
	adminU, err := at.Admin.UserByUsername(ctx, sys, "admin")
	if err != nil {
		return n, err
	}
	bureau, admin := service.ActorOf(bureauU), service.ActorOf(adminU)
	var chains []string
	for _, c := range g.city.Chains {
		chains = append(chains, c.Code)
	}
	// The pool: 张研究员 first, expert2, then the others; kinds 26
	// technical, 4 finance, 1 economic, 1 management.
	usernames := []string{"expert"}
	for _, m := range g.poolMembers() {
		usernames = append(usernames, m.username)
	}
	for i, name := range usernames {
		u, err := at.Admin.UserByUsername(ctx, sys, name)
		if err != nil {
			return n, err
		}
		kind := evaluate.Technical
		switch {
		case i >= 28 && i < 32:
			kind = evaluate.Finance
		case i == 26:
			kind = evaluate.Economic
		case i == 27:
			kind = evaluate.Management
		}
		x := evaluate.Expert{ID: u.ID, Kind: kind, Fields: []string{chains[i%len(chains)], chains[(i*3+1)%len(chains)]}}
		if i%9 == 4 { // some declare a relation: a former employer, a joint project
			x.Declared = []evaluate.Declaration{{OrgID: g.byName[OrgNEU].id, Relation: "近三年与该单位合作研究"}}
		}
		if err := at.Evaluations.PutExpert(ctx, bureau, x); err != nil {
			return n, err
		}
		n.pool++
	}
	users := map[int64]*domain.Actor{}
	actorOf := func(id int64) (*domain.Actor, error) {
		if a := users[id]; a != nil {
			return a, nil
		}
		u, err := at.Admin.User(ctx, admin, id)
		if err != nil {
			return nil, err
		}
		users[id] = service.ActorOf(u)
		return users[id], nil
	}
	// The achievements evaluated: published ones, most recent first.
	xs, _, err := at.Achievements.List(ctx, bureau, domain.AchievementFilter{Status: domain.AchievementPublished, Sort: "-published_on", Page: 1, PerPage: 36})
	if err != nil {
		return n, err
	}
	// final (half of them, one with a dismissed objection), in 公示, one under
	// objection, scoring, panel assigned, awaiting a panel
	plan := []domain.EvaluationStatus{}
	for i := range xs {
		switch {
		case i < 16:
			plan = append(plan, domain.EvaluationFinal)
		case i < 22:
			plan = append(plan, domain.EvaluationPublicity)
		case i < 23:
			plan = append(plan, domain.EvaluationObjection)
		case i < 28:
			plan = append(plan, domain.EvaluationScoring)
		case i < 32:
			plan = append(plan, domain.EvaluationPanel)
		default:
			plan = append(plan, domain.EvaluationDraft)
		}
	}
	resultTypes := []string{"applied", "development", "applied", "basic"}
	for i, x := range xs {
		want := plan[i]
		// Each case's own days: final cases start 60–45 days ago, the
		// others 4–1 days before their 公示 or today.
		start := midnight.AddDate(0, 0, -60+i)
		if want != domain.EvaluationFinal {
			start = midnight.AddDate(0, 0, -6)
		}
		step := func(day int, minute int) {
			clock.Set(start.AddDate(0, 0, day).Add(9*time.Hour + time.Duration(minute)*time.Minute))
		}
		if prev, err := at.Evaluations.ForSubject(ctx, bureau, "achievement", x.ID); err != nil {
			return n, err
		} else if prev != nil { // a resumed load: evaluated before it stopped
			n.cases++
			continue
		}
		step(0, i)
		e, err := at.Evaluations.ApplyAchievement(ctx, bureau, x.ID, resultTypes[i%len(resultTypes)])
		if err != nil {
			return n, fmt.Errorf("“%s”：%w", x.Title, err)
		}
		n.cases++
		if want == domain.EvaluationDraft {
			continue
		}
		step(1, i)
		panel, err := at.Evaluations.Propose(ctx, bureau, e.ID)
		if err != nil {
			return n, err
		}
		var ids []int64
		for _, p := range panel {
			ids = append(ids, p.ID)
		}
		if e, err = at.Evaluations.Assign(ctx, bureau, e.ID, e.Version, ids); err != nil {
			return n, err
		}
		if want == domain.EvaluationPanel {
			continue
		}
		step(2, i)
		if e, err = at.Evaluations.OpenScoring(ctx, bureau, e.ID, e.Version); err != nil {
			return n, err
		}
		set, err := at.Evaluations.Set(e)
		if err != nil {
			return n, err
		}
		rt, _ := set.ResultType(e.ResultType)
		for j, id := range e.PanelUserIDs {
			if want == domain.EvaluationScoring && j >= 3 { // the rest still to score
				break
			}
			a, err := actorOf(id)
			if err != nil {
				return n, err
			}
			f := evaluate.Form{Scores: map[string]int64{}, Comments: map[string]string{}}
			for k, it := range rt.Items {
				span := int64(it.Max-it.Min) * 10
				f.Scores[it.Code] = int64(it.Min)*10 + span*55/100 + int64((i*37+j*13+k*7)%40)*span/100
			}
			f.Comments["technical"] = evaluationComments[(i+j)%len(evaluationComments)]
			if j == 0 {
				f.Opinion = "同意通过评价，建议加快中试验证并完善知识产权布局。"
			}
			step(3, i*10+j)
			if _, err := at.Evaluations.Score(ctx, a, e.ID, f); err != nil {
				return n, err
			}
		}
		if want == domain.EvaluationScoring {
			continue
		}
		step(4, i)
		if e, err = at.Evaluations.Get(ctx, bureau, e.ID); err != nil { // each form moved it
			return n, err
		}
		if e, err = at.Evaluations.Publicise(ctx, bureau, e.ID, e.Version); err != nil {
			return n, err
		}
		if want == domain.EvaluationObjection || (want == domain.EvaluationFinal && i == 3) {
			step(5, i)
			ent, err := at.Admin.UserByUsername(ctx, sys, "enterprise")
			if err != nil {
				return n, err
			}
			if e, err = at.Evaluations.Object(ctx, service.ActorOf(ent), e.ID, "成果的经济效益数据未经第三方核实，请专家组复核。"); err != nil {
				return n, err
			}
			if want == domain.EvaluationFinal {
				objs, err := at.Evaluations.Objections(ctx, bureau, e.ID)
				if err != nil {
					return n, err
				}
				step(6, i)
				if e, err = at.Evaluations.Resolve(ctx, bureau, e.ID, e.Version, objs[0].ID, false, "经核实，经济效益数据附有用户证明，维持评价结果。"); err != nil {
					return n, err
				}
			}
		}
		if want == domain.EvaluationFinal {
			step(set.PublicityDays+5, i)
			if _, err = at.Evaluations.Finalise(ctx, bureau, e.ID, e.Version); err != nil {
				return n, err
			}
		}
	}
	return n, nil
}

var evaluationComments = []string{"技术路线清晰，关键指标优于国内同类技术。", "中试数据较充分，产业化条件基本具备。",
	"创新点明确，建议补充长期稳定性试验。", "知识产权布局较完整，市场前景较好。"}
