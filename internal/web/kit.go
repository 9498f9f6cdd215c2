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
	"kechuang/internal/i18n"
	"kechuang/internal/service"
)

// The pages' module kit: what every workflow module's pages share — the
// chain names (chainLabels), the state of a detail page's action forms
// (actionForm), a workflow step posted from its form (stepDef and
// stepHandler) and its failure (stepFailed), the form's errors by field
// (formErrors) and the {id} of a page (pageID). See
// docs/adding-a-module.md.

// chainNames returns the chains offered for new records and the names of
// all chains by code (a record may carry a chain since hidden).
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

// chainLabels names the industrial chains on a page: embed it and the
// templates call {{$d.Chain code}}.
type chainLabels struct{ chainName map[string]string }

// Chain names an industrial chain code (the code itself if unknown).
func (c chainLabels) Chain(code string) string {
	if n := c.chainName[code]; n != "" {
		return n
	}
	return code
}

// actionForm is the state of a detail page's workflow forms: which form
// failed (Form, the action; "" for the page), its message and field
// messages, and what was typed (the comment; the outcome where a step
// asks for one). Embed it in the module's detail page.
type actionForm struct {
	Form    string
	Error   string
	Errors  map[string]string
	Comment string
	Outcome string
	// Typed is everything the failed form posted (a step with fields of
	// its own: an amount, a date; read in the template with V).
	Typed url.Values
	// Forms are the page's workflow forms (stepForms), for the
	// "step_forms" partial.
	Forms []stepForm
}

// V is what was typed in a field of the failed form ("" for none).
func (af *actionForm) V(key string) string { return af.Typed.Get(key) }

// pageID reads the {id} of the path; anything else answers "not found".
func (w *Web) pageID(rw http.ResponseWriter, r *http.Request) (int64, bool) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		w.notFound(rw, r)
		return 0, false
	}
	return id, true
}

// stepDef is one workflow step posted from its form: the action, the
// flash code on success and the use case on the module's service S (the
// form's comment and outcome in f).
type stepDef[S any] struct {
	action, ok string
	do         func(s S, ctx context.Context, a *domain.Actor, id, version int64, f actionForm) error
}

// errOnly is a use case's error without its result (a stepDef's do).
func errOnly[T any](_ T, err error) error { return err }

// stepHandler runs the step action of steps from its form: on success back
// to base/{id} with the step's flash, else failed (the page again with the
// error at the form). A route for an action without a step panics at
// start.
func stepHandler[S any](w *Web, base string, svc S, steps []stepDef[S], action string,
	failed func(rw http.ResponseWriter, r *http.Request, u *domain.User, id int64, af actionForm, err error)) http.HandlerFunc {
	var def stepDef[S]
	for _, d := range steps {
		if d.action == action {
			def = d
		}
	}
	if def.do == nil {
		panic("web: no step " + action + " under " + base)
	}
	return func(rw http.ResponseWriter, r *http.Request) {
		u, id, version, ok := w.actionTarget(rw, r)
		if !ok {
			return
		}
		af := actionForm{Form: def.action, Comment: r.PostForm.Get("comment"), Outcome: r.PostForm.Get("outcome"), Typed: r.PostForm,
			Errors: map[string]string{}}
		if err := def.do(svc, r.Context(), service.ActorOf(u), id, version, af); err != nil {
			failed(rw, r, u, id, af, err)
			return
		}
		http.Redirect(rw, r, fmt.Sprintf("%s/%d?ok=%s", base, id, def.ok), http.StatusSeeOther)
	}
}

// stepFailed answers a workflow step's error: a user error (invalid, or a
// conflict with a newer version) shows the page again through again, with
// the message at the form (a conflict at the top of the page) and the
// fields' messages; anything else is the error page.
func (w *Web) stepFailed(rw http.ResponseWriter, r *http.Request, af *actionForm, err error, again func(status int)) {
	var e *domain.Error
	if !asDomain(r.Context(), err, &e) || (e.Code != domain.EINVALID && e.Code != domain.ECONFLICT) {
		w.fail(rw, r, err)
		return
	}
	af.Error = e.Message
	if e.Code == domain.ECONFLICT {
		af.Form = ""
	}
	if af.Errors == nil {
		af.Errors = map[string]string{}
	}
	for field, msg := range formErrors(e) {
		af.Errors[field] = msg
	}
	again(httpx.StatusOf(err))
}

