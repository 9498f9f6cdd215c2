package web

import (
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"kechuang/internal/domain"
	"kechuang/internal/httpx"
	"kechuang/internal/i18n"
	"kechuang/internal/service"
)

// achievementListPage is the catalogue (the public's) or the viewer's list.
type achievementListPage struct {
	Rows      []*domain.Achievement
	Pager     pager
	Q         url.Values
	Chains    []domain.Chain
	Stages    []domain.Item[string]
	Statuses  []domain.AchievementStatus
	Wide      bool // the viewer sees more than the catalogue: statuses are shown and filtered
	CanFile   bool
	Error     string
	chainName map[string]string
}

// Chain names an industrial chain code.
func (p *achievementListPage) Chain(code string) string {
	if n := p.chainName[code]; n != "" {
		return n
	}
	return code
}

var achievementSortOptions = []struct{ Key, Label string }{
	{"", "最新备案在前"}, {"-published_on", "最新发布在前"}, {"-trl", "成熟度从高到低"}, {"title", "名称（拼音）"},
	{"asking_price_fen", "意向价格从低到高"},
}

func (w *Web) chainNames(r *http.Request) ([]domain.Chain, map[string]string) {
	names := map[string]string{}
	cs, err := w.Svc.Meta.AllChains(r.Context())
	if err != nil {
		w.Log.Warn("web: chains", "err", err)
	}
	for _, c := range cs {
		names[c.Code] = c.Name
	}
	visible, err := w.Svc.Meta.Chains(r.Context())
	if err != nil {
		w.Log.Warn("web: chains", "err", err)
	}
	return visible, names
}

// achievementList serves /achievements: the public catalogue, and for the
// unit and the bureau their wider list.
func (w *Web) achievementList(rw http.ResponseWriter, r *http.Request) {
	u := httpx.UserFrom(r.Context())
	a := service.ActorOf(u)
	lp := &achievementListPage{Q: r.URL.Query(), Stages: domain.MaturityStages.All(), Statuses: domain.AchievementStatuses.Codes(),
		Wide: a != nil && (domain.Achievements.ListScope(a).All || domain.Achievements.CanFile(a)), CanFile: domain.Achievements.CanFile(a)}
	lp.Chains, lp.chainName = w.chainNames(r)
	status := http.StatusOK
	p, err := httpx.PageOf(r)
	var f domain.AchievementFilter
	if err == nil {
		f, err = httpx.AchievementFilterOf(lp.Q)
	}
	if err == nil {
		f.Page, f.PerPage = p.Page, p.PerPage
		var total int
		lp.Rows, total, err = w.Svc.Achievements.List(r.Context(), a, f)
		lp.Pager = newPager(p, total, lp.Q)
	}
	if err != nil {
		if domain.ErrorCode(err) != domain.EINVALID {
			w.fail(rw, r, err)
			return
		}
		lp.Error, status = i18n.Message(i18n.FromContext(r.Context()), err), http.StatusUnprocessableEntity
		lp.Pager = newPager(httpx.Page{Page: 1, PerPage: 20}, 0, lp.Q)
	}
	w.render(rw, r, status, "achievement/list", w.newView(r, "科技成果", "achievements", lp))
}

// achievementDetailPage is one achievement's page.
type achievementDetailPage struct {
	X       *domain.Achievement
	Events  []*domain.Event
	Actions map[string]bool
	Public  bool // in the catalogue
	Form    string
	Error   string
	Errors  map[string]string
	Comment string
	chains  map[string]string

	// Evaluation is the evaluation module's block (evaluation/summary).
	Evaluation *evaluationSummary
}

// Chain names an industrial chain code.
func (d *achievementDetailPage) Chain(code string) string {
	if n := d.chains[code]; n != "" {
		return n
	}
	return code
}

func (w *Web) achievementDetail(rw http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		w.notFound(rw, r)
		return
	}
	u := httpx.UserFrom(r.Context())
	x, err := w.Svc.Achievements.Get(r.Context(), service.ActorOf(u), id)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	w.renderAchievement(rw, r, u, x, http.StatusOK, &achievementDetailPage{Errors: map[string]string{}})
}

