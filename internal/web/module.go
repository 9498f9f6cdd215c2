package web

import (
	"fmt"
	"html/template"
	"net/http"
	"path"
	"strings"

	"kechuang/internal/domain"
	"kechuang/internal/i18n"
)

// Module is everything one module registers with the pages. Adding a
// module to the web layer is one line in modules() plus the module's own
// files: web/<module>_*.go (its handlers and this value) and
// templates/<module>/ (its pages).
type Module struct {
	// Name is the module's name: its templates live in templates/<Name>/ and
	// its template functions are named "<Name>_…".
	Name string
	// Pages are the templates rendered inside layout.html, as paths under
	// templates/ without .html ("admin/orgs").
	Pages []string
	// Partials are templates shared by the module's pages (and others that
	// show its records), as paths under templates/ without .html; every
	// {{define}} in them must be named "<Name>_…".
	Partials []string
	// Routes registers the module's page routes. Every route must have rows
	// in the page authorisation matrix (authz_test.go).
	Routes func(w *Web, mux *http.ServeMux)
	// Nav are the module's entries in the sidebar, in order.
	Nav []NavItem
	// Funcs returns the module's template functions bound to a language,
	// each named "<Name>_…".
	Funcs func(l i18n.Lang) template.FuncMap
	// Flash maps the ?ok= codes of the module's redirects to messages.
	Flash map[string]string
}

// NavItem is one sidebar entry. Show comes from the module's policy in
// domain, never from role names in a template.
type NavItem struct {
	ID     string // the element id (browser tests find entries by it)
	Label  string // zh-CN; translated through the message catalogue
	Path   string
	Active string // the view's Active value that highlights the entry
	Icon   template.HTML
	Show   func(a *domain.Actor) bool // nil: everyone, logged in or not
}

// modules lists the registered modules, in sidebar order: one line each.
func modules() []Module {
	return []Module{
		coreModule(),
		contractModule(),
		achievementModule(),
		needModule(),
		chainModule(),
		recordioModule(),
		challengeModule(),
		eventModule(),
		enterpriseModule(),
		auditModule(),
		accountModule(),
		notifyModule(),
		adminModule(),
		evaluationModule(),
		assessModule(),
		enterpriseAssessModule(),
		matchModule(),
	}
}

// navLink is a sidebar entry as the layout renders it.
type navLink struct {
	ID, Label, Path string
	Icon            template.HTML
	Active          bool
}

// registry is the modules folded into what the pages need at run time.
type registry struct {
	modules  []Module
	flash    map[string]string
	pages    []string
	partials []string
}

// funcs returns every module's template functions in language l.
func (reg *registry) funcs(l i18n.Lang) template.FuncMap {
	out := template.FuncMap{}
	for _, m := range reg.modules {
		if m.Funcs == nil {
			continue
		}
		for name, f := range m.Funcs(l) {
			out[name] = f
		}
	}
	return out
}

// newRegistry checks the modules (unique names, namespaced functions, no
// flash code registered twice) and folds them.
func newRegistry(ms []Module) (*registry, error) {
	reg := &registry{modules: ms, flash: map[string]string{}}
	seen := map[string]bool{}
	for _, m := range ms {
		if m.Name == "" || seen[m.Name] {
			return nil, fmt.Errorf("web: module name %q empty or registered twice", m.Name)
		}
		seen[m.Name] = true
		if m.Funcs != nil {
			for name := range m.Funcs(i18n.ZH) {
				if !strings.HasPrefix(name, m.Name+"_") {
					return nil, fmt.Errorf("web: module %s: template function %q must be named %s_…", m.Name, name, m.Name)
				}
			}
		}
		for code, msg := range m.Flash {
			if _, dup := reg.flash[code]; dup {
				return nil, fmt.Errorf("web: module %s: flash code %q registered twice", m.Name, code)
			}
			reg.flash[code] = msg
		}
		reg.pages = append(reg.pages, m.Pages...)
		reg.partials = append(reg.partials, m.Partials...)
	}
	return reg, nil
}

// nav lists the sidebar entries the actor may see.
func (reg *registry) nav(a *domain.Actor, active string) []navLink {
	var out []navLink
	for _, m := range reg.modules {
		for _, it := range m.Nav {
			if it.Show == nil || it.Show(a) {
				out = append(out, navLink{ID: it.ID, Label: it.Label, Path: it.Path, Icon: it.Icon, Active: it.Active == active})
			}
		}
	}
	return out
}

// loggedIn shows an entry to every logged-in user.
func loggedIn(a *domain.Actor) bool { return a != nil }

// sharedTemplates are the files every page is parsed with: the layout, the
// shared partials and each module's partials.
func (reg *registry) sharedTemplates() []string {
	out := []string{"templates/layout.html", "templates/partials.html"}
	for _, p := range reg.partials {
		out = append(out, "templates/"+p+".html")
	}
	return out
}

// checkPartials parses each module's partials on their own and refuses a
// {{define}} not named "<module>_…": partials share one namespace with
// every page, so an unprefixed name would collide across modules.
func (reg *registry) checkPartials(fm template.FuncMap) error {
	for _, m := range reg.modules {
		for _, p := range m.Partials {
			file := path.Base(p) + ".html"
			t, err := template.New(file).Funcs(fm).ParseFS(templateFS, "templates/"+p+".html")
			if err != nil {
				return fmt.Errorf("web: module %s: parse %s: %w", m.Name, p, err)
			}
			for _, d := range t.Templates() {
				if d.Name() != file && !strings.HasPrefix(d.Name(), m.Name+"_") {
					return fmt.Errorf("web: module %s: partial %q in %s must be named %s_…", m.Name, d.Name(), p, m.Name)
				}
			}
		}
	}
	return nil
}
