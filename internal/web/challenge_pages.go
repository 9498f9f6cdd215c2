package web

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"kechuang/internal/domain"
	"kechuang/internal/httpx"
	"kechuang/internal/i18n"
	"kechuang/internal/service"
)

// challengeListPage is the board (the public's) or the viewer's wider list.
type challengeListPage struct {
	Rows      []*domain.Challenge
	Pager     pager
	Q         url.Values
	Chains    []domain.Chain
	Statuses  []domain.ChallengeStatus
	Years     []int
	Wide      bool // the viewer sees more than the board
	CanCreate bool
	Mine      bool // the viewer's organisation may answer: link to its answers
	Error     string
	chainName map[string]string
}

// Chain names an industrial chain code.
func (p *challengeListPage) Chain(code string) string {
	if n := p.chainName[code]; n != "" {
		return n
	}
	return code
}

func (w *Web) challengeList(rw http.ResponseWriter, r *http.Request) {
	a := service.ActorOf(httpx.UserFrom(r.Context()))
	lp := &challengeListPage{Q: r.URL.Query(), Statuses: domain.ChallengePublicStatuses,
		Wide: a != nil && (domain.Challenges.ListScope(a).All || domain.Challenges.CanCreate(a)), CanCreate: domain.Challenges.CanCreate(a),
		Mine: a.Is(domain.RoleTTO, domain.RoleEnterprise)}
	if lp.Wide {
		lp.Statuses = domain.ChallengeStatuses.Codes()
	}
	for y := domain.ChinaYear(w.Svc.Now()); y >= 2021; y-- {
		lp.Years = append(lp.Years, y)
	}
	lp.Chains, lp.chainName = w.chainNames(r)
	status := http.StatusOK
	p, err := httpx.PageOf(r)
	var f domain.ChallengeFilter
	if err == nil {
		f, err = httpx.ChallengeFilterOf(lp.Q)
	}
	if err == nil {
		f.Page, f.PerPage = p.Page, p.PerPage
		var total int
		lp.Rows, total, err = w.Svc.Challenges.List(r.Context(), a, f)
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
	w.render(rw, r, status, "challenge/list", w.newView(r, "揭榜挂帅", "challenges", lp))
}

// challengeAnswerRow is one answer on the challenge's page, with its
// evaluation case when the reader may see it.
type challengeAnswerRow struct {
	A       *domain.ChallengeAnswer
	Eval    *domain.Evaluation
	Actions map[string]bool
	// Selectable: the bureau may select it now (its evaluation is final).
	Selectable bool
}

// challengeDetailPage is one challenge's page.
type challengeDetailPage struct {
	X         *domain.Challenge
	Events    []*domain.Event
	Actions   map[string]bool
	Answers   []*challengeAnswerRow
	SeesAll   bool // the owner and the bureau: every answer
	CanAnswer bool
	Form      string
	Error     string
	Errors    map[string]string
	Typed     url.Values
	Today     string
	chains    map[string]string
}

// Chain names an industrial chain code.
func (d *challengeDetailPage) Chain(code string) string {
	if n := d.chains[code]; n != "" {
		return n
	}
	return code
}

// V is what was typed in a form field of the failed form.
func (d *challengeDetailPage) V(key string) string { return d.Typed.Get(key) }

func (w *Web) challengeDetail(rw http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		w.notFound(rw, r)
		return
	}
	u := httpx.UserFrom(r.Context())
	x, err := w.Svc.Challenges.Get(r.Context(), service.ActorOf(u), id)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	w.renderChallenge(rw, r, u, x, http.StatusOK, &challengeDetailPage{Errors: map[string]string{}})
}

