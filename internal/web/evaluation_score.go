package web

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"kechuang/internal/domain"
	"kechuang/internal/evaluate"
	"kechuang/internal/httpx"
	"kechuang/internal/i18n"
	"kechuang/internal/service"
)

// The expert's pages: the scoring queue and the scoring form (one field
// per second-level item with its guide range and text, a comment per
// first-level indicator, each expert's own form only).

type evaluationQueuePage struct{ Items []service.QueueItem }

func (w *Web) evaluationQueue(rw http.ResponseWriter, r *http.Request) {
	u := w.requireUser(rw, r)
	if u == nil {
		return
	}
	items, err := w.Svc.Evaluations.QueueRows(r.Context(), service.ActorOf(u))
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	w.render(rw, r, http.StatusOK, "evaluation/queue", w.newView(r, "评分队列", "evaluation-queue", &evaluationQueuePage{Items: items}))
}

type scoreItem struct {
	evaluate.Item
	Value, Error string
}

type scoreGroup struct {
	evaluate.Indicator
	Weight  int
	Items   []scoreItem
	Comment string
	Error   string
}

type evaluationScorePage struct {
	Row      *service.EvaluationRow
	Set      *evaluate.Set
	Groups   []scoreGroup
	Opinion  string
	HandedIn bool
	CanScore bool
	Error    string
}

func (w *Web) evaluationScoreForm(rw http.ResponseWriter, r *http.Request) {
	u := w.requireUser(rw, r)
	if u == nil {
		return
	}
	id, ok := evaluationPathID(rw, r, w)
	if !ok {
		return
	}
	a := service.ActorOf(u)
	f, err := w.Svc.Evaluations.MyForm(r.Context(), a, id)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	values := map[string]string{}
	comments := map[string]string{}
	opinion := ""
	if f != nil {
		for k, v := range f.Scores {
			values[k] = evaluate.FormatTenths(v)
		}
		comments, opinion = f.Comments, f.Opinion
	}
	w.renderScore(rw, r, a, id, http.StatusOK, values, comments, opinion, f != nil, nil)
}

func (w *Web) renderScore(rw http.ResponseWriter, r *http.Request, a *domain.Actor, id int64, status int, values, comments map[string]string,
	opinion string, handedIn bool, errs *domain.Error) {
	row, err := w.Svc.Evaluations.Row(r.Context(), a, id)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	set, err := w.Svc.Evaluations.Set(row.E)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	rt, _ := set.ResultType(row.E.ResultType)
	byField := map[string]string{}
	sp := &evaluationScorePage{Row: row, Set: set, Opinion: opinion, HandedIn: handedIn, CanScore: domain.Evaluations.CanScore(a, row.E)}
	if errs != nil {
		sp.Error = errs.Message
		for _, fe := range errs.Fields {
			if _, seen := byField[fe.Field]; !seen {
				byField[fe.Field] = fe.Message
			}
		}
	}
	for _, in := range set.Indicators {
		if rt.Weights[in.Code] == 0 {
			continue
		}
		g := scoreGroup{Indicator: in, Weight: rt.Weights[in.Code], Comment: comments[in.Code], Error: byField["comments."+in.Code]}
		for _, it := range rt.Items {
			if it.Indicator == in.Code {
				g.Items = append(g.Items, scoreItem{Item: it, Value: values[it.Code], Error: byField["scores."+it.Code]})
			}
		}
		sp.Groups = append(sp.Groups, g)
	}
	w.render(rw, r, status, "evaluation/score", w.newView(r, "评分表", "evaluation-queue", sp))
}

// parseTenths reads points with at most one decimal ("87", "87.5") as
// tenths.
func parseTenths(s string) (int64, bool) {
	s = strings.TrimSpace(s)
	whole, frac, dot := strings.Cut(s, ".")
	if whole == "" || len(whole) > 4 || !domain.AllDigits(whole) || (dot && (len(frac) != 1 || !domain.AllDigits(frac))) {
		return 0, false
	}
	n, _ := strconv.ParseInt(whole, 10, 64)
	n *= 10
	if dot {
		n += int64(frac[0] - '0')
	}
	return n, true
}

