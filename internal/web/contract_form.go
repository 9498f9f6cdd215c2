package web

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"

	"kechuang/internal/domain"
	"kechuang/internal/i18n"
	"kechuang/internal/service"
)

// contractFormPage is the data of the contract form (new and edit).
type contractFormPage struct {
	Action      string
	ID, Version int64
	C           *domain.Contract
	Turnover    string // 合同成交额 as typed, in 元
	Costs       []contractCostRow
	Errors      map[string]string
	Error       string // the summary above the form
	SellerFixed bool   // tto/enterprise/pilot_base file as their own organisation
	OwnOrg      *domain.Org
	SellerMode  string // org | external
	BuyerMode   string
	Orgs        []*domain.Org
	Agencies    []*domain.Org
	Chains      []domain.Chain
	CityRegions []domain.Region          // the city and its districts: the region fields' quick list
	RegionNames map[string]domain.Region // the parties' typed regions, named
	Cat         contractCatFields
	Fields      []domain.TechField
	CostKinds   []domain.Item[string]
	PartyTypes  []domain.Item[domain.PartyType]
	// Computed from the entered amounts when they parse.
	Deducted, TechTransaction string
	Flags                     []string
	TermBeforeSigning         bool // warned beside the dates, never refused
	// Duplicate is the filing this one duplicates, when the user may see it.
	Duplicate *domain.Contract
}

// contractCostRow is one itemised non-technical cost as typed.
type contractCostRow struct {
	Kind, Desc, Price, Qty string
	Index                  int // position among the non-blank rows, for error keys
}

// contractCatFields is the category/sub-type pair, re-rendered by htmx when the
// signing date or the category changes (the set depends on the date).
type contractCatFields struct {
	SignedOn   string
	Category   string
	SubType    string
	Categories []domain.Category
	Subs       []domain.SubType // of the chosen category; nil → all, grouped
	Errors     map[string]string
	Legacy     bool
	// Regime is the code of the regime whose set is offered: the filing's,
	// or the one in force today for a filing not yet accepted. FiveOld
	// says that a contract signed before 2021 takes the five categories
	// of that regime (the 2026 办法).
	Regime  string
	FiveOld bool
}

func newContractCatFields(g *domain.Regime, signedOn, category, subType string, errs map[string]string) contractCatFields {
	old := signedOn != "" && signedOn < domain.CategoryCutover
	cats := domain.CategoriesUnder(g, signedOn)
	legacy := old && !slices.ContainsFunc(cats, func(c domain.Category) bool { return c.Code == "license" })
	cf := contractCatFields{SignedOn: signedOn, Category: category, SubType: subType, Categories: cats,
		Errors: errs, Legacy: legacy, FiveOld: old && !legacy, Regime: g.Code}
	for _, c := range cf.Categories {
		if c.Code == category {
			cf.Subs = c.SubTypes
		}
	}
	return cf
}

// canFile reports whether the user may file contracts (the contract policy).
func canFile(u *domain.User) bool { return domain.Contracts.CanFile(service.ActorOf(u)) }

// sellerFixed: these roles always file as the seller themselves.
func sellerFixed(u *domain.User) bool { return domain.Contracts.FilesAsSeller(service.ActorOf(u)) }

func (w *Web) contractNew(rw http.ResponseWriter, r *http.Request) {
	u := w.requireUser(rw, r)
	if u == nil {
		return
	}
	if !canFile(u) {
		w.fail(rw, r, domain.Errorf(domain.EFORBIDDEN, "您的角色（%s）不能申请登记技术合同", domain.Msg(u.Role.Label())))
		return
	}
	c := &domain.Contract{Form: "written", SealsMatch: true, SignedOn: domain.DateOf(w.Svc.Now())}
	if sellerFixed(u) {
		c.Seller.OrgID = u.OrgID
	}
	if u.Role == domain.RoleAgency {
		// An agency files as the deal's broker; the seller is the party it
		// serves, chosen on the form (walkthrough 23).
		c.BrokerID = u.OrgID
	}
	fp, err := w.contractFormPage(r.Context(), u, c, nil)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	fp.Action = "/contracts/new"
	w.render(rw, r, http.StatusOK, "contract/form", w.newView(r, "新建技术合同", "new", fp))
}

