package httpapi

import (
	"net/http"

	"kechuang/internal/domain"
	"kechuang/internal/httpx"
)

// The achievement module's API (科技成果): the public catalogue, filing by
// universities and institutes, the bureau's 备案, publication and the
// steps after it.

// AchievementList is a page of achievements.
type AchievementList = httpx.List[*domain.Achievement]

// AchievementStepBody is the body of every achievement workflow step: the
// version read and a comment (the reason, where the step needs one:
// return, unpublish, withdraw).
type AchievementStepBody struct {
	Version int64  `json:"version"`
	Comment string `json:"comment"`
}

// achievementNotFound is the module's answer for a missing or hidden achievement.
const achievementNotFound = "成果不存在"

func (b AchievementStepBody) stepVersion() int64 { return b.Version }

// listAchievements is public: the public and roles without a wider scope
// get the published catalogue; the unit also its own filings, the bureau
// everything filed.
func (a *API) listAchievements(w http.ResponseWriter, r *http.Request) error {
	return listOf(w, r, httpx.AchievementFilterOf, func(f *domain.AchievementFilter, p httpx.Page) { f.Page, f.PerPage = p.Page, p.PerPage }, a.Svc.Achievements.List)
}

func (a *API) createAchievement(w http.ResponseWriter, r *http.Request) error {
	return createOf(w, r, "/api/v1/achievements", a.Svc.Achievements.Create, func(x *domain.Achievement) int64 { return x.ID })
}

// getAchievement is public for published achievements; anything else the
// caller may not see is "not found".
func (a *API) getAchievement(w http.ResponseWriter, r *http.Request) error {
	return getOf(w, r, achievementNotFound, a.Svc.Achievements.Get)
}

func (a *API) updateAchievement(w http.ResponseWriter, r *http.Request) error {
	return updateOf(w, r, achievementNotFound, func(x *domain.Achievement) int64 { return x.Version }, a.Svc.Achievements.Update)
}

func (a *API) deleteAchievement(w http.ResponseWriter, r *http.Request) error {
	return deleteOf(w, r, achievementNotFound, a.Svc.Achievements.Delete)
}

// achievementEvents is the history: not the public's.
func (a *API) achievementEvents(w http.ResponseWriter, r *http.Request) error {
	return eventsOf(w, r, achievementNotFound, a.Svc.Achievements.Events)
}

// achievementStep adapts one workflow step: logged in, an id, the body
// with the version read.
func (a *API) achievementStep(do func(r *http.Request, id int64, b AchievementStepBody) (*domain.Achievement, error)) func(http.ResponseWriter, *http.Request) error {
	return workflowStep(achievementNotFound, do)
}

func (a *API) submitAchievement(r *http.Request, id int64, b AchievementStepBody) (*domain.Achievement, error) {
	return a.Svc.Achievements.Submit(r.Context(), ActorFrom(r), id, b.Version)
}

func (a *API) fileAchievement(r *http.Request, id int64, b AchievementStepBody) (*domain.Achievement, error) {
	return a.Svc.Achievements.File(r.Context(), ActorFrom(r), id, b.Version, b.Comment)
}

func (a *API) returnAchievement(r *http.Request, id int64, b AchievementStepBody) (*domain.Achievement, error) {
	return a.Svc.Achievements.Return(r.Context(), ActorFrom(r), id, b.Version, b.Comment)
}

func (a *API) publishAchievement(r *http.Request, id int64, b AchievementStepBody) (*domain.Achievement, error) {
	return a.Svc.Achievements.Publish(r.Context(), ActorFrom(r), id, b.Version)
}

func (a *API) unpublishAchievement(r *http.Request, id int64, b AchievementStepBody) (*domain.Achievement, error) {
	return a.Svc.Achievements.Unpublish(r.Context(), ActorFrom(r), id, b.Version, b.Comment)
}

func (a *API) transferAchievement(r *http.Request, id int64, b AchievementStepBody) (*domain.Achievement, error) {
	return a.Svc.Achievements.Transfer(r.Context(), ActorFrom(r), id, b.Version, b.Comment)
}

func (a *API) withdrawAchievement(r *http.Request, id int64, b AchievementStepBody) (*domain.Achievement, error) {
	return a.Svc.Achievements.Withdraw(r.Context(), ActorFrom(r), id, b.Version, b.Comment)
}