func (w *Web) renderChallenge(rw http.ResponseWriter, r *http.Request, u *domain.User, x *domain.Challenge, status int, dp *challengeDetailPage) {
	ctx := r.Context()
	a := service.ActorOf(u)
	if domain.Challenges.CanSeeHistory(a, x) {
		var err error
		if dp.Events, err = w.Svc.Challenges.Events(ctx, a, x.ID); err != nil {
			w.fail(rw, r, err)
			return
		}
	}
	if a != nil {
		answers, err := w.Svc.Challenges.Answers(ctx, a, x.ID)
		if err != nil {
			w.fail(rw, r, err)
			return
		}
		canSelect := domain.ChallengeFlow.Can("select", a, x)
		for _, an := range answers {
			row := &challengeAnswerRow{A: an, Actions: domain.AnswerFlow.Actions(a, an)}
			if an.EvaluationID != 0 {
				if e, err := w.Svc.Evaluations.Get(ctx, a, an.EvaluationID); err == nil {
					row.Eval = e
				}
			}
			row.Selectable = canSelect && an.Status == domain.AnswerEvaluating && row.Eval != nil && row.Eval.Status == domain.EvaluationFinal
			dp.Answers = append(dp.Answers, row)
		}
		dp.SeesAll = domain.Challenges.CanSeeAnswers(a, x)
		dp.CanAnswer = domain.Challenges.CanAnswer(a, x) && x.Open && len(answers) == 0
	}
	dp.X, dp.Actions, dp.Today = x, domain.ChallengeFlow.Actions(a, x), w.Svc.Today()
	if dp.Typed == nil {
		dp.Typed = url.Values{}
	}
	_, dp.chains = w.chainNames(r)
	w.render(rw, r, status, "challenge/detail", w.newView(r, x.Title, "challenges", dp))
}

// yuanField reads an amount typed in 元 as fen ("" is 0).
func yuanField(v *domain.Validator, form url.Values, key, field, msg string) int64 {
	s := strings.TrimSpace(form.Get(key))
	if s == "" {
		return 0
	}
	fen, err := domain.ParseYuan(s)
	v.Check(err == nil, field, "%s", msg)
	return fen
}

// intField reads a whole number ≥ 0 ("" is 0).
func intField(v *domain.Validator, form url.Values, key, msg string) int64 {
	s := strings.TrimSpace(form.Get(key))
	if s == "" {
		return 0
	}
	n, err := strconv.ParseInt(s, 10, 64)
	v.Check(err == nil && n >= 0, key, "%s", msg)
	return n
}

// challengeStepDef is one workflow step's form: its action, the flash code
// on success and the use case over the posted form.
type challengeStepDef struct {
	action, ok string
	do         func(s *service.Challenges, r *http.Request, a *domain.Actor, id, v int64, f url.Values) (*domain.Challenge, error)
}