func (w *Web) contractEdit(rw http.ResponseWriter, r *http.Request) {
	u, c := w.userContract(rw, r)
	if c == nil {
		return
	}
	if !domain.Contracts.CanEdit(service.ActorOf(u), c) {
		w.fail(rw, r, domain.Errorf(domain.EFORBIDDEN, "合同当前状态为“%s”，不能修改", domain.Msg(c.Status.Label())))
		return
	}
	fp, err := w.contractFormPage(r.Context(), u, c, nil)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	fp.Action, fp.ID, fp.Version = fmt.Sprintf("/contracts/%d/edit", c.ID), c.ID, c.Version
	w.render(rw, r, http.StatusOK, "contract/form", w.newView(r, "修改技术合同", "contracts", fp))
}

func (w *Web) contractCreate(rw http.ResponseWriter, r *http.Request) {
	w.saveContract(rw, r, 0)
}

func (w *Web) contractUpdate(rw http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		w.notFound(rw, r)
		return
	}
	w.saveContract(rw, r, id)
}

// mayEdit refuses a form its sender could not save whatever it held, before
// the form's own input errors are shown: a refusal stays a refusal (a valid
// form goes to the service, which decides).
func (w *Web) mayEdit(ctx context.Context, u *domain.User, id int64) error {
	a := service.ActorOf(u)
	if id == 0 {
		if !canFile(u) {
			return domain.Errorf(domain.EFORBIDDEN, "您的角色（%s）不能申请登记技术合同", u.Role.Label())
		}
		return nil
	}
	c, err := w.Svc.Contracts.Get(ctx, a, id)
	if err != nil {
		return err
	}
	if !domain.Contracts.CanEdit(a, c) {
		return domain.Errorf(domain.EFORBIDDEN, "合同当前状态为“%s”，不能修改", c.Status.Label())
	}
	return nil
}

// saveContract parses the form, lets the service validate and store it, and
// re-renders the form with each message beside its field on failure.
func (w *Web) saveContract(rw http.ResponseWriter, r *http.Request, id int64) {
	u := w.requireUser(rw, r)
	if u == nil {
		return
	}
	if err := parseForm(rw, r, 1<<20); err != nil {
		w.fail(rw, r, err)
		return
	}
	ctx := r.Context()
	in, raw, errs := parseContractForm(r, u)
	version, verr := strconv.ParseInt(r.PostForm.Get("version"), 10, 64)
	if id != 0 && (verr != nil || version <= 0) { // edits apply to the version the user saw
		w.fail(rw, r, domain.Errorf(domain.EINVALID, "表单缺少合同版本号，请刷新页面后重试"))
		return
	}
	var saved *domain.Contract
	var err error
	status := http.StatusUnprocessableEntity
	if len(errs) > 0 {
		if err := w.mayEdit(ctx, u, id); err != nil {
			w.fail(rw, r, err)
			return
		}
		w.precheck(ctx, service.ActorOf(u), in, errs)
	} else {
		if id == 0 {
			saved, err = w.Svc.Contracts.Create(ctx, service.ActorOf(u), in)
		} else {
			saved, err = w.Svc.Contracts.Update(ctx, service.ActorOf(u), id, version, in)
		}
		if err == nil {
			ok := "created"
			if id != 0 {
				ok = "updated"
			}
			http.Redirect(rw, r, fmt.Sprintf("/contracts/%d?ok=%s", saved.ID, ok), http.StatusSeeOther)
			return
		}
		var e *domain.Error
		if !asDomain(r.Context(), err, &e) || (e.Code != domain.EINVALID && e.Code != domain.ECONFLICT) {
			w.fail(rw, r, err)
			return
		}
		if e.Code == domain.ECONFLICT { // a stale tab: nothing was saved, and the page says so
			status = http.StatusConflict
		}
		errs = map[string]string{}
		for _, fe := range e.Fields {
			errs[fe.Field] = fe.Message
		}
		if len(e.Fields) == 0 {
			errs[""] = e.Message
		}
	}
	fp, ferr := w.contractFormPage(ctx, u, in, errs)
	if ferr != nil {
		w.fail(rw, r, ferr)
		return
	}
	fp.Turnover, fp.Costs = raw.turnover, raw.costs
	if errs["contract_no"] != "" { // a duplicate filing: link the existing one
		if fp.Duplicate, ferr = w.Svc.Contracts.Duplicate(ctx, service.ActorOf(u), id, in); ferr != nil {
			w.Log.Warn("web: duplicate lookup", "err", ferr)
		}
	}
	fp.Action, fp.ID, fp.Version = "/contracts/new", id, version
	title := "新建技术合同"
	if id != 0 {
		fp.Action, title = fmt.Sprintf("/contracts/%d/edit", id), "修改技术合同"
	}
	if fp.Error == "" {
		fp.Error = i18n.T(i18n.FromContext(ctx), "表单有 %d 处需要修改，请查看标红的字段。", len(errs))
	}
	w.render(rw, r, status, "contract/form", w.newView(r, title, "new", fp))
}

