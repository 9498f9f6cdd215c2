package web

import (
	"context"
	"fmt"
	"html/template"
	"net/http"
	"strconv"

	"kechuang/internal/domain"
	"kechuang/internal/httpx"
	"kechuang/internal/i18n"
	"kechuang/internal/service"
)

// matchModule is the matching pages (精准对接): the 匹配推荐 page of a
// need, an achievement and a challenge (each suggestion with its reasons
// and the accept/decline forms), and the bureau's feedback report. Who
// sees what is domain.Matches.
func matchModule() Module {
	return Module{
		Name:   "match",
		Pages:  []string{"match/matches", "match/report"},
		Routes: matchRoutes,
		Nav: []NavItem{
			{ID: "nav-match-report", Label: "匹配反馈", Path: "/matches/report", Active: "matches", Show: domain.Matches.CanSeeReport,
				Icon: `<path d="M4 6h5M11 14h5M9 6a2 2 0 1 0 4 0 2 2 0 1 0-4 0M7 14a2 2 0 1 0 4 0 2 2 0 1 0-4 0" stroke="currentColor" stroke-width="1.6" fill="none" stroke-linecap="round"/>`},
		},
		Funcs: matchFuncs,
		Flash: map[string]string{
			"match_accepted": "已接受该推荐。", "match_intention": "已接受该成果，形成合作意向，并已通知成果单位。",
			"match_declined": "已记录不采纳及理由，该推荐在之后的排序中降权。",
		},
	}
}

func matchRoutes(w *Web, mux *http.ServeMux) {
	mux.HandleFunc("GET /needs/{id}/matches", w.matchPage(domain.MatchForNeed))
	mux.HandleFunc("GET /achievements/{id}/matches", w.matchPage(domain.MatchForAchievement))
	mux.HandleFunc("GET /challenges/{id}/matches", w.matchPage(domain.MatchForChallenge))
	mux.HandleFunc("POST /matches/feedback", w.matchFeedback)
	mux.HandleFunc("GET /matches/report", w.matchReport)
}

// matchBases are each surface's pages.
var matchBases = map[domain.MatchSurface]string{
	domain.MatchForNeed: "/needs", domain.MatchForAchievement: "/achievements", domain.MatchForChallenge: "/challenges",
}

func matchFuncs(l i18n.Lang) template.FuncMap {
	tr := func(s string) string { return i18n.T(l, s) }
	return template.FuncMap{
		"match_kind":     func(k domain.MatchItemKind) string { return tr(domain.MatchItemKinds.Label(k)) },
		"match_decision": func(d domain.MatchDecision) string { return tr(domain.MatchDecisions.Label(d)) },
		"match_reason":   func(c string) string { return tr(domain.MatchDeclineReasons.Label(c)) },
		// "match|关键词": the field is Keywords, where elsewhere 关键词 is a search box's Search.
		"match_field":   func(f string) string { return i18n.TC(l, "match", matchFieldLabel(f)) },
		"match_score":   func(v float64) string { return strconv.FormatFloat(v, 'f', 2, 64) },
		"match_percent": func(v float64) string { return strconv.FormatFloat(100*v, 'f', 1, 64) + "%" },
		"match_text":    func(t domain.Text) string { return i18n.Text(l, t) },
		"match_inc":     func(i int) int { return i + 1 },
		"match_total":   func(r *domain.MatchReport) int64 { return r.Accepted + r.Declined },
		// The detail pages' 匹配推荐 buttons, shown by the policy.
		"match_forNeed": func(u *domain.User, x *domain.Need) bool { return domain.Matches.CanSeeForNeed(service.ActorOf(u), x) },
		"match_forAchievement": func(u *domain.User, x *domain.Achievement) bool {
			return domain.Matches.CanSeeForAchievement(service.ActorOf(u), x)
		},
		"match_forChallenge": func(u *domain.User, x *domain.Challenge) bool {
			return domain.Matches.CanSeeForChallenge(service.ActorOf(u), x)
		},
	}
}

// matchFieldLabel names where a reason was found.
func matchFieldLabel(f string) string {
	switch f {
	case "title":
		return "名称"
	case "keywords":
		return "关键词"
	case "abstract":
		return "正文"
	case "chain":
		return "产业链"
	case "stage":
		return "成熟阶段"
	case "district":
		return "同一区县"
	case "locality":
		return "本市单位"
	case "discipline":
		return "学科"
	case "maturity":
		return "成熟度"
	case "recency":
		return "发布时间"
	case "availability":
		return "可转化（未独占转让）"
	case "words":
		return "用词相似"
	case "fields":
		return "研究领域"
	case "achievement":
		return "经由成果"
	case "need":
		return "经由需求"
	case "feedback":
		return "已不采纳"
	}
	return f
}

