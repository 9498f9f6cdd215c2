package web

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"

	"kechuang/internal/domain"
	"kechuang/internal/httpx"
	"kechuang/internal/i18n"
	"kechuang/internal/service"
)

// contractDetailPage is the data of a contract's page.
type contractDetailPage struct {
	C            *domain.Contract
	Clock        contractRow
	Events       []*domain.Event
	LastReturn   *domain.Event
	RegistryName string
	Deducted     int64
	// Actions are the workflow actions the viewer may take now, from the
	// contract flow; the template renders a form per allowed action.
	Actions map[string]bool
	// The contract's state as the page shows it, so that templates compare
	// no status strings.
	Registered, Returned, Refused bool
	Grounds                       []domain.RefusalGround
	Form                          string // the action form the error belongs to
	Errors                        map[string]string
	Error                         string
	// Values typed into the registrar's forms, shown back on error.
	TechIncome, Comment, Ground, Note string

	regions, chains map[string]string
}

// Region names a region code ("和平区 210102").
func (d *contractDetailPage) Region(code string) string {
	if n := d.regions[code]; n != "" {
		return n + " " + code
	}
	return code
}

// Chain names an industrial chain code.
func (d *contractDetailPage) Chain(code string) string {
	if n := d.chains[code]; n != "" {
		return n
	}
	return code
}

// asDomain finds err's *domain.Error and renders it in the request's
// language, for a form that shows the messages next to its fields.
func asDomain(ctx context.Context, err error, e **domain.Error) bool {
	var de *domain.Error
	if !errors.As(err, &de) {
		return false
	}
	*e = i18n.Error(i18n.FromContext(ctx), de)
	return true
}

func (w *Web) contractDetail(rw http.ResponseWriter, r *http.Request) {
	u, c := w.userContract(rw, r)
	if c == nil {
		return
	}
	w.renderDetail(rw, r, u, c, http.StatusOK, &contractDetailPage{})
}

func (w *Web) renderDetail(rw http.ResponseWriter, r *http.Request, u *domain.User, c *domain.Contract, status int, dp *contractDetailPage) {
	ctx := r.Context()
	evs, err := w.Svc.Contracts.Events(ctx, service.ActorOf(u), c.ID)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	now := w.Svc.Now()
	dp.C, dp.Events, dp.Clock = c, evs, newContractRow(c, now)
	for _, e := range evs {
		if e.Action == "return" {
			dp.LastReturn = e
		}
	}
	if reg, err := w.Svc.Meta.Org(ctx, service.ActorOf(u), c.RegistryID); err == nil {
		dp.RegistryName = reg.Name
	}
	dp.regions, dp.chains = map[string]string{}, map[string]string{}
	for code, r := range w.regionNames(ctx, c.Seller.RegionCode, c.Buyer.RegionCode) {
		dp.regions[code] = r.FullName
	}
	if cs, err := w.Svc.Meta.AllChains(ctx); err == nil {
		for _, ch := range cs {
			dp.chains[ch.Code] = ch.Name
		}
	}
	dp.Deducted = c.TurnoverFen - c.TechTransactionFen
	dp.Actions = domain.ContractFlow.Actions(service.ActorOf(u), c)
	dp.Registered, dp.Returned, dp.Refused = c.Status == domain.ContractRegistered, c.Status == domain.ContractReturned, c.Status == domain.ContractRefused
	dp.Grounds = domain.RefusalGrounds.All()
	if dp.Errors == nil {
		dp.Errors = map[string]string{}
	}
	if dp.TechIncome == "" && dp.Actions["register"] {
		dp.TechIncome = yuanInput(c.TechTransactionFen, false)
	}
	title := c.Title
	if title == "" {
		title = "技术合同"
	}
	w.render(rw, r, status, "contract/detail", w.newView(r, title, "contracts", dp))
}

// act runs one workflow action from a POST form: on success back to the
// contract with a message; on a user error the page again, the message at
// the form that caused it.
func (w *Web) contractAct(rw http.ResponseWriter, r *http.Request, form, ok string, do func(a *domain.Actor, id, version int64, dp *contractDetailPage) (*domain.Contract, error)) {
	u := w.requireUser(rw, r)
	if u == nil {
		return
	}
	if err := parseForm(rw, r, 64<<10); err != nil {
		w.fail(rw, r, err)
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		w.notFound(rw, r)
		return
	}
	// The page's version is required, as in the API: an action is always
	// taken on the contract as the user saw it.
	version, err := strconv.ParseInt(r.PostForm.Get("version"), 10, 64)
	if err != nil || version <= 0 {
		w.fail(rw, r, domain.Errorf(domain.EINVALID, "表单缺少合同版本号，请刷新页面后重试"))
		return
	}
	dp := &contractDetailPage{Form: form, Errors: map[string]string{}}
	c, err := do(service.ActorOf(u), id, version, dp)
	if err == nil {
		if c.Status == domain.ContractRefused && ok == "submitted" {
			ok = "autorefused" // oral contract or seals not matching: refused at once
		}
		http.Redirect(rw, r, fmt.Sprintf("/contracts/%d?ok=%s", id, ok), http.StatusSeeOther)
		return
	}
	w.contractActionFailed(rw, r, u, id, dp, err)
}