func (w *Web) renderAchievement(rw http.ResponseWriter, r *http.Request, u *domain.User, x *domain.Achievement, status int, dp *achievementDetailPage) {
	a := service.ActorOf(u)
	var evs []*domain.Event
	if domain.Achievements.CanSeeHistory(a, x) { // the public reads the achievement, not who handled it
		var err error
		if evs, err = w.Svc.Achievements.Events(r.Context(), a, x.ID); err != nil {
			w.fail(rw, r, err)
			return
		}
	}
	dp.X, dp.Events, dp.Actions = x, evs, domain.AchievementFlow.Actions(a, x)
	dp.Public = x.Status == domain.AchievementPublished || x.Status == domain.AchievementTransferred
	_, dp.chains = w.chainNames(r)
	dp.Evaluation = w.evaluationSummaryOf(r, x) // the evaluation module's block
	w.render(rw, r, status, "achievement/detail", w.newView(r, x.Title, "achievements", dp))
}

// achievementStepDef is one workflow step's form: its action, the flash
// code on success and whether a comment is asked for.
type achievementStepDef struct {
	action, ok string
	do         func(s *service.Achievements, r *http.Request, a *domain.Actor, id, v int64, comment string) (*domain.Achievement, error)
}

var achievementSteps = []achievementStepDef{
	{"submit", "achievement_submitted", func(s *service.Achievements, r *http.Request, a *domain.Actor, id, v int64, _ string) (*domain.Achievement, error) {
		return s.Submit(r.Context(), a, id, v)
	}},
	{"file", "achievement_filed", func(s *service.Achievements, r *http.Request, a *domain.Actor, id, v int64, c string) (*domain.Achievement, error) {
		return s.File(r.Context(), a, id, v, c)
	}},
	{"return", "achievement_returned", func(s *service.Achievements, r *http.Request, a *domain.Actor, id, v int64, c string) (*domain.Achievement, error) {
		return s.Return(r.Context(), a, id, v, c)
	}},
	{"publish", "achievement_published", func(s *service.Achievements, r *http.Request, a *domain.Actor, id, v int64, _ string) (*domain.Achievement, error) {
		return s.Publish(r.Context(), a, id, v)
	}},
	{"unpublish", "achievement_unpublished", func(s *service.Achievements, r *http.Request, a *domain.Actor, id, v int64, c string) (*domain.Achievement, error) {
		return s.Unpublish(r.Context(), a, id, v, c)
	}},
	{"transfer", "achievement_transferred", func(s *service.Achievements, r *http.Request, a *domain.Actor, id, v int64, c string) (*domain.Achievement, error) {
		return s.Transfer(r.Context(), a, id, v, c)
	}},
	{"withdraw", "achievement_withdrawn", func(s *service.Achievements, r *http.Request, a *domain.Actor, id, v int64, c string) (*domain.Achievement, error) {
		return s.Withdraw(r.Context(), a, id, v, c)
	}},
}

// achievementStep runs one workflow step from its form: back to the page
// with a message, or the page again with the error at the form.
func (w *Web) achievementStep(action string) http.HandlerFunc {
	var def achievementStepDef
	for _, d := range achievementSteps {
		if d.action == action {
			def = d
		}
	}
	if def.do == nil {
		panic("web: no achievement step " + action)
	}
	return func(rw http.ResponseWriter, r *http.Request) {
		u, id, version, ok := w.actionTarget(rw, r)
		if !ok {
			return
		}
		comment := r.PostForm.Get("comment")
		_, err := def.do(w.Svc.Achievements, r, service.ActorOf(u), id, version, comment)
		if err == nil {
			http.Redirect(rw, r, fmt.Sprintf("/achievements/%d?ok=%s", id, def.ok), http.StatusSeeOther)
			return
		}
		w.achievementFailed(rw, r, u, id, &achievementDetailPage{Form: def.action, Comment: comment, Errors: map[string]string{}}, err)
	}
}

