package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"kechuang/internal/domain"
	"kechuang/internal/httpx"
	"kechuang/internal/i18n"
	"kechuang/internal/service"
)

// contractRow is a contract in a list with its 30-day clock at today.
type contractRow struct {
	*domain.Contract
	DueOn    string
	DaysLeft int
	Overdue  bool
	// Waiting (submitted, the clock running) and Returned (the clock
	// restarts on resubmission) spare templates comparing statuses.
	Waiting, Returned bool
}

// pager is the pagination of a list page.
type pager struct {
	Page, PerPage, Total, Pages int
	Capped                      bool // Total is the list's count cap and there are more
	Query                       url.Values
}

// Prev and Next are the neighbouring pages' links ("" when none).
func (p pager) Prev() string {
	if p.Page <= 1 {
		return ""
	}
	return withQuery(p.Query, "page", itoa(p.Page-1))
}

func (p pager) Next() string {
	if p.Page >= p.Pages {
		return ""
	}
	return withQuery(p.Query, "page", itoa(p.Page+1))
}

// First and Last are shown as "第 First–Last 条".
func (p pager) First() int { return min((p.Page-1)*p.PerPage+1, p.Total) }
func (p pager) Last() int  { return min(p.Page*p.PerPage, p.Total) }

type contractListPage struct {
	Rows       []contractRow
	Pager      pager
	Q          url.Values
	Sort       string
	Statuses   []domain.ContractStatus
	Categories []domain.Category
	Fields     []domain.TechField
	Export     string                 // the filters for the export links
	Totals     *domain.ContractTotals // of the whole filtered list, shown above it
	Years      []int                  // the year selector's years: those with registrations, newest first
	Scope      string                 // which contracts the viewer sees, in words (message id)
	CanCreate  bool
	Reviewer   bool // an expert: the list is its assigned reviews
	CanImport  bool
	Error      string
}

var listStatuses = domain.ContractStatuses.Codes() // every status of the flow

// sortColumns are the list's sortable columns.
var sortColumns = map[string]bool{"id": true, "signed_on": true, "turnover_fen": true, "registered_on": true, "accepted_on": true, "due_on": true, "updated_at": true, "reg_no": true,
	"title": true, "seller": true, "buyer": true}

// contractListQuery parses the shared filter and pagination of a list page.
func contractListQuery(r *http.Request) (domain.ContractFilter, httpx.Page, error) {
	q := r.URL.Query()
	p, err := httpx.PageOf(r)
	if err != nil {
		return domain.ContractFilter{}, p, err
	}
	f, err := httpx.ContractFilterOf(q)
	if err != nil {
		return f, p, err
	}
	if k := f.Sort; k != "" {
		if k[0] == '-' {
			k = k[1:]
		}
		if !sortColumns[k] {
			return f, p, domain.FieldErrorf("sort", "不支持按“%s”排序", k)
		}
	}
	f.Offset, f.Limit = p.Offset(), p.PerPage
	return f, p, nil
}

func (w *Web) contractRows(cs []*domain.Contract) []contractRow {
	now := w.Svc.Now()
	out := make([]contractRow, len(cs))
	for i, c := range cs {
		out[i] = newContractRow(c, now)
	}
	return out
}

func newPager(p httpx.Page, total int, q url.Values) pager {
	return newCappedPager(p, total, domain.ListCountCap, q)
}

// newCappedPager is newPager for a list whose count stops at countCap
// (httpx.CountCap: a search's at domain.SearchCountCap).
func newCappedPager(p httpx.Page, total, countCap int, q url.Values) pager {
	capped := total > countCap
	total = min(total, countCap)
	pages := max(1, (total+p.PerPage-1)/p.PerPage)
	return pager{Page: p.Page, PerPage: p.PerPage, Total: total, Pages: pages, Capped: capped, Query: q}
}