func (w *Web) contractActionFailed(rw http.ResponseWriter, r *http.Request, u *domain.User, id int64, dp *contractDetailPage, err error) {
	var e *domain.Error
	if !asDomain(r.Context(), err, &e) || (e.Code != domain.EINVALID && e.Code != domain.ECONFLICT && e.Code != domain.ETOOLARGE) {
		w.fail(rw, r, err)
		return
	}
	c, gerr := w.Svc.Contracts.Get(r.Context(), service.ActorOf(u), id)
	if gerr != nil {
		w.fail(rw, r, gerr)
		return
	}
	dp.Error = e.Message
	if e.Code == domain.ECONFLICT { // a stale tab: said at the top, whichever form sent it (that form may be gone)
		dp.Form = ""
	}
	for _, fe := range e.Fields {
		dp.Errors[fe.Field] = fe.Message
	}
	if e.Field != "" && dp.Errors[e.Field] == "" {
		dp.Errors[e.Field] = e.Message
	}
	w.renderDetail(rw, r, u, c, httpx.StatusOf(err), dp)
}

func (w *Web) contractSubmit(rw http.ResponseWriter, r *http.Request) {
	w.contractAct(rw, r, "submit", "submitted", func(a *domain.Actor, id, v int64, dp *contractDetailPage) (*domain.Contract, error) {
		return w.Svc.Contracts.Submit(r.Context(), a, id, v)
	})
}

func (w *Web) contractWithdraw(rw http.ResponseWriter, r *http.Request) {
	w.contractAct(rw, r, "withdraw", "withdrawn", func(a *domain.Actor, id, v int64, dp *contractDetailPage) (*domain.Contract, error) {
		return w.Svc.Contracts.Withdraw(r.Context(), a, id, v)
	})
}

// contractDelete deletes a draft and goes back to the list.
func (w *Web) contractDelete(rw http.ResponseWriter, r *http.Request) {
	u := w.requireUser(rw, r)
	if u == nil {
		return
	}
	if err := parseForm(rw, r, 64<<10); err != nil {
		w.fail(rw, r, err)
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		w.notFound(rw, r)
		return
	}
	version, err := strconv.ParseInt(r.PostForm.Get("version"), 10, 64)
	if err != nil || version <= 0 {
		w.fail(rw, r, domain.Errorf(domain.EINVALID, "表单缺少合同版本号，请刷新页面后重试"))
		return
	}
	if err := w.Svc.Contracts.Delete(r.Context(), service.ActorOf(u), id, version); err != nil {
		w.contractActionFailed(rw, r, u, id, &contractDetailPage{Form: "delete", Errors: map[string]string{}}, err)
		return
	}
	http.Redirect(rw, r, "/contracts?ok=deleted", http.StatusSeeOther)
}

func (w *Web) contractRegister(rw http.ResponseWriter, r *http.Request) {
	w.contractAct(rw, r, "register", "registered", func(a *domain.Actor, id, v int64, dp *contractDetailPage) (*domain.Contract, error) {
		dp.TechIncome = r.PostForm.Get("tech_income_yuan")
		fen, ok := ParseYuan(dp.TechIncome)
		if !ok {
			return nil, domain.FieldErrorf("tech_income_fen", "核定技术性收入应为以元为单位的金额，最多两位小数，例如 800000.00")
		}
		return w.Svc.Contracts.Register(r.Context(), a, id, v, fen, r.PostForm.Get("note"))
	})
}

func (w *Web) contractReturn(rw http.ResponseWriter, r *http.Request) {
	w.contractAct(rw, r, "return", "returned", func(a *domain.Actor, id, v int64, dp *contractDetailPage) (*domain.Contract, error) {
		dp.Comment = r.PostForm.Get("comment")
		return w.Svc.Contracts.Return(r.Context(), a, id, v, dp.Comment)
	})
}

func (w *Web) contractRefuse(rw http.ResponseWriter, r *http.Request) {
	w.contractAct(rw, r, "refuse", "refused", func(a *domain.Actor, id, v int64, dp *contractDetailPage) (*domain.Contract, error) {
		dp.Ground, dp.Note = r.PostForm.Get("ground"), r.PostForm.Get("note")
		return w.Svc.Contracts.Refuse(r.Context(), a, id, v, dp.Ground, dp.Note)
	})
}

// contractUpload takes the contract text (PDF) from a multipart form.
func (w *Web) contractUpload(rw http.ResponseWriter, r *http.Request) {
	u := w.requireUser(rw, r)
	if u == nil {
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		w.notFound(rw, r)
		return
	}
	dp := &contractDetailPage{Form: "document", Errors: map[string]string{}}
	name, content, err := httpx.ReadUpload(rw, r, "document", service.MaxDocumentBytes)
	if err == nil {
		_, err = w.Svc.Contracts.UploadDocument(r.Context(), service.ActorOf(u), id, name, content)
	}
	if err != nil {
		w.contractActionFailed(rw, r, u, id, dp, err)
		return
	}
	http.Redirect(rw, r, fmt.Sprintf("/contracts/%d?ok=uploaded", id), http.StatusSeeOther)
}

// contractCertPage is the data of the printable registration certificate.
type contractCertPage struct {
	C            *domain.Contract
	RegistryName string
	City         string
}

// certificate serves the printable 技术合同登记证明 of a registered contract.
func (w *Web) certificate(rw http.ResponseWriter, r *http.Request) {
	u, c := w.userContract(rw, r)
	if c == nil {
		return
	}
	if c.Status != domain.ContractRegistered {
		w.fail(rw, r, domain.Errorf(domain.ECONFLICT, "合同当前状态为“%s”，只有已登记的合同才有登记证明", domain.Msg(c.Status.Label())))
		return
	}
	cp := contractCertPage{C: c, City: w.Svc.Meta.CityName(r.Context())}
	if reg, err := w.Svc.Meta.Org(r.Context(), service.ActorOf(u), c.RegistryID); err == nil {
		cp.RegistryName = reg.Name
	}
	w.render(rw, r, http.StatusOK, "contract/certificate", w.newView(r, i18n.T(i18n.FromContext(r.Context()), "技术合同登记证明 %s", c.RegNo), "contracts", cp))
}
