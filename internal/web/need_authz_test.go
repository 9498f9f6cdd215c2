package web_test

import (
	"fmt"
	"net/url"
	"strconv"
	"testing"

	"kechuang/internal/domain"
)

// needPageRows are the need module's rows of the page authorisation
// matrix: the board and a published need are public; posting is the
// enterprise's; the check before publication the bureau's.
func needPageRows() []pageRow {
	onNeed := func(method, suffix string, s domain.NeedStatus, form func(x *domain.Need) url.Values) func(*testing.T, *pageFixture, string) pageRequest {
		return func(t *testing.T, fx *pageFixture, _ string) pageRequest {
			x := fx.w.Need().In(s).Insert(t)
			rq := pageRequest{Method: method, Path: fmt.Sprintf("/needs/%d%s", x.ID, suffix)}
			if form != nil {
				rq.Form = form(x)
			}
			return rq
		}
	}
	step := func(comment, outcome string) func(x *domain.Need) url.Values {
		return func(x *domain.Need) url.Values {
			return url.Values{"version": {strconv.FormatInt(x.Version, 10)}, "comment": {comment}, "outcome": {outcome}}
		}
	}
	reviewers := []string{"admin", "bureau"}
	return []pageRow{
		{Pattern: "GET /needs", Public: true},
		{Pattern: "GET /needs/new", Allow: []string{"admin", "enterprise"}},
		// The administrator may post but belongs to no enterprise: the form again with the error.
		{Pattern: "POST /needs/new", Allow: []string{"admin", "enterprise"}, Want: pageDone, Prepare: func(*testing.T, *pageFixture, string) pageRequest {
			return pageRequest{Method: "POST", Path: "/needs/new", Form: needForm()}
		}},
		{Pattern: "GET /needs/{id}", Public: true, Prepare: onNeed("GET", "", domain.NeedPublished, nil)},
		{Pattern: "GET /needs/{id}/edit", Allow: []string{"enterprise"}, Prepare: onNeed("GET", "/edit", domain.NeedDraft, nil)},
		{Pattern: "POST /needs/{id}/edit", Allow: []string{"enterprise"}, Want: pageRedirect, Prepare: onNeed("POST", "/edit", domain.NeedDraft,
			func(x *domain.Need) url.Values {
				f := needForm()
				f.Set("version", strconv.FormatInt(x.Version, 10))
				return f
			})},
		{Pattern: "POST /needs/{id}/delete", Allow: []string{"enterprise"}, Want: pageRedirect, Prepare: onNeed("POST", "/delete", domain.NeedDraft, step("", ""))},
		{Pattern: "POST /needs/{id}/submit", Allow: []string{"enterprise"}, Want: pageRedirect, Prepare: onNeed("POST", "/submit", domain.NeedDraft, step("", ""))},
		{Pattern: "POST /needs/{id}/publish", Allow: reviewers, Want: pageRedirect, Prepare: onNeed("POST", "/publish", domain.NeedSubmitted, step("", ""))},
		{Pattern: "POST /needs/{id}/return", Allow: reviewers, Want: pageRedirect, Prepare: onNeed("POST", "/return", domain.NeedSubmitted, step("请补充指标", ""))},
		{Pattern: "POST /needs/{id}/close", Allow: []string{"admin", "bureau", "enterprise"}, Want: pageRedirect, Prepare: onNeed("POST", "/close", domain.NeedPublished, step("", "other"))},
		{Pattern: "POST /needs/{id}/withdraw", Allow: []string{"enterprise"}, Want: pageRedirect, Prepare: onNeed("POST", "/withdraw", domain.NeedPublished, step("已自行解决", ""))},
	}
}

// needForm is a valid need as the form posts it.
func needForm() url.Values {
	return url.Values{"title": {"焊装线焊点视觉在线检测系统"}, "problem": {"我公司焊装线焊点质量依赖人工抽检，漏检率高，希望引入机器视觉实现焊点在线全检。"},
		"keywords": {"机器视觉，焊点"}, "indicator_0": {"漏检率"}, "target_0": {"≤0.1"}, "unit_0": {"%"},
		"deadline": {"2099-12-31"}, "cooperation_modes": {"develop", "license"}, "budget_min_yuan": {"500000"}, "budget_max_yuan": {"1000000"},
		"contact_name": {"张工"}, "contact_phone": {"024-23456789"}}
}
