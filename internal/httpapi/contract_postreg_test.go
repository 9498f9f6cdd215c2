package httpapi_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"kechuang/internal/domain"
	"kechuang/internal/httpapi"
	"kechuang/internal/service"
)

// postregSchemaTypes pairs the post-registration schemas with their Go types.
var postregSchemaTypes = map[string][]any{
	"RegChange": {domain.RegChange{}}, "ChangedParty": {domain.Party{}},
	"ChangeRequestBody": {httpapi.ChangeRequestBody{}}, "DecisionBody": {httpapi.DecisionBody{}},
	"CancelRequestBody": {httpapi.CancelRequestBody{}}, "RevokeBody": {httpapi.RevokeBody{}},
	"ObjectionBody": {httpapi.ObjectionBody{}}, "ObjectionDecisionBody": {httpapi.ObjectionDecisionBody{}},
	"RegRequest": {domain.RegRequest{}}, "Objection": {domain.Objection{}}, "RegVersion": {domain.RegVersion{}},
	"PostRegistration": {httpapi.PostRegistration{}},
}

// postregAuthzRows: the applicant (tto) requests 变更/注销 and objects, as
// does the 财政/税务 authority; the registrar of the contract's registry
// decides and revokes; the registration record is read by whoever sees
// the registered contract.
func postregAuthzRows() []authzRow {
	registered := func(t *testing.T, fx *fixture) *domain.Contract { return fx.register(t, fx.accepted(t), 1) }
	var shared *domain.Contract
	sharedRegistered := func(t *testing.T, fx *fixture) *domain.Contract {
		if shared == nil || shared.ID == 0 {
			shared = registered(t, fx)
		}
		return shared
	}
	then := func(step func(fx *fixture, c *domain.Contract) (*domain.Contract, error)) func(t *testing.T, fx *fixture) *domain.Contract {
		return func(t *testing.T, fx *fixture) *domain.Contract {
			c, err := step(fx, registered(t, fx))
			must(t, err)
			return c
		}
	}
	ctx := context.Background()
	title := "变更后的合同名称"
	withChange := then(func(fx *fixture, c *domain.Contract) (*domain.Contract, error) {
		return fx.Svc.Contracts.RequestChange(ctx, fx.actor("tto"), c.ID, c.Version, service.ChangeRequest{Change: domain.RegChange{Title: &title}, Reason: "更名"})
	})
	withCancel := then(func(fx *fixture, c *domain.Contract) (*domain.Contract, error) {
		return fx.Svc.Contracts.RequestCancel(ctx, fx.actor("tto"), c.ID, c.Version, "terminated", "解除")
	})
	withObjection := then(func(fx *fixture, c *domain.Contract) (*domain.Contract, error) {
		return fx.Svc.Contracts.Object(ctx, fx.actor("authority"), c.ID, c.Version, "不属于技术合同")
	})
	act := func(p string, extra map[string]any) func(*fixture, *domain.Contract) request {
		return func(_ *fixture, c *domain.Contract) request {
			b := map[string]any{"version": c.Version}
			for k, v := range extra {
				b[k] = v
			}
			return request{Path: p, JSON: b}
		}
	}
	return []authzRow{
		{Pattern: "POST /api/v1/contracts/{id}/change-request", Allow: []string{"tto"}, Prepare: onContract("POST", registered,
			act("/api/v1/contracts/{id}/change-request", map[string]any{"change": map[string]any{"title": title}, "reason": "更名"}))},
		{Pattern: "POST /api/v1/contracts/{id}/change-decision", Allow: []string{"registrar"}, Prepare: onContract("POST", withChange,
			act("/api/v1/contracts/{id}/change-decision", map[string]any{"decision": "approve"}))},
		{Pattern: "POST /api/v1/contracts/{id}/cancel-request", Allow: []string{"tto"}, Prepare: onContract("POST", registered,
			act("/api/v1/contracts/{id}/cancel-request", map[string]any{"ground": "terminated", "reason": "解除"}))},
		{Pattern: "POST /api/v1/contracts/{id}/cancel-decision", Allow: []string{"registrar"}, Prepare: onContract("POST", withCancel,
			act("/api/v1/contracts/{id}/cancel-decision", map[string]any{"decision": "approve"}))},
		{Pattern: "POST /api/v1/contracts/{id}/revoke", Allow: []string{"registrar"}, Prepare: onContract("POST", registered,
			act("/api/v1/contracts/{id}/revoke", map[string]any{"ground": "deception"}))},
		{Pattern: "POST /api/v1/contracts/{id}/objection", Allow: []string{"tto", "authority"}, Prepare: onContract("POST", registered,
			act("/api/v1/contracts/{id}/objection", map[string]any{"reason": "异议"}))},
		{Pattern: "POST /api/v1/contracts/{id}/objection-decision", Allow: []string{"registrar"}, Prepare: onContract("POST", withObjection,
			act("/api/v1/contracts/{id}/objection-decision", map[string]any{"outcome": "dismissed", "note": "核定无误"}))},
		{Pattern: "GET /api/v1/contracts/{id}/registration", Allow: append([]string{"authority"}, contractReaders...),
			Prepare: onContract("GET", sharedRegistered, func(*fixture, *domain.Contract) request { return request{Path: "/api/v1/contracts/{id}/registration"} })},
	}
}

