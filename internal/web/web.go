// Package web serves Kechuang's pages: server-rendered html/template with
// htmx and ECharts, assets embedded. Handlers call the service layer
// directly; the kernel's middleware (httpx.Kernel.Wrap) has already
// authenticated the request and applied cross-origin protection, so every
// POST form here works without JavaScript and htmx only enhances it.
package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"maps"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"kechuang/internal/domain"
	"kechuang/internal/httpx"
	"kechuang/internal/i18n"
	"kechuang/internal/service"
	"kechuang/internal/textnorm"
)

//go:embed templates
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Web serves the pages.
type Web struct {
	Svc    *service.Service
	Kernel *httpx.Kernel
	Log    *slog.Logger
	// Facts prefills /assess and /assess/policies (the enterprise
	// registry's filings); nil: the forms start empty.
	Facts FactsSource

	pages map[i18n.Lang]map[string]*template.Template
	reg   *registry
	jsMsg []string // the messages app.js asks for (see jsMessages)
}

// New returns the pages over a service, with every template parsed.
func New(svc *service.Service, k *httpx.Kernel, log *slog.Logger) (*Web, error) {
	if log == nil {
		log = slog.Default()
	}
	reg, err := newRegistry(modules())
	if err != nil {
		return nil, err
	}
	w := &Web{Svc: svc, Kernel: k, Log: log, pages: map[i18n.Lang]map[string]*template.Template{}, reg: reg}
	if svc != nil && svc.Enterprises != nil {
		w.Facts = svc.Enterprises // the self-check's "load my filing of year Y"
	}
	for _, l := range i18n.Langs {
		pages, err := w.parsePages(l)
		if err != nil {
			return nil, err
		}
		w.pages[l] = pages
	}
	js, err := staticFS.ReadFile("static/app.js")
	if err != nil {
		return nil, fmt.Errorf("web: read app.js: %w", err)
	}
	w.jsMsg = jsMsgids(js)
	return w, nil
}

// parsePages parses every page with the helpers of one language.
func (w *Web) parsePages(l i18n.Lang) (map[string]*template.Template, error) {
	pages := map[string]*template.Template{}
	fm := template.FuncMap{}
	maps.Copy(fm, funcsFor(l))
	maps.Copy(fm, w.reg.funcs(l))
	if err := w.reg.checkPartials(fm); err != nil {
		return nil, err
	}
	base, err := template.New("layout.html").Funcs(fm).ParseFS(templateFS, w.reg.sharedTemplates()...)
	if err != nil {
		return nil, fmt.Errorf("web: parse layout: %w", err)
	}
	for _, name := range w.reg.pages {
		t, err := template.Must(base.Clone()).ParseFS(templateFS, "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("web: parse %s: %w", name, err)
		}
		pages[name] = t
	}
	return pages, nil
}

// Routes registers the pages on mux.
func (w *Web) Routes(mux *http.ServeMux) {
	w.Kernel.PageError = w.fail // the middleware's refusals of page requests are pages too
	static, _ := fs.Sub(staticFS, "static")
	mux.Handle("GET /static/", w.noListing(cacheStatic(http.StripPrefix("/static/", http.FileServerFS(static)))))
	mux.HandleFunc("GET /{$}", func(rw http.ResponseWriter, r *http.Request) {
		http.Redirect(rw, r, "/stats", http.StatusFound)
	})
	for _, m := range w.reg.modules {
		m.Routes(w, mux)
	}
	mux.HandleFunc("/", w.unmatched(mux))
}

// unmatched answers a request no route takes (walkthrough finding 17):
// under /api/ problem+json as the API does; elsewhere the product's own
// error page in the reader's language, 405 with Allow when the path exists
// for other methods, else 404.
func (w *Web) unmatched(mux *http.ServeMux) http.HandlerFunc {
	return func(rw http.ResponseWriter, r *http.Request) {
		var allow []string
		for _, m := range []string{http.MethodGet, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete} {
			probe := r.Clone(r.Context())
			probe.Method = m
			if _, pattern := mux.Handler(probe); pattern != "" && pattern != "/" && pattern != "/api/v1/" {
				allow = append(allow, m)
			}
		}
		if strings.HasPrefix(r.URL.Path, "/api/") {
			var err error = domain.Errorf(domain.ENOTFOUND, "接口 %s 不存在", r.URL.Path)
			if len(allow) > 0 {
				err = &httpx.MethodNotAllowedError{Method: r.Method, Allow: allow}
			}
			httpx.WriteProblem(rw, r, w.Log, err)
			return
		}
		if len(allow) > 0 {
			rw.Header().Set("Allow", strings.Join(allow, ", "))
			l := i18n.FromContext(r.Context())
			heading := i18n.T(l, "不支持该请求方式")
			w.render(rw, r, http.StatusMethodNotAllowed, "core/error", w.newView(r, heading, "",
				w.errorPage(r, http.StatusMethodNotAllowed, heading, i18n.T(l, "该页面不支持 %s 请求，请从页面上的按钮或链接操作。", r.Method))))
			return
		}
		w.notFound(rw, r)
	}
}