var challengeSteps = []challengeStepDef{
	{"submit", "challenge_submitted", func(s *service.Challenges, r *http.Request, a *domain.Actor, id, v int64, _ url.Values) (*domain.Challenge, error) {
		return s.Submit(r.Context(), a, id, v)
	}},
	{"confirm", "challenge_confirmed", func(s *service.Challenges, r *http.Request, a *domain.Actor, id, v int64, f url.Values) (*domain.Challenge, error) {
		return s.Confirm(r.Context(), a, id, v, f.Get("comment"))
	}},
	{"return", "challenge_returned", func(s *service.Challenges, r *http.Request, a *domain.Actor, id, v int64, f url.Values) (*domain.Challenge, error) {
		return s.Return(r.Context(), a, id, v, f.Get("comment"))
	}},
	{"publish", "challenge_published", func(s *service.Challenges, r *http.Request, a *domain.Actor, id, v int64, f url.Values) (*domain.Challenge, error) {
		return s.Publish(r.Context(), a, id, v, f.Get("comment"))
	}},
	{"withdraw", "challenge_withdrawn", func(s *service.Challenges, r *http.Request, a *domain.Actor, id, v int64, f url.Values) (*domain.Challenge, error) {
		return s.Withdraw(r.Context(), a, id, v, f.Get("comment"))
	}},
	{"close_answers", "challenge_closed", func(s *service.Challenges, r *http.Request, a *domain.Actor, id, v int64, f url.Values) (*domain.Challenge, error) {
		return s.CloseAnswers(r.Context(), a, id, v, f.Get("comment"))
	}},
	{"select", "challenge_selected", func(s *service.Challenges, r *http.Request, a *domain.Actor, id, v int64, f url.Values) (*domain.Challenge, error) {
		aid, err := strconv.ParseInt(f.Get("answer_id"), 10, 64)
		if err != nil || aid <= 0 {
			return nil, domain.FieldErrorf("answer_id", "请选择入选的揭榜方案")
		}
		return s.Select(r.Context(), a, id, v, aid, f.Get("comment"))
	}},
	{"contract", "challenge_contracted", func(s *service.Challenges, r *http.Request, a *domain.Actor, id, v int64, f url.Values) (*domain.Challenge, error) {
		var val domain.Validator
		g := domain.ChallengeAgreement{Date: strings.TrimSpace(f.Get("agreement_date"))}
		g.AgreedFen = yuanField(&val, f, "agreed_yuan", "agreed_fen", "协议金额应为金额（元），如 2500000")
		if err := val.Err(); err != nil {
			return nil, err
		}
		return s.Contract(r.Context(), a, id, v, g)
	}},
	{"milestones", "challenge_milestone", func(s *service.Challenges, r *http.Request, a *domain.Actor, id, v int64, f url.Values) (*domain.Challenge, error) {
		var val domain.Validator
		m := domain.ChallengeMilestone{Title: f.Get("title"), DueOn: strings.TrimSpace(f.Get("due_on")), Note: f.Get("note")}
		m.PaymentFen = yuanField(&val, f, "payment_yuan", "payment_fen", "付款金额应为金额（元），如 1000000")
		if err := val.Err(); err != nil {
			return nil, err
		}
		return s.AddMilestone(r.Context(), a, id, v, m)
	}},
	{"start", "challenge_started", func(s *service.Challenges, r *http.Request, a *domain.Actor, id, v int64, _ url.Values) (*domain.Challenge, error) {
		return s.Start(r.Context(), a, id, v)
	}},
	{"complete_milestone", "challenge_completed", func(s *service.Challenges, r *http.Request, a *domain.Actor, id, v int64, f url.Values) (*domain.Challenge, error) {
		mid, err := strconv.ParseInt(f.Get("milestone_id"), 10, 64)
		if err != nil || mid <= 0 {
			return nil, domain.FieldErrorf("milestone_id", "请选择里程碑")
		}
		return s.CompleteMilestone(r.Context(), a, id, v, mid, f.Get("comment"))
	}},
	{"accept", "challenge_accepted", func(s *service.Challenges, r *http.Request, a *domain.Actor, id, v int64, f url.Values) (*domain.Challenge, error) {
		var val domain.Validator
		in := domain.ChallengeAcceptance{Passed: f.Get("passed") == "1", Report: f.Get("report")}
		val.Check(f.Get("passed") == "1" || f.Get("passed") == "0", "passed", "请选择验收结论")
		in.KeyTechSolved = int(intField(&val, f, "key_tech_solved", "解决关键技术数应为不小于0的整数"))
		in.KeyTechIntl = int(intField(&val, f, "key_tech_intl", "达到国际水平的关键技术数应为不小于0的整数"))
		if err := val.Err(); err != nil {
			return nil, err
		}
		return s.Accept(r.Context(), a, id, v, in)
	}},
	{"fail", "challenge_failed", func(s *service.Challenges, r *http.Request, a *domain.Actor, id, v int64, f url.Values) (*domain.Challenge, error) {
		return s.Fail(r.Context(), a, id, v, f.Get("comment"))
	}},
	{"exit", "challenge_exited", func(s *service.Challenges, r *http.Request, a *domain.Actor, id, v int64, f url.Values) (*domain.Challenge, error) {
		return s.Exit(r.Context(), a, id, v, f.Get("comment"))
	}},
}

// challengeStep runs one workflow step from its form: back to the page
// with a message, or the page again with the error at the form.
func (w *Web) challengeStep(action string) http.HandlerFunc {
	var def challengeStepDef
	for _, d := range challengeSteps {
		if d.action == action {
			def = d
		}
	}
	if def.do == nil {
		panic("web: no challenge step " + action)
	}
	return func(rw http.ResponseWriter, r *http.Request) {
		u, id, version, ok := w.actionTarget(rw, r)
		if !ok {
			return
		}
		_, err := def.do(w.Svc.Challenges, r, service.ActorOf(u), id, version, r.PostForm)
		if err == nil {
			http.Redirect(rw, r, fmt.Sprintf("/challenges/%d?ok=%s", id, def.ok), http.StatusSeeOther)
			return
		}
		w.challengeFailed(rw, r, u, id, &challengeDetailPage{Form: def.action, Typed: r.PostForm, Errors: map[string]string{}}, err)
	}
}

