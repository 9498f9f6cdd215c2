package web

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"kechuang/internal/domain"
	"kechuang/internal/httpx"
	"kechuang/internal/service"
)

// achievementListPage is the catalogue (the public's) or the viewer's list.
type achievementListPage struct {
	Rows     []*domain.Achievement
	Chains   []domain.Chain
	Stages   []domain.Item[string]
	Statuses []domain.AchievementStatus
	Wide     bool // the viewer sees more than the catalogue: statuses are shown and filtered
	CanFile  bool
	listState
	chainLabels
}

var achievementSortOptions = []struct{ Key, Label string }{
	{"", "最新备案在前"}, {"-published_on", "最新发布在前"}, {"-trl", "成熟度从高到低"}, {"title", "名称（拼音）"},
	{"asking_price_fen", "意向价格从低到高"},
}

// achievementList serves /achievements: the public catalogue, and for the
// unit and the bureau their wider list.
func (w *Web) achievementList(rw http.ResponseWriter, r *http.Request) {
	u := httpx.UserFrom(r.Context())
	a := service.ActorOf(u)
	lp := &achievementListPage{listState: listState{Q: r.URL.Query()}, Stages: domain.MaturityStages.All(), Statuses: domain.AchievementStatuses.Codes(),
		Wide: a != nil && (domain.Achievements.ListScope(a).All || domain.Achievements.CanFile(a)), CanFile: domain.Achievements.CanFile(a)}
	lp.Chains, lp.chainName = w.chainNames(r)
	rows, status, ok := listRows(w, rw, r, a, &lp.listState, httpx.AchievementFilterOf,
		func(f *domain.AchievementFilter, p httpx.Page) { f.Page, f.PerPage = p.Page, p.PerPage }, w.Svc.Achievements.List)
	if !ok {
		return
	}
	lp.Rows = rows
	w.render(rw, r, status, "achievement/list", w.newView(r, "科技成果", "achievements", lp))
}

// achievementDetailPage is one achievement's page.
type achievementDetailPage struct {
	X       *domain.Achievement
	Events  []*domain.Event
	Actions map[string]bool
	Public  bool // in the catalogue
	actionForm
	chainLabels

	// Evaluation is the evaluation module's block (evaluation/summary).
	Evaluation *evaluationSummary
}

func (w *Web) achievementDetail(rw http.ResponseWriter, r *http.Request) {
	id, ok := w.pageID(rw, r)
	if !ok {
		return
	}
	u := httpx.UserFrom(r.Context())
	x, err := w.Svc.Achievements.Get(r.Context(), service.ActorOf(u), id)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	w.renderAchievement(rw, r, u, x, http.StatusOK, &achievementDetailPage{actionForm: actionForm{Errors: map[string]string{}}})
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
	dp.Forms = dp.stepForms("/achievements", "achievement", x.ID, x.Version, achievementButtons, dp.Actions)
	dp.Public = x.Status == domain.AchievementPublished || x.Status == domain.AchievementTransferred
	_, dp.chainName = w.chainNames(r)
	dp.Evaluation = w.evaluationSummaryOf(r, x) // the evaluation module's block
	w.render(rw, r, status, "achievement/detail", w.newView(r, x.Title, "achievements", dp))
}

