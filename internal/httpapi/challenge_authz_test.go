package httpapi_test

import (
	"fmt"
	"testing"

	"kechuang/internal/domain"
	"kechuang/internal/httpapi"
	"kechuang/internal/store/storetest"
)

// challengeSchemaTypes pairs the challenge module's schemas with their Go
// types.
var challengeSchemaTypes = map[string][]any{
	"Challenge": {domain.Challenge{}}, "ChallengeIndicator": {domain.ChallengeIndicator{}},
	"ChallengeProject": {domain.ChallengeProject{}}, "ChallengeMilestone": {domain.ChallengeMilestone{}},
	"ChallengeAnswer": {domain.ChallengeAnswer{}}, "ChallengeList": {httpapi.ChallengeList{}},
	"ChallengeAnswerList": {httpapi.ChallengeAnswerList{}}, "ChallengeStepBody": {httpapi.ChallengeStepBody{}},
	"ChallengeSelectBody": {httpapi.ChallengeSelectBody{}}, "ChallengeContractBody": {httpapi.ChallengeContractBody{}},
	"ChallengeMilestoneBody": {httpapi.ChallengeMilestoneBody{}}, "ChallengeCompleteBody": {httpapi.ChallengeCompleteBody{}},
	"ChallengeAcceptBody": {httpapi.ChallengeAcceptBody{}}, "ChallengeAnswerStepBody": {httpapi.ChallengeAnswerStepBody{}},
	"ChallengeEvent": {domain.Event{}}, "ChallengeEventList": {httpapi.EventList{}},
}

// challengeInput is a valid 榜单 as its owner sends it.
func challengeInput() map[string]any {
	return map[string]any{
		"title": "高功率密度碳化硅控制器攻关", "problem": "电驱系统控制器功率密度不足，碳化硅功率模块依赖进口，需攻克设计与封装关键技术。",
		"indicators":  []map[string]any{{"indicator": "功率密度", "target": "≥45", "unit": "kW/L"}},
		"eligibility": "高校院所或企业", "budget_fen": 300_000_000, "gov_share_fen": 100_000_000, "deadline": "2099-12-31",
		"chain_code": "robot",
	}
}

// onChallenge builds a request about a fresh challenge of the enterprise
// made by build, the path's {id} (and {aid}, {mid}) filled by path.
func onChallenge(method, suffix string, build func(fx *fixture) *storetest.ChallengeBuilder,
	body func(fx *fixture, x *domain.Challenge) map[string]any) func(*testing.T, *fixture, string) request {
	return func(t *testing.T, fx *fixture, _ string) request {
		x := build(fx).Insert(t)
		rq := request{Method: method, Path: fmt.Sprintf("/api/v1/challenges/%d%s", x.ID, suffix)}
		if body != nil {
			rq.JSON = body(fx, x)
		}
		return rq
	}
}

// onAnswer builds a request about the university's answer to a fresh
// published (or, closed, under review) challenge.
func onAnswer(method, suffix string, status domain.AnswerStatus, body func(an *domain.ChallengeAnswer) map[string]any) func(*testing.T, *fixture, string) request {
	return func(t *testing.T, fx *fixture, _ string) request {
		b := fx.W.Challenge()
		if status == domain.AnswerSubmitted {
			b.Published()
		} else {
			b.Closed()
		}
		x := b.Insert(t)
		an := fx.W.ChallengeAnswer(t, x, fx.W.Univ)
		if status == domain.AnswerEvaluating {
			an = fx.W.SelectableAnswer(t, fx.W.Challenge().Closed().Insert(t))
			x.ID = an.ChallengeID
		}
		rq := request{Method: method, Path: fmt.Sprintf("/api/v1/challenges/%d/answers/%d%s", x.ID, an.ID, suffix)}
		if body != nil {
			rq.JSON = body(an)
		}
		return rq
	}
}

