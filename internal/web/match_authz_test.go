package web_test

import (
	"fmt"
	"net/url"
	"strconv"
	"testing"

	"kechuang/internal/domain"
)

// matchPageRows are the matching module's rows of the page authorisation
// matrix: a need's matches are its enterprise's, the bureau's and (once
// published) the agencies'; an achievement's its unit's, the bureau's and
// the agencies'; a challenge's its publisher's and the bureau's; feedback
// is the owner's and the bureau's; the report the bureau's.
func matchPageRows() []pageRow {
	owners := []string{"admin", "bureau"}
	needAndAchievement := func(t *testing.T, fx *pageFixture) (*domain.Need, *domain.Achievement) {
		n := fx.w.Need(func(x *domain.Need) {
			x.Title, x.Keywords = "镁合金板材轧制工艺改进", []string{"镁合金", "轧制"}
		}).Published().Insert(t)
		return n, fx.w.Achievement().Published().Insert(t)
	}
	return []pageRow{
		{Pattern: "GET /needs/{id}/matches", Allow: append(owners, "enterprise", "agency"), Prepare: func(t *testing.T, fx *pageFixture, _ string) pageRequest {
			n, _ := needAndAchievement(t, fx)
			return pageRequest{Method: "GET", Path: fmt.Sprintf("/needs/%d/matches", n.ID)}
		}},
		{Pattern: "GET /achievements/{id}/matches", Allow: append(owners, "tto", "agency"), Prepare: func(t *testing.T, fx *pageFixture, _ string) pageRequest {
			_, y := needAndAchievement(t, fx)
			return pageRequest{Method: "GET", Path: fmt.Sprintf("/achievements/%d/matches", y.ID)}
		}},
		{Pattern: "GET /challenges/{id}/matches", Allow: append(owners, "enterprise"), Prepare: func(t *testing.T, fx *pageFixture, _ string) pageRequest {
			x := fx.w.Challenge().Published().Insert(t)
			return pageRequest{Method: "GET", Path: fmt.Sprintf("/challenges/%d/matches", x.ID)}
		}},
		{Pattern: "POST /matches/feedback", Allow: append(owners, "enterprise"), Want: pageRedirect, Prepare: func(t *testing.T, fx *pageFixture, _ string) pageRequest {
			n, y := needAndAchievement(t, fx)
			return pageRequest{Method: "POST", Path: "/matches/feedback", Form: url.Values{"surface": {"need"}, "subject_id": {strconv.FormatInt(n.ID, 10)},
				"item_kind": {"achievement"}, "item_id": {strconv.FormatInt(y.ID, 10)}, "decision": {"decline"}, "reason": {"price"}}}
		}},
		{Pattern: "GET /matches/report", Allow: owners},
	}
}
