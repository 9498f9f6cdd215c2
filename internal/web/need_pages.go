package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"kechuang/internal/domain"
	"kechuang/internal/httpx"
	"kechuang/internal/service"
)

// needListPage is the board (the public's) or the viewer's wider list.
type needListPage struct {
	Rows     []*domain.Need
	Chains   []domain.Chain
	Stages   []domain.Item[string]
	Statuses []domain.NeedStatus
	Wide     bool // the viewer sees more than the board: statuses are shown and filtered
	CanPost  bool
	listState
	chainLabels
}

// needWan reads a budget bound typed in 万元 (a whole number ≥ 0) as fen.
func needWan(q url.Values, key, field string) (int64, error) {
	s := strings.TrimSpace(q.Get(key))
	if s == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(s, 10, 64)
	if err != nil || n < 0 || n > domain.MaxAskingFen/1_000_000 {
		return 0, domain.FieldErrorf(field, "预算应为不小于0的整数（万元）")
	}
	return n * 1_000_000, nil
}

// needList serves /needs: the public board, and for the enterprise and
// the bureau their wider list. Budget bounds are typed in 万元.
func (w *Web) needList(rw http.ResponseWriter, r *http.Request) {
	u := httpx.UserFrom(r.Context())
	a := service.ActorOf(u)
	lp := &needListPage{listState: listState{Q: r.URL.Query()}, Stages: domain.MaturityStages.All(), Statuses: domain.NeedStatuses.Codes(),
		Wide: a != nil && (domain.Needs.ListScope(a).All || domain.Needs.CanPost(a)), CanPost: domain.Needs.CanPost(a)}
	lp.Chains, lp.chainName = w.chainNames(r)
	parse := func(q url.Values) (domain.NeedFilter, error) {
		f, err := httpx.NeedFilterOf(q)
		if err == nil {
			f.MinBudget, err = needWan(q, "min_budget_wan", "min_budget_fen")
		}
		if err == nil {
			f.MaxBudget, err = needWan(q, "max_budget_wan", "max_budget_fen")
		}
		return f, err
	}
	rows, status, ok := listRows(w, rw, r, a, &lp.listState, parse,
		func(f *domain.NeedFilter, p httpx.Page) { f.Page, f.PerPage = p.Page, p.PerPage }, w.Svc.Needs.List)
	if !ok {
		return
	}
	lp.Rows = rows
	w.render(rw, r, status, "need/list", w.newView(r, "技术需求", "needs", lp))
}

// needDetailPage is one need's page.
type needDetailPage struct {
	X       *domain.Need
	Events  []*domain.Event
	Actions map[string]bool
	actionForm
	chainLabels
}

func (w *Web) needDetail(rw http.ResponseWriter, r *http.Request) {
	id, ok := w.pageID(rw, r)
	if !ok {
		return
	}
	u := httpx.UserFrom(r.Context())
	x, err := w.Svc.Needs.Get(r.Context(), service.ActorOf(u), id)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	w.renderNeed(rw, r, u, x, http.StatusOK, &needDetailPage{actionForm: actionForm{Errors: map[string]string{}}})
}

func (w *Web) renderNeed(rw http.ResponseWriter, r *http.Request, u *domain.User, x *domain.Need, status int, dp *needDetailPage) {
	a := service.ActorOf(u)
	var evs []*domain.Event
	if domain.Needs.CanSeeHistory(a, x) { // the public reads the need, not who handled it
		var err error
		if evs, err = w.Svc.Needs.Events(r.Context(), a, x.ID); err != nil {
			w.fail(rw, r, err)
			return
		}
	}
	dp.X, dp.Events, dp.Actions = x, evs, domain.NeedFlow.Actions(a, x)
	dp.Forms = dp.stepForms("/needs", "need", x.ID, x.Version, needButtons, dp.Actions)
	_, dp.chainName = w.chainNames(r)
	w.render(rw, r, status, "need/detail", w.newView(r, x.Title, "needs", dp))
}