// rawForm keeps what the user typed for the amounts, so a bad value is
// shown back as typed.
type rawForm struct {
	turnover string
	costs    []contractCostRow
}

// parseContractForm reads the form into a contract. It reports the input
// errors it can see itself (amounts, quantities); the service checks the rest.
func parseContractForm(r *http.Request, u *domain.User) (*domain.Contract, rawForm, map[string]string) {
	f := r.PostForm
	l := i18n.FromContext(r.Context())
	get := func(k string) string { return strings.TrimSpace(f.Get(k)) }
	errs := map[string]string{}
	c := &domain.Contract{Title: get("title"), ContractNo: get("contract_no"), SignedOn: get("signed_on"),
		TermStart: get("term_start"), TermEnd: get("term_end"), Category: get("category"), SubType: get("sub_type"),
		Form: get("form"), SealsMatch: f.Get("seals_match") != "", Disputed: f.Get("disputed") != "", Field: get("tech_field"), ChainCode: get("chain_code")}
	c.Seller = partyOf(f.Get, "seller")
	if sellerFixed(u) {
		c.Seller = domain.Party{OrgID: u.OrgID}
	}
	c.Buyer = partyOf(f.Get, "buyer")
	c.BrokerID, _ = strconv.ParseInt(get("broker_org_id"), 10, 64)
	for _, p := range []struct {
		key, label string
		party      *domain.Party
	}{{"seller", "卖方", &c.Seller}, {"buyer", "买方", &c.Buyer}} {
		if p.party.OrgID == 0 && f.Get(p.key+"_mode") != "external" {
			errs[p.key+".org_id"] = i18n.T(l, "请选择%s机构，或改为填写平台外单位", domain.Msg(p.label))
		}
	}
	for k, msg := range map[string]string{"category": "请选择合同类别", "sub_type": "请选择合同子类", "tech_field": "请选择技术领域"} {
		if get(k) == "" {
			errs[k] = i18n.T(l, msg)
		}
	}
	// A required field left empty says so, and an amount too large says
	// that, not that its format is wrong (walkthrough #19).
	for k, msg := range map[string]string{"signed_on": "请填写签订日期（必填）", "term_start": "请填写合同起始日期（必填）", "term_end": "请填写合同终止日期（必填）"} {
		if get(k) == "" {
			errs[k] = i18n.T(l, msg)
		}
	}
	raw := rawForm{turnover: get("turnover_yuan")}
	if fen, ok := ParseYuan(raw.turnover); ok {
		c.TurnoverFen = fen
	} else if strings.TrimSpace(raw.turnover) == "" {
		errs["turnover_fen"] = i18n.T(l, "请填写合同成交额（必填）")
	} else if yuanTooLarge(raw.turnover) {
		errs["turnover_fen"] = i18n.T(l, "合同成交额过大：不能超过1万亿元")
	} else {
		errs["turnover_fen"] = i18n.T(l, "合同成交额应为以元为单位的金额，最多两位小数，例如 1250000.00")
	}
	kinds, descs, prices, qtys := f["cost_kind"], f["cost_desc"], f["cost_price"], f["cost_qty"]
	for i := range kinds {
		at := func(s []string) string {
			if i < len(s) {
				return strings.TrimSpace(s[i])
			}
			return ""
		}
		cr := contractCostRow{Kind: at(kinds), Desc: at(descs), Price: at(prices), Qty: at(qtys), Index: -1}
		if cr.Desc == "" && cr.Price == "" && cr.Qty == "" {
			raw.costs = append(raw.costs, cr)
			continue // a blank row
		}
		cr.Index = len(c.CostItems)
		item := domain.CostItem{Kind: cr.Kind, Description: cr.Desc}
		key := fmt.Sprintf("cost_items[%d]", cr.Index)
		if fen, ok := ParseYuan(cr.Price); ok {
			item.UnitPriceFen = fen
		} else {
			errs[key+".unit_price_fen"] = i18n.T(l, "第%d项非技术性费用的单价应为以元为单位的金额，最多两位小数", cr.Index+1)
		}
		if n, ok := ParseCount(cr.Qty); ok && n > 0 {
			item.Quantity = n
		} else {
			errs[key+".quantity"] = i18n.T(l, "第%d项非技术性费用的数量应为正整数", cr.Index+1)
		}
		c.CostItems = append(c.CostItems, item)
		raw.costs = append(raw.costs, cr)
	}
	if len(errs) == 0 {
		return c, raw, nil
	}
	return c, raw, errs
}

