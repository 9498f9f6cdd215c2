package httpapi

import "net/http"

// Routes registers the whole JSON API on mux. Every endpoint here appears
// in the authorisation matrix test (authz_test.go) and in the OpenAPI
// document (openapi/*.json). a.h adapts a handler that returns its error.
func (a *API) Routes(mux *http.ServeMux) {
	mux.Handle("GET /healthz", a.h(a.healthz))
	mux.Handle("GET /readyz", a.h(a.readyz))
	mux.Handle("GET /metrics", a.Kernel.Metrics())
	mux.HandleFunc("GET /api/v1/openapi.json", a.serveOpenAPI)

	mux.Handle("POST /api/v1/session", a.h(a.login))
	mux.Handle("DELETE /api/v1/session", a.h(a.logout))
	mux.Handle("GET /api/v1/me", a.h(a.me))
	mux.Handle("PUT /api/v1/me/password", a.h(a.changePassword))
	mux.Handle("GET /api/v1/tokens", a.h(a.listTokens))
	mux.Handle("POST /api/v1/tokens", a.h(a.createToken))
	mux.Handle("DELETE /api/v1/tokens/{id}", a.h(a.revokeToken))

	mux.Handle("GET /api/v1/meta/regions", a.h(a.regions))
	mux.Handle("GET /api/v1/meta/chains", a.h(a.chains))
	mux.Handle("GET /api/v1/meta/contract-categories", a.h(a.contractCategories))
	mux.Handle("GET /api/v1/meta/tech-fields", a.h(a.techFields))
	mux.Handle("GET /api/v1/meta/refusal-grounds", a.h(a.refusalGrounds))
	mux.Handle("GET /api/v1/orgs", a.h(a.listOrgs))
	mux.Handle("POST /api/v1/orgs", a.h(a.createOrg))
	mux.Handle("GET /api/v1/orgs/export", a.h(a.exportOrgs))
	mux.Handle("POST /api/v1/orgs/import", a.h(a.importOrgs))
	mux.Handle("PATCH /api/v1/orgs/{id}", a.h(a.patchOrg))
	mux.Handle("GET /api/v1/users", a.h(a.listUsers))
	mux.Handle("POST /api/v1/users", a.h(a.createUser))
	mux.Handle("GET /api/v1/users/export", a.h(a.exportUsers))
	mux.Handle("POST /api/v1/users/import", a.h(a.importUsers))
	mux.Handle("PATCH /api/v1/users/{id}", a.h(a.patchUser))
	mux.Handle("POST /api/v1/users/{id}/disable", a.h(a.userAction(disableUser)))
	mux.Handle("POST /api/v1/users/{id}/enable", a.h(a.userAction(enableUser)))
	mux.Handle("POST /api/v1/users/{id}/unlock", a.h(a.userAction(unlockUser)))
	mux.Handle("POST /api/v1/users/{id}/reset-password", a.h(a.resetPassword))
	mux.Handle("GET /api/v1/admin/chains", a.h(a.listChains))
	mux.Handle("POST /api/v1/admin/chains", a.h(a.createChain))
	mux.Handle("PUT /api/v1/admin/chains/order", a.h(a.orderChains))
	mux.Handle("PATCH /api/v1/admin/chains/{code}", a.h(a.patchChain))
	mux.Handle("DELETE /api/v1/admin/chains/{code}", a.h(a.deleteChain))
	mux.Handle("GET /api/v1/admin/targets", a.h(a.listTargets))
	mux.Handle("PUT /api/v1/admin/targets", a.h(a.putTargets))

	mux.Handle("GET /api/v1/contracts", a.h(a.listContracts))
	mux.Handle("POST /api/v1/contracts", a.h(a.createContract))
	mux.Handle("GET /api/v1/contracts/export", a.h(a.exportContracts))
	mux.Handle("GET /api/v1/contracts/template", a.h(a.contractTemplate))
	mux.Handle("POST /api/v1/contracts/import", a.h(a.importContracts))
	mux.Handle("GET /api/v1/contracts/{id}", a.h(a.getContract))
	mux.Handle("PUT /api/v1/contracts/{id}", a.h(a.updateContract))
	mux.Handle("DELETE /api/v1/contracts/{id}", a.h(a.deleteContract))
	mux.Handle("GET /api/v1/contracts/{id}/events", a.h(a.contractEvents))
	mux.Handle("PUT /api/v1/contracts/{id}/document", a.h(a.uploadDocument))
	mux.Handle("GET /api/v1/contracts/{id}/document", a.h(a.downloadDocument))
	mux.Handle("POST /api/v1/contracts/{id}/submit", a.h(a.submitContract))
	mux.Handle("POST /api/v1/contracts/{id}/withdraw", a.h(a.withdrawContract))
	mux.Handle("POST /api/v1/contracts/{id}/accept", a.h(a.acceptContract))
	mux.Handle("POST /api/v1/contracts/{id}/reject", a.h(a.rejectContract))
	mux.Handle("POST /api/v1/contracts/{id}/return", a.h(a.returnContract))
	mux.Handle("POST /api/v1/contracts/{id}/reviewers", a.h(a.assignReviewers))
	mux.Handle("POST /api/v1/contracts/{id}/opinion", a.h(a.opine))
	mux.Handle("POST /api/v1/contracts/{id}/refuse", a.h(a.refuseContract))
	mux.Handle("POST /api/v1/contracts/{id}/register", a.h(a.registerContract))
	mux.Handle("GET /api/v1/registry/queue", a.h(a.registryQueue))

	mux.Handle("GET /api/v1/stats/contracts", a.h(a.contractStats))
	mux.Handle("GET /api/v1/regime", a.h(a.getRegime))
	mux.Handle("GET /api/v1/certificates/{reg_no}", a.h(a.verifyCertificate))
	mux.Handle("PUT /api/v1/regime", a.h(a.putRegime))
	mux.Handle("POST /api/v1/calendar", a.h(a.loadCalendar))

	mux.Handle("GET /api/v1/audit", a.h(a.listAudit))
	mux.Handle("GET /api/v1/audit/verify", a.h(a.verifyAudit))

	// Anything else under /api/v1/ answers problem+json: 405 with Allow when
	// the path exists for other methods, else 404.
	mux.Handle("/api/v1/", a.h(a.unmatched(mux)))
}
