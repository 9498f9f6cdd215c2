package web_test

import (
	"fmt"
	"net/url"
	"strconv"
	"testing"

	"kechuang/internal/domain"
	"kechuang/internal/store/storetest"
)

// challengePageRows are the challenge module's rows of the page
// authorisation matrix: the board and a published 榜单 are public; 建榜 is
// the enterprise's and the bureau's; 定榜, 发榜, review, selection and
// acceptance the bureau's; the agreement and the project the owner's and
// the bureau's; answers the universities'.
func challengePageRows() []pageRow {
	on := func(suffix string, build func(fx *pageFixture) *storetest.ChallengeBuilder, form func(fx *pageFixture, x *domain.Challenge) url.Values) func(*testing.T, *pageFixture, string) pageRequest {
		return func(t *testing.T, fx *pageFixture, _ string) pageRequest {
			x := build(fx).Insert(t)
			rq := pageRequest{Method: "GET", Path: fmt.Sprintf("/challenges/%d%s", x.ID, suffix)}
			if form != nil {
				rq.Method, rq.Form = "POST", form(fx, x)
			}
			return rq
		}
	}
	step := func(comment string) func(fx *pageFixture, x *domain.Challenge) url.Values {
		return func(_ *pageFixture, x *domain.Challenge) url.Values {
			return url.Values{"version": {strconv.FormatInt(x.Version, 10)}, "comment": {comment}}
		}
	}
	draft := func(fx *pageFixture) *storetest.ChallengeBuilder { return fx.w.Challenge() }
	submitted := func(fx *pageFixture) *storetest.ChallengeBuilder { return fx.w.Challenge().Submitted() }
	confirmed := func(fx *pageFixture) *storetest.ChallengeBuilder { return fx.w.Challenge().Confirmed() }
	published := func(fx *pageFixture) *storetest.ChallengeBuilder { return fx.w.Challenge().Published() }
	selected := func(fx *pageFixture) *storetest.ChallengeBuilder { return fx.w.Challenge().Selected() }
	contracted := func(fx *pageFixture) *storetest.ChallengeBuilder { return fx.w.Challenge().Contracted(1_000_000_00) }
	inProject := func(fx *pageFixture) *storetest.ChallengeBuilder { return fx.w.Challenge().InProject() }
	bureau := []string{"admin", "bureau"}
	runners := []string{"admin", "bureau", "enterprise"}
	onAnswer := func(suffix string, evaluating bool, form func(fx *pageFixture, an *domain.ChallengeAnswer) url.Values) func(*testing.T, *pageFixture, string) pageRequest {
		return func(t *testing.T, fx *pageFixture, _ string) pageRequest {
			var an *domain.ChallengeAnswer
			switch {
			case evaluating:
				an = fx.w.SelectableAnswer(t, fx.w.Challenge().Closed().Insert(t))
			case suffix == "/evaluate":
				an = fx.w.ChallengeAnswer(t, fx.w.Challenge().Closed().Insert(t), fx.w.Univ)
			default:
				an = fx.w.ChallengeAnswer(t, fx.w.Challenge().Published().Insert(t), fx.w.Univ)
			}
			return pageRequest{Method: "POST", Path: fmt.Sprintf("/challenges/%d/answers/%d%s", an.ChallengeID, an.ID, suffix), Form: form(fx, an)}
		}
	}
	return []pageRow{
		{Pattern: "GET /challenges", Public: true},
		{Pattern: "GET /challenges/new", Allow: []string{"enterprise", "bureau"}},
		{Pattern: "POST /challenges/new", Allow: []string{"enterprise", "bureau"}, Want: pageRedirect, Prepare: func(t *testing.T, fx *pageFixture, _ string) pageRequest {
			return pageRequest{Method: "POST", Path: "/challenges/new", Form: challengeForm(fx.w.City.Chains[0].Code)}
		}},
		{Pattern: "GET /challenges/answers", Allow: signedIn},
		{Pattern: "GET /challenges/{id}", Public: true, Prepare: on("", published, nil)},
		{Pattern: "GET /challenges/{id}/edit", Allow: []string{"enterprise"}, Prepare: on("/edit", draft, nil)},
		{Pattern: "POST /challenges/{id}/edit", Allow: []string{"enterprise"}, Want: pageRedirect, Prepare: on("/edit", draft,
			func(fx *pageFixture, x *domain.Challenge) url.Values {
				f := challengeForm(fx.w.City.Chains[0].Code)
				f.Set("version", strconv.FormatInt(x.Version, 10))
				return f
			})},
		{Pattern: "POST /challenges/{id}/delete", Allow: []string{"enterprise"}, Want: pageRedirect, Prepare: on("/delete", draft, step(""))},
		{Pattern: "POST /challenges/{id}/submit", Allow: []string{"enterprise"}, Want: pageRedirect, Prepare: on("/submit", draft, step(""))},
		{Pattern: "POST /challenges/{id}/confirm", Allow: bureau, Want: pageRedirect, Prepare: on("/confirm", submitted, step(""))},
		{Pattern: "POST /challenges/{id}/return", Allow: bureau, Want: pageRedirect, Prepare: on("/return", submitted, step("请补充考核方式"))},
		{Pattern: "POST /challenges/{id}/publish", Allow: bureau, Want: pageRedirect, Prepare: on("/publish", confirmed, step(""))},
		{Pattern: "POST /challenges/{id}/withdraw", Allow: []string{"enterprise"}, Want: pageRedirect, Prepare: on("/withdraw", confirmed, step("已自行解决"))},
		{Pattern: "POST /challenges/{id}/close_answers", Allow: bureau, Want: pageRedirect, Prepare: on("/close_answers", published, step(""))},
		{Pattern: "POST /challenges/{id}/select", Allow: bureau, Want: pageRedirect, Prepare: func(t *testing.T, fx *pageFixture, _ string) pageRequest {
			x := fx.w.Challenge().Closed().Insert(t)
			an := fx.w.SelectableAnswer(t, x)
			return pageRequest{Method: "POST", Path: fmt.Sprintf("/challenges/%d/select", x.ID),
				Form: url.Values{"version": {strconv.FormatInt(x.Version, 10)}, "answer_id": {strconv.FormatInt(an.ID, 10)}}}
		}},
		{Pattern: "POST /challenges/{id}/contract", Allow: runners, Want: pageRedirect, Prepare: on("/contract", selected,
			func(fx *pageFixture, x *domain.Challenge) url.Values {
				return url.Values{"version": {strconv.FormatInt(x.Version, 10)}, "agreement_date": {fx.w.Today()}, "agreed_yuan": {"2000000"}}
			})},
		{Pattern: "POST /challenges/{id}/milestones", Allow: runners, Want: pageRedirect, Prepare: on("/milestones", contracted,
			func(_ *pageFixture, x *domain.Challenge) url.Values {
				return url.Values{"version": {strconv.FormatInt(x.Version, 10)}, "title": {"装车验证"}, "due_on": {"2099-01-01"}, "payment_yuan": {"500000"}}
			})},
		{Pattern: "POST /challenges/{id}/start", Allow: runners, Want: pageRedirect, Prepare: on("/start", contracted, step(""))},
		{Pattern: "POST /challenges/{id}/complete_milestone", Allow: runners, Want: pageRedirect, Prepare: on("/complete_milestone", inProject,
			func(_ *pageFixture, x *domain.Challenge) url.Values {
				return url.Values{"version": {strconv.FormatInt(x.Version, 10)}, "milestone_id": {strconv.FormatInt(x.Project.Milestones[0].ID, 10)}}
			})},
		{Pattern: "POST /challenges/{id}/accept", Allow: bureau, Want: pageRedirect, Prepare: on("/accept", inProject,
			func(_ *pageFixture, x *domain.Challenge) url.Values {
				return url.Values{"version": {strconv.FormatInt(x.Version, 10)}, "passed": {"1"}, "report": {"各项指标均达到"},
					"key_tech_solved": {"2"}, "key_tech_intl": {"1"}}
			})},
		{Pattern: "POST /challenges/{id}/fail", Allow: bureau, Want: pageRedirect, Prepare: on("/fail", inProject, step("关键指标无法达到"))},
		{Pattern: "POST /challenges/{id}/exit", Allow: runners, Want: pageRedirect, Prepare: on("/exit", inProject, step("企业战略调整"))},
		{Pattern: "POST /challenges/{id}/answers", Allow: []string{"tto", "other_tto"}, Want: pageRedirect, Prepare: on("/answers", published,
			func(*pageFixture, *domain.Challenge) url.Values {
				return url.Values{"team": {"负责人：李教授"}, "approach": {"采用双面散热碳化硅模块与平面母排集成设计，结合主动热管理提升功率密度。"},
					"milestones": {"第6个月样机"}, "price_yuan": {"2500000"}}
			})},
		{Pattern: "POST /challenges/{id}/answers/{aid}/withdraw", Allow: []string{"tto"}, Want: pageRedirect, Prepare: onAnswer("/withdraw", false,
			func(_ *pageFixture, an *domain.ChallengeAnswer) url.Values {
				return url.Values{"version": {strconv.FormatInt(an.Version, 10)}, "comment": {"团队调整"}}
			})},
		{Pattern: "POST /challenges/{id}/answers/{aid}/evaluate", Allow: bureau, Want: pageRedirect, Prepare: onAnswer("/evaluate", false,
			func(_ *pageFixture, an *domain.ChallengeAnswer) url.Values {
				return url.Values{"version": {strconv.FormatInt(an.Version, 10)}}
			})},
		{Pattern: "POST /challenges/{id}/answers/{aid}/defence", Allow: bureau, Want: pageRedirect, Prepare: onAnswer("/defence", true,
			func(fx *pageFixture, an *domain.ChallengeAnswer) url.Values {
				return url.Values{"version": {strconv.FormatInt(an.Version, 10)}, "defence_on": {fx.w.Today()}, "comment": {"答辩陈述清楚"}}
			})},
	}
}

// challengeForm is a valid 榜单 as the form posts it.
func challengeForm(chain string) url.Values {
	return url.Values{"title": {"高功率密度碳化硅控制器攻关"}, "problem": {"电驱系统控制器功率密度不足，碳化硅功率模块依赖进口，需攻克设计与封装关键技术。"},
		"eligibility": {"高校院所或企业"}, "indicator_0": {"功率密度"}, "target_0": {"≥45"}, "unit_0": {"kW/L"},
		"deadline": {"2099-12-31"}, "chain_code": {chain}, "budget_yuan": {"3000000"}, "gov_share_yuan": {"1000000"}}
}
