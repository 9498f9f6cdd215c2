package web

import (
	"net/http"
	"strings"

	"kechuang/internal/domain"
	"kechuang/internal/httpx"
	"kechuang/internal/service"
)

// regimePage is the rules-by-regime page: the cut-over and the
// expert-review threshold (the administrator's settings, both assumptions
// until the official text is confirmed), the rules table, and the
// working-day arrangements the bureau loads.
type regimePage struct {
	Info      *service.RegimeInfo
	Current   *domain.Regime // in force for a filing accepted today
	CanEdit   bool
	CanLoad   bool
	Cutover   string
	Threshold string // 万元
	Loaded    *service.CalendarLoad
	Form      string
	Error     string
	Errors    map[string]string
}

// canSeeRegime: the page is the administrator's and the bureau's.
func canSeeRegime(a *domain.Actor) bool {
	return domain.Contracts.CanEditRegime(a) || domain.Contracts.CanLoadCalendar(a)
}

func (w *Web) regimePage(rw http.ResponseWriter, r *http.Request) {
	u := w.requireUser(rw, r)
	if u == nil {
		return
	}
	w.renderRegime(rw, r, u, http.StatusOK, &regimePage{})
}

func (w *Web) renderRegime(rw http.ResponseWriter, r *http.Request, u *domain.User, status int, p *regimePage) {
	a := service.ActorOf(u)
	if !canSeeRegime(a) {
		w.fail(rw, r, domain.Errorf(domain.EFORBIDDEN, "无权查看登记办法适用设置"))
		return
	}
	info, err := w.Svc.Contracts.Regime(r.Context(), a)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	p.Current, _ = domain.RegimeByCode(info.Current)
	p.Info, p.CanEdit, p.CanLoad = info, domain.Contracts.CanEditRegime(a), domain.Contracts.CanLoadCalendar(a)
	if p.Cutover == "" {
		p.Cutover = info.Rules.Cutover
	}
	if p.Threshold == "" {
		p.Threshold = formatAmount(info.Rules.ExpertThresholdFen, "wan")
	}
	if p.Errors == nil {
		p.Errors = map[string]string{}
	}
	w.render(rw, r, status, "contract/regime", w.newView(r, "登记办法", "regime", p))
}

func (w *Web) regimeSave(rw http.ResponseWriter, r *http.Request) {
	u := w.requireUser(rw, r)
	if u == nil {
		return
	}
	if err := parseForm(rw, r, 16<<10); err != nil {
		w.fail(rw, r, err)
		return
	}
	p := &regimePage{Form: "rules", Cutover: strings.TrimSpace(r.PostForm.Get("cutover")), Threshold: strings.TrimSpace(r.PostForm.Get("threshold_wan"))}
	fen, ok := parseAmount(p.Threshold, "wan")
	var err error
	if !ok {
		err = domain.FieldErrorf("expert_threshold_fen", "专家评审标准应为以万元为单位的金额，例如 500")
	} else {
		_, err = w.Svc.Contracts.SetRegime(r.Context(), service.ActorOf(u), domain.RegimeRules{Cutover: p.Cutover, ExpertThresholdFen: fen})
	}
	if err == nil {
		http.Redirect(rw, r, "/admin/regime?ok=regime", http.StatusSeeOther)
		return
	}
	w.regimeFailed(rw, r, u, p, err)
}

func (w *Web) regimeCalendar(rw http.ResponseWriter, r *http.Request) {
	u := w.requireUser(rw, r)
	if u == nil {
		return
	}
	p := &regimePage{Form: "calendar"}
	_, content, err := httpx.ReadUpload(rw, r, "file", 1<<20)
	if err == nil {
		p.Loaded, err = w.Svc.Contracts.LoadCalendar(r.Context(), service.ActorOf(u), strings.NewReader(string(content)))
	}
	if err != nil {
		w.regimeFailed(rw, r, u, p, err)
		return
	}
	w.renderRegime(rw, r, u, http.StatusOK, p)
}

func (w *Web) regimeFailed(rw http.ResponseWriter, r *http.Request, u *domain.User, p *regimePage, err error) {
	var e *domain.Error
	if !asDomain(r.Context(), err, &e) || (e.Code != domain.EINVALID && e.Code != domain.ETOOLARGE) {
		w.fail(rw, r, err)
		return
	}
	p.Error, p.Errors = e.Message, map[string]string{}
	for _, fe := range e.Fields {
		p.Errors[fe.Field] = fe.Message
	}
	w.renderRegime(rw, r, u, httpx.StatusOf(err), p)
}