func challengeAuthzRows() []authzRow {
	step := func(comment string) func(fx *fixture, x *domain.Challenge) map[string]any {
		return func(_ *fixture, x *domain.Challenge) map[string]any {
			return map[string]any{"version": x.Version, "comment": comment}
		}
	}
	draft := func(fx *fixture) *storetest.ChallengeBuilder { return fx.W.Challenge() }
	submitted := func(fx *fixture) *storetest.ChallengeBuilder { return fx.W.Challenge().Submitted() }
	confirmed := func(fx *fixture) *storetest.ChallengeBuilder { return fx.W.Challenge().Confirmed() }
	published := func(fx *fixture) *storetest.ChallengeBuilder { return fx.W.Challenge().Published() }
	selected := func(fx *fixture) *storetest.ChallengeBuilder { return fx.W.Challenge().Selected() }
	contracted := func(fx *fixture) *storetest.ChallengeBuilder { return fx.W.Challenge().Contracted(1_000_000_00) }
	inProject := func(fx *fixture) *storetest.ChallengeBuilder { return fx.W.Challenge().InProject() }
	bureau := []string{"admin", "bureau"}
	runners := []string{"admin", "bureau", "enterprise"}
	answerReaders := []string{"admin", "bureau", "enterprise", "tto"}
	ansStep := func(comment, day string) func(an *domain.ChallengeAnswer) map[string]any {
		return func(an *domain.ChallengeAnswer) map[string]any {
			return map[string]any{"version": an.Version, "comment": comment, "defence_on": day}
		}
	}
	return []authzRow{
		{Pattern: "GET /api/v1/challenges", Public: true},
		{Pattern: "POST /api/v1/challenges", Allow: []string{"enterprise", "bureau"}, Prepare: func(t *testing.T, fx *fixture, _ string) request {
			in := challengeInput()
			in["chain_code"] = fx.W.City.Chains[0].Code
			return request{Method: "POST", Path: "/api/v1/challenges", JSON: in}
		}},
		{Pattern: "GET /api/v1/challenges/{id}", Public: true, Prepare: onChallenge("GET", "", published, nil)},
		{Pattern: "PUT /api/v1/challenges/{id}", Allow: []string{"enterprise"}, Prepare: onChallenge("PUT", "", draft,
			func(fx *fixture, x *domain.Challenge) map[string]any {
				in := challengeInput()
				in["version"], in["chain_code"] = x.Version, fx.W.City.Chains[0].Code
				return in
			})},
		{Pattern: "DELETE /api/v1/challenges/{id}", Allow: []string{"enterprise"}, Prepare: func(t *testing.T, fx *fixture, role string) request {
			rq := onChallenge("DELETE", "", draft, nil)(t, fx, role)
			rq.Path += "?version=1"
			return rq
		}},
		{Pattern: "GET /api/v1/challenges/{id}/events", Allow: runners, Prepare: onChallenge("GET", "/events", published, nil)},
		{Pattern: "POST /api/v1/challenges/{id}/submit", Allow: []string{"enterprise"}, Prepare: onChallenge("POST", "/submit", draft, step(""))},
		{Pattern: "POST /api/v1/challenges/{id}/confirm", Allow: bureau, Prepare: onChallenge("POST", "/confirm", submitted, step(""))},
		{Pattern: "POST /api/v1/challenges/{id}/return", Allow: bureau, Prepare: onChallenge("POST", "/return", submitted, step("请补充考核方式"))},
		{Pattern: "POST /api/v1/challenges/{id}/publish", Allow: bureau, Prepare: onChallenge("POST", "/publish", confirmed, step(""))},
		{Pattern: "POST /api/v1/challenges/{id}/withdraw", Allow: []string{"enterprise"}, Prepare: onChallenge("POST", "/withdraw", confirmed, step("已自行解决"))},
		{Pattern: "POST /api/v1/challenges/{id}/close_answers", Allow: bureau, Prepare: onChallenge("POST", "/close_answers", published, step(""))},
		{Pattern: "POST /api/v1/challenges/{id}/select", Allow: bureau, Prepare: func(t *testing.T, fx *fixture, _ string) request {
			x := fx.W.Challenge().Closed().Insert(t)
			an := fx.W.SelectableAnswer(t, x)
			return request{Method: "POST", Path: fmt.Sprintf("/api/v1/challenges/%d/select", x.ID),
				JSON: map[string]any{"version": x.Version, "answer_id": an.ID}}
		}},
		{Pattern: "POST /api/v1/challenges/{id}/contract", Allow: runners, Prepare: onChallenge("POST", "/contract", selected,
			func(fx *fixture, x *domain.Challenge) map[string]any {
				return map[string]any{"version": x.Version, "agreement_date": fx.W.Today(), "agreed_fen": 200_000_000}
			})},
		{Pattern: "POST /api/v1/challenges/{id}/milestones", Allow: runners, Prepare: onChallenge("POST", "/milestones", contracted,
			func(fx *fixture, x *domain.Challenge) map[string]any {
				return map[string]any{"version": x.Version, "title": "装车验证", "due_on": "2099-01-01", "payment_fen": 50_000_000}
			})},
		{Pattern: "POST /api/v1/challenges/{id}/start", Allow: runners, Prepare: onChallenge("POST", "/start", contracted, step(""))},
		{Pattern: "POST /api/v1/challenges/{id}/complete_milestone", Allow: runners, Prepare: onChallenge("POST", "/complete_milestone", inProject,
			func(fx *fixture, x *domain.Challenge) map[string]any {
				return map[string]any{"version": x.Version, "milestone_id": x.Project.Milestones[0].ID}
			})},
		{Pattern: "POST /api/v1/challenges/{id}/accept", Allow: bureau, Prepare: onChallenge("POST", "/accept", inProject,
			func(fx *fixture, x *domain.Challenge) map[string]any {
				return map[string]any{"version": x.Version, "passed": true, "report": "各项指标均达到", "key_tech_solved": 2, "key_tech_intl": 1}
			})},
		{Pattern: "POST /api/v1/challenges/{id}/fail", Allow: bureau, Prepare: onChallenge("POST", "/fail", inProject, step("关键指标无法达到"))},
		{Pattern: "POST /api/v1/challenges/{id}/exit", Allow: runners, Prepare: onChallenge("POST", "/exit", inProject, step("企业战略调整"))},
		{Pattern: "GET /api/v1/challenges/{id}/answers", Allow: loggedIn, Prepare: onChallenge("GET", "/answers", published, nil)},
		{Pattern: "POST /api/v1/challenges/{id}/answers", Allow: []string{"tto"}, Prepare: onChallenge("POST", "/answers", published,
			func(_ *fixture, _ *domain.Challenge) map[string]any {
				return map[string]any{"team": "负责人：李教授", "approach": "采用双面散热碳化硅模块与平面母排集成设计，结合主动热管理提升功率密度。",
					"milestones": "第6个月样机", "price_fen": 250_000_000}
			})},
		{Pattern: "GET /api/v1/challenges/{id}/answers/{aid}", Allow: answerReaders, Prepare: onAnswer("GET", "", domain.AnswerSubmitted, nil)},
		{Pattern: "GET /api/v1/challenges/{id}/answers/{aid}/events", Allow: answerReaders, Prepare: onAnswer("GET", "/events", domain.AnswerSubmitted, nil)},
		{Pattern: "POST /api/v1/challenges/{id}/answers/{aid}/withdraw", Allow: []string{"tto"}, Prepare: onAnswer("POST", "/withdraw", domain.AnswerSubmitted, ansStep("团队调整", ""))},
		{Pattern: "POST /api/v1/challenges/{id}/answers/{aid}/evaluate", Allow: bureau, Prepare: onAnswer("POST", "/evaluate", "closed", ansStep("", ""))},
		{Pattern: "POST /api/v1/challenges/{id}/answers/{aid}/defence", Allow: bureau, Prepare: func(t *testing.T, fx *fixture, role string) request {
			rq := onAnswer("POST", "/defence", domain.AnswerEvaluating, nil)(t, fx, role)
			rq.JSON = map[string]any{"version": 2, "comment": "答辩陈述清楚", "defence_on": fx.W.Today()}
			return rq
		}},
	}
}
