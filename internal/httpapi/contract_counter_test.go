package httpapi_test

import (
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"testing"

	"kechuang/internal/domain"
)

// TestContractDatesAndIncomeOverHTTP: the API refuses a signing date after
// today or before 1980 naming signed_on, answers a term starting before the
// signing date with the warning flag (walkthrough #2), and refuses a
// 核定技术性收入 above the 技术交易额 naming tech_income_fen (#3).
func TestContractDatesAndIncomeOverHTTP(t *testing.T) {
	for _, fx := range newFixtures(t) {
		t.Run(fx.DB, func(t *testing.T) {
			for _, signed := range []string{"2030-01-01", "1979-06-30"} {
				in := fx.contractInput(fx.Orgs["university"])
				in.SignedOn, in.TermStart, in.TermEnd = signed, signed, "2031-01-01"
				wantProblem(t, fx.send(t, "tto", request{Method: "POST", Path: "/api/v1/contracts", JSON: in}), http.StatusUnprocessableEntity, "signed_on")
			}
			in := fx.contractInput(fx.Orgs["university"])
			in.TermStart = "2023-01-01" // before the signing date 2023-03-01
			c := wantContract(t, fx.send(t, "tto", request{Method: "POST", Path: "/api/v1/contracts", JSON: in}), http.StatusCreated)
			if !slices.Contains(c.Flags, domain.FlagTermBeforeSigning) {
				t.Fatalf("flags %v lack the warning", c.Flags)
			}
			base := fmt.Sprintf("/api/v1/contracts/%d", c.ID)
			c = wantContract(t, fx.send(t, "tto", request{Method: "PUT", Path: base + "/document", Body: samplePDF, Type: "application/pdf"}), http.StatusOK)
			c = wantContract(t, fx.send(t, "tto", request{Method: "POST", Path: base + "/submit", JSON: map[string]any{"version": c.Version}}), http.StatusOK)
			c = wantContract(t, fx.send(t, "registrar", request{Method: "POST", Path: base + "/accept", JSON: map[string]any{"version": c.Version}}), http.StatusOK)
			res := fx.send(t, "registrar", request{Method: "POST", Path: base + "/register", JSON: map[string]any{"version": c.Version, "tech_income_fen": c.TechTransactionFen + 1}})
			wantProblem(t, res, http.StatusUnprocessableEntity, "tech_income_fen")
			c = wantContract(t, fx.send(t, "registrar", request{Method: "POST", Path: base + "/register", JSON: map[string]any{"version": c.Version, "tech_income_fen": c.TechTransactionFen}}), http.StatusOK)
			if c.Status != domain.ContractRegistered {
				t.Fatalf("status %s", c.Status)
			}
			// The list answer carries the totals of the whole filter (walkthrough #21).
			var list struct {
				Items  []domain.Contract     `json:"items"`
				Totals domain.ContractTotals `json:"totals"`
			}
			fx.send(t, "registrar", request{Method: "GET", Path: "/api/v1/contracts?per_page=1&q=" + url.QueryEscape(c.Buyer.USCC)}).decode(t, &list)
			if len(list.Items) != 1 || list.Totals != (domain.ContractTotals{Count: 1, TurnoverFen: c.TurnoverFen, TechTransactionFen: c.TechTransactionFen}) {
				t.Fatalf("list by the buyer's credit code: %+v", list)
			}
		})
	}
}