// noListing answers a directory of the static files as not found rather
// than with a listing of its files.
func (w *Web) noListing(h http.Handler) http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/") {
			w.notFound(rw, r)
			return
		}
		h.ServeHTTP(rw, r)
	})
}

// parseForm reads a url-encoded form of at most max bytes and refuses a
// field holding invalid UTF-8 or a control (tab and line breaks aside),
// format or bidirectional character, naming it (the service refuses line
// breaks where a value is one line).
func parseForm(rw http.ResponseWriter, r *http.Request, max int64) error {
	r.Body = http.MaxBytesReader(rw, r.Body, max)
	if err := r.ParseForm(); err != nil {
		return domain.Errorf(domain.EINVALID, "无法读取表单")
	}
	return textnorm.CheckValues(r.PostForm, textnorm.Options{Multiline: true})
}

func cacheStatic(h http.Handler) http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		rw.Header().Set("Cache-Control", "public, max-age=3600")
		h.ServeHTTP(rw, r)
	})
}

// view is what every page template receives.
type view struct {
	Title  string
	Active string // the navigation item to highlight
	User   *domain.User
	City   string
	Flash  string
	Path   string
	Lang   i18n.Lang
	JSMsgs map[string]string // the messages app.js uses, in Lang
	Nav    []navLink         // the sidebar entries the viewer may see
	Unread int               // the viewer's unread notices (the header's bell)
	D      any               // the page's own data

	back string // the page the language switch reloads
}

// LangURL is the current page in language l (the layout's switch).
func (v *view) LangURL(l string) string {
	u, err := url.Parse(v.back)
	if err != nil {
		u = &url.URL{Path: "/stats"}
	}
	q := u.Query()
	q.Set("lang", l)
	u.RawQuery = q.Encode()
	return u.String()
}

// newView returns the layout's data; title is a catalogue message id (or
// text already in the reader's language).
func (w *Web) newView(r *http.Request, title, active string, d any) *view {
	l := i18n.FromContext(r.Context())
	u := httpx.UserFrom(r.Context())
	v := &view{Title: i18n.T(l, title), Active: active, User: u, City: i18n.T(l, w.Svc.Meta.CityName(r.Context())),
		Path: r.URL.Path, Lang: l, JSMsgs: w.jsMessages(l), Nav: w.reg.nav(service.ActorOf(u), active), D: d, back: switchBack(r)}
	if f := w.reg.flash[r.URL.Query().Get("ok")]; f != "" {
		v.Flash = i18n.T(l, f)
	}
	if u != nil {
		n, err := w.Svc.Notify.Unread(r.Context(), service.ActorOf(u))
		if err != nil {
			w.Log.Warn("web: unread notices", "err", err)
		}
		v.Unread = n
	}
	return v
}

// switchBack is the page a language switch should reload: this one for a
// GET, else (a form answered in place) the page the form was on.
func switchBack(r *http.Request) string {
	if r.Method == http.MethodGet {
		return r.URL.RequestURI()
	}
	if ref, err := url.Parse(r.Referer()); err == nil && safeNext(ref.RequestURI()) != "" {
		return ref.RequestURI()
	}
	return "/stats"
}

// render executes a page into a buffer first so a template error never
// leaves half a page on the wire.
func (w *Web) render(rw http.ResponseWriter, r *http.Request, status int, page string, v *view) {
	w.renderTemplate(rw, r, status, page, "layout.html", v)
}

func (w *Web) renderTemplate(rw http.ResponseWriter, r *http.Request, status int, page, name string, data any) {
	var buf bytes.Buffer
	l := i18n.FromContext(r.Context())
	t := w.pages[l][page]
	if t == nil {
		w.Log.Error("web: no such page", "page", page)
		http.Error(rw, i18n.T(l, "系统内部错误"), http.StatusInternalServerError)
		return
	}
	if err := t.ExecuteTemplate(&buf, name, data); err != nil {
		w.Log.Error("web: render", "page", page, "err", err)
		http.Error(rw, i18n.T(l, "系统内部错误，请稍后重试"), http.StatusInternalServerError)
		return
	}
	rw.Header().Set("Content-Type", "text/html; charset=utf-8")
	rw.Header().Set("Cache-Control", "no-store")
	rw.WriteHeader(status)
	rw.Write(buf.Bytes())
}