func (w *Web) achievementFailed(rw http.ResponseWriter, r *http.Request, u *domain.User, id int64, dp *achievementDetailPage, err error) {
	var e *domain.Error
	if !asDomain(r.Context(), err, &e) || (e.Code != domain.EINVALID && e.Code != domain.ECONFLICT) {
		w.fail(rw, r, err)
		return
	}
	x, gerr := w.Svc.Achievements.Get(r.Context(), service.ActorOf(u), id)
	if gerr != nil {
		w.fail(rw, r, gerr)
		return
	}
	dp.Error = e.Message
	if e.Code == domain.ECONFLICT {
		dp.Form = ""
	}
	for field, msg := range achievementErrors(e) {
		dp.Errors[field] = msg
	}
	w.renderAchievement(rw, r, u, x, httpx.StatusOf(err), dp)
}

func (w *Web) achievementDelete(rw http.ResponseWriter, r *http.Request) {
	u, id, version, ok := w.actionTarget(rw, r)
	if !ok {
		return
	}
	if err := w.Svc.Achievements.Delete(r.Context(), service.ActorOf(u), id, version); err != nil {
		w.achievementFailed(rw, r, u, id, &achievementDetailPage{Form: "delete", Errors: map[string]string{}}, err)
		return
	}
	http.Redirect(rw, r, "/achievements?ok=achievement_deleted", http.StatusSeeOther)
}

// achievementErrors keys a validation error's messages by the form's
// fields: keywords[1] and team[0].name show at their list's field, the
// first message of each.
func achievementErrors(e *domain.Error) map[string]string {
	out := map[string]string{}
	fields := e.Fields
	if len(fields) == 0 && e.Field != "" {
		fields = []domain.FieldError{{Field: e.Field, Message: e.Message}}
	}
	for _, fe := range fields {
		key := fe.Field
		if i := strings.IndexByte(key, '['); i > 0 {
			key = key[:i]
		}
		if _, seen := out[key]; !seen {
			out[key] = fe.Message
		}
	}
	return out
}

// ipRows is how many IP rows the form offers (blank rows are skipped).
const ipRows = 5

// achievementFormPage is the filing form (new and edit).
type achievementFormPage struct {
	Action      string
	ID, Version int64
	X           *domain.Achievement
	// As typed: the lists and the amounts.
	Keywords, Team, Price, TeamPct string
	IP                             []domain.IPRight
	Chains                         []domain.Chain
	Stages, IPTypes, Modes, Funds  []domain.Item[string]
	Kinds                          []domain.Item[string]
	TRLs                           []int
	Errors                         map[string]string
	Error                          string
	MinUseYears                    int
}

// HasMode reports whether the filing offers mode m.
func (f *achievementFormPage) HasMode(m string) bool {
	for _, x := range f.X.Modes {
		if x == m {
			return true
		}
	}
	return false
}

// TRLLabel is a level's wording.
func (f *achievementFormPage) TRLLabel(n int) string { return domain.TRLLevels[n] }

func (w *Web) newAchievementForm(r *http.Request, x *domain.Achievement) *achievementFormPage {
	f := &achievementFormPage{X: x, Stages: domain.MaturityStages.All(), IPTypes: domain.IPTypes.All(), Modes: domain.TransferModes.All(),
		Funds: domain.FundingSources.All(), Kinds: domain.EmpowermentKinds.All(), TRLs: []int{1, 2, 3, 4, 5, 6, 7, 8, 9},
		Errors: map[string]string{}, MinUseYears: domain.DefaultAchievementRules().MinUseYears}
	f.Chains, _ = w.chainNames(r)
	f.Keywords = strings.Join(x.Keywords, "，")
	var team []string
	for _, m := range x.Team {
		team = append(team, strings.TrimSpace(m.Name+" "+m.Title))
	}
	f.Team = strings.Join(team, "\n")
	if x.AskingFen > 0 {
		f.Price = domain.FormatYuanPlain(x.AskingFen)
	}
	if e := x.Empowerment; e != nil && e.Kind == "ownership" {
		f.TeamPct = strings.TrimSuffix(domain.Permille(e.TeamPermille), "%")
	}
	f.IP = append([]domain.IPRight(nil), x.IP...)
	for len(f.IP) < ipRows {
		f.IP = append(f.IP, domain.IPRight{})
	}
	return f
}