// partyOf reads a seller or buyer: an organisation in the system, or an
// external party typed in.
func partyOf(get func(string) string, p string) domain.Party {
	if get(p+"_mode") == "external" {
		return domain.Party{Name: strings.TrimSpace(get(p + "_name")), USCC: domain.NormalizeUSCC(get(p + "_uscc")),
			RegionCode: strings.TrimSpace(get(p + "_region")), Type: domain.PartyType(get(p + "_type"))}
	}
	id, _ := strconv.ParseInt(get(p+"_org_id"), 10, 64)
	return domain.Party{OrgID: id}
}

// contractFormPage loads the pickers and computes the preview of 技术交易额.
func (w *Web) contractFormPage(ctx context.Context, u *domain.User, c *domain.Contract, errs map[string]string) (*contractFormPage, error) {
	if errs == nil {
		errs = map[string]string{}
	}
	fp := &contractFormPage{C: c, Errors: errs, Error: errs[""], SellerFixed: sellerFixed(u), Fields: domain.TechFields.All(),
		CostKinds: domain.CostKinds.All(), PartyTypes: domain.PartyTypes.All(), SellerMode: "org", BuyerMode: "org"}
	info, err := w.Svc.Contracts.Regime(ctx, service.ActorOf(u))
	if err != nil {
		return nil, err
	}
	fp.Cat = newContractCatFields(info.Rules.RegimeOf(c, w.Svc.Today()), c.SignedOn, c.Category, c.SubType, errs)
	if c.Seller.OrgID == 0 && c.Seller.Name != "" {
		fp.SellerMode = "external"
	}
	if c.Buyer.OrgID == 0 && c.Buyer.Name != "" {
		fp.BuyerMode = "external"
	}
	orgs, _, err := w.Svc.Meta.Orgs(ctx, service.ActorOf(u), domain.OrgFilter{Limit: 5000})
	if err != nil {
		return nil, err
	}
	for _, o := range orgs {
		switch o.Kind {
		case domain.OrgBureau, domain.OrgRegistry:
			continue
		case domain.OrgAgency:
			fp.Agencies = append(fp.Agencies, o)
		}
		if o.ID == u.OrgID {
			fp.OwnOrg = o
		}
		fp.Orgs = append(fp.Orgs, o)
	}
	if fp.OwnOrg == nil {
		fp.OwnOrg, _ = w.Svc.Meta.Org(ctx, service.ActorOf(u), u.OrgID)
	}
	if fp.Chains, err = w.Svc.Meta.Chains(ctx); err != nil {
		return nil, err
	}
	if fp.CityRegions, err = w.Svc.Meta.CityRegions(ctx); err != nil {
		return nil, err
	}
	fp.RegionNames = w.regionNames(ctx, c.Seller.RegionCode, c.Buyer.RegionCode)
	fp.Turnover = yuanInput(c.TurnoverFen, true)
	for i, it := range c.CostItems {
		fp.Costs = append(fp.Costs, contractCostRow{Kind: it.Kind, Desc: it.Description, Price: yuanInput(it.UnitPriceFen, false),
			Qty: strconv.FormatInt(it.Quantity, 10), Index: i})
	}
	fp.Costs = append(fp.Costs, contractCostRow{Kind: "equipment", Index: -1})
	fp.TermBeforeSigning = c.StartsBeforeSigning()
	preview := *c
	if c.TurnoverFen > 0 && preview.Compute() == nil {
		l := i18n.FromContext(ctx)
		fp.TechTransaction = i18n.Yuan(l, preview.TechTransactionFen)
		fp.Deducted = i18n.Yuan(l, c.TurnoverFen-preview.TechTransactionFen)
		fp.Flags = preview.Flags
	}
	return fp, nil
}

// categoryFragment re-renders the category and sub-type selects for the
// signing date (htmx, on change of the date or the category).
func (w *Web) categoryFragment(rw http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	on := q.Get("signed_on")
	if _, err := domain.ParseDate(on); err != nil {
		on = ""
	}
	g, ok := domain.RegimeByCode(q.Get("cat_regime"))
	if !ok {
		var err error
		if g, err = w.Svc.Contracts.RegimeToday(r.Context()); err != nil {
			w.fail(rw, r, err)
			return
		}
	}
	cf := newContractCatFields(g, on, q.Get("category"), q.Get("sub_type"), map[string]string{})
	w.renderTemplate(rw, r, http.StatusOK, "contract/form", "catfields", cf)
}