// formErrors keys a validation error's messages by the form's fields:
// keywords[1] and team[0].name show at their list's field, the first
// message of each.
func formErrors(e *domain.Error) map[string]string {
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

// stepButton is one workflow step's form on a detail page, shown when the
// workflow allows the action (the "step_forms" partial renders them in
// order). Label asks for a comment (its label; "" asks for none); Choices
// ask first for a choice posted as "outcome" (ChoiceLabel); Class is
// btn-primary, btn-danger or none; Confirm asks before posting. All the
// strings are message ids (zh-CN), translated by the template.
type stepButton struct {
	Action, Label, Button, Class, Confirm string
	Required                              bool
	ChoiceLabel                           string
	Choices                               []domain.Item[string]
}

// deleteButton is the deletion of a draft, the same in every module.
var deleteButton = stepButton{Action: "delete", Button: "删除草稿", Class: "btn-danger", Confirm: "删除后不能恢复。确定删除这份草稿吗？"}

// stepForm is a stepButton for one record: the form's path, the version
// read, the button's id (action-module, e.g. "submit-need") and what the
// failed form had typed with its message.
type stepForm struct {
	stepButton
	Path, ID        string
	Version         int64
	Failed          bool
	Comment, Chosen string
	Error           string
}

// stepForms lists the forms of buttons the workflow allows on the record
// id of module under base ("/needs"), carrying the failed form's state.
func (af *actionForm) stepForms(base, module string, id, version int64, buttons []stepButton, allowed map[string]bool) []stepForm {
	var out []stepForm
	for _, b := range buttons {
		if !allowed[b.Action] {
			continue
		}
		f := stepForm{stepButton: b, Path: fmt.Sprintf("%s/%d/%s", base, id, b.Action), ID: b.Action + "-" + module, Version: version}
		if af.Form == b.Action {
			f.Failed, f.Comment, f.Chosen, f.Error = true, af.Comment, af.Outcome, af.Error
		}
		out = append(out, f)
	}
	return out
}

// formState is what every module's create/edit form page carries: where
// it posts, the record's id and version read (0 for a new record) and the
// errors, the message and each field's. Embed it in the form page.
type formState struct {
	Action      string
	ID, Version int64
	Errors      map[string]string
	Error       string
}

func (f *formState) state() *formState { return f }

// formPage is a module's form page (embedding formState).
type formPage interface{ state() *formState }

// recordForm is a module's create/edit form for saveForm: base ("/needs")
// and module ("need": the flash codes need_created, need_updated), the
// page template and its navigation, the two titles, the size the form may
// post, how it reads (parse: the record, and the page as typed) and how
// the form is shown again with what was typed (again), and the use cases.
type recordForm[T any, P formPage] struct {
	base, module, template, nav string
	newTitle, editTitle         string
	maxBytes                    int64
	parse                       func(url.Values) (T, P, error)
	again                       func(r *http.Request, in T, typed P) P
	create                      func(ctx context.Context, a *domain.Actor, in T) (T, error)
	update                      func(ctx context.Context, a *domain.Actor, id, version int64, in T) (T, error)
	id                          func(T) int64
}

// editPage shows the edit form of the record of the path's id: signed
// in, the record as the actor sees it if its workflow lets the actor edit
// it (flow's "update"), the form built from it (build) posting to
// base/{id}/edit at the version read.
func editPage[S ~string, T any, P formPage](w *Web, rw http.ResponseWriter, r *http.Request, d *recordForm[T, P],
	get func(context.Context, *domain.Actor, int64) (T, error), flow *domain.Flow[S, T], version func(T) int64,
	build func(*http.Request, T) P) {
	u := w.requireUser(rw, r)
	if u == nil {
		return
	}
	id, ok := w.pageID(rw, r)
	if !ok {
		return
	}
	a := service.ActorOf(u)
	x, err := get(r.Context(), a, id)
	if err == nil {
		err = flow.Check("update", a, x)
	}
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	f := build(r, x)
	st := f.state()
	st.Action, st.ID, st.Version = fmt.Sprintf("%s/%d/edit", d.base, id), id, version(x)
	w.render(rw, r, http.StatusOK, d.template, w.newView(r, d.editTitle, d.nav, f))
}

// saveForm creates (id 0) or updates a record from its form: on success to
// the record's page with a flash; on a user error the form again with each
// message at its field.
func saveForm[T any, P formPage](w *Web, rw http.ResponseWriter, r *http.Request, id int64, d *recordForm[T, P]) {
	u := w.requireUser(rw, r)
	if u == nil {
		return
	}
	if err := parseForm(rw, r, d.maxBytes); err != nil {
		w.fail(rw, r, err)
		return
	}
	a := service.ActorOf(u)
	in, typed, err := d.parse(r.PostForm)
	version, _ := strconv.ParseInt(r.PostForm.Get("version"), 10, 64)
	if err == nil {
		var x T
		if id == 0 {
			x, err = d.create(r.Context(), a, in)
		} else {
			if version <= 0 {
				w.fail(rw, r, domain.Errorf(domain.EINVALID, "表单缺少版本号，请刷新页面后重试"))
				return
			}
			x, err = d.update(r.Context(), a, id, version, in)
		}
		if err == nil {
			ok := d.module + "_updated"
			if id == 0 {
				ok = d.module + "_created"
			}
			http.Redirect(rw, r, fmt.Sprintf("%s/%d?ok=%s", d.base, d.id(x), ok), http.StatusSeeOther)
			return
		}
	}
	var e *domain.Error
	if !asDomain(r.Context(), err, &e) || (e.Code != domain.EINVALID && e.Code != domain.ECONFLICT) {
		w.fail(rw, r, err)
		return
	}
	f := d.again(r, in, typed)
	st := f.state()
	st.Errors, st.Error = formErrors(e), e.Message
	st.Action, st.ID, st.Version = d.base+"/new", id, version
	title := d.newTitle
	if id != 0 {
		st.Action, title = fmt.Sprintf("%s/%d/edit", d.base, id), d.editTitle
	}
	w.render(rw, r, httpx.StatusOf(err), d.template, w.newView(r, title, d.nav, f))
}

// listState is what every module's list page carries: the query, the
// pager and the message of a filter that could not be read. Embed it.
type listState struct {
	Q     url.Values
	Pager pager
	Error string
}

// listRows reads a list page's page and filters (parse, from the query;
// page sets the page on the filter) and runs the use case (list) for the
// actor, filling ls. A user error (a filter) is the message, 422 and no
// rows; any other error is the error page, and ok is false.
func listRows[F, T any](w *Web, rw http.ResponseWriter, r *http.Request, a *domain.Actor, ls *listState,
	parse func(url.Values) (F, error), page func(*F, httpx.Page), list func(context.Context, *domain.Actor, F) ([]T, int, error)) (rows []T, status int, ok bool) {
	status = http.StatusOK
	p, err := httpx.PageOf(r)
	var f F
	if err == nil {
		f, err = parse(ls.Q)
	}
	countCap := domain.ListCountCap
	if err == nil {
		page(&f, p)
		countCap = httpx.CountCap(f)
		err = p.CheckDepth(countCap)
	}
	if err == nil {
		var total int
		rows, total, err = list(r.Context(), a, f)
		ls.Pager = newCappedPager(p, total, countCap, ls.Q)
	}
	if err != nil {
		if domain.ErrorCode(err) != domain.EINVALID {
			w.fail(rw, r, err)
			return nil, 0, false
		}
		ls.Error, status = i18n.Message(i18n.FromContext(r.Context()), err), http.StatusUnprocessableEntity
		ls.Pager = newPager(httpx.Page{Page: 1, PerPage: 20}, 0, ls.Q)
	}
	return rows, status, true
}

// stepFailure shows a detail page again after a step's error (stepFailed
// does the checks).
type stepFailure = func(rw http.ResponseWriter, r *http.Request, u *domain.User, id int64, af actionForm, err error)

// failedStep is a module's stepFailure: on a user error it reads the
// record again as the actor sees it (get) and renders its page with the
// failed form's state (render).
func failedStep[T any](w *Web, get func(context.Context, *domain.Actor, int64) (T, error),
	render func(rw http.ResponseWriter, r *http.Request, u *domain.User, x T, status int, af actionForm)) stepFailure {
	return func(rw http.ResponseWriter, r *http.Request, u *domain.User, id int64, af actionForm, err error) {
		w.stepFailed(rw, r, &af, err, func(status int) {
			x, err := get(r.Context(), service.ActorOf(u), id)
			if err != nil {
				w.fail(rw, r, err)
				return
			}
			render(rw, r, u, x, status, af)
		})
	}
}

// deleteDraft deletes a draft from its form (the version read): on
// success to the list (base) with the flash module_deleted, else failed.
func (w *Web) deleteDraft(rw http.ResponseWriter, r *http.Request, base, module string,
	del func(context.Context, *domain.Actor, int64, int64) error, failed stepFailure) {
	u, id, version, ok := w.actionTarget(rw, r)
	if !ok {
		return
	}
	if err := del(r.Context(), service.ActorOf(u), id, version); err != nil {
		failed(rw, r, u, id, actionForm{Form: "delete", Errors: map[string]string{}}, err)
		return
	}
	http.Redirect(rw, r, base+"?ok="+module+"_deleted", http.StatusSeeOther)
}