func (w *Web) challengeFailed(rw http.ResponseWriter, r *http.Request, u *domain.User, id int64, dp *challengeDetailPage, err error) {
	var e *domain.Error
	if !asDomain(r.Context(), err, &e) || (e.Code != domain.EINVALID && e.Code != domain.ECONFLICT) {
		w.fail(rw, r, err)
		return
	}
	x, gerr := w.Svc.Challenges.Get(r.Context(), service.ActorOf(u), id)
	if gerr != nil {
		w.fail(rw, r, gerr)
		return
	}
	dp.Error = e.Message
	if e.Code == domain.ECONFLICT && dp.Form != "answer" && !strings.HasPrefix(dp.Form, "answer-") {
		dp.Form = ""
	}
	for field, msg := range formErrors(e) {
		dp.Errors[field] = msg
	}
	w.renderChallenge(rw, r, u, x, httpx.StatusOf(err), dp)
}

func (w *Web) challengeDelete(rw http.ResponseWriter, r *http.Request) {
	u, id, version, ok := w.actionTarget(rw, r)
	if !ok {
		return
	}
	if err := w.Svc.Challenges.Delete(r.Context(), service.ActorOf(u), id, version); err != nil {
		w.challengeFailed(rw, r, u, id, &challengeDetailPage{Form: "delete", Errors: map[string]string{}}, err)
		return
	}
	http.Redirect(rw, r, "/challenges?ok=challenge_deleted", http.StatusSeeOther)
}

// challengeAnswer hands in the viewer's organisation's answer.
func (w *Web) challengeAnswer(rw http.ResponseWriter, r *http.Request) {
	u := w.requireUser(rw, r)
	if u == nil {
		return
	}
	if err := parseForm(rw, r, 128<<10); err != nil {
		w.fail(rw, r, err)
		return
	}
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		w.notFound(rw, r)
		return
	}
	f := r.PostForm
	var v domain.Validator
	in := &domain.ChallengeAnswer{Team: f.Get("team"), Approach: f.Get("approach"), Milestones: f.Get("milestones")}
	in.PriceFen = yuanField(&v, f, "price_yuan", "price_fen", "报价应为金额（元），如 2500000")
	err = v.Err()
	if err == nil {
		_, err = w.Svc.Challenges.Answer(r.Context(), service.ActorOf(u), id, in)
	}
	if err == nil {
		http.Redirect(rw, r, fmt.Sprintf("/challenges/%d?ok=challenge_answered", id), http.StatusSeeOther)
		return
	}
	w.challengeFailed(rw, r, u, id, &challengeDetailPage{Form: "answer", Typed: f, Errors: map[string]string{}}, err)
}

// answerStepDef is one answer step's form.
type answerStepDef struct {
	action, ok string
	do         func(s *service.Challenges, r *http.Request, a *domain.Actor, id, v int64, f url.Values) error
}

var answerSteps = []answerStepDef{
	{"withdraw", "challenge_answer_withdrawn", func(s *service.Challenges, r *http.Request, a *domain.Actor, id, v int64, f url.Values) error {
		_, err := s.WithdrawAnswer(r.Context(), a, id, v, f.Get("comment"))
		return err
	}},
	{"evaluate", "challenge_evaluating", func(s *service.Challenges, r *http.Request, a *domain.Actor, id, v int64, _ url.Values) error {
		_, err := s.Evaluate(r.Context(), a, id, v)
		return err
	}},
	{"defence", "challenge_defence", func(s *service.Challenges, r *http.Request, a *domain.Actor, id, v int64, f url.Values) error {
		_, err := s.RecordDefence(r.Context(), a, id, v, strings.TrimSpace(f.Get("defence_on")), f.Get("comment"))
		return err
	}},
}

