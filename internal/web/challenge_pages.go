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

// challengeListPage is the board (the public's) or the viewer's wider list.
type challengeListPage struct {
	listState
	chainLabels
	Rows      []*domain.Challenge
	Chains    []domain.Chain
	Statuses  []domain.ChallengeStatus
	Years     []int
	Wide      bool // the viewer sees more than the board
	CanCreate bool
	Mine      bool // the viewer's organisation may answer: link to its answers
}

func (w *Web) challengeList(rw http.ResponseWriter, r *http.Request) {
	a := service.ActorOf(httpx.UserFrom(r.Context()))
	lp := &challengeListPage{listState: listState{Q: r.URL.Query()}, Statuses: domain.ChallengePublicStatuses,
		Wide: a != nil && (domain.Challenges.ListScope(a).All || domain.Challenges.CanCreate(a)), CanCreate: domain.Challenges.CanCreate(a),
		Mine: a.Is(domain.RoleTTO, domain.RoleEnterprise)}
	if lp.Wide {
		lp.Statuses = domain.ChallengeStatuses.Codes()
	}
	for y := domain.ChinaYear(w.Svc.Now()); y >= 2021; y-- {
		lp.Years = append(lp.Years, y)
	}
	lp.Chains, lp.chainName = w.chainNames(r)
	rows, status, ok := listRows(w, rw, r, a, &lp.listState, httpx.ChallengeFilterOf,
		func(f *domain.ChallengeFilter, p httpx.Page) { f.Page, f.PerPage = p.Page, p.PerPage }, w.Svc.Challenges.List)
	if !ok {
		return
	}
	lp.Rows = rows
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
	actionForm
	chainLabels
	X         *domain.Challenge
	Events    []*domain.Event
	Actions   map[string]bool
	Answers   []*challengeAnswerRow
	SeesAll   bool // the owner and the bureau: every answer
	CanAnswer bool
	Today     string
	// EndForms are the forms after the project's (fail, exit, delete).
	EndForms []stepForm
}

func (w *Web) challengeDetail(rw http.ResponseWriter, r *http.Request) {
	id, ok := w.pageID(rw, r)
	if !ok {
		return
	}
	u := httpx.UserFrom(r.Context())
	x, err := w.Svc.Challenges.Get(r.Context(), service.ActorOf(u), id)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	w.renderChallenge(rw, r, u, x, http.StatusOK, actionForm{Errors: map[string]string{}})
}

// challengeButtons are the 榜单's steps whose form is a button (with a
// comment where Label is set), before the project's forms;
// challengeEndButtons those after them.
var (
	challengeButtons = []stepButton{
		{Action: "submit", Button: "提交定榜", Class: "btn-primary"},
		{Action: "confirm", Label: "定榜意见（可选）", Button: "定榜", Class: "btn-primary"},
		{Action: "return", Label: "退回修改理由", Button: "退回修改", Required: true},
		{Action: "publish", Label: "发榜说明（可选）", Button: "发榜", Class: "btn-primary"},
		{Action: "withdraw", Label: "撤榜理由", Button: "撤榜", Class: "btn-danger", Required: true, Confirm: "撤榜后榜单不再发布。确定撤榜吗？"},
		{Action: "close_answers", Label: "说明（可选）", Button: "截止揭榜，开始评审", Class: "btn-primary"},
		{Action: "start", Button: "启动攻关项目", Class: "btn-primary"},
	}
	challengeEndButtons = []stepButton{
		{Action: "fail", Label: "失败原因", Button: "认定攻关失败", Class: "btn-danger", Required: true, Confirm: "认定失败后项目结束。确定吗？"},
		{Action: "exit", Label: "退出理由", Button: "退出攻关项目", Class: "btn-danger", Required: true, Confirm: "退出后项目结束。确定退出吗？"},
		deleteButton,
	}
)