// TestPostRegistrationOverHTTP: a change, a cancellation, a revocation and
// an objection through the API, with the certificate's status, the
// contract's registration_version, field-named errors and a stale 409.
func TestPostRegistrationOverHTTP(t *testing.T) {
	for _, fx := range newFixtures(t) {
		t.Run(fx.DB, func(t *testing.T) {
			c := fx.register(t, fx.accepted(t), 1)
			base := fmt.Sprintf("/api/v1/contracts/%d", c.ID)
			got := wantContract(t, fx.send(t, "tto", request{Method: "GET", Path: base}), http.StatusOK)
			if got.RegVersion != 1 {
				t.Fatalf("registration_version %d", got.RegVersion)
			}
			res := fx.send(t, "tto", request{Method: "POST", Path: base + "/change-request", JSON: map[string]any{"version": c.Version, "change": map[string]any{"turnover_fen": -1}, "reason": "x"}})
			wantProblem(t, res, http.StatusUnprocessableEntity, "turnover_fen")
			res = fx.send(t, "tto", request{Method: "POST", Path: base + "/change-request", JSON: map[string]any{"version": c.Version, "change": map[string]any{"colour": "red"}, "reason": "x"}})
			if res.Status != http.StatusUnprocessableEntity {
				t.Fatalf("unknown field: %d", res.Status)
			}
			res = fx.send(t, "tto", request{Method: "POST", Path: base + "/change-request", JSON: map[string]any{"version": c.Version, "change": map[string]any{"term_end": "2030-12-31"}, "reason": "延长履行期限"}})
			c = wantContract(t, res, http.StatusOK)
			res = fx.send(t, "registrar", request{Method: "POST", Path: base + "/change-decision", JSON: map[string]any{"version": c.Version, "decision": "maybe"}})
			wantProblem(t, res, http.StatusUnprocessableEntity, "decision")
			res = fx.send(t, "registrar", request{Method: "POST", Path: base + "/change-decision", JSON: map[string]any{"version": c.Version - 1, "decision": "approve"}})
			if res.Status != http.StatusConflict {
				t.Fatalf("stale decision: %d %s", res.Status, res.Body)
			}
			c = wantContract(t, fx.send(t, "registrar", request{Method: "POST", Path: base + "/change-decision", JSON: map[string]any{"version": c.Version, "decision": "approve"}}), http.StatusOK)
			if c.RegVersion != 2 || c.TermEnd != "2030-12-31" {
				t.Fatalf("changed: v%d %s", c.RegVersion, c.TermEnd)
			}
			var raw map[string]any
			res = fx.send(t, "tto", request{Method: "GET", Path: base})
			must(t, json.Unmarshal(res.Body, &raw))
			if raw["registration_version"] != float64(2) || raw["status"] != "registered" {
				t.Fatalf("contract JSON: %v %v", raw["registration_version"], raw["status"])
			}
			cert := fx.send(t, "anonymous", request{Method: "GET", Path: "/api/v1/certificates/" + c.RegNo, NoAuth: true})
			var pc service.PublicCertificate
			must(t, json.Unmarshal(cert.Body, &pc))
			if pc.Status != "changed" || pc.ChangeNo != c.RegNo+"-2" || strings.Contains(string(cert.Body), "end_note") {
				t.Fatalf("certificate %s", cert.Body)
			}
			var pr service.PostRegistration
			res = fx.send(t, "authority", request{Method: "GET", Path: base + "/registration"})
			must(t, json.Unmarshal(res.Body, &pr))
			if res.Status != 200 || len(pr.Versions) != 1 || len(pr.Requests) != 1 {
				t.Fatalf("registration record %d %s", res.Status, res.Body)
			}

			// The authority objects; the registry upholds it and revokes.
			c = wantContract(t, fx.send(t, "authority", request{Method: "POST", Path: base + "/objection", JSON: map[string]any{"version": c.Version, "reason": "实为设备采购"}}), http.StatusOK)
			res = fx.send(t, "registrar", request{Method: "POST", Path: base + "/objection-decision", JSON: map[string]any{"version": c.Version, "outcome": "upheld"}})
			wantProblem(t, res, http.StatusUnprocessableEntity, "note")
			c = wantContract(t, fx.send(t, "registrar", request{Method: "POST", Path: base + "/objection-decision",
				JSON: map[string]any{"version": c.Version, "outcome": "upheld", "note": "属实", "revoke_ground": "not_technology"}}), http.StatusOK)
			if c.Status != domain.ContractRevoked || c.EndGround != "not_technology" {
				t.Fatalf("revoked: %s %s", c.Status, c.EndGround)
			}
			cert = fx.send(t, "anonymous", request{Method: "GET", Path: "/api/v1/certificates/" + c.RegNo, NoAuth: true})
			must(t, json.Unmarshal(cert.Body, &pc))
			if pc.Status != "revoked" || pc.EndedOn == "" {
				t.Fatalf("certificate %s", cert.Body)
			}

			// A cancellation, requested and approved.
			d := fx.register(t, fx.accepted(t), 1)
			dbase := "/api/v1/contracts/" + strconv.FormatInt(d.ID, 10)
			res = fx.send(t, "tto", request{Method: "POST", Path: dbase + "/cancel-request", JSON: map[string]any{"version": d.Version, "ground": "x", "reason": "解除"}})
			wantProblem(t, res, http.StatusUnprocessableEntity, "ground")
			d = wantContract(t, fx.send(t, "tto", request{Method: "POST", Path: dbase + "/cancel-request", JSON: map[string]any{"version": d.Version, "ground": "terminated", "reason": "解除"}}), http.StatusOK)
			res = fx.send(t, "other_registrar", request{Method: "POST", Path: dbase + "/cancel-decision", JSON: map[string]any{"version": d.Version, "decision": "approve"}})
			if res.Status != http.StatusNotFound {
				t.Fatalf("another registry decides: %d", res.Status)
			}
			d = wantContract(t, fx.send(t, "registrar", request{Method: "POST", Path: dbase + "/cancel-decision", JSON: map[string]any{"version": d.Version, "decision": "approve"}}), http.StatusOK)
			if d.Status != domain.ContractCancelled || d.EndedOn == "" {
				t.Fatalf("cancelled %s %s", d.Status, d.EndedOn)
			}
			cert = fx.send(t, "anonymous", request{Method: "GET", Path: "/api/v1/certificates/" + d.RegNo, NoAuth: true})
			must(t, json.Unmarshal(cert.Body, &pc))
			if pc.Status != "cancelled" || pc.EndedOn != d.EndedOn {
				t.Fatalf("certificate %s", cert.Body)
			}
		})
	}
}
