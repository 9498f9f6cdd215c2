package web

import (
	"context"
	"net/http"
	"strings"

	"kechuang/internal/domain"
	"kechuang/internal/service"
)

// Post-registration actions on the contract page (service/contract_postreg.go):
// 变更登记 and 注销登记 requested by the applicant and decided by the
// registrar of the contract's registry, 撤销 by that registry, 异议 by the
// applicant or the 财政/税务 authority. The forms render from the flow's
// allowed actions; every one posts the version the page showed.

// postRegPage is the part of the contract page after registration.
type postRegPage struct {
	Rec *service.PostRegistration
	// Cancelled, Revoked: the contract's state, so templates compare no
	// status strings; ChangeNo the current version's 变更 number.
	Cancelled, Revoked bool
	ChangeNo           string
	CancelGrounds      []domain.RefusalGround
	RevokeGrounds      []domain.RefusalGround
	// The change form's values: the current figures, or what was typed.
	ChTitle, ChTermStart, ChTermEnd, ChTurnover, ChSellerName, ChBuyerName string
	Reason, Attachment, Decision, Outcome                                  string
}

// fillPostReg completes the page's post-registration part.
func (w *Web) fillPostReg(ctx context.Context, a *domain.Actor, c *domain.Contract, dp *contractDetailPage) error {
	p := &dp.Post
	p.Cancelled, p.Revoked = c.Status == domain.ContractCancelled, c.Status == domain.ContractRevoked
	if !c.Status.PostRegistration() && c.Status != domain.ContractRefused {
		return nil
	}
	if c.RegVersion > 1 {
		p.ChangeNo = domain.ChangeNo(c.RegNo, c.RegVersion)
	}
	rec, err := w.Svc.Contracts.PostRegistration(ctx, a, c.ID)
	if err != nil {
		return err
	}
	p.Rec = rec
	p.CancelGrounds = groundItems(domain.CancelGrounds.Codes(), domain.CancelGrounds.Label)
	grounds, err := w.Svc.Contracts.RevocationGrounds(ctx)
	if err != nil {
		return err
	}
	p.RevokeGrounds = groundItems(grounds, domain.RevocationGrounds.Label)
	if dp.Form != "change_request" { // the current figures, to edit
		p.ChTitle, p.ChTermStart, p.ChTermEnd = c.Title, c.TermStart, c.TermEnd
		p.ChTurnover = yuanInput(c.TurnoverFen, false)
		p.ChSellerName, p.ChBuyerName = c.Seller.Name, c.Buyer.Name
	}
	return nil
}

// changeFromForm reads the change form: a field counts as changed when it
// differs from the contract's current value.
func changeFromForm(r *http.Request, c *domain.Contract, dp *contractDetailPage) (domain.RegChange, error) {
	f := r.PostForm
	p := &dp.Post
	p.ChTitle, p.ChTermStart, p.ChTermEnd = f.Get("title"), f.Get("term_start"), f.Get("term_end")
	p.ChTurnover, p.ChSellerName, p.ChBuyerName = f.Get("turnover_yuan"), f.Get("seller_name"), f.Get("buyer_name")
	var ch domain.RegChange
	// A field the form does not send is unchanged.
	sent := func(name string) bool { _, ok := f[name]; return ok }
	str := func(name, v, cur string, dst **string) {
		if v = strings.TrimSpace(v); sent(name) && v != cur {
			*dst = &v
		}
	}
	str("title", p.ChTitle, c.Title, &ch.Title)
	str("term_start", p.ChTermStart, c.TermStart, &ch.TermStart)
	str("term_end", p.ChTermEnd, c.TermEnd, &ch.TermEnd)
	if s := strings.TrimSpace(p.ChTurnover); s != "" || sent("turnover_yuan") {
		fen, ok := ParseYuan(s)
		if !ok {
			return ch, domain.FieldErrorf("turnover_fen", "合同成交额应为以元为单位的金额，最多两位小数，例如 800000.00")
		}
		if fen != c.TurnoverFen {
			ch.TurnoverFen = &fen
		}
	}
	party := func(name, v string, cur domain.Party, dst **domain.Party) {
		if v = strings.TrimSpace(v); sent(name) && v != cur.Name {
			n := cur
			n.Name = v
			*dst = &n
		}
	}
	party("seller_name", p.ChSellerName, c.Seller, &ch.Seller)
	party("buyer_name", p.ChBuyerName, c.Buyer, &ch.Buyer)
	return ch, nil
}

