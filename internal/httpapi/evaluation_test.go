package httpapi_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"

	"kechuang/internal/domain"
	"kechuang/internal/evaluate"
	"kechuang/internal/service"
)

// TestEvaluationThroughAPI: an achievement's unit applies; the proposal
// leaves out the experts with a conflict of interest and says why; the
// bureau's attempts to assign a conflicted expert or a panel breaking the
// composition rules are refused naming each rule; the proposed panel
// scores (a bad score names its item); the result goes to 公示 and the
// applicant's feedback carries the comments without the experts' names,
// the public's without the comments. Both databases.
func TestEvaluationThroughAPI(t *testing.T) {
	for _, fx := range newFixtures(t) {
		t.Run(fx.DB, func(t *testing.T) {
			ctx := context.Background()
			pool := fx.W.CasePool(t)
			// an expert of the applicant (东北大学) and one who declared a relation with it
			same := fx.W.AddUser(t, "univ_expert", domain.RoleExpert, fx.Orgs["university"])
			rel := fx.W.AddUser(t, "rel_expert", domain.RoleExpert, fx.Orgs["pilot"])
			bureau := service.ActorOf(fx.Users["bureau"])
			must(t, fx.Svc.Evaluations.PutExpert(ctx, bureau, evaluate.Expert{ID: same.ID, Kind: evaluate.Technical, Fields: []string{"材料科学与工程"}}))
			must(t, fx.Svc.Evaluations.PutExpert(ctx, bureau, evaluate.Expert{ID: rel.ID, Kind: evaluate.Technical, Fields: []string{"材料科学与工程"},
				Declared: []evaluate.Declaration{{OrgID: fx.Orgs["university"].ID, Relation: "近三年合作研究"}}}))

			x := fx.W.Achievement().Owner(fx.Orgs["university"]).Filed().Insert(t)
			var e domain.Evaluation
			fx.sendJSON(t, "tto", request{Method: "POST", Path: "/api/v1/evaluations", JSON: map[string]any{"subject_kind": "achievement", "subject_id": x.ID}}, http.StatusCreated, &e)
			if e.ApplicantOrgID != fx.Orgs["university"].ID || e.Status != domain.EvaluationDraft {
				t.Fatalf("opened %+v", e)
			}
			if res := fx.send(t, "tto", request{Method: "POST", Path: "/api/v1/evaluations", JSON: map[string]any{"subject_kind": "achievement", "subject_id": x.ID}}); res.Status != http.StatusConflict {
				t.Errorf("second application: %d %s", res.Status, res.Body)
			}
			draft := fx.W.Achievement().Owner(fx.Orgs["university"]).Insert(t)
			if res := fx.send(t, "tto", request{Method: "POST", Path: "/api/v1/evaluations", JSON: map[string]any{"subject_kind": "achievement", "subject_id": draft.ID}}); res.Status != http.StatusConflict {
				t.Errorf("application for a draft: %d %s", res.Status, res.Body)
			}

			base := fmt.Sprintf("/api/v1/evaluations/%d", e.ID)
			var p struct {
				Panel []struct {
					UserID int64 `json:"user_id"`
				} `json:"panel"`
				Excluded []struct {
					Expert struct {
						UserID int64 `json:"user_id"`
					} `json:"expert"`
					Reasons []string `json:"reasons"`
				} `json:"excluded"`
				Rules []struct {
					Rule string `json:"rule"`
					Met  bool   `json:"met"`
				} `json:"rules"`
			}
			fx.sendJSON(t, "bureau", request{Method: "GET", Path: base + "/proposal"}, http.StatusOK, &p)
			excluded := map[int64]string{}
			for _, ex := range p.Excluded {
				excluded[ex.Expert.UserID] = strings.Join(ex.Reasons, ";")
			}
			if !strings.Contains(excluded[same.ID], "东北大学") || !strings.Contains(excluded[rel.ID], "近三年合作研究") || len(excluded) != 2 {
				t.Errorf("excluded %v", excluded)
			}
			// In English the reasons and the rules' labels are English, as on the page.
			var pen struct {
				Excluded []struct {
					Reasons []string `json:"reasons"`
				} `json:"excluded"`
				Rules []struct {
					Label string `json:"label"`
				} `json:"rules"`
			}
			fx.sendJSON(t, "bureau", request{Method: "GET", Path: base + "/proposal", Header: map[string]string{"Accept-Language": "en"}}, http.StatusOK, &pen)
			if len(pen.Excluded) != 2 || len(pen.Rules) == 0 {
				t.Fatalf("English proposal: %+v", pen)
			}
			for _, ex := range pen.Excluded {
				if j := strings.Join(ex.Reasons, ";"); !strings.Contains(j, "Expert ") || strings.Contains(j, "专家") {
					t.Errorf("English reasons: %q", j)
				}
			}
			for _, r := range pen.Rules {
				if hasHan(r.Label) {
					t.Errorf("English rule label: %q", r.Label)
				}
			}
			var proposed []int64
			for _, m := range p.Panel {
				if m.UserID == same.ID || m.UserID == rel.ID {
					t.Errorf("the proposal seats conflicted expert %d", m.UserID)
				}
				proposed = append(proposed, m.UserID)
			}
			for _, r := range p.Rules {
				if !r.Met {
					t.Errorf("proposed panel breaks %s", r.Rule)
				}
			}
			if len(proposed) < 5 {
				t.Fatalf("proposed %v", proposed)
			}
			// The end-to-end refusals: an expert of the applicant's own
			// organisation, a declared relation, a panel too small.
			for _, bad := range [][]int64{append(proposed[:4:4], same.ID), append(proposed[:4:4], rel.ID), proposed[:3]} {
				res := fx.send(t, "bureau", request{Method: "POST", Path: base + "/assign", JSON: map[string]any{"version": e.Version, "experts": bad},
					Header: map[string]string{"Accept-Language": "en"}})
				if res.Status != http.StatusUnprocessableEntity || !strings.Contains(string(res.Body), `"panel"`) {
					t.Errorf("assign %v: %d %s", bad, res.Status, res.Body)
				}
				body := string(res.Body)
				if slices.Contains(bad, same.ID) && !strings.Contains(body, "conflict of interest") {
					t.Errorf("same-organisation refusal does not say why: %s", body)
				}
				if len(bad) == 3 && !strings.Contains(body, "5 to 9") {
					t.Errorf("size refusal does not say why: %s", body)
				}
			}
			fx.sendJSON(t, "bureau", request{Method: "POST", Path: base + "/assign", JSON: map[string]any{"version": e.Version, "experts": proposed}}, http.StatusOK, &e)
			fx.sendJSON(t, "bureau", request{Method: "POST", Path: base + "/open-scoring", JSON: map[string]any{"version": e.Version}}, http.StatusOK, &e)

			// the world's expert (first in the pool) scores through the API
			if pool[0].ID != fx.Users["expert"].ID || !e.OnPanel(pool[0].ID) {
				t.Fatalf("the world's expert is not on the panel %v", e.PanelUserIDs)
			}
			bad := appliedScores(800)
			bad["tech_maturity"] = 1200
			res := fx.send(t, "expert", request{Method: "PUT", Path: base + "/form", JSON: map[string]any{"scores": bad}})
			if res.Status != http.StatusUnprocessableEntity || !strings.Contains(string(res.Body), "scores.tech_maturity") || !strings.Contains(string(res.Body), "技术成熟度") {
				t.Errorf("bad score: %d %s", res.Status, res.Body)
			}
			fx.sendJSON(t, "expert", request{Method: "PUT", Path: base + "/form", JSON: map[string]any{"scores": appliedScores(900),
				"comments": map[string]string{"technical": "中试数据充分"}}}, http.StatusOK, &domain.Evaluation{})
			var mine struct {
				HandedIn bool             `json:"handed_in"`
				Scores   map[string]int64 `json:"scores"`
			}
			fx.sendJSON(t, "expert", request{Method: "GET", Path: base + "/form"}, http.StatusOK, &mine)
			if !mine.HandedIn || mine.Scores["tech_maturity"] != 900 {
				t.Errorf("own form %+v", mine)
			}
			if res := fx.send(t, "bureau", request{Method: "POST", Path: base + "/publicise", JSON: map[string]any{"version": fx.evaluationVersion(t, e.ID)}}); res.Status != http.StatusConflict {
				t.Errorf("publicise with forms missing: %d %s", res.Status, res.Body)
			}
			for _, id := range e.PanelUserIDs[1:] {
				u, err := fx.Svc.Admin.User(ctx, service.ActorOf(fx.Users["admin"]), id)
				must(t, err)
				_, err = fx.Svc.Evaluations.Score(ctx, service.ActorOf(u), e.ID, evaluate.Form{Scores: appliedScores(800)})
				must(t, err)
			}
			fx.sendJSON(t, "bureau", request{Method: "POST", Path: base + "/publicise", JSON: map[string]any{"version": fx.evaluationVersion(t, e.ID)}}, http.StatusOK, &e)
			if e.Status != domain.EvaluationPublicity || e.ResultTenths == 0 {
				t.Fatalf("after publicise %+v", e)
			}
			var fb evaluate.Feedback
			fx.sendJSON(t, "tto", request{Method: "GET", Path: base + "/feedback"}, http.StatusOK, &fb)
			res = fx.send(t, "tto", request{Method: "GET", Path: base + "/feedback"})
			if !strings.Contains(string(res.Body), "中试数据充分") || strings.Contains(string(res.Body), fx.Users["expert"].DisplayName) {
				t.Errorf("applicant's feedback: %s", res.Body)
			}
			res = fx.send(t, "anonymous", request{Method: "GET", Path: base + "/feedback", NoAuth: true})
			if res.Status != http.StatusOK || strings.Contains(string(res.Body), "中试数据充分") {
				t.Errorf("public feedback: %d %s", res.Status, res.Body)
			}
			// 公示 notices reached the applicant's filer; assignment the experts
			ns, err := fx.Svc.Notify.About(ctx, "evaluation", e.ID)
			must(t, err)
			got := map[string]int{}
			for _, n := range ns {
				got[n.Detail]++
			}
			if got[domain.EvaluationNoticeAssigned] != len(e.PanelUserIDs) || got[domain.EvaluationNoticeScoring] != len(e.PanelUserIDs) || got[domain.EvaluationNoticePublicity] == 0 {
				t.Errorf("notices %v", got)
			}
		})
	}
}