func (w *Web) achievementNew(rw http.ResponseWriter, r *http.Request) {
	u := w.requireUser(rw, r)
	if u == nil {
		return
	}
	if !domain.Achievements.CanFile(service.ActorOf(u)) {
		w.fail(rw, r, domain.Errorf(domain.EFORBIDDEN, "无权备案科技成果"))
		return
	}
	f := w.newAchievementForm(r, &domain.Achievement{TRL: 0, Funding: "fiscal"})
	f.Action = "/achievements/new"
	w.render(rw, r, http.StatusOK, "achievement/form", w.newView(r, "备案新成果", "achievements", f))
}

func (w *Web) achievementEdit(rw http.ResponseWriter, r *http.Request) {
	u := w.requireUser(rw, r)
	if u == nil {
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		w.notFound(rw, r)
		return
	}
	a := service.ActorOf(u)
	x, err := w.Svc.Achievements.Get(r.Context(), a, id)
	if err == nil {
		err = domain.AchievementFlow.Check("update", a, x)
	}
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	f := w.newAchievementForm(r, x)
	f.Action, f.ID, f.Version = fmt.Sprintf("/achievements/%d/edit", id), id, x.Version
	w.render(rw, r, http.StatusOK, "achievement/form", w.newView(r, "修改成果", "achievements", f))
}

// listSep splits keywords typed with any of the usual separators.
var listSep = regexp.MustCompile(`[,，、;；\n]+`)

// parseAchievementForm reads the form into an achievement; what cannot be
// read (an amount, a percentage) is a field error.
func parseAchievementForm(form url.Values) (*domain.Achievement, *achievementFormPage, error) {
	x := &domain.Achievement{
		Title: form.Get("title"), Abstract: form.Get("abstract"), Discipline: form.Get("discipline"), ChainCode: form.Get("chain_code"),
		TRLEvidence: form.Get("trl_evidence"), Stage: form.Get("stage"), Funding: form.Get("funding"),
		Excluded: form.Get("security_exclusion") == "1", Modes: form["transfer_modes"],
	}
	f := &achievementFormPage{X: x, Keywords: form.Get("keywords"), Team: form.Get("team"), Price: strings.TrimSpace(form.Get("asking_price_yuan")),
		TeamPct: strings.TrimSpace(form.Get("emp_team_pct"))}
	var v domain.Validator
	for _, k := range listSep.Split(f.Keywords, -1) {
		if k = strings.TrimSpace(k); k != "" {
			x.Keywords = append(x.Keywords, k)
		}
	}
	for _, line := range strings.Split(f.Team, "\n") {
		fs := strings.Fields(line)
		if len(fs) == 0 {
			continue
		}
		x.Team = append(x.Team, domain.TeamMember{Name: fs[0], Title: strings.Join(fs[1:], " "), Leader: len(x.Team) == 0})
	}
	if s := form.Get("trl"); s != "" {
		n, err := strconv.Atoi(s)
		v.Check(err == nil, "trl", "技术成熟度（TRL）应为1至9级")
		x.TRL = n
	}
	if f.Price != "" {
		fen, err := domain.ParseYuan(f.Price)
		v.Check(err == nil, "asking_price_fen", "意向价格应为金额（元），如 500000 或 500000.00；面议请留空")
		x.AskingFen = fen
	}
	for i := 0; i < ipRows; i++ {
		ip := domain.IPRight{Type: form.Get(fmt.Sprintf("ip_type_%d", i)), Number: strings.TrimSpace(form.Get(fmt.Sprintf("ip_number_%d", i))),
			Title: strings.TrimSpace(form.Get(fmt.Sprintf("ip_title_%d", i)))}
		f.IP = append(f.IP, ip)
		if ip.Number != "" || ip.Title != "" || (ip.Type != "" && ip.Type != "none") {
			x.IP = append(x.IP, ip)
		}
	}
	if kind := form.Get("emp_kind"); kind != "" {
		e := &domain.Empowerment{Kind: kind, UseFrom: form.Get("emp_use_from"), UseTo: form.Get("emp_use_to"),
			Exclusive: form.Get("emp_exclusive") == "1", AgreementOn: form.Get("emp_agreement_on"),
			PublicityFrom: form.Get("emp_publicity_from"), PublicityTo: form.Get("emp_publicity_to")}
		if kind == "ownership" {
			p, ok := parsePermille(f.TeamPct)
			v.Check(ok, "empowerment.team_permille", "团队份额应为0至100之间的百分数，最多一位小数，如 70 或 62.5")
			e.TeamPermille, e.UnitPermille = p, 1000-p
		}
		x.Empowerment = e
	}
	return x, f, v.Err()
}

