// Package web serves Kechuang's pages: server-rendered html/template with
// htmx and ECharts, assets embedded. Handlers call the service layer
// directly; the API's middleware (httpapi.API.Wrap) has already
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
	"net/http"
	"net/url"
	"strings"

	"kechuang/internal/domain"
	"kechuang/internal/httpapi"
	"kechuang/internal/service"
)

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// Web serves the pages.
type Web struct {
	Svc *service.Service
	API *httpapi.API
	Log *slog.Logger

	pages map[string]*template.Template
}

// pageFiles are the templates rendered as whole pages inside layout.html.
var pageFiles = []string{"stats", "login", "contracts", "contract_form", "contract_detail", "queue", "certificate", "error",
	"contract_import", "audit", "account"}

// New returns the pages over a service, with every template parsed.
func New(svc *service.Service, api *httpapi.API, log *slog.Logger) (*Web, error) {
	if log == nil {
		log = slog.Default()
	}
	w := &Web{Svc: svc, API: api, Log: log, pages: map[string]*template.Template{}}
	base, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/partials.html")
	if err != nil {
		return nil, fmt.Errorf("web: parse layout: %w", err)
	}
	for _, name := range pageFiles {
		t, err := template.Must(base.Clone()).ParseFS(templateFS, "templates/"+name+".html")
		if err != nil {
			return nil, fmt.Errorf("web: parse %s: %w", name, err)
		}
		w.pages[name] = t
	}
	return w, nil
}

// Routes registers the pages on mux.
func (w *Web) Routes(mux *http.ServeMux) {
	static, _ := fs.Sub(staticFS, "static")
	mux.Handle("GET /static/", cacheStatic(http.StripPrefix("/static/", http.FileServerFS(static))))
	mux.HandleFunc("GET /{$}", func(rw http.ResponseWriter, r *http.Request) {
		http.Redirect(rw, r, "/stats", http.StatusFound)
	})
	mux.HandleFunc("GET /stats", w.stats)
	mux.HandleFunc("GET /login", w.loginPage)
	mux.HandleFunc("POST /login", w.login)
	mux.HandleFunc("POST /logout", w.logout)

	mux.HandleFunc("GET /contracts", w.contractList)
	mux.HandleFunc("GET /contracts/new", w.contractNew)
	mux.HandleFunc("GET /contracts/import", w.contractImportPage)
	mux.HandleFunc("POST /contracts/import", w.contractImport)
	mux.HandleFunc("POST /contracts/new", w.contractCreate)
	mux.HandleFunc("GET /contracts/form/categories", w.categoryFragment)
	mux.HandleFunc("GET /contracts/{id}", w.contractDetail)
	mux.HandleFunc("GET /contracts/{id}/edit", w.contractEdit)
	mux.HandleFunc("POST /contracts/{id}/edit", w.contractUpdate)
	mux.HandleFunc("POST /contracts/{id}/document", w.contractUpload)
	mux.HandleFunc("POST /contracts/{id}/submit", w.contractSubmit)
	mux.HandleFunc("POST /contracts/{id}/register", w.contractRegister)
	mux.HandleFunc("POST /contracts/{id}/return", w.contractReturn)
	mux.HandleFunc("POST /contracts/{id}/refuse", w.contractRefuse)
	mux.HandleFunc("GET /contracts/{id}/certificate", w.certificate)
	mux.HandleFunc("GET /registry/queue", w.queue)

	mux.HandleFunc("GET /audit", w.audit)
	mux.HandleFunc("GET /account", w.account)
	mux.HandleFunc("POST /account/tokens", w.accountToken)
	mux.HandleFunc("POST /account/tokens/{id}/revoke", w.accountRevoke)
	mux.HandleFunc("POST /account/password", w.accountPassword)
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
	D      any // the page's own data
}

// Can reports whether the viewer holds one of the roles (for navigation).
func (v *view) Can(roles ...string) bool {
	if v.User == nil {
		return false
	}
	for _, r := range roles {
		if string(v.User.Role) == r {
			return true
		}
	}
	return false
}

func (w *Web) newView(r *http.Request, title, active string, d any) *view {
	return &view{Title: title, Active: active, User: httpapi.UserFrom(r.Context()), City: w.Svc.Meta.CityName(r.Context()),
		Flash: flashText(r.URL.Query().Get("ok")), Path: r.URL.Path, D: d}
}

// render executes a page into a buffer first so a template error never
// leaves half a page on the wire.
func (w *Web) render(rw http.ResponseWriter, r *http.Request, status int, page string, v *view) {
	w.renderTemplate(rw, r, status, page, "layout.html", v)
}

func (w *Web) renderTemplate(rw http.ResponseWriter, r *http.Request, status int, page, name string, data any) {
	var buf bytes.Buffer
	t := w.pages[page]
	if t == nil {
		w.Log.Error("web: no such page", "page", page)
		http.Error(rw, "系统内部错误", http.StatusInternalServerError)
		return
	}
	if err := t.ExecuteTemplate(&buf, name, data); err != nil {
		w.Log.Error("web: render", "page", page, "err", err)
		http.Error(rw, "系统内部错误，请稍后重试", http.StatusInternalServerError)
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
}

// fail maps a service error to a page: not logged in → the login page with
// a way back; forbidden or not found → a friendly page (the service hides
// other organisations' contracts as not found); anything else → 500.
func (w *Web) fail(rw http.ResponseWriter, r *http.Request, err error) {
	code := domain.ErrorCode(err)
	if code == domain.EUNAUTHORIZED {
		w.toLogin(rw, r)
		return
	}
	st := httpapi.StatusOf(err)
	heading := map[string]string{
		domain.EFORBIDDEN: "无权访问", domain.ENOTFOUND: "页面或记录不存在", domain.EINVALID: "请求参数有误",
		domain.ECONFLICT: "操作冲突", domain.ETOOLARGE: "文件过大", domain.ERATELIMIT: "操作过于频繁",
	}[code]
	if heading == "" {
		heading = "系统内部错误"
		w.Log.Error("web: internal error", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	w.render(rw, r, st, "error", w.newView(r, heading, "", errorPage{st, heading, domain.ErrorMessage(err)}))
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
	u := httpapi.UserFrom(r.Context())
	if u == nil {
		w.toLogin(rw, r)
	}
	return u
}

// safeNext accepts only same-site relative paths as a post-login target.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") || strings.ContainsAny(next, "\r\n") {
		return ""
	}
	return next
}

// flashText turns the ?ok= code of a redirect after a successful POST into
// its message (a code, not free text, so links cannot inject messages).
func flashText(code string) string {
	return map[string]string{
		"created": "合同草稿已保存。请上传合同文本（PDF）后提交登记。", "updated": "修改已保存。",
		"uploaded": "合同文本已上传。", "submitted": "已提交登记机构，受理后30日内办理。",
		"registered":  "已完成认定登记，可打印登记证明。",
		"autorefused": "提交后系统依规则作出不予登记决定，理由见下方。", "returned": "已退回补正。", "refused": "已作出不予登记决定。",
		"password":      "密码已修改，下次登录请使用新密码；您在其他设备上的登录已退出。",
		"token_revoked": "令牌已作废，使用它的程序将无法再访问接口。",
	}[code]
}
