package web_test

import (
	"fmt"
	"net/url"
	"strconv"
	"testing"

	"kechuang/internal/domain"
)

// achievementPageRows are the achievement module's rows of the page
// authorisation matrix: the catalogue and a published achievement are
// public; filing is the university's (tto); 备案 the bureau's.
func achievementPageRows() []pageRow {
	onAchievement := func(method, suffix string, s domain.AchievementStatus, form func(x *domain.Achievement) url.Values) func(*testing.T, *pageFixture, string) pageRequest {
		return func(t *testing.T, fx *pageFixture, _ string) pageRequest {
			x := fx.w.Achievement().In(s).Insert(t)
			rq := pageRequest{Method: method, Path: fmt.Sprintf("/achievements/%d%s", x.ID, suffix)}
			if form != nil {
				rq.Form = form(x)
			}
			return rq
		}
	}
	step := func(comment string) func(x *domain.Achievement) url.Values {
		return func(x *domain.Achievement) url.Values {
			return url.Values{"version": {strconv.FormatInt(x.Version, 10)}, "comment": {comment}}
		}
	}
	reviewers := []string{"admin", "bureau"}
	publishers := []string{"admin", "bureau", "tto"}
	return []pageRow{
		{Pattern: "GET /achievements", Public: true},
		{Pattern: "GET /achievements/new", Allow: []string{"admin", "tto", "other_tto"}},
		{Pattern: "POST /achievements/new", Allow: []string{"admin", "tto", "other_tto"}, Want: pageDone, Prepare: func(*testing.T, *pageFixture, string) pageRequest {
			return pageRequest{Method: "POST", Path: "/achievements/new", Form: achievementForm()}
		}},
		{Pattern: "GET /achievements/{id}", Public: true, Prepare: onAchievement("GET", "", domain.AchievementPublished, nil)},
		{Pattern: "GET /achievements/{id}/edit", Allow: []string{"tto"}, Prepare: onAchievement("GET", "/edit", domain.AchievementDraft, nil)},
		{Pattern: "POST /achievements/{id}/edit", Allow: []string{"tto"}, Want: pageRedirect, Prepare: onAchievement("POST", "/edit", domain.AchievementDraft,
			func(x *domain.Achievement) url.Values {
				f := achievementForm()
				f.Set("version", strconv.FormatInt(x.Version, 10))
				return f
			})},
		{Pattern: "POST /achievements/{id}/delete", Allow: []string{"tto"}, Want: pageRedirect, Prepare: onAchievement("POST", "/delete", domain.AchievementDraft, step(""))},
		{Pattern: "POST /achievements/{id}/submit", Allow: []string{"tto"}, Want: pageRedirect, Prepare: onAchievement("POST", "/submit", domain.AchievementDraft, step(""))},
		{Pattern: "POST /achievements/{id}/file", Allow: reviewers, Want: pageRedirect, Prepare: onAchievement("POST", "/file", domain.AchievementSubmitted, step(""))},
		{Pattern: "POST /achievements/{id}/return", Allow: reviewers, Want: pageRedirect, Prepare: onAchievement("POST", "/return", domain.AchievementSubmitted, step("请补充专利证书"))},
		{Pattern: "POST /achievements/{id}/publish", Allow: publishers, Want: pageRedirect, Prepare: onAchievement("POST", "/publish", domain.AchievementFiled, step(""))},
		{Pattern: "POST /achievements/{id}/unpublish", Allow: publishers, Want: pageRedirect, Prepare: onAchievement("POST", "/unpublish", domain.AchievementPublished, step("核实中"))},
		{Pattern: "POST /achievements/{id}/transfer", Allow: []string{"tto"}, Want: pageRedirect, Prepare: onAchievement("POST", "/transfer", domain.AchievementPublished, step(""))},
		{Pattern: "POST /achievements/{id}/withdraw", Allow: []string{"tto"}, Want: pageRedirect, Prepare: onAchievement("POST", "/withdraw", domain.AchievementPublished, step("不再提供"))},
	}
}

// achievementForm is a valid filing as the form posts it.
func achievementForm() url.Values {
	return url.Values{"title": {"高性能镁合金板材异步轧制技术"}, "abstract": {"本成果提出一种镁合金板材异步轧制工艺，在中试线上实现了板材强度与成形性能的同步提升。"},
		"keywords": {"镁合金，轧制、板材"}, "team": {"王明 教授\n李华 副教授"}, "trl": {"6"}, "trl_evidence": {"中试线连续运行三个月"},
		"stage": {"pilot"}, "funding": {"fiscal"}, "transfer_modes": {"license", "equity"}, "asking_price_yuan": {"500000"},
		"ip_type_0": {"invention"}, "ip_number_0": {"ZL202110000001.X"}}
}