// errorPage is the data of the friendly error page.
type errorPage struct {
	Status  int
	Heading string
	Message string
	// Contracts is the way to the viewer's contracts, offered only to a
	// viewer the contract policy lets list them (a 403 on /contracts must
	// not link back to itself, walkthrough finding 16).
	Contracts bool
}

func (w *Web) errorPage(r *http.Request, status int, heading, message string) errorPage {
	return errorPage{Status: status, Heading: heading, Message: message,
		Contracts: domain.Contracts.CanList(service.ActorOf(httpx.UserFrom(r.Context())))}
}

// fail maps a service error to a page: not logged in → the login page with
// a way back; forbidden or not found → a friendly page (the service hides
// other organisations' contracts as not found); anything else → 500.
func (w *Web) fail(rw http.ResponseWriter, r *http.Request, err error) {
	if httpx.ClientGone(r, err) { // nobody to show a page to, nothing went wrong here
		httpx.WriteProblem(rw, r, w.Log, err)
		return
	}
	code := domain.ErrorCode(err)
	if code == domain.EUNAUTHORIZED {
		w.toLogin(rw, r)
		return
	}
	st := httpx.StatusOf(err)
	heading := map[string]string{
		domain.EFORBIDDEN: "无权访问", domain.ENOTFOUND: "页面或记录不存在", domain.EINVALID: "请求参数有误",
		domain.ECONFLICT: "操作冲突", domain.ETOOLARGE: "文件过大", domain.ERATELIMIT: "操作过于频繁",
		domain.EUNAVAILABLE: "暂时无法保存",
	}[code]
	if heading == "" {
		heading = "系统内部错误"
		w.Log.Error("web: internal error", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	l := i18n.FromContext(r.Context())
	heading = i18n.T(l, heading)
	w.render(rw, r, st, "core/error", w.newView(r, heading, "", w.errorPage(r, st, heading, i18n.Message(l, err))))
}

func (w *Web) notFound(rw http.ResponseWriter, r *http.Request) {
	w.fail(rw, r, domain.Errorf(domain.ENOTFOUND, "您访问的页面不存在"))
}

// toLogin sends the visitor to the login page, coming back afterwards.
func (w *Web) toLogin(rw http.ResponseWriter, r *http.Request) {
	next := r.URL.RequestURI()
	if r.Method != http.MethodGet {
		next = r.URL.Path
	}
	http.Redirect(rw, r, "/login?next="+url.QueryEscape(next), http.StatusSeeOther)
}

// requireUser returns the logged-in user, or redirects to the login page.
func (w *Web) requireUser(rw http.ResponseWriter, r *http.Request) *domain.User {
	u := httpx.UserFrom(r.Context())
	if u == nil {
		w.toLogin(rw, r)
	}
	return u
}

// safeNext is next when it is a path of this site, else "". It must be
// valid UTF-8 without control characters or white space (browsers drop a
// TAB or newline from a URL, so "/\t/evil.example" becomes
// "//evil.example", another host) and without backslashes (read as
// slashes); parsed, it must have no scheme, host or user and a path that
// starts with exactly one slash.
func safeNext(next string) string {
	if next == "" || len(next) > 2048 || !utf8.ValidString(next) || strings.ContainsAny(next, "\\") ||
		strings.IndexFunc(next, func(r rune) bool { return r <= ' ' || r == 0x7f || unicode.IsSpace(r) || !unicode.IsPrint(r) }) >= 0 {
		return ""
	}
	u, err := url.Parse(next)
	if err != nil || u.Scheme != "" || u.Host != "" || u.User != nil || u.Opaque != "" ||
		!strings.HasPrefix(u.Path, "/") || strings.HasPrefix(u.Path, "//") || strings.HasPrefix(next, "//") {
		return ""
	}
	return next
}

// jsMsgRE finds the messages app.js passes to its t().
var jsMsgRE = regexp.MustCompile(`\bt\("((?:[^"\\]|\\.)*)"`)

// jsMsgids lists the message ids app.js uses, read from the script itself
// so the list cannot drift from it.
func jsMsgids(js []byte) []string {
	var ids []string
	for _, m := range jsMsgRE.FindAllSubmatch(js, -1) {
		ids = append(ids, string(m[1]))
	}
	return ids
}

// jsMessages is the part of the catalogue app.js needs, in l.
func (w *Web) jsMessages(l i18n.Lang) map[string]string {
	m := make(map[string]string, len(w.jsMsg))
	for _, id := range w.jsMsg {
		m[id] = i18n.T(l, id)
	}
	return m
}