// matchPageData is a 匹配推荐 page.
type matchPageData struct {
	R       *domain.MatchResult
	Base    string // the record's page
	Reasons []domain.Item[string]
	// Error is a failed feedback's message, shown at the suggestion Failed
	// ("kind:id").
	Error, Failed string
	chainLabels
}

// Key is a suggestion's key in Failed.
func (matchPageData) Key(k domain.MatchItemKind, id int64) string { return fmt.Sprintf("%s:%d", k, id) }

func (w *Web) matchOf(s domain.MatchSurface) func(context.Context, *domain.Actor, int64) (*domain.MatchResult, error) {
	switch s {
	case domain.MatchForAchievement:
		return w.Svc.Match.ForAchievement
	case domain.MatchForChallenge:
		return w.Svc.Match.ForChallenge
	}
	return w.Svc.Match.ForNeed
}

func (w *Web) matchPage(s domain.MatchSurface) http.HandlerFunc {
	return func(rw http.ResponseWriter, r *http.Request) {
		id, ok := w.pageID(rw, r)
		if !ok {
			return
		}
		if w.requireUser(rw, r) == nil {
			return
		}
		w.renderMatches(rw, r, s, id, http.StatusOK, &matchPageData{})
	}
}

func (w *Web) renderMatches(rw http.ResponseWriter, r *http.Request, s domain.MatchSurface, id int64, status int, d *matchPageData) {
	res, err := w.matchOf(s)(r.Context(), service.ActorOf(httpx.UserFrom(r.Context())), id)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	d.R, d.Base, d.Reasons = res, fmt.Sprintf("%s/%d", matchBases[s], id), domain.MatchDeclineReasons.All()
	_, d.chainName = w.chainNames(r)
	w.render(rw, r, status, "match/matches", w.newView(r, "匹配推荐", matchActive[s], d))
}

// matchActive highlights the record's module in the sidebar.
var matchActive = map[domain.MatchSurface]string{
	domain.MatchForNeed: "needs", domain.MatchForAchievement: "achievements", domain.MatchForChallenge: "challenges",
}

// matchFeedback posts the decision on one suggestion and goes back to the
// page (the page again with the message on a user error).
func (w *Web) matchFeedback(rw http.ResponseWriter, r *http.Request) {
	u := w.requireUser(rw, r)
	if u == nil {
		return
	}
	if err := parseForm(rw, r, 64<<10); err != nil {
		w.fail(rw, r, err)
		return
	}
	f := r.PostForm
	num := func(k string) int64 { n, _ := strconv.ParseInt(f.Get(k), 10, 64); return n }
	in := &domain.MatchFeedback{Surface: domain.MatchSurface(f.Get("surface")), SubjectID: num("subject_id"),
		ItemKind: domain.MatchItemKind(f.Get("item_kind")), ItemID: num("item_id"), Decision: domain.MatchDecision(f.Get("decision")),
		Reason: f.Get("reason"), Note: f.Get("note")}
	base, ok := matchBases[in.Surface]
	if !ok || in.SubjectID <= 0 {
		w.fail(rw, r, domain.Errorf(domain.EINVALID, "表单缺少匹配对象，请刷新页面后重试"))
		return
	}
	out, err := w.Svc.Match.Feedback(r.Context(), service.ActorOf(u), in)
	if err != nil {
		var e *domain.Error
		if !asDomain(r.Context(), err, &e) || e.Code != domain.EINVALID {
			w.fail(rw, r, err)
			return
		}
		d := &matchPageData{Error: e.Message}
		d.Failed = d.Key(in.ItemKind, in.ItemID)
		w.renderMatches(rw, r, in.Surface, in.SubjectID, http.StatusUnprocessableEntity, d)
		return
	}
	ok2 := "match_declined"
	switch {
	case out.SignedOn != "":
		ok2 = "match_intention"
	case out.Decision == domain.MatchAccept:
		ok2 = "match_accepted"
	}
	http.Redirect(rw, r, fmt.Sprintf("%s/%d/matches?ok=%s#%s-%d", base, in.SubjectID, ok2, in.ItemKind, in.ItemID), http.StatusSeeOther)
}

// matchReport is the bureau's feedback report.
func (w *Web) matchReport(rw http.ResponseWriter, r *http.Request) {
	u := w.requireUser(rw, r)
	if u == nil {
		return
	}
	rep, err := w.Svc.Match.Report(r.Context(), service.ActorOf(u))
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	w.render(rw, r, http.StatusOK, "match/report", w.newView(r, "匹配反馈报告", "matches", rep))
}
