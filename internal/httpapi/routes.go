package httpapi

import "net/http"

// Routes registers the whole JSON API on mux. Every endpoint here appears
// in the authorisation matrix test (authz_test.go).
func (a *API) Routes(mux *http.ServeMux) {
	mux.HandleFunc("GET /healthz", a.healthz)
	mux.HandleFunc("GET /readyz", a.readyz)
	mux.Handle("GET /metrics", a.Metrics())
	mux.HandleFunc("GET /api/v1/openapi.json", a.openapi)

	mux.HandleFunc("POST /api/v1/session", a.login)
	mux.HandleFunc("DELETE /api/v1/session", a.logout)
	mux.HandleFunc("GET /api/v1/me", a.me)
	mux.HandleFunc("PUT /api/v1/me/password", a.changePassword)
	mux.HandleFunc("GET /api/v1/tokens", a.listTokens)
	mux.HandleFunc("POST /api/v1/tokens", a.createToken)
	mux.HandleFunc("DELETE /api/v1/tokens/{id}", a.revokeToken)

	mux.HandleFunc("GET /api/v1/meta/regions", a.regions)
	mux.HandleFunc("GET /api/v1/meta/chains", a.chains)
	mux.HandleFunc("GET /api/v1/meta/contract-categories", a.contractCategories)
	mux.HandleFunc("GET /api/v1/meta/tech-fields", a.techFields)
	mux.HandleFunc("GET /api/v1/meta/refusal-grounds", a.refusalGrounds)
	mux.HandleFunc("GET /api/v1/orgs", a.listOrgs)
	mux.HandleFunc("POST /api/v1/orgs", a.createOrg)

	mux.HandleFunc("GET /api/v1/contracts", a.listContracts)
	mux.HandleFunc("POST /api/v1/contracts", a.createContract)
	mux.HandleFunc("GET /api/v1/contracts/export", a.exportContracts)
	mux.HandleFunc("GET /api/v1/contracts/template", a.contractTemplate)
	mux.HandleFunc("POST /api/v1/contracts/import", a.importContracts)
	mux.HandleFunc("GET /api/v1/contracts/{id}", a.getContract)
	mux.HandleFunc("PUT /api/v1/contracts/{id}", a.updateContract)
	mux.HandleFunc("GET /api/v1/contracts/{id}/events", a.contractEvents)
	mux.HandleFunc("PUT /api/v1/contracts/{id}/document", a.uploadDocument)
	mux.HandleFunc("GET /api/v1/contracts/{id}/document", a.downloadDocument)
	mux.HandleFunc("POST /api/v1/contracts/{id}/submit", a.submitContract)
	mux.HandleFunc("POST /api/v1/contracts/{id}/return", a.returnContract)
	mux.HandleFunc("POST /api/v1/contracts/{id}/refuse", a.refuseContract)
	mux.HandleFunc("POST /api/v1/contracts/{id}/register", a.registerContract)
	mux.HandleFunc("GET /api/v1/registry/queue", a.registryQueue)

	mux.HandleFunc("GET /api/v1/stats/contracts", a.contractStats)

	mux.HandleFunc("GET /api/v1/audit", a.listAudit)
	mux.HandleFunc("GET /api/v1/audit/verify", a.verifyAudit)

	// Anything else under /api/v1/ answers problem+json: 405 with Allow when
	// the path exists for other methods, else 404.
	mux.HandleFunc("/api/v1/", func(w http.ResponseWriter, r *http.Request) { a.unmatched(mux, w, r) })
}
