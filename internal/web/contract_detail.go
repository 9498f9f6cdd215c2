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
	Registered, Returned, Refused, Rejected bool
	// Grounds are the 不予登记 grounds and IntakeGrounds the 不予受理 ones of
	// the regime the filing is (or would be) handled under.
	Grounds, IntakeGrounds []domain.RefusalGround
	// Regime is that regime; Limit its time limit in days for this filing
	// (15 or 30 working days, or 30 calendar days).
	Regime *domain.Regime
	Limit  int
	// Candidates are the experts the registrar may assign; MyReview the
	// viewer's own assignment (an expert's); Opinions the choices.
	Candidates []*domain.User
	MyReview   *domain.Review
	Opinions   []domain.RefusalGround
	Opinion    string
	Form       string // the action form the error belongs to
	Errors     map[string]string
	Error      string
	// Values typed into the registrar's forms, shown back on error.
	TechIncome, Comment, Ground, Note string
	// Att are the filing's materials; AttachKind the type chosen in the
	// upload form.
	Att        *attachmentView
	AttachKind string
	// ReviewOpen: the registrar's decision waits for the expert review.
	ReviewOpen bool
	// ApproveTransaction: the registrar fixes the 技术交易额 itself (2026
	// regime) rather than the 技术性收入; RegisteredTech is the registered
	// 技术交易额 the certificate states.
	ApproveTransaction bool
	RegisteredTech     int64
	// Post is the part after registration (contract_postreg.go).
	Post postRegPage

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
	if dp.Att, err = w.loadAttachments(r, u, c); err != nil {
		w.fail(rw, r, err)
		return
	}
	dp.Att.Kind = dp.AttachKind
	dp.Actions = domain.ContractFlow.Actions(service.ActorOf(u), c)
	dp.ReviewOpen = dp.Actions["return"] && c.Status == domain.ContractAccepted && c.CheckReviewDecided() != nil
	dp.Registered, dp.Returned, dp.Refused = c.Status == domain.ContractRegistered, c.Status == domain.ContractReturned, c.Status == domain.ContractRefused
	dp.Rejected = c.Status == domain.ContractRejected
	info, err := w.Svc.Contracts.Regime(ctx, service.ActorOf(u))
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	dp.Regime = info.Rules.RegimeOf(c, w.Svc.Today())
	dp.ApproveTransaction, dp.RegisteredTech = dp.Regime.Approved == domain.ApprovedTransaction, c.RegisteredTechFen()
	dp.Limit = dp.Regime.LimitDays
	if c.ExpertReview && dp.Regime.ExpertLimitDays > 0 {
		dp.Limit = dp.Regime.ExpertLimitDays
	}
	if dp.Actions["assign"] {
		if dp.Candidates, err = w.Svc.Contracts.ExpertCandidates(ctx, service.ActorOf(u), c); err != nil {
			w.fail(rw, r, err)
			return
		}
	}
	dp.MyReview = c.ReviewOf(u.ID)
	dp.Opinions = domain.Opinions.All()
	dp.Grounds, dp.IntakeGrounds = groundItems(dp.Regime.RefusalGrounds, domain.RefusalLabel), groundItems(dp.Regime.IntakeGrounds, domain.IntakeLabel)
	if dp.Errors == nil {
		dp.Errors = map[string]string{}
	}
	if err := w.fillPostReg(ctx, service.ActorOf(u), c, dp); err != nil {
		w.fail(rw, r, err)
		return
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

func groundItems(codes []string, label func(string) string) []domain.RefusalGround {
	out := make([]domain.RefusalGround, len(codes))
	for i, c := range codes {
		out[i] = domain.RefusalGround{Code: c, Label: label(c)}
	}
	return out
}

// actionTarget reads what every contract action form posts: the user, the
// contract's id from the path and the page's version. The version is
// required, as in the API: an action is always taken on the contract as the
// user saw it. It answers the request itself when one is missing.
func (w *Web) actionTarget(rw http.ResponseWriter, r *http.Request) (u *domain.User, id, version int64, ok bool) {
	if u = w.requireUser(rw, r); u == nil {
		return nil, 0, 0, false
	}
	if err := parseForm(rw, r, 64<<10); err != nil {
		w.fail(rw, r, err)
		return nil, 0, 0, false
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		w.notFound(rw, r)
		return nil, 0, 0, false
	}
	version, err = strconv.ParseInt(r.PostForm.Get("version"), 10, 64)
	if err != nil || version <= 0 {
		w.fail(rw, r, domain.Errorf(domain.EINVALID, "表单缺少合同版本号，请刷新页面后重试"))
		return nil, 0, 0, false
	}
	return u, id, version, true
}

// act runs one workflow action from a POST form: on success back to the
// contract with a message; on a user error the page again, the message at
// the form that caused it.
func (w *Web) contractAct(rw http.ResponseWriter, r *http.Request, form, ok string, do func(a *domain.Actor, id, version int64, dp *contractDetailPage) (*domain.Contract, error)) {
	u, id, version, ok2 := w.actionTarget(rw, r)
	if !ok2 {
		return
	}
	dp := &contractDetailPage{Form: form, Errors: map[string]string{}}
	c, err := do(service.ActorOf(u), id, version, dp)
	if err == nil {
		if c.Status == domain.ContractAccepted && ok == "submitted" {
			ok = "resubmitted" // corrected materials after 受理: the clock restarted
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
	u, id, version, ok := w.actionTarget(rw, r)
	if !ok {
		return
	}
	if err := w.Svc.Contracts.Delete(r.Context(), service.ActorOf(u), id, version); err != nil {
		w.contractActionFailed(rw, r, u, id, &contractDetailPage{Form: "delete", Errors: map[string]string{}}, err)
		return
	}
	http.Redirect(rw, r, "/contracts?ok=deleted", http.StatusSeeOther)
}

func (w *Web) contractAccept(rw http.ResponseWriter, r *http.Request) {
	w.contractAct(rw, r, "accept", "accepted", func(a *domain.Actor, id, v int64, dp *contractDetailPage) (*domain.Contract, error) {
		return w.Svc.Contracts.Accept(r.Context(), a, id, v)
	})
}

func (w *Web) contractReject(rw http.ResponseWriter, r *http.Request) {
	w.contractAct(rw, r, "reject", "rejected", func(a *domain.Actor, id, v int64, dp *contractDetailPage) (*domain.Contract, error) {
		dp.Ground, dp.Note = r.PostForm.Get("ground"), r.PostForm.Get("note")
		return w.Svc.Contracts.Reject(r.Context(), a, id, v, dp.Ground, dp.Note)
	})
}

func (w *Web) contractReviewers(rw http.ResponseWriter, r *http.Request) {
	w.contractAct(rw, r, "assign", "assigned", func(a *domain.Actor, id, v int64, dp *contractDetailPage) (*domain.Contract, error) {
		var ids []int64
		for _, s := range r.PostForm["user_id"] {
			n, err := strconv.ParseInt(s, 10, 64)
			if err != nil {
				return nil, domain.FieldErrorf("user_ids", "请选择评审专家")
			}
			ids = append(ids, n)
		}
		return w.Svc.Contracts.AssignReviewers(r.Context(), a, id, v, ids)
	})
}

func (w *Web) contractOpinion(rw http.ResponseWriter, r *http.Request) {
	w.contractAct(rw, r, "opine", "opined", func(a *domain.Actor, id, v int64, dp *contractDetailPage) (*domain.Contract, error) {
		dp.Opinion, dp.Comment = r.PostForm.Get("opinion"), r.PostForm.Get("comment")
		return w.Svc.Contracts.Opine(r.Context(), a, id, v, dp.Opinion, dp.Comment)
	})
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
	// The amounts the certificate states under the contract's regime:
	// 技术合同成交额 and 技术交易额 (2026), 技术性收入 (2000).
	ShowTurnover, ShowTech, ShowIncome bool
	Regime                             *domain.Regime
	// Tech is the registered 技术交易额: the registrar's 核定 figure under
	// the 2026 regime.
	Tech int64
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
	cp.Regime, _ = domain.RegimeByCode(c.Regime)
	if cp.Regime == nil {
		cp.Regime, _ = domain.RegimeByCode(domain.Regime2000)
	}
	cp.Tech = c.RegisteredTechFen()
	cp.ShowTurnover, cp.ShowTech, cp.ShowIncome = cp.Regime.ShowsOnCertificate("turnover_fen"),
		cp.Regime.ShowsOnCertificate("tech_transaction_fen"), cp.Regime.ShowsOnCertificate("tech_income_fen")
	if reg, err := w.Svc.Meta.Org(r.Context(), service.ActorOf(u), c.RegistryID); err == nil {
		cp.RegistryName = reg.Name
	}
	w.render(rw, r, http.StatusOK, "contract/certificate", w.newView(r, i18n.T(i18n.FromContext(r.Context()), "技术合同登记证明 %s", c.RegNo), "contracts", cp))
}

// contractNoticePage is the data of a printable notice.
type contractNoticePage struct {
	C            *domain.Contract
	Kind         string // correction | intake | refusal
	Correction   *domain.Correction
	Regime       *domain.Regime
	RegistryName string
	City         string
	Date         string // the date of the decision the notice records
}

// notice serves a printable 补正通知书 (the latest cycle, or ?seq=N),
// 不予受理通知书 or 不予登记通知书 of a contract the viewer may see.
func (w *Web) notice(rw http.ResponseWriter, r *http.Request) {
	u, c := w.userContract(rw, r)
	if c == nil {
		return
	}
	np := contractNoticePage{C: c, Kind: r.PathValue("kind"), City: w.Svc.Meta.CityName(r.Context())}
	g, _ := domain.RegimeByCode(c.Regime)
	if g == nil {
		g, _ = domain.RegimeByCode(domain.Regime2000)
	}
	np.Regime = g
	evs, err := w.Svc.Contracts.Events(r.Context(), service.ActorOf(u), c.ID)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	lastDate := func(action string) string {
		d := ""
		for _, e := range evs {
			if e.Action == action {
				d = domain.DateOf(e.At)
			}
		}
		return d
	}
	var title string
	switch np.Kind {
	case "correction":
		seq, _ := strconv.Atoi(r.URL.Query().Get("seq"))
		for i := range c.Corrections {
			if c.Corrections[i].Seq == seq || (seq == 0 && i == len(c.Corrections)-1) {
				np.Correction = &c.Corrections[i]
			}
		}
		if np.Correction == nil {
			w.fail(rw, r, domain.Errorf(domain.ENOTFOUND, "该合同没有这次补正记录"))
			return
		}
		np.Date, title = np.Correction.RequestedOn, "补正通知书"
	case "intake":
		if c.Status != domain.ContractRejected {
			w.fail(rw, r, domain.Errorf(domain.ECONFLICT, "合同当前状态为“%s”，没有不予受理通知书", domain.Msg(c.Status.Label())))
			return
		}
		np.Date, title = lastDate("reject"), "不予受理通知书"
	case "refusal":
		if c.Status != domain.ContractRefused {
			w.fail(rw, r, domain.Errorf(domain.ECONFLICT, "合同当前状态为“%s”，没有不予登记通知书", domain.Msg(c.Status.Label())))
			return
		}
		np.Date, title = lastDate("refuse"), "不予登记通知书"
	default:
		w.notFound(rw, r)
		return
	}
	if reg, err := w.Svc.Meta.Org(r.Context(), service.ActorOf(u), c.RegistryID); err == nil {
		np.RegistryName = reg.Name
	}
	l := i18n.FromContext(r.Context())
	w.render(rw, r, http.StatusOK, "contract/notice", w.newView(r, i18n.T(l, "%s · %s", i18n.T(l, title), c.Title), "contracts", np))
}

// verifyPage is the public certificate check: a form, and the public
// fields of the certificate whose 登记号 was asked for.
type verifyPage struct {
	RegNo string
	Cert  *service.PublicCertificate
	Error string
	// The amounts the certificate shows (the page's values of Cert's).
	Turnover, Tech, Income             int64
	ShowTurnover, ShowTech, ShowIncome bool
}

// verify serves /certificates: anyone checks a certificate by its 登记号.
func (w *Web) verify(rw http.ResponseWriter, r *http.Request) {
	vp := &verifyPage{RegNo: r.URL.Query().Get("reg_no")}
	status := http.StatusOK
	if vp.RegNo != "" {
		cert, err := w.Svc.Contracts.Certificate(r.Context(), w.Kernel.ClientAddr(r), vp.RegNo)
		var e *domain.Error
		switch {
		case err == nil:
			vp.Cert = cert
			if cert.TurnoverFen != nil {
				vp.Turnover, vp.ShowTurnover = *cert.TurnoverFen, true
			}
			if cert.TechTransactionFen != nil {
				vp.Tech, vp.ShowTech = *cert.TechTransactionFen, true
			}
			if cert.TechIncomeFen != nil {
				vp.Income, vp.ShowIncome = *cert.TechIncomeFen, true
			}
		case asDomain(r.Context(), err, &e) && (e.Code == domain.ENOTFOUND || e.Code == domain.ERATELIMIT):
			vp.Error, status = e.Message, httpx.StatusOf(err)
		default:
			w.fail(rw, r, err)
			return
		}
	}
	w.render(rw, r, status, "contract/verify", w.newView(r, "查验登记证明", "verify", vp))
}