// achievementSteps are the workflow steps posted from the detail page.
var achievementSteps = []stepDef[*service.Achievements]{
	{"submit", "achievement_submitted", func(s *service.Achievements, ctx context.Context, a *domain.Actor, id, v int64, _ actionForm) error {
		_, err := s.Submit(ctx, a, id, v)
		return err
	}},
	{"file", "achievement_filed", func(s *service.Achievements, ctx context.Context, a *domain.Actor, id, v int64, f actionForm) error {
		_, err := s.File(ctx, a, id, v, f.Comment)
		return err
	}},
	{"return", "achievement_returned", func(s *service.Achievements, ctx context.Context, a *domain.Actor, id, v int64, f actionForm) error {
		_, err := s.Return(ctx, a, id, v, f.Comment)
		return err
	}},
	{"publish", "achievement_published", func(s *service.Achievements, ctx context.Context, a *domain.Actor, id, v int64, _ actionForm) error {
		_, err := s.Publish(ctx, a, id, v)
		return err
	}},
	{"unpublish", "achievement_unpublished", func(s *service.Achievements, ctx context.Context, a *domain.Actor, id, v int64, f actionForm) error {
		_, err := s.Unpublish(ctx, a, id, v, f.Comment)
		return err
	}},
	{"transfer", "achievement_transferred", func(s *service.Achievements, ctx context.Context, a *domain.Actor, id, v int64, f actionForm) error {
		_, err := s.Transfer(ctx, a, id, v, f.Comment)
		return err
	}},
	{"withdraw", "achievement_withdrawn", func(s *service.Achievements, ctx context.Context, a *domain.Actor, id, v int64, f actionForm) error {
		_, err := s.Withdraw(ctx, a, id, v, f.Comment)
		return err
	}},
}

// achievementStep runs one workflow step from its form.
func (w *Web) achievementStep(action string) http.HandlerFunc {
	return stepHandler(w, "/achievements", w.Svc.Achievements, achievementSteps, action, w.achievementFailed)
}

// achievementFailed shows the page again with a step's user error.
func (w *Web) achievementFailed(rw http.ResponseWriter, r *http.Request, u *domain.User, id int64, af actionForm, err error) {
	failedStep(w, w.Svc.Achievements.Get, func(rw http.ResponseWriter, r *http.Request, u *domain.User, x *domain.Achievement, status int, af actionForm) {
		w.renderAchievement(rw, r, u, x, status, &achievementDetailPage{actionForm: af})
	})(rw, r, u, id, af, err)
}

func (w *Web) achievementDelete(rw http.ResponseWriter, r *http.Request) {
	w.deleteDraft(rw, r, "/achievements", "achievement", w.Svc.Achievements.Delete, w.achievementFailed)
}

// ipRows is how many IP rows the form offers (blank rows are skipped).
const ipRows = 5

// achievementFormPage is the filing form (new and edit).
type achievementFormPage struct {
	formState
	X *domain.Achievement
	// As typed: the lists and the amounts.
	Keywords, Team, Price, TeamPct string
	IP                             []domain.IPRight
	Chains                         []domain.Chain
	Stages, IPTypes, Modes, Funds  []domain.Item[string]
	Kinds                          []domain.Item[string]
	TRLs                           []int
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
		formState: formState{Errors: map[string]string{}}, MinUseYears: domain.DefaultAchievementRules().MinUseYears}
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
	editPage(w, rw, r, achievementForm, w.Svc.Achievements.Get, domain.AchievementFlow, func(x *domain.Achievement) int64 { return x.Version }, w.newAchievementForm)
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
	id, ok := w.pageID(rw, r)
	if !ok {
		return
	}
	w.achievementSave(rw, r, id)
}

// achievementForm is the filing form for saveForm.
var achievementForm = &recordForm[*domain.Achievement, *achievementFormPage]{
	base: "/achievements", module: "achievement", template: "achievement/form", nav: "achievements",
	newTitle: "备案新成果", editTitle: "修改成果", maxBytes: 256 << 10, parse: parseAchievementForm,
	id: func(x *domain.Achievement) int64 { return x.ID },
}

// achievementSave creates (id 0) or updates a filing from the form; on a
// user error the form again with each message at its field.
func (w *Web) achievementSave(rw http.ResponseWriter, r *http.Request, id int64) {
	d := *achievementForm
	d.create, d.update = w.Svc.Achievements.Create, w.Svc.Achievements.Update
	d.again = func(r *http.Request, in *domain.Achievement, typed *achievementFormPage) *achievementFormPage {
		f := w.newAchievementForm(r, in)
		f.Keywords, f.Team, f.Price, f.TeamPct, f.IP = typed.Keywords, typed.Team, typed.Price, typed.TeamPct, typed.IP
		return f
	}
	saveForm(w, rw, r, id, &d)
}
