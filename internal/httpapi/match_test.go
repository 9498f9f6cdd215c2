package httpapi_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"kechuang/internal/domain"
	"kechuang/internal/evaluate"
	"kechuang/internal/service"
)

// TestChallengeMatchesInEnglish: a challenge's reviewers leave out an
// expert of the publisher; the API says why in the reader's language (the
// sentences of the list and of the exclusion) and gives the conflict's code,
// which is the same in both. Both databases.
func TestChallengeMatchesInEnglish(t *testing.T) {
	for _, fx := range newFixtures(t) {
		t.Run(fx.DB, func(t *testing.T) {
			x := fx.W.Challenge().Owner(fx.Orgs["enterprise"]).Published().Insert(t)
			same := fx.W.AddUser(t, "ent_expert", domain.RoleExpert, fx.Orgs["enterprise"])
			must(t, fx.Svc.Evaluations.PutExpert(context.Background(), service.ActorOf(fx.Users["bureau"]),
				evaluate.Expert{ID: same.ID, Kind: evaluate.Technical, Fields: []string{x.ChainCode}}))
			type result struct {
				Groups []struct {
					Kind      string `json:"kind"`
					MatchedOn string `json:"matched_on"`
					Excluded  []struct {
						ID        int64    `json:"id"`
						Reasons   []string `json:"reasons"`
						Conflicts []string `json:"conflicts"`
					} `json:"excluded"`
				} `json:"groups"`
			}
			path := fmt.Sprintf("/api/v1/challenges/%d/matches", x.ID)
			for _, lang := range []string{"zh-CN", "en"} {
				var r result
				fx.sendJSON(t, "enterprise", request{Method: "GET", Path: path, Header: map[string]string{"Accept-Language": lang}}, http.StatusOK, &r)
				found := false
				for _, g := range r.Groups {
					if lang == "en" && hasHan(g.MatchedOn) {
						t.Errorf("%s: matched_on %q", g.Kind, g.MatchedOn)
					}
					for _, ex := range g.Excluded {
						if ex.ID != same.ID {
							continue
						}
						found = true
						j := strings.Join(ex.Reasons, ";")
						if strings.Join(ex.Conflicts, ",") != "same_org" || len(ex.Reasons) != 1 ||
							(lang == "en") != strings.HasPrefix(j, "Expert ") || (lang == "en") == strings.HasPrefix(j, "专家") || !strings.Contains(j, fx.Orgs["enterprise"].Name) {
							t.Errorf("%s: excluded %+v", lang, ex)
						}
					}
				}
				if !found {
					t.Errorf("%s: the publisher's expert is not among the excluded: %+v", lang, r)
				}
			}
		})
	}
}