func (w *Web) challengeAnswerStep(action string) http.HandlerFunc {
	var def answerStepDef
	for _, d := range answerSteps {
		if d.action == action {
			def = d
		}
	}
	if def.do == nil {
		panic("web: no answer step " + action)
	}
	return func(rw http.ResponseWriter, r *http.Request) {
		u, id, version, ok := w.actionTarget(rw, r)
		if !ok {
			return
		}
		aid, err := strconv.ParseInt(r.PathValue("aid"), 10, 64)
		if err != nil || aid <= 0 {
			w.notFound(rw, r)
			return
		}
		a := service.ActorOf(u)
		an, err := w.Svc.Challenges.GetAnswer(r.Context(), a, aid)
		if err == nil && an.ChallengeID != id {
			err = domain.Errorf(domain.ENOTFOUND, "揭榜方案不存在")
		}
		if err == nil {
			err = def.do(w.Svc.Challenges, r, a, aid, version, r.PostForm)
		}
		if err == nil {
			http.Redirect(rw, r, fmt.Sprintf("/challenges/%d?ok=%s", id, def.ok), http.StatusSeeOther)
			return
		}
		w.challengeFailed(rw, r, u, id, &challengeDetailPage{Form: fmt.Sprintf("answer-%s-%d", def.action, aid), Typed: r.PostForm,
			Errors: map[string]string{}}, err)
	}
}

// challengeAnswersPage is the viewer's organisation's answers.
type challengeAnswersPage struct {
	Rows []*domain.ChallengeAnswer
}

func (w *Web) challengeMyAnswers(rw http.ResponseWriter, r *http.Request) {
	u := w.requireUser(rw, r)
	if u == nil {
		return
	}
	rows, err := w.Svc.Challenges.MyAnswers(r.Context(), service.ActorOf(u))
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	w.render(rw, r, http.StatusOK, "challenge/answers", w.newView(r, "我的揭榜方案", "challenges", &challengeAnswersPage{Rows: rows}))
}

// challengeIndicatorRows is how many indicator rows the form offers.
const challengeIndicatorRows = 5

// challengeFormPage is the 建榜 form (new and edit).
type challengeFormPage struct {
	Action      string
	ID, Version int64
	X           *domain.Challenge
	// As typed: the amounts and the need.
	Budget, GovShare, NeedID string
	Indicators               []domain.ChallengeIndicator
	Chains                   []domain.Chain
	Rules                    domain.ChallengeRules
	Errors                   map[string]string
	Error                    string
	Today                    string
}

func (w *Web) newChallengeForm(r *http.Request, x *domain.Challenge) *challengeFormPage {
	f := &challengeFormPage{X: x, Errors: map[string]string{}, Today: w.Svc.Today()}
	f.Chains, _ = w.chainNames(r)
	f.Rules, _ = w.Svc.Challenges.Rules(r.Context())
	if x.BudgetFen > 0 {
		f.Budget = domain.FormatYuanPlain(x.BudgetFen)
	}
	if x.GovShareFen > 0 {
		f.GovShare = domain.FormatYuanPlain(x.GovShareFen)
	}
	if x.NeedID > 0 {
		f.NeedID = strconv.FormatInt(x.NeedID, 10)
	}
	f.Indicators = append([]domain.ChallengeIndicator(nil), x.Indicators...)
	for len(f.Indicators) < challengeIndicatorRows {
		f.Indicators = append(f.Indicators, domain.ChallengeIndicator{})
	}
	return f
}

func (w *Web) challengeNew(rw http.ResponseWriter, r *http.Request) {
	u := w.requireUser(rw, r)
	if u == nil {
		return
	}
	if !domain.Challenges.CanCreate(service.ActorOf(u)) {
		w.fail(rw, r, domain.Errorf(domain.EFORBIDDEN, "无权建榜"))
		return
	}
	x := &domain.Challenge{}
	if n, err := strconv.ParseInt(r.URL.Query().Get("need_id"), 10, 64); err == nil && n > 0 {
		x.NeedID = n
	}
	f := w.newChallengeForm(r, x)
	f.Action = "/challenges/new"
	w.render(rw, r, http.StatusOK, "challenge/form", w.newView(r, "建榜", "challenges", f))
}

func (w *Web) challengeEdit(rw http.ResponseWriter, r *http.Request) {
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
	x, err := w.Svc.Challenges.Get(r.Context(), a, id)
	if err == nil {
		err = domain.ChallengeFlow.Check("update", a, x)
	}
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	f := w.newChallengeForm(r, x)
	f.Action, f.ID, f.Version = fmt.Sprintf("/challenges/%d/edit", id), id, x.Version
	w.render(rw, r, http.StatusOK, "challenge/form", w.newView(r, "修改榜单", "challenges", f))
}