// parsePermille reads a percentage with at most one decimal ("70", "62.5")
// as per-mille, exactly.
func parsePermille(s string) (int, bool) {
	s = strings.TrimSuffix(strings.TrimSpace(s), "%")
	whole, frac, dot := strings.Cut(s, ".")
	if whole == "" || len(whole) > 3 || (dot && len(frac) != 1) || !domain.AllDigits(whole) || (dot && !domain.AllDigits(frac)) {
		return 0, false
	}
	n, _ := strconv.Atoi(whole)
	p := n * 10
	if dot {
		p += int(frac[0] - '0')
	}
	return p, p <= 1000
}

func (w *Web) achievementCreate(rw http.ResponseWriter, r *http.Request) {
	w.achievementSave(rw, r, 0)
}

func (w *Web) achievementUpdate(rw http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		w.notFound(rw, r)
		return
	}
	w.achievementSave(rw, r, id)
}

// achievementSave creates (id 0) or updates a filing from the form; on a
// user error the form again with each message at its field.
func (w *Web) achievementSave(rw http.ResponseWriter, r *http.Request, id int64) {
	u := w.requireUser(rw, r)
	if u == nil {
		return
	}
	if err := parseForm(rw, r, 256<<10); err != nil {
		w.fail(rw, r, err)
		return
	}
	a := service.ActorOf(u)
	in, typed, err := parseAchievementForm(r.PostForm)
	version, _ := strconv.ParseInt(r.PostForm.Get("version"), 10, 64)
	if err == nil {
		var x *domain.Achievement
		if id == 0 {
			x, err = w.Svc.Achievements.Create(r.Context(), a, in)
		} else {
			if version <= 0 {
				w.fail(rw, r, domain.Errorf(domain.EINVALID, "表单缺少版本号，请刷新页面后重试"))
				return
			}
			x, err = w.Svc.Achievements.Update(r.Context(), a, id, version, in)
		}
		if err == nil {
			ok := "achievement_updated"
			if id == 0 {
				ok = "achievement_created"
			}
			http.Redirect(rw, r, fmt.Sprintf("/achievements/%d?ok=%s", x.ID, ok), http.StatusSeeOther)
			return
		}
	}
	var e *domain.Error
	if !asDomain(r.Context(), err, &e) || (e.Code != domain.EINVALID && e.Code != domain.ECONFLICT) {
		w.fail(rw, r, err)
		return
	}
	f := w.newAchievementForm(r, in)
	f.Keywords, f.Team, f.Price, f.TeamPct, f.IP = typed.Keywords, typed.Team, typed.Price, typed.TeamPct, typed.IP
	f.Errors, f.Error = achievementErrors(e), e.Message
	f.Action, f.ID, f.Version = "/achievements/new", id, version
	title := "备案新成果"
	if id != 0 {
		f.Action, title = fmt.Sprintf("/achievements/%d/edit", id), "修改成果"
	}
	w.render(rw, r, httpx.StatusOf(err), "achievement/form", w.newView(r, title, "achievements", f))
}
