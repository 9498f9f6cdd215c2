package httpapi

import (
	"fmt"
	"net/http"
	"strconv"

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

func achievementID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, domain.Errorf(domain.ENOTFOUND, "成果不存在")
	}
	return id, nil
}

// listAchievements is public: the public and roles without a wider scope
// get the published catalogue; the unit also its own filings, the bureau
// everything filed.
func (a *API) listAchievements(w http.ResponseWriter, r *http.Request) error {
	p, err := httpx.PageOf(r)
	if err != nil {
		return err
	}
	f, err := httpx.AchievementFilterOf(r.URL.Query())
	if err != nil {
		return err
	}
	f.Page, f.PerPage = p.Page, p.PerPage
	xs, total, err := a.Svc.Achievements.List(r.Context(), ActorFrom(r), f)
	if err != nil {
		return err
	}
	return httpx.JSON(w, http.StatusOK, httpx.NewList(p, xs, total))
}

func (a *API) createAchievement(w http.ResponseWriter, r *http.Request) error {
	if _, err := httpx.RequireActor(r); err != nil {
		return err
	}
	var in domain.Achievement
	if err := httpx.DecodeBody(w, r, &in); err != nil {
		return err
	}
	x, err := a.Svc.Achievements.Create(r.Context(), ActorFrom(r), &in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", fmt.Sprintf("/api/v1/achievements/%d", x.ID))
	return httpx.JSON(w, http.StatusCreated, x)
}

// getAchievement is public for published achievements; anything else the
// caller may not see is "not found".
func (a *API) getAchievement(w http.ResponseWriter, r *http.Request) error {
	id, err := achievementID(r)
	if err != nil {
		return err
	}
	x, err := a.Svc.Achievements.Get(r.Context(), ActorFrom(r), id)
	if err != nil {
		return err
	}
	return httpx.JSON(w, http.StatusOK, x)
}

func (a *API) updateAchievement(w http.ResponseWriter, r *http.Request) error {
	if _, err := httpx.RequireActor(r); err != nil {
		return err
	}
	id, err := achievementID(r)
	if err != nil {
		return err
	}
	var in domain.Achievement
	if err := httpx.DecodeBody(w, r, &in); err != nil {
		return err
	}
	if in.Version == 0 {
		return domain.FieldErrorf("version", "请提供读取时的版本号 version，以免覆盖他人的修改")
	}
	x, err := a.Svc.Achievements.Update(r.Context(), ActorFrom(r), id, in.Version, &in)
	if err != nil {
		return err
	}
	return httpx.JSON(w, http.StatusOK, x)
}

func (a *API) deleteAchievement(w http.ResponseWriter, r *http.Request) error {
	if _, err := httpx.RequireActor(r); err != nil {
		return err
	}
	id, err := achievementID(r)
	if err != nil {
		return err
	}
	version, err := strconv.ParseInt(r.URL.Query().Get("version"), 10, 64)
	if err != nil || version <= 0 {
		return domain.FieldErrorf("version", "请提供读取时的版本号 version")
	}
	if err := a.Svc.Achievements.Delete(r.Context(), ActorFrom(r), id, version); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

func (a *API) achievementEvents(w http.ResponseWriter, r *http.Request) error {
	if _, err := httpx.RequireActor(r); err != nil { // the history is not the public's
		return err
	}
	id, err := achievementID(r)
	if err != nil {
		return err
	}
	evs, err := a.Svc.Achievements.Events(r.Context(), ActorFrom(r), id)
	if err != nil {
		return err
	}
	return httpx.JSON(w, http.StatusOK, httpx.NewItems(evs))
}

// achievementStep adapts one workflow step: logged in, an id, the body
// with the version read.
func (a *API) achievementStep(do func(r *http.Request, id int64, b AchievementStepBody) (*domain.Achievement, error)) func(http.ResponseWriter, *http.Request) error {
	return func(w http.ResponseWriter, r *http.Request) error {
		if _, err := httpx.RequireActor(r); err != nil {
			return err
		}
		id, err := achievementID(r)
		if err != nil {
			return err
		}
		var b AchievementStepBody
		if err := httpx.DecodeBody(w, r, &b); err != nil {
			return err
		}
		if b.Version == 0 {
			return domain.FieldErrorf("version", "请提供读取时的版本号 version")
		}
		x, err := do(r, id, b)
		if err != nil {
			return err
		}
		return httpx.JSON(w, http.StatusOK, x)
	}
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