func (w *Web) renderChallenge(rw http.ResponseWriter, r *http.Request, u *domain.User, x *domain.Challenge, status int, af actionForm) {
	dp := &challengeDetailPage{actionForm: af}
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
	dp.Forms = dp.stepForms("/challenges", "challenge", x.ID, x.Version, challengeButtons, dp.Actions)
	dp.EndForms = dp.stepForms("/challenges", "challenge", x.ID, x.Version, challengeEndButtons, dp.Actions)
	_, dp.chainName = w.chainNames(r)
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

// challengeSteps are the 榜单's steps posted from their forms (the form's
// fields in f.Typed).
var challengeSteps = []stepDef[*service.Challenges]{
	{"submit", "challenge_submitted", func(s *service.Challenges, ctx context.Context, a *domain.Actor, id, v int64, _ actionForm) error {
		return errOnly(s.Submit(ctx, a, id, v))
	}},
	{"confirm", "challenge_confirmed", func(s *service.Challenges, ctx context.Context, a *domain.Actor, id, v int64, af actionForm) error {
		return errOnly(s.Confirm(ctx, a, id, v, af.Comment))
	}},
	{"return", "challenge_returned", func(s *service.Challenges, ctx context.Context, a *domain.Actor, id, v int64, af actionForm) error {
		return errOnly(s.Return(ctx, a, id, v, af.Comment))
	}},
	{"publish", "challenge_published", func(s *service.Challenges, ctx context.Context, a *domain.Actor, id, v int64, af actionForm) error {
		return errOnly(s.Publish(ctx, a, id, v, af.Comment))
	}},
	{"withdraw", "challenge_withdrawn", func(s *service.Challenges, ctx context.Context, a *domain.Actor, id, v int64, af actionForm) error {
		return errOnly(s.Withdraw(ctx, a, id, v, af.Comment))
	}},
	{"close_answers", "challenge_closed", func(s *service.Challenges, ctx context.Context, a *domain.Actor, id, v int64, af actionForm) error {
		return errOnly(s.CloseAnswers(ctx, a, id, v, af.Comment))
	}},
	{"select", "challenge_selected", func(s *service.Challenges, ctx context.Context, a *domain.Actor, id, v int64, af actionForm) error {
		f := af.Typed
		aid, err := strconv.ParseInt(f.Get("answer_id"), 10, 64)
		if err != nil || aid <= 0 {
			return domain.FieldErrorf("answer_id", "请选择入选的揭榜方案")
		}
		return errOnly(s.Select(ctx, a, id, v, aid, f.Get("comment")))
	}},
	{"contract", "challenge_contracted", func(s *service.Challenges, ctx context.Context, a *domain.Actor, id, v int64, af actionForm) error {
		f := af.Typed
		var val domain.Validator
		g := domain.ChallengeAgreement{Date: strings.TrimSpace(f.Get("agreement_date"))}
		g.AgreedFen = yuanField(&val, f, "agreed_yuan", "agreed_fen", "协议金额应为金额（元），如 2500000")
		if err := val.Err(); err != nil {
			return err
		}
		return errOnly(s.Contract(ctx, a, id, v, g))
	}},
	{"milestones", "challenge_milestone", func(s *service.Challenges, ctx context.Context, a *domain.Actor, id, v int64, af actionForm) error {
		f := af.Typed
		var val domain.Validator
		m := domain.ChallengeMilestone{Title: f.Get("title"), DueOn: strings.TrimSpace(f.Get("due_on")), Note: f.Get("note")}
		m.PaymentFen = yuanField(&val, f, "payment_yuan", "payment_fen", "付款金额应为金额（元），如 1000000")
		if err := val.Err(); err != nil {
			return err
		}
		return errOnly(s.AddMilestone(ctx, a, id, v, m))
	}},
	{"start", "challenge_started", func(s *service.Challenges, ctx context.Context, a *domain.Actor, id, v int64, _ actionForm) error {
		return errOnly(s.Start(ctx, a, id, v))
	}},
	{"complete_milestone", "challenge_completed", func(s *service.Challenges, ctx context.Context, a *domain.Actor, id, v int64, af actionForm) error {
		f := af.Typed
		mid, err := strconv.ParseInt(f.Get("milestone_id"), 10, 64)
		if err != nil || mid <= 0 {
			return domain.FieldErrorf("milestone_id", "请选择里程碑")
		}
		return errOnly(s.CompleteMilestone(ctx, a, id, v, mid, f.Get("comment")))
	}},
	{"accept", "challenge_accepted", func(s *service.Challenges, ctx context.Context, a *domain.Actor, id, v int64, af actionForm) error {
		f := af.Typed
		var val domain.Validator
		in := domain.ChallengeAcceptance{Passed: f.Get("passed") == "1", Report: f.Get("report")}
		val.Check(f.Get("passed") == "1" || f.Get("passed") == "0", "passed", "请选择验收结论")
		in.KeyTechSolved = int(intField(&val, f, "key_tech_solved", "解决关键技术数应为不小于0的整数"))
		in.KeyTechIntl = int(intField(&val, f, "key_tech_intl", "达到国际水平的关键技术数应为不小于0的整数"))
		if err := val.Err(); err != nil {
			return err
		}
		return errOnly(s.Accept(ctx, a, id, v, in))
	}},
	{"fail", "challenge_failed", func(s *service.Challenges, ctx context.Context, a *domain.Actor, id, v int64, af actionForm) error {
		return errOnly(s.Fail(ctx, a, id, v, af.Comment))
	}},
	{"exit", "challenge_exited", func(s *service.Challenges, ctx context.Context, a *domain.Actor, id, v int64, af actionForm) error {
		return errOnly(s.Exit(ctx, a, id, v, af.Comment))
	}},
}

// challengeStep runs one workflow step from its form: back to the page
// with a message, or the page again with the error at the form.
func (w *Web) challengeStep(action string) http.HandlerFunc {
	return stepHandler(w, "/challenges", w.Svc.Challenges, challengeSteps, action, w.challengeFailed)
}

// challengeFailed shows the page again after a step's user error: a
// conflict on an answer's form stays at that form.
func (w *Web) challengeFailed(rw http.ResponseWriter, r *http.Request, u *domain.User, id int64, af actionForm, err error) {
	form := af.Form
	w.stepFailed(rw, r, &af, err, func(status int) {
		x, err := w.Svc.Challenges.Get(r.Context(), service.ActorOf(u), id)
		if err != nil {
			w.fail(rw, r, err)
			return
		}
		if form == "answer" || strings.HasPrefix(form, "answer-") {
			af.Form = form
		}
		w.renderChallenge(rw, r, u, x, status, af)
	})
}

func (w *Web) challengeDelete(rw http.ResponseWriter, r *http.Request) {
	w.deleteDraft(rw, r, "/challenges", "challenge", w.Svc.Challenges.Delete, w.challengeFailed)
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
	id, ok := w.pageID(rw, r)
	if !ok {
		return
	}
	f := r.PostForm
	var v domain.Validator
	in := &domain.ChallengeAnswer{Team: f.Get("team"), Approach: f.Get("approach"), Milestones: f.Get("milestones")}
	in.PriceFen = yuanField(&v, f, "price_yuan", "price_fen", "报价应为金额（元），如 2500000")
	err := v.Err()
	if err == nil {
		_, err = w.Svc.Challenges.Answer(r.Context(), service.ActorOf(u), id, in)
	}
	if err == nil {
		http.Redirect(rw, r, fmt.Sprintf("/challenges/%d?ok=challenge_answered", id), http.StatusSeeOther)
		return
	}
	w.challengeFailed(rw, r, u, id, actionForm{Form: "answer", Typed: f, Errors: map[string]string{}}, err)
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
		w.challengeFailed(rw, r, u, id, actionForm{Form: fmt.Sprintf("answer-%s-%d", def.action, aid), Typed: r.PostForm,
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
	formState
	X *domain.Challenge
	// As typed: the amounts and the need.
	Budget, GovShare, NeedID string
	Indicators               []domain.ChallengeIndicator
	Chains                   []domain.Chain
	Rules                    domain.ChallengeRules
	Today                    string
}

func (w *Web) newChallengeForm(r *http.Request, x *domain.Challenge) *challengeFormPage {
	f := &challengeFormPage{X: x, formState: formState{Errors: map[string]string{}}, Today: w.Svc.Today()}
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
	editPage(w, rw, r, w.challengeForm(), w.Svc.Challenges.Get, domain.ChallengeFlow, func(x *domain.Challenge) int64 { return x.Version }, w.newChallengeForm)
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

func (w *Web) challengeCreate(rw http.ResponseWriter, r *http.Request) {
	saveForm(w, rw, r, 0, w.challengeForm())
}

func (w *Web) challengeUpdate(rw http.ResponseWriter, r *http.Request) {
	if id, ok := w.pageID(rw, r); ok {
		saveForm(w, rw, r, id, w.challengeForm())
	}
}

// challengeForm is the 建榜 form for saveForm.
func (w *Web) challengeForm() *recordForm[*domain.Challenge, *challengeFormPage] {
	return &recordForm[*domain.Challenge, *challengeFormPage]{
		base: "/challenges", module: "challenge", template: "challenge/form", nav: "challenges",
		newTitle: "建榜", editTitle: "修改榜单", maxBytes: 128 << 10, parse: parseChallengeForm,
		again: func(r *http.Request, in *domain.Challenge, typed *challengeFormPage) *challengeFormPage {
			f := w.newChallengeForm(r, in)
			f.Budget, f.GovShare, f.NeedID, f.Indicators = typed.Budget, typed.GovShare, typed.NeedID, typed.Indicators
			return f
		},
		create: w.Svc.Challenges.Create, update: w.Svc.Challenges.Update,
		id: func(x *domain.Challenge) int64 { return x.ID },
	}
}