func (w *Web) contractChangeRequest(rw http.ResponseWriter, r *http.Request) {
	w.contractAct(rw, r, "change_request", "change_requested", func(a *domain.Actor, id, v int64, dp *contractDetailPage) (*domain.Contract, error) {
		dp.Post.Reason, dp.Post.Attachment = r.PostForm.Get("reason"), r.PostForm.Get("attachment")
		c, err := w.Svc.Contracts.Get(r.Context(), a, id)
		if err != nil {
			return nil, err
		}
		ch, err := changeFromForm(r, c, dp)
		if err != nil {
			return nil, err
		}
		return w.Svc.Contracts.RequestChange(r.Context(), a, id, v, service.ChangeRequest{Change: ch, Reason: dp.Post.Reason, Attachment: dp.Post.Attachment})
	})
}

// decision reads an approve/refuse form's choice.
func decision(r *http.Request, dp *contractDetailPage) (bool, error) {
	dp.Post.Decision, dp.Note = r.PostForm.Get("decision"), r.PostForm.Get("note")
	switch dp.Post.Decision {
	case "approve":
		return true, nil
	case "refuse":
		return false, nil
	}
	return false, domain.FieldErrorf("decision", "请选择批准或不予批准")
}

func (w *Web) contractChangeDecision(rw http.ResponseWriter, r *http.Request) {
	w.contractAct(rw, r, "change_decide", "change_decided", func(a *domain.Actor, id, v int64, dp *contractDetailPage) (*domain.Contract, error) {
		ok, err := decision(r, dp)
		if err != nil {
			return nil, err
		}
		var income *int64
		if dp.TechIncome = strings.TrimSpace(r.PostForm.Get("tech_income_yuan")); dp.TechIncome != "" && ok {
			fen, valid := ParseYuan(dp.TechIncome)
			if !valid {
				return nil, domain.FieldErrorf("tech_income_fen", "核定技术性收入应为以元为单位的金额，最多两位小数，例如 800000.00")
			}
			income = &fen
		}
		return w.Svc.Contracts.DecideChange(r.Context(), a, id, v, ok, income, dp.Note)
	})
}

func (w *Web) contractCancelRequest(rw http.ResponseWriter, r *http.Request) {
	w.contractAct(rw, r, "cancel_request", "cancel_requested", func(a *domain.Actor, id, v int64, dp *contractDetailPage) (*domain.Contract, error) {
		dp.Ground, dp.Post.Reason = r.PostForm.Get("ground"), r.PostForm.Get("reason")
		return w.Svc.Contracts.RequestCancel(r.Context(), a, id, v, dp.Ground, dp.Post.Reason)
	})
}

func (w *Web) contractCancelDecision(rw http.ResponseWriter, r *http.Request) {
	w.contractAct(rw, r, "cancel_decide", "cancel_decided", func(a *domain.Actor, id, v int64, dp *contractDetailPage) (*domain.Contract, error) {
		ok, err := decision(r, dp)
		if err != nil {
			return nil, err
		}
		return w.Svc.Contracts.DecideCancel(r.Context(), a, id, v, ok, dp.Note)
	})
}

func (w *Web) contractRevoke(rw http.ResponseWriter, r *http.Request) {
	w.contractAct(rw, r, "revoke", "revoked", func(a *domain.Actor, id, v int64, dp *contractDetailPage) (*domain.Contract, error) {
		dp.Ground, dp.Note = r.PostForm.Get("ground"), r.PostForm.Get("note")
		return w.Svc.Contracts.Revoke(r.Context(), a, id, v, dp.Ground, dp.Note)
	})
}

func (w *Web) contractObject(rw http.ResponseWriter, r *http.Request) {
	w.contractAct(rw, r, "object", "objected", func(a *domain.Actor, id, v int64, dp *contractDetailPage) (*domain.Contract, error) {
		dp.Post.Reason = r.PostForm.Get("reason")
		return w.Svc.Contracts.Object(r.Context(), a, id, v, dp.Post.Reason)
	})
}

func (w *Web) contractObjectionDecision(rw http.ResponseWriter, r *http.Request) {
	w.contractAct(rw, r, "objection_decide", "objection_decided", func(a *domain.Actor, id, v int64, dp *contractDetailPage) (*domain.Contract, error) {
		dp.Post.Outcome, dp.Note, dp.Ground = r.PostForm.Get("outcome"), r.PostForm.Get("note"), r.PostForm.Get("revoke_ground")
		return w.Svc.Contracts.DecideObjection(r.Context(), a, id, v,
			service.ObjectionDecision{Outcome: dp.Post.Outcome, Note: dp.Note, RevokeGround: dp.Ground})
	})
}
