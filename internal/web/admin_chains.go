package web

import (
	"net/http"
	"strings"

	"kechuang/internal/domain"
	"kechuang/internal/service"
)

// The key industrial chains page (/admin/chains, administrators only by
// domain.AdminRules.CanManageChains): the list in order with each chain's
// use, a form to add one, and per chain rename, move up or down, hide or
// show, and delete while no contract names it.

// adminChainRow is one chain of the list, with its place in the order.
type adminChainRow struct {
	domain.ChainEntry
	First, Last bool
}

type adminChainsPage struct {
	Chains []adminChainRow
	New    service.ChainInput // the add form, kept when refused
	Target string             // the chain a refused change was about
	Error  string
	Errors map[string]string
}

func (w *Web) adminChains(rw http.ResponseWriter, r *http.Request) {
	a := w.adminActor(rw, r, domain.AdminRules.CanManageChains)
	if a == nil {
		return
	}
	w.chainsPage(rw, r, a, http.StatusOK, adminChainsPage{Errors: map[string]string{}})
}

func (w *Web) chainsPage(rw http.ResponseWriter, r *http.Request, a *domain.Actor, status int, p adminChainsPage) {
	cs, err := w.Svc.Admin.Chains(r.Context(), a)
	if err != nil {
		w.fail(rw, r, err)
		return
	}
	p.Chains = nil
	for i, c := range cs {
		p.Chains = append(p.Chains, adminChainRow{ChainEntry: c, First: i == 0, Last: i == len(cs)-1})
	}
	w.render(rw, r, status, "admin/chains", w.newView(r, "产业链", "admin-chains", p))
}

// chainFailed shows the page again with the refusal beside what it was
// about; anything but a user's mistake is the error page.
func (w *Web) chainFailed(rw http.ResponseWriter, r *http.Request, a *domain.Actor, p adminChainsPage, err error) {
	if !userError(err) && domain.ErrorCode(err) != domain.ENOTFOUND {
		w.fail(rw, r, err)
		return
	}
	p.Error, p.Errors = adminErrors(r.Context(), err)
	w.chainsPage(rw, r, a, http.StatusUnprocessableEntity, p)
}

func (w *Web) adminChainCreate(rw http.ResponseWriter, r *http.Request) {
	a := w.adminActor(rw, r, domain.AdminRules.CanManageChains)
	if a == nil {
		return
	}
	if err := adminForm(rw, r); err != nil {
		w.fail(rw, r, err)
		return
	}
	in := service.ChainInput{Code: strings.TrimSpace(r.PostForm.Get("code")), Name: r.PostForm.Get("name")}
	if _, err := w.Svc.Admin.CreateChain(r.Context(), a, in); err != nil {
		w.chainFailed(rw, r, a, adminChainsPage{New: in}, err)
		return
	}
	http.Redirect(rw, r, withFlash("/admin/chains", "chain_created"), http.StatusSeeOther)
}

// adminChainAction serves the per-chain forms: rename, up, down, hide,
// show and delete.
func (w *Web) adminChainAction(action string) http.HandlerFunc {
	return func(rw http.ResponseWriter, r *http.Request) {
		a := w.adminActor(rw, r, domain.AdminRules.CanManageChains)
		if a == nil {
			return
		}
		if err := adminForm(rw, r); err != nil {
			w.fail(rw, r, err)
			return
		}
		ctx, code := r.Context(), r.PathValue("code")
		var err error
		flash := "chain_updated"
		switch action {
		case "rename":
			name := r.PostForm.Get("name")
			_, err = w.Svc.Admin.UpdateChain(ctx, a, code, service.ChainUpdate{Name: &name})
		case "hide", "show":
			hidden := action == "hide"
			_, err = w.Svc.Admin.UpdateChain(ctx, a, code, service.ChainUpdate{Hidden: &hidden})
			flash = map[string]string{"hide": "chain_hidden", "show": "chain_shown"}[action]
		case "up", "down":
			by := 1
			if action == "up" {
				by = -1
			}
			_, err = w.Svc.Admin.MoveChain(ctx, a, code, by)
			flash = "chain_moved"
		case "delete":
			err = w.Svc.Admin.DeleteChain(ctx, a, code)
			flash = "chain_deleted"
		}
		if err != nil {
			w.chainFailed(rw, r, a, adminChainsPage{Target: code}, err)
			return
		}
		http.Redirect(rw, r, withFlash("/admin/chains", flash)+"#chain-"+code, http.StatusSeeOther)
	}
}