// needSteps are the workflow steps posted from the detail page.
var needSteps = []stepDef[*service.Needs]{
	{"submit", "need_submitted", func(s *service.Needs, ctx context.Context, a *domain.Actor, id, v int64, _ actionForm) error {
		_, err := s.Submit(ctx, a, id, v)
		return err
	}},
	{"publish", "need_published", func(s *service.Needs, ctx context.Context, a *domain.Actor, id, v int64, f actionForm) error {
		_, err := s.Publish(ctx, a, id, v, f.Comment)
		return err
	}},
	{"return", "need_returned", func(s *service.Needs, ctx context.Context, a *domain.Actor, id, v int64, f actionForm) error {
		_, err := s.Return(ctx, a, id, v, f.Comment)
		return err
	}},
	{"close", "need_closed", func(s *service.Needs, ctx context.Context, a *domain.Actor, id, v int64, f actionForm) error {
		_, err := s.Close(ctx, a, id, v, f.Outcome, f.Comment)
		return err
	}},
	{"withdraw", "need_withdrawn", func(s *service.Needs, ctx context.Context, a *domain.Actor, id, v int64, f actionForm) error {
		_, err := s.Withdraw(ctx, a, id, v, f.Comment)
		return err
	}},
}

// needStep runs one workflow step from its form.
func (w *Web) needStep(action string) http.HandlerFunc {
	return stepHandler(w, "/needs", w.Svc.Needs, needSteps, action, w.needFailed)
}

// needFailed shows the page again with a step's user error.
func (w *Web) needFailed(rw http.ResponseWriter, r *http.Request, u *domain.User, id int64, af actionForm, err error) {
	failedStep(w, w.Svc.Needs.Get, func(rw http.ResponseWriter, r *http.Request, u *domain.User, x *domain.Need, status int, af actionForm) {
		w.renderNeed(rw, r, u, x, status, &needDetailPage{actionForm: af})
	})(rw, r, u, id, af, err)
}

func (w *Web) needDelete(rw http.ResponseWriter, r *http.Request) {
	w.deleteDraft(rw, r, "/needs", "need", w.Svc.Needs.Delete, w.needFailed)
}

// needIndicatorRows is how many indicator rows the form offers (blank
// rows are skipped).
const needIndicatorRows = 5

// needFormPage is the posting form (new and edit).
type needFormPage struct {
	formState
	X *domain.Need
	// As typed: the keywords, the indicators and the amounts.
	Keywords, BudgetMin, BudgetMax string
	Indicators                     []domain.NeedIndicator
	Chains                         []domain.Chain
	Stages, Modes                  []domain.Item[string]
	Today                          string
}

// HasMode reports whether the need asks for cooperation mode m.
func (f *needFormPage) HasMode(m string) bool {
	for _, x := range f.X.Modes {
		if x == m {
			return true
		}
	}
	return false
}

func (w *Web) newNeedForm(r *http.Request, x *domain.Need) *needFormPage {
	f := &needFormPage{X: x, Stages: domain.MaturityStages.All(), Modes: domain.NeedModes.All(), formState: formState{Errors: map[string]string{}},
		Today: domain.DateOf(w.Svc.Now())}
	f.Chains, _ = w.chainNames(r)
	f.Keywords = strings.Join(x.Keywords, "，")
	if !x.Negotiable() {
		f.BudgetMin, f.BudgetMax = domain.FormatYuanPlain(x.BudgetMinFen), domain.FormatYuanPlain(x.BudgetMaxFen)
	}
	f.Indicators = append([]domain.NeedIndicator(nil), x.Indicators...)
	for len(f.Indicators) < needIndicatorRows {
		f.Indicators = append(f.Indicators, domain.NeedIndicator{})
	}
	return f
}

func (w *Web) needNew(rw http.ResponseWriter, r *http.Request) {
	u := w.requireUser(rw, r)
	if u == nil {
		return
	}
	if !domain.Needs.CanPost(service.ActorOf(u)) {
		w.fail(rw, r, domain.Errorf(domain.EFORBIDDEN, "无权发布技术需求"))
		return
	}
	f := w.newNeedForm(r, &domain.Need{})
	f.Action = "/needs/new"
	w.render(rw, r, http.StatusOK, "need/form", w.newView(r, "发布技术需求", "needs", f))
}

