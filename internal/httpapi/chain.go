package httpapi

import (
	"net/http"
	"strconv"
	"strings"

	"kechuang/internal/domain"
	"kechuang/internal/httpx"
)

// ContractLinksBody is the registrar's naming of a contract's sources
// (PUT /api/v1/contracts/{id}/links): the whole list, at the version read.
type ContractLinksBody struct {
	Version int64                 `json:"version"`
	Links   []domain.ContractLink `json:"links"`
}

func (b ContractLinksBody) version() int64 { return b.Version }

func (a *API) setContractLinks(w http.ResponseWriter, r *http.Request) error {
	return action(w, r, func(id int64, b ContractLinksBody) (*domain.Contract, error) {
		return a.Svc.Contracts.SetLinks(r.Context(), ActorFrom(r), id, b.Version, b.Links)
	})
}

// chainStats serves the chain's public figures for ?year= (default the
// current year in China) and ?chain= (default every chain).
func (a *API) chainStats(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	year := domain.ChinaYear(a.Svc.Now())
	if ys := q.Get("year"); ys != "" {
		y, err := strconv.Atoi(ys)
		if err != nil {
			return domain.FieldErrorf("year", "年份应为四位数字")
		}
		year = y
	}
	st, err := a.Svc.Chain.Stats(r.Context(), year, strings.TrimSpace(q.Get("chain")))
	if err != nil {
		return err
	}
	w.Header().Set("Cache-Control", "public, no-cache")
	return httpx.JSON(w, http.StatusOK, st)
}

func (a *API) achievementTimeline(w http.ResponseWriter, r *http.Request) error {
	id, err := entityID(r, "成果不存在")
	if err != nil {
		return err
	}
	t, err := a.Svc.Chain.AchievementTimeline(r.Context(), ActorFrom(r), id)
	if err != nil {
		return err
	}
	return httpx.JSON(w, http.StatusOK, t)
}

func (a *API) needTimeline(w http.ResponseWriter, r *http.Request) error {
	id, err := entityID(r, "需求不存在")
	if err != nil {
		return err
	}
	t, err := a.Svc.Chain.NeedTimeline(r.Context(), ActorFrom(r), id)
	if err != nil {
		return err
	}
	return httpx.JSON(w, http.StatusOK, t)
}