func (w *Web) evaluationScore(rw http.ResponseWriter, r *http.Request) {
	u := w.requireUser(rw, r)
	if u == nil {
		return
	}
	if err := parseForm(rw, r, 128<<10); err != nil {
		w.fail(rw, r, err)
		return
	}
	id, ok := evaluationPathID(rw, r, w)
	if !ok {
		return
	}
	a := service.ActorOf(u)
	e, err := w.Svc.Evaluations.Get(r.Context(), a, id)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	set, err := w.Svc.Evaluations.Set(e)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	rt, _ := set.ResultType(e.ResultType)
	f := evaluate.Form{Scores: map[string]int64{}, Comments: map[string]string{}, Opinion: strings.TrimSpace(r.PostForm.Get("opinion"))}
	values, comments := map[string]string{}, map[string]string{}
	var v domain.Validator
	for _, it := range rt.Items {
		s := strings.TrimSpace(r.PostForm.Get("score_" + it.Code))
		values[it.Code] = s
		if s == "" {
			v.Add("scores."+it.Code, "请为“%s”评分", domain.Msg(it.Name))
			continue
		}
		n, ok := parseTenths(s)
		v.Check(ok, "scores."+it.Code, "“%s”的评分应为 %d–%d 之间的分数（可精确到 0.1 分）", domain.Msg(it.Name), it.Min, it.Max)
		if ok {
			f.Scores[it.Code] = n
		}
	}
	for _, in := range set.Indicators {
		if c := strings.TrimSpace(r.PostForm.Get("comment_" + in.Code)); c != "" {
			f.Comments[in.Code], comments[in.Code] = c, c
		}
	}
	err = v.Err()
	if err == nil {
		_, err = w.Svc.Evaluations.Score(r.Context(), a, id, f)
	}
	if err == nil {
		http.Redirect(rw, r, fmt.Sprintf("/evaluations/%d/score?ok=evaluation_scored", id), http.StatusSeeOther)
		return
	}
	var de *domain.Error
	if !asDomain(r.Context(), err, &de) || (de.Code != domain.EINVALID && de.Code != domain.ECONFLICT) {
		w.fail(rw, r, err)
		return
	}
	w.renderScore(rw, r, a, id, httpx.StatusOf(err), values, comments, f.Opinion, false, de)
}

// The expert pool page (the bureau's).

type evaluationExpertsPage struct {
	Experts  []evaluate.Expert
	Accounts []*domain.User
	Kinds    []domain.Item[evaluate.ExpertKind]
	Orgs     []*domain.Org
	orgName  map[int64]string
	Error    string
	Typed    map[string]string
}

// Org names an organisation of a declaration.
func (p *evaluationExpertsPage) Org(id int64) string {
	if n := p.orgName[id]; n != "" {
		return n
	}
	return "#" + strconv.FormatInt(id, 10)
}

// InPool reports whether the account is in the pool.
func (p *evaluationExpertsPage) InPool(id int64) bool {
	for _, x := range p.Experts {
		if x.ID == id {
			return true
		}
	}
	return false
}

func (w *Web) evaluationExperts(rw http.ResponseWriter, r *http.Request) {
	w.renderExperts(rw, r, http.StatusOK, "", nil)
}

func (w *Web) renderExperts(rw http.ResponseWriter, r *http.Request, status int, msg string, typed map[string]string) {
	u := w.requireUser(rw, r)
	if u == nil {
		return
	}
	a := service.ActorOf(u)
	ep := &evaluationExpertsPage{Kinds: evaluate.ExpertKinds.All(), orgName: map[int64]string{}, Error: msg, Typed: typed}
	var err error
	if ep.Experts, err = w.Svc.Evaluations.Experts(r.Context(), a); err != nil {
		w.fail(rw, r, err)
		return
	}
	if ep.Accounts, err = w.Svc.Evaluations.ExpertAccounts(r.Context(), a); err != nil {
		w.fail(rw, r, err)
		return
	}
	if ep.Orgs, _, err = w.Svc.Admin.Orgs(r.Context(), a, domain.OrgFilter{Status: domain.StatusActive, Limit: 2000}); err != nil {
		w.fail(rw, r, err)
		return
	}
	for _, o := range ep.Orgs {
		ep.orgName[o.ID] = o.Name
	}
	if ep.Typed == nil {
		ep.Typed = map[string]string{}
	}
	w.render(rw, r, status, "evaluation/experts", w.newView(r, "评价专家库", "evaluations", ep))
}

func (w *Web) evaluationPutExpert(rw http.ResponseWriter, r *http.Request) {
	u := w.requireUser(rw, r)
	if u == nil {
		return
	}
	if err := parseForm(rw, r, 32<<10); err != nil {
		w.fail(rw, r, err)
		return
	}
	typed := map[string]string{}
	for _, k := range []string{"user", "kind", "fields", "declared_org", "relation"} {
		typed[k] = r.PostForm.Get(k)
	}
	uid, _ := strconv.ParseInt(typed["user"], 10, 64)
	x := evaluate.Expert{ID: uid, Kind: evaluate.ExpertKind(typed["kind"])}
	for _, f := range listSep.Split(typed["fields"], -1) {
		if f = strings.TrimSpace(f); f != "" {
			x.Fields = append(x.Fields, f)
		}
	}
	if org, _ := strconv.ParseInt(typed["declared_org"], 10, 64); org > 0 {
		x.Declared = []evaluate.Declaration{{OrgID: org, Relation: strings.TrimSpace(typed["relation"])}}
	}
	if e := w.Svc.Evaluations.PutExpert(r.Context(), service.ActorOf(u), x); e != nil {
		var de *domain.Error
		if !asDomain(r.Context(), e, &de) || (de.Code != domain.EINVALID && de.Code != domain.ENOTFOUND) {
			w.fail(rw, r, e)
			return
		}
		w.renderExperts(rw, r, http.StatusUnprocessableEntity, i18n.Message(i18n.FromContext(r.Context()), e), typed)
		return
	}
	http.Redirect(rw, r, "/evaluations/experts?ok=evaluation_expert_saved", http.StatusSeeOther)
}