func (w *Web) needEdit(rw http.ResponseWriter, r *http.Request) {
	editPage(w, rw, r, needForm, w.Svc.Needs.Get, domain.NeedFlow, func(x *domain.Need) int64 { return x.Version }, w.newNeedForm)
}

// parseNeedForm reads the form into a need; what cannot be read (an
// amount) is a field error.
func parseNeedForm(form url.Values) (*domain.Need, *needFormPage, error) {
	x := &domain.Need{
		Title: form.Get("title"), Problem: form.Get("problem"), Deadline: strings.TrimSpace(form.Get("deadline")),
		ChainCode: form.Get("chain_code"), Stage: form.Get("stage"), Modes: form["cooperation_modes"],
		ContactName: form.Get("contact_name"), ContactPhone: form.Get("contact_phone"),
	}
	f := &needFormPage{X: x, Keywords: form.Get("keywords"),
		BudgetMin: strings.TrimSpace(form.Get("budget_min_yuan")), BudgetMax: strings.TrimSpace(form.Get("budget_max_yuan"))}
	var v domain.Validator
	for _, k := range listSep.Split(f.Keywords, -1) {
		if k = strings.TrimSpace(k); k != "" {
			x.Keywords = append(x.Keywords, k)
		}
	}
	if f.BudgetMin != "" {
		fen, err := domain.ParseYuan(f.BudgetMin)
		v.Check(err == nil, "budget_min_fen", "最低预算应为金额（元），如 500000；面议请两项都留空")
		x.BudgetMinFen = fen
	}
	if f.BudgetMax != "" {
		fen, err := domain.ParseYuan(f.BudgetMax)
		v.Check(err == nil, "budget_max_fen", "最高预算应为金额（元），如 1000000；面议请两项都留空")
		x.BudgetMaxFen = fen
	}
	for i := 0; i < needIndicatorRows; i++ {
		in := domain.NeedIndicator{Indicator: strings.TrimSpace(form.Get(fmt.Sprintf("indicator_%d", i))),
			Target: strings.TrimSpace(form.Get(fmt.Sprintf("target_%d", i))), Unit: strings.TrimSpace(form.Get(fmt.Sprintf("unit_%d", i)))}
		f.Indicators = append(f.Indicators, in)
		if in.Indicator != "" || in.Target != "" || in.Unit != "" {
			x.Indicators = append(x.Indicators, in)
		}
	}
	return x, f, v.Err()
}

func (w *Web) needCreate(rw http.ResponseWriter, r *http.Request) { w.needSave(rw, r, 0) }

func (w *Web) needUpdate(rw http.ResponseWriter, r *http.Request) {
	id, ok := w.pageID(rw, r)
	if !ok {
		return
	}
	w.needSave(rw, r, id)
}

// needForm is the posting form for saveForm.
var needForm = &recordForm[*domain.Need, *needFormPage]{
	base: "/needs", module: "need", template: "need/form", nav: "needs",
	newTitle: "发布技术需求", editTitle: "修改需求", maxBytes: 128 << 10, parse: parseNeedForm,
	id: func(x *domain.Need) int64 { return x.ID },
}

// needSave creates (id 0) or updates a need from the form; on a user
// error the form again with each message at its field.
func (w *Web) needSave(rw http.ResponseWriter, r *http.Request, id int64) {
	d := *needForm
	d.create, d.update = w.Svc.Needs.Create, w.Svc.Needs.Update
	d.again = func(r *http.Request, in *domain.Need, typed *needFormPage) *needFormPage {
		f := w.newNeedForm(r, in)
		f.Keywords, f.BudgetMin, f.BudgetMax, f.Indicators = typed.Keywords, typed.BudgetMin, typed.BudgetMax, typed.Indicators
		return f
	}
	saveForm(w, rw, r, id, &d)
}