// parseChallengeForm reads the form into a challenge; what cannot be read
// (an amount, the need's number) is a field error.
func parseChallengeForm(form url.Values) (*domain.Challenge, *challengeFormPage, error) {
	x := &domain.Challenge{Title: form.Get("title"), Problem: form.Get("problem"), Eligibility: form.Get("eligibility"),
		Deadline: strings.TrimSpace(form.Get("deadline")), ChainCode: form.Get("chain_code")}
	f := &challengeFormPage{X: x, Budget: strings.TrimSpace(form.Get("budget_yuan")), GovShare: strings.TrimSpace(form.Get("gov_share_yuan")),
		NeedID: strings.TrimSpace(form.Get("need_id"))}
	var v domain.Validator
	x.BudgetFen = yuanField(&v, form, "budget_yuan", "budget_fen", "榜额应为金额（元），如 3000000")
	x.GovShareFen = yuanField(&v, form, "gov_share_yuan", "gov_share_fen", "政府出资应为金额（元），如 1000000；无政府出资请留空")
	if f.NeedID != "" {
		n, err := strconv.ParseInt(f.NeedID, 10, 64)
		v.Check(err == nil && n > 0, "need_id", "来源需求编号应为正整数")
		x.NeedID = n
	}
	for i := 0; i < challengeIndicatorRows; i++ {
		in := domain.ChallengeIndicator{Indicator: strings.TrimSpace(form.Get(fmt.Sprintf("indicator_%d", i))),
			Target: strings.TrimSpace(form.Get(fmt.Sprintf("target_%d", i))), Unit: strings.TrimSpace(form.Get(fmt.Sprintf("unit_%d", i))),
			Method: strings.TrimSpace(form.Get(fmt.Sprintf("method_%d", i)))}
		f.Indicators = append(f.Indicators, in)
		if in.Indicator != "" || in.Target != "" || in.Unit != "" || in.Method != "" {
			x.Indicators = append(x.Indicators, in)
		}
	}
	return x, f, v.Err()
}

func (w *Web) challengeCreate(rw http.ResponseWriter, r *http.Request) { w.challengeSave(rw, r, 0) }

func (w *Web) challengeUpdate(rw http.ResponseWriter, r *http.Request) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		w.notFound(rw, r)
		return
	}
	w.challengeSave(rw, r, id)
}

// challengeSave creates (id 0) or updates a 榜单 from the form; on a user
// error the form again with each message at its field.
func (w *Web) challengeSave(rw http.ResponseWriter, r *http.Request, id int64) {
	u := w.requireUser(rw, r)
	if u == nil {
		return
	}
	if err := parseForm(rw, r, 128<<10); err != nil {
		w.fail(rw, r, err)
		return
	}
	a := service.ActorOf(u)
	in, typed, err := parseChallengeForm(r.PostForm)
	version, _ := strconv.ParseInt(r.PostForm.Get("version"), 10, 64)
	if err == nil {
		var x *domain.Challenge
		if id == 0 {
			x, err = w.Svc.Challenges.Create(r.Context(), a, in)
		} else {
			if version <= 0 {
				w.fail(rw, r, domain.Errorf(domain.EINVALID, "表单缺少版本号，请刷新页面后重试"))
				return
			}
			x, err = w.Svc.Challenges.Update(r.Context(), a, id, version, in)
		}
		if err == nil {
			ok := "challenge_updated"
			if id == 0 {
				ok = "challenge_created"
			}
			http.Redirect(rw, r, fmt.Sprintf("/challenges/%d?ok=%s", x.ID, ok), http.StatusSeeOther)
			return
		}
	}
	var e *domain.Error
	if !asDomain(r.Context(), err, &e) || (e.Code != domain.EINVALID && e.Code != domain.ECONFLICT) {
		w.fail(rw, r, err)
		return
	}
	f := w.newChallengeForm(r, in)
	f.Budget, f.GovShare, f.NeedID, f.Indicators = typed.Budget, typed.GovShare, typed.NeedID, typed.Indicators
	f.Errors, f.Error = formErrors(e), e.Message
	f.Action, f.ID, f.Version = "/challenges/new", id, version
	title := "建榜"
	if id != 0 {
		f.Action, title = fmt.Sprintf("/challenges/%d/edit", id), "修改榜单"
	}
	w.render(rw, r, httpx.StatusOf(err), "challenge/form", w.newView(r, title, "challenges", f))
}
