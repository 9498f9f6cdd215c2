package httpapi

import (
	"net/http"
	"strconv"

	"kechuang/internal/domain"
	"kechuang/internal/httpx"
	"kechuang/internal/service"
)

// The enterprise assessments' API: the public tier statistics, a firm's
// verdicts by year, the assessment of one firm's year and the bureau's
// batch run of a year.

const enterpriseNotFoundMsg = "企业不存在"

// yearParam reads ?year= (default the clock's year); not a number is an
// error naming year.
func (a *API) yearParam(r *http.Request) (int, error) {
	ys := r.URL.Query().Get("year")
	if ys == "" {
		return domain.ChinaYear(a.Svc.Now()), nil
	}
	y, err := strconv.Atoi(ys)
	if err != nil {
		return 0, domain.FieldErrorf("year", "年份应为四位数字")
	}
	return y, nil
}

func (a *API) enterpriseStats(w http.ResponseWriter, r *http.Request) error {
	year, err := a.yearParam(r)
	if err != nil {
		return err
	}
	st, err := a.Svc.EnterpriseAssess.Stats(r.Context(), year)
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "public, no-cache")
	return httpx.JSON(w, http.StatusOK, st)
}

// FirmAssessmentList is a firm's verdicts by year.
type FirmAssessmentList struct {
	Items []service.FirmAssessYear `json:"items"`
}

func (a *API) firmAssessments(w http.ResponseWriter, r *http.Request) error {
	if _, err := httpx.RequireActor(r); err != nil {
		return err
	}
	id, err := entityID(r, enterpriseNotFoundMsg)
	if err != nil {
		return err
	}
	ys, err := a.Svc.EnterpriseAssess.FirmAssessments(r.Context(), ActorFrom(r), id)
	if err != nil {
		return err
	}
	if ys == nil {
		ys = []service.FirmAssessYear{}
	}
	return httpx.JSON(w, http.StatusOK, FirmAssessmentList{Items: ys})
}

// FirmAssessed is the verdicts of one firm's year just stored.
type FirmAssessed struct {
	Items []*domain.EnterpriseAssessment `json:"items"`
}

func (a *API) assessFirm(w http.ResponseWriter, r *http.Request) error {
	if _, err := httpx.RequireActor(r); err != nil {
		return err
	}
	id, err := entityID(r, enterpriseNotFoundMsg)
	if err != nil {
		return err
	}
	year, err := strconv.Atoi(r.PathValue("year"))
	if err != nil {
		return domain.FieldErrorf("year", "年份应为四位数字")
	}
	rows, err := a.Svc.EnterpriseAssess.AssessFirm(r.Context(), ActorFrom(r), id, year)
	if err != nil {
		return err
	}
	return httpx.JSON(w, http.StatusOK, FirmAssessed{Items: rows})
}

// RunBody starts the batch run of a year.
type RunBody struct {
	Year int `json:"year"`
}

// AssessmentRunList is the latest runs, newest first.
type AssessmentRunList struct {
	Items []*domain.EnterpriseAssessmentRun `json:"items"`
}

func (a *API) startAssessmentRun(w http.ResponseWriter, r *http.Request) error {
	if _, err := httpx.RequireActor(r); err != nil {
		return err
	}
	var b RunBody
	if err := httpx.DecodeBody(w, r, &b); err != nil {
		return err
	}
	run, err := a.Svc.EnterpriseAssess.StartRun(r.Context(), ActorFrom(r), b.Year)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/enterprise-assessment-runs/"+strconv.FormatInt(run.ID, 10))
	return httpx.JSON(w, http.StatusAccepted, run)
}

func (a *API) assessmentRuns(w http.ResponseWriter, r *http.Request) error {
	if _, err := httpx.RequireActor(r); err != nil {
		return err
	}
	year := 0
	if r.URL.Query().Get("year") != "" {
		y, err := a.yearParam(r)
		if err != nil {
			return err
		}
		year = y
	}
	runs, err := a.Svc.EnterpriseAssess.Runs(r.Context(), ActorFrom(r), year)
	if err != nil {
		return err
	}
	if runs == nil {
		runs = []*domain.EnterpriseAssessmentRun{}
	}
	return httpx.JSON(w, http.StatusOK, AssessmentRunList{Items: runs})
}

func (a *API) assessmentRun(w http.ResponseWriter, r *http.Request) error {
	if _, err := httpx.RequireActor(r); err != nil {
		return err
	}
	id, err := entityID(r, service.RunNotFound)
	if err != nil {
		return err
	}
	run, err := a.Svc.EnterpriseAssess.GetRun(r.Context(), ActorFrom(r), id)
	if err != nil {
		return err
	}
	return httpx.JSON(w, http.StatusOK, run)
}
