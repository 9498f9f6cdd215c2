package web_test

import (
	"context"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"kechuang/internal/domain"
	"kechuang/internal/service"
)

// postregPageRows: the post-registration forms of the contract page. The
// applicant (tto) requests 变更/注销 and objects, as does the 财政/税务
// authority; the registrar of the contract's registry decides and revokes.
func postregPageRows() []pageRow {
	ctx := context.Background()
	registered := func(t *testing.T, fx *pageFixture) *domain.Contract {
		c := fx.contract().Accepted().Insert(t)
		c, err := fx.svc.Contracts.Register(ctx, service.ActorOf(fx.users["registrar"]), c.ID, c.Version, 1, "")
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	then := func(step func(fx *pageFixture, c *domain.Contract) (*domain.Contract, error)) func(*testing.T, *pageFixture) *domain.Contract {
		return func(t *testing.T, fx *pageFixture) *domain.Contract {
			c, err := step(fx, registered(t, fx))
			if err != nil {
				t.Fatal(err)
			}
			return c
		}
	}
	tto := func(fx *pageFixture) *domain.Actor { return service.ActorOf(fx.users["tto"]) }
	end := "2028-10-31"
	withChange := then(func(fx *pageFixture, c *domain.Contract) (*domain.Contract, error) {
		return fx.svc.Contracts.RequestChange(ctx, tto(fx), c.ID, c.Version, service.ChangeRequest{Change: domain.RegChange{TermEnd: &end}, Reason: "延期"})
	})
	withCancel := then(func(fx *pageFixture, c *domain.Contract) (*domain.Contract, error) {
		return fx.svc.Contracts.RequestCancel(ctx, tto(fx), c.ID, c.Version, "terminated", "解除")
	})
	withObjection := then(func(fx *pageFixture, c *domain.Contract) (*domain.Contract, error) {
		return fx.svc.Contracts.Object(ctx, tto(fx), c.ID, c.Version, "核定金额有误")
	})
	row := func(pattern string, allow []string, make func(*testing.T, *pageFixture) *domain.Contract, kv ...string) pageRow {
		_, path, _ := strings.Cut(pattern, " ")
		return pageRow{Pattern: pattern, Allow: allow, Want: pageRedirect, Prepare: func(t *testing.T, fx *pageFixture, caller string) pageRequest {
			c := make(t, fx)
			f := url.Values{"version": {strconv.FormatInt(c.Version, 10)}}
			for i := 0; i+1 < len(kv); i += 2 {
				f.Set(kv[i], kv[i+1])
			}
			return pageRequest{Method: "POST", Path: strings.Replace(path, "{id}", strconv.FormatInt(c.ID, 10), 1), Form: f}
		}}
	}
	return []pageRow{
		row("POST /contracts/{id}/change-request", []string{"tto"}, registered, "term_end", "2028-06-30", "reason", "延长履行期限"),
		row("POST /contracts/{id}/change-decision", []string{"registrar"}, withChange, "decision", "approve"),
		row("POST /contracts/{id}/cancel-request", []string{"tto"}, registered, "ground", "terminated", "reason", "双方协议解除"),
		row("POST /contracts/{id}/cancel-decision", []string{"registrar"}, withCancel, "decision", "approve"),
		row("POST /contracts/{id}/revoke", []string{"registrar"}, registered, "ground", "deception"),
		row("POST /contracts/{id}/objection", []string{"tto", "authority"}, registered, "reason", "不属于技术合同"),
		row("POST /contracts/{id}/objection-decision", []string{"registrar"}, withObjection, "outcome", "dismissed", "note", "核定无误"),
	}
}