// loadContract reads the {id} of the path for the user.
func (w *Web) loadContract(r *http.Request, u *domain.User) (*domain.Contract, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return nil, domain.Errorf(domain.ENOTFOUND, "合同不存在")
	}
	return w.Svc.Contracts.Get(r.Context(), service.ActorOf(u), id)
}

// userContract is the start of every page about one contract: the
// logged-in user (else the login page) and the contract of the path that
// user may see (else the error page). It returns nils when it has answered.
func (w *Web) userContract(rw http.ResponseWriter, r *http.Request) (*domain.User, *domain.Contract) {
	u := w.requireUser(rw, r)
	if u == nil {
		return nil, nil
	}
	c, err := w.loadContract(r, u)
	if err != nil {
		w.fail(rw, r, err)
		return nil, nil
	}
	return u, c
}

// precheck adds the service's field checks to the form's own input errors,
// so a form with a bad amount reports every other problem in the same round.
func (w *Web) precheck(ctx context.Context, a *domain.Actor, in *domain.Contract, errs map[string]string) {
	c := *in
	for _, p := range []*domain.Party{&c.Seller, &c.Buyer} {
		if p.OrgID == 0 {
			continue
		}
		if o, err := w.Svc.Meta.Org(ctx, a, p.OrgID); err == nil {
			p.Name, p.USCC, p.RegionCode, p.Type = o.Name, o.USCC, o.RegionCode, domain.PartyTypeOf(o.Kind)
		}
	}
	if c.TurnoverFen == 0 {
		c.TurnoverFen = 1 // already reported as unreadable
	}
	var e *domain.Error
	if err := c.Validate(); asDomain(ctx, err, &e) {
		for _, fe := range e.Fields {
			party, _, _ := strings.Cut(fe.Field, ".")
			if _, picked := errs[party+".org_id"]; picked && party != fe.Field {
				continue // "choose an organisation" already says it
			}
			if _, dup := errs[fe.Field]; !dup && fe.Field != "turnover_fen" {
				errs[fe.Field] = fe.Message
			}
		}
	}
}

// partyView is the data of one party picker (seller or buyer).
type partyView struct {
	Prefix, Label, Mode string
	P                   domain.Party
	Groups              []orgGroup
	Errors              map[string]string
	PartyTypes          []domain.Item[domain.PartyType]
	Region              regionPicker // the external party's region
}

type orgGroup struct {
	Label string
	Orgs  []*domain.Org
}

// Party returns the picker of the seller or the buyer.
func (fp *contractFormPage) Party(prefix string) partyView {
	pv := partyView{Prefix: prefix, Label: "卖方", Mode: fp.SellerMode, P: fp.C.Seller, Errors: fp.Errors, PartyTypes: fp.PartyTypes}
	if prefix == "buyer" {
		pv.Label, pv.Mode, pv.P = "买方", fp.BuyerMode, fp.C.Buyer
	}
	code := ""
	if pv.P.OrgID == 0 {
		code = pv.P.RegionCode
	}
	pv.Region = newRegionPicker(prefix+"_region", prefix+"_region", code, false, fp.RegionNames)
	byKind := map[domain.OrgKind]*orgGroup{}
	for _, k := range domain.OrgKinds.All() {
		if k.Code == domain.OrgBureau || k.Code == domain.OrgRegistry {
			continue
		}
		pv.Groups = append(pv.Groups, orgGroup{Label: k.Label})
	}
	for i := range pv.Groups {
		for _, k := range domain.OrgKinds.All() {
			if k.Label == pv.Groups[i].Label {
				byKind[k.Code] = &pv.Groups[i]
			}
		}
	}
	for _, o := range fp.Orgs {
		if g := byKind[o.Kind]; g != nil {
			g.Orgs = append(g.Orgs, o)
		}
	}
	return pv
}

// RowErr joins the messages about one cost row.
func (fp *contractFormPage) RowErr(i int) string {
	if i < 0 {
		return ""
	}
	var msgs []string
	key := fmt.Sprintf("cost_items[%d]", i)
	for _, k := range []string{key, key + ".kind", key + ".unit_price_fen", key + ".quantity"} {
		if m := fp.Errors[k]; m != "" {
			msgs = append(msgs, m)
		}
	}
	return strings.Join(msgs, "；")
}
