package httpapi

import (
	"context"
	"net/http"

	"kechuang/internal/domain"
	"kechuang/internal/httpx"
	"kechuang/internal/i18n"
)

// The matching module's routes (精准对接): the suggestions for a need, an
// achievement or a challenge with their reasons, the feedback on one, and
// the bureau's report.

// MatchFeedbackBody is the decision on one suggestion.
type MatchFeedbackBody struct {
	Surface   domain.MatchSurface  `json:"surface"`
	SubjectID int64                `json:"subject_id"`
	ItemKind  domain.MatchItemKind `json:"item_kind"`
	ItemID    int64                `json:"item_id"`
	Decision  domain.MatchDecision `json:"decision"`
	Reason    string               `json:"reason,omitempty"`
	Note      string               `json:"note,omitempty"`
}

// matchesOf answers a surface's suggestions for the path's record.
func matchesOf(notFound string, of func(context.Context, *domain.Actor, int64) (*domain.MatchResult, error)) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		return readOf(w, r, notFound, func(r *http.Request, id int64) (*domain.MatchResult, error) {
			m, err := of(r.Context(), ActorFrom(r), id)
			if err == nil {
				localizeMatches(i18n.FromContext(r.Context()), m)
			}
			return m, err
		})
	}
}

// localizeMatches puts a result's sentences (what each list is matched on,
// why a candidate was excluded) in the reader's language, as the pages do
// in their templates; the reasons' codes (conflicts) stay as they are.
func localizeMatches(l i18n.Lang, m *domain.MatchResult) {
	for gi := range m.Groups {
		g := &m.Groups[gi]
		g.MatchedOn = i18n.T(l, g.MatchedOn)
		for ei := range g.Excluded {
			ex := &g.Excluded[ei]
			for k, t := range ex.Texts {
				ex.Reasons[k] = i18n.Text(l, t)
			}
		}
	}
}

func (a *API) needMatches(w http.ResponseWriter, r *http.Request) error {
	return matchesOf(needNotFound, a.Svc.Match.ForNeed)(w, r)
}

func (a *API) achievementMatches(w http.ResponseWriter, r *http.Request) error {
	return matchesOf(achievementNotFound, a.Svc.Match.ForAchievement)(w, r)
}

func (a *API) challengeMatches(w http.ResponseWriter, r *http.Request) error {
	return matchesOf(challengeNotFound, a.Svc.Match.ForChallenge)(w, r)
}

func (a *API) matchFeedback(w http.ResponseWriter, r *http.Request) error {
	if _, err := httpx.RequireActor(r); err != nil {
		return err
	}
	var b MatchFeedbackBody
	if err := httpx.DecodeBody(w, r, &b); err != nil {
		return err
	}
	f, err := a.Svc.Match.Feedback(r.Context(), ActorFrom(r), &domain.MatchFeedback{Surface: b.Surface, SubjectID: b.SubjectID,
		ItemKind: b.ItemKind, ItemID: b.ItemID, Decision: b.Decision, Reason: b.Reason, Note: b.Note})
	if err != nil {
		return err
	}
	return httpx.JSON(w, http.StatusCreated, f)
}

func (a *API) matchReport(w http.ResponseWriter, r *http.Request) error {
	if _, err := httpx.RequireActor(r); err != nil {
		return err
	}
	rep, err := a.Svc.Match.Report(r.Context(), ActorFrom(r))
	if err != nil {
		return err
	}
	return httpx.JSON(w, http.StatusOK, rep)
}