// contractList serves /contracts: the user's scoped list with filters.
func (w *Web) contractList(rw http.ResponseWriter, r *http.Request) {
	u := w.requireUser(rw, r)
	if u == nil {
		return
	}
	lp := contractListPage{Q: r.URL.Query(), Statuses: listStatuses, Categories: domain.CategoriesAt(""), Fields: domain.TechFields.All(),
		CanCreate: canFile(u), CanImport: canImport(u), Reviewer: u != nil && u.Role == domain.RoleExpert}
	lp.Sort = lp.Q.Get("sort")
	f, p, err := contractListQuery(r)
	status := http.StatusOK
	if err != nil {
		if domain.ErrorCode(err) != domain.EINVALID {
			w.fail(rw, r, err)
			return
		}
		lp.Error, status = i18n.Message(i18n.FromContext(r.Context()), err), http.StatusUnprocessableEntity
	} else {
		cs, total, err := w.Svc.Contracts.List(r.Context(), service.ActorOf(u), f)
		if err != nil {
			if domain.ErrorCode(err) != domain.EINVALID {
				w.fail(rw, r, err)
				return
			}
			lp.Error, status = i18n.Message(i18n.FromContext(r.Context()), err), http.StatusUnprocessableEntity
		}
		lp.Rows, lp.Pager = w.contractRows(cs), newPager(p, total, lp.Q)
		if err == nil {
			if t, err := w.Svc.Contracts.ListTotals(r.Context(), service.ActorOf(u), f); err != nil {
				w.Log.Warn("web: list totals", "err", err)
			} else {
				lp.Totals = &t
			}
		}
	}
	lp.Export = exportQuery(lp.Q, httpx.ContractFilterKeys...)
	if lp.Years, err = w.listYears(r, lp.Q.Get("year")); err != nil {
		w.fail(rw, r, err)
		return
	}
	lp.Scope = scopeSentence(service.ActorOf(u))
	if lp.Pager.PerPage == 0 {
		lp.Pager = newPager(httpx.Page{Page: 1, PerPage: 20}, 0, lp.Q)
	}
	w.render(rw, r, status, "contract/list", w.newView(r, "技术合同", "contracts", lp))
}

// listYears are the years the list's year selector offers: those with
// registered contracts, newest first, and the year asked for if it has
// none (so the selector shows what the list is filtered by).
func (w *Web) listYears(r *http.Request, asked string) ([]int, error) {
	years, err := w.Svc.Contracts.RegisteredYears(r.Context())
	if err != nil {
		return nil, err
	}
	if y, err := strconv.Atoi(asked); err == nil && !slices.Contains(years, y) {
		years = append(years, y)
	}
	slices.Sort(years)
	slices.Reverse(years)
	return years, nil
}

// scopeSentence says which contracts the list holds, from the policy's
// ListScope (the value the store turns into SQL), so the sentence cannot
// say less or more than the list (walkthrough 15).
func scopeSentence(a *domain.Actor) string {
	sc, err := domain.Contracts.ListScope(a)
	switch {
	case err != nil, sc.ReviewerID != 0: // an expert's list has its own sentence (Reviewer)
		return ""
	case sc.RegistryID != 0:
		return "%s可查看的技术合同：本登记机构受理的全部技术合同，以及本机构的草稿（他方草稿不可见）。"
	case sc.All:
		return "%s可查看的技术合同：全市所有机构提交的技术合同，以及本机构的草稿（他方草稿不可见）。"
	}
	return "%s可查看的技术合同：本机构申请的，以及本机构为买方、卖方或中介方的（他方草稿不可见）。"
}

// queue serves /registry/queue: submitted contracts, oldest first.
func (w *Web) queue(rw http.ResponseWriter, r *http.Request) {
	u := w.requireUser(rw, r)
	if u == nil {
		return
	}
	lp := contractListPage{Q: r.URL.Query(), Categories: domain.CategoriesAt(""), Fields: domain.TechFields.All()}
	f, p, err := contractListQuery(r)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	if f.Sort == "" {
		f.Sort = "accepted_on"
	}
	lp.Sort = f.Sort
	cs, total, err := w.Svc.Contracts.Queue(r.Context(), service.ActorOf(u), f)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	lp.Rows, lp.Pager = w.contractRows(cs), newPager(p, total, lp.Q)
	w.render(rw, r, http.StatusOK, "contract/queue", w.newView(r, "登记队列", "queue", lp))
}

func itoa(n int) string { return strconv.Itoa(n) }

// DaysLeftAbs is how many days a contract is past its time limit.
func (r contractRow) DaysLeftAbs() int { return -r.DaysLeft }

// newContractRow is c in a list on the day of now.
func newContractRow(c *domain.Contract, now time.Time) contractRow {
	return contractRow{Contract: c, DueOn: c.DueOn, DaysLeft: c.DaysLeft(now), Overdue: c.Overdue(now),
		Waiting: c.Status == domain.ContractAccepted, Returned: c.Status == domain.ContractReturned}
}
