package httpapi_test

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"mime/multipart"
	"net/http"
	"slices"
	"testing"

	"kechuang/internal/domain"
)

// TestContractWorkflowOverHTTP files a contract as a university, uploads
// its text both ways, submits it, registers it as the registrar, and sees
// the registration in the contract, its history and the public statistics.
func TestContractWorkflowOverHTTP(t *testing.T) {
	for _, fx := range newFixtures(t) {
		t.Run(fx.DB, func(t *testing.T) {
			in := fx.contractInput(fx.Orgs["university"])
			in.Buyer = domain.Party{OrgID: fx.Orgs["enterprise"].ID}
			res := fx.send(t, "tto", request{Method: "POST", Path: "/api/v1/contracts", JSON: in})
			c := wantContract(t, res, http.StatusCreated)
			if c.Status != domain.ContractDraft || c.TechTransactionFen != 900_000_00 || c.Seller.Name != "东北大学" || c.OwnerOrgID != fx.Orgs["university"].ID {
				t.Fatalf("created contract: status %s, 技术交易额 %d, seller %q, owner %d", c.Status, c.TechTransactionFen, c.Seller.Name, c.OwnerOrgID)
			}
			if loc := res.Header.Get("Location"); loc != fmt.Sprintf("/api/v1/contracts/%d", c.ID) {
				t.Errorf("Location %q", loc)
			}
			base := fmt.Sprintf("/api/v1/contracts/%d", c.ID)

			res = fx.send(t, "tto", request{Method: "POST", Path: base + "/submit", JSON: map[string]any{"version": c.Version}})
			wantProblem(t, res, http.StatusUnprocessableEntity, "document")

			res = fx.send(t, "tto", request{Method: "PUT", Path: base + "/document", Body: samplePDF, Type: "application/pdf",
				Header: map[string]string{"Content-Disposition": `attachment; filename="raw.pdf"`}})
			c = wantContract(t, res, http.StatusOK)
			if c.Document == nil || c.Document.Name != "raw.pdf" || c.Document.Size != int64(len(samplePDF)) {
				t.Fatalf("raw upload: document %+v", c.Document)
			}

			v2 := append(slices.Clone(samplePDF), "% second version\n"...)
			body, ctype := multipartBody(t, "document", "技术开发合同.pdf", v2)
			c = wantContract(t, fx.send(t, "tto", request{Method: "PUT", Path: base + "/document", Body: body, Type: ctype}), http.StatusOK)
			sum := sha256.Sum256(v2)
			if c.Document.Name != "技术开发合同.pdf" || c.Document.SHA256 != hex.EncodeToString(sum[:]) {
				t.Fatalf("multipart upload: document %+v", c.Document)
			}
			res = fx.send(t, "tto", request{Method: "PUT", Path: base + "/document", Body: []byte("not a pdf"), Type: "application/pdf"})
			wantProblem(t, res, http.StatusUnprocessableEntity, "document")

			res = fx.send(t, "enterprise", request{Method: "GET", Path: base + "/document"})
			if res.Status != http.StatusNotFound {
				t.Errorf("the buyer reads the draft's text: %d", res.Status)
			}
			res = fx.send(t, "tto", request{Method: "GET", Path: base + "/document"})
			if res.Status != 200 || !bytes.Equal(res.Body, v2) || res.Header.Get("Content-Type") != "application/pdf" || res.Header.Get("X-Content-SHA256") != c.Document.SHA256 {
				t.Fatalf("download: %d %q %q", res.Status, res.Header.Get("Content-Type"), res.Header.Get("X-Content-SHA256"))
			}

			c = wantContract(t, fx.send(t, "tto", request{Method: "POST", Path: base + "/submit", JSON: map[string]any{"version": c.Version}}), http.StatusOK)
			if c.Status != domain.ContractSubmitted || c.AcceptedOn != "" {
				t.Fatalf("submitted: status %s accepted %q", c.Status, c.AcceptedOn)
			}
			wantProblem(t, fx.send(t, "tto", request{Method: "POST", Path: base + "/accept", JSON: map[string]any{"version": c.Version}}), 403, "")
			c = wantContract(t, fx.send(t, "registrar", request{Method: "POST", Path: base + "/accept", JSON: map[string]any{"version": c.Version}}), http.StatusOK)
			if c.Status != domain.ContractAccepted || c.AcceptedOn != "2023-06-15" || c.Regime != domain.Regime2000 || c.DueOn != "2023-07-15" || c.ExpertReview {
				t.Fatalf("accepted: status %s on %q regime %s due %s", c.Status, c.AcceptedOn, c.Regime, c.DueOn)
			}

			var queue struct {
				Items []struct {
					ID       int64  `json:"id"`
					DueOn    string `json:"due_on"`
					DaysLeft int    `json:"days_left"`
					Overdue  bool   `json:"overdue"`
				} `json:"items"`
				Total int `json:"total"`
			}
			fx.send(t, "registrar", request{Method: "GET", Path: "/api/v1/registry/queue"}).decode(t, &queue)
			if queue.Total != 1 || len(queue.Items) != 1 || queue.Items[0].ID != c.ID || queue.Items[0].DueOn != "2023-07-15" || queue.Items[0].DaysLeft != 30 || queue.Items[0].Overdue {
				t.Fatalf("queue: %+v", queue)
			}

			reg := base + "/register"
			for _, tc := range []struct {
				name   string
				body   map[string]any
				status int
				field  string
			}{
				{"NoTechIncome", map[string]any{"version": c.Version}, 422, "tech_income_fen"},
				{"TechIncomeOverTurnover", map[string]any{"version": c.Version, "tech_income_fen": c.TurnoverFen + 1}, 422, "tech_income_fen"},
				{"NegativeTechIncome", map[string]any{"version": c.Version, "tech_income_fen": -1}, 422, "tech_income_fen"},
				{"NoVersion", map[string]any{"tech_income_fen": 1}, 422, "version"},
				{"StaleVersion", map[string]any{"version": c.Version - 1, "tech_income_fen": 1}, 409, ""},
			} {
				t.Run(tc.name, func(t *testing.T) {
					wantProblem(t, fx.send(t, "registrar", request{Method: "POST", Path: reg, JSON: tc.body}), tc.status, tc.field)
				})
			}
			c = wantContract(t, fx.send(t, "registrar", request{Method: "POST", Path: reg, JSON: map[string]any{"version": c.Version, "tech_income_fen": 600_000_00}}), http.StatusOK)
			if c.Status != domain.ContractRegistered || c.RegNo != "2023210100000001" || c.RegisteredOn != "2023-06-15" || c.TechIncomeFen != 600_000_00 {
				t.Fatalf("registered: status %s reg_no %q on %q income %d", c.Status, c.RegNo, c.RegisteredOn, c.TechIncomeFen)
			}
			res = fx.send(t, "registrar", request{Method: "POST", Path: reg, JSON: map[string]any{"version": c.Version, "tech_income_fen": 1}})
			wantProblem(t, res, http.StatusConflict, "")

			got := wantContract(t, fx.send(t, "tto", request{Method: "GET", Path: base}), http.StatusOK)
			if got.RegNo != c.RegNo || got.Version != c.Version {
				t.Errorf("GET after registering: reg_no %q version %d, want %q %d", got.RegNo, got.Version, c.RegNo, c.Version)
			}
			if got := wantContract(t, fx.send(t, "enterprise", request{Method: "GET", Path: base}), http.StatusOK); got.RegNo != c.RegNo {
				t.Errorf("the buyer sees reg_no %q", got.RegNo)
			}

			var events struct {
				Items []struct {
					Action string `json:"action"`
				} `json:"items"`
			}
			fx.send(t, "tto", request{Method: "GET", Path: base + "/events"}).decode(t, &events)
			var actions []string
			for _, e := range events.Items {
				actions = append(actions, e.Action)
			}
			if want := []string{"create", "document", "document", "submit", "accept", "register"}; !slices.Equal(actions, want) {
				t.Errorf("events %v, want %v", actions, want)
			}

			var st map[string]json.RawMessage
			res = fx.send(t, "anonymous", request{Method: "GET", Path: "/api/v1/stats/contracts?year=2023"})
			res.decode(t, &st)
			for k, want := range map[string]string{"year": "2023", "count": "1", "turnover_fen": "120000000", "tech_transaction_fen": "90000000",
				"turnover_yoy_pct": "null", "count_yoy_pct": "null"} {
				if got := string(st[k]); got != want {
					t.Errorf("stats %s = %s, want %s", k, got, want)
				}
			}
		})
	}
}

// TestReturnAndRefuseOverHTTP: a returned filing is corrected and
// resubmitted and gets the next number; a refusal needs a ground.
func TestReturnAndRefuseOverHTTP(t *testing.T) {
	for _, fx := range newFixtures(t) {
		t.Run(fx.DB, func(t *testing.T) {
			first := fx.register(t, fx.submitted(t), 0)
			c := fx.accepted(t)
			base := fmt.Sprintf("/api/v1/contracts/%d", c.ID)

			wantProblem(t, fx.send(t, "registrar", request{Method: "POST", Path: base + "/return", JSON: map[string]any{"version": c.Version}}), 422, "comment")
			c = wantContract(t, fx.send(t, "registrar", request{Method: "POST", Path: base + "/return",
				JSON: map[string]any{"version": c.Version, "comment": "请补充技术指标"}}), http.StatusOK)
			if c.Status != domain.ContractReturned || len(c.Corrections) != 1 || c.Corrections[0].Reason != "请补充技术指标" || c.Corrections[0].ResubmittedOn != "" {
				t.Fatalf("returned: %s %+v", c.Status, c.Corrections)
			}
			c.TurnoverFen = 1_500_000_00
			c = wantContract(t, fx.send(t, "tto", request{Method: "PUT", Path: base, JSON: c}), http.StatusOK)
			if c.TechTransactionFen != 1_200_000_00 {
				t.Errorf("技术交易额 after correcting 成交额: %d", c.TechTransactionFen)
			}
			c = wantContract(t, fx.send(t, "tto", request{Method: "POST", Path: base + "/submit", JSON: map[string]any{"version": c.Version}}), http.StatusOK)
			if c.Status != domain.ContractAccepted || len(c.Corrections) != 1 || c.Corrections[0].ResubmittedOn != c.AcceptedOn || c.DueOn == "" {
				t.Fatalf("resubmitted: %s accepted %s due %s %+v", c.Status, c.AcceptedOn, c.DueOn, c.Corrections)
			}
			c = wantContract(t, fx.send(t, "registrar", request{Method: "POST", Path: base + "/register",
				JSON: map[string]any{"version": c.Version, "tech_income_fen": 0}}), http.StatusOK)
			if first.RegSerial != 1 || c.RegSerial != 2 || c.RegNo != "2023210100000002" {
				t.Errorf("serials %d then %d (%s), want 1 then 2", first.RegSerial, c.RegSerial, c.RegNo)
			}

			r := fx.accepted(t)
			rb := fmt.Sprintf("/api/v1/contracts/%d/refuse", r.ID)
			wantProblem(t, fx.send(t, "registrar", request{Method: "POST", Path: rb, JSON: map[string]any{"version": r.Version, "ground": "nonsense"}}), 422, "ground")
			wantProblem(t, fx.send(t, "registrar", request{Method: "POST", Path: rb, JSON: map[string]any{"version": r.Version, "ground": "other"}}), 422, "note")
			// oral is a ground of 不予受理 (intake), not of 不予登记 under either regime
			wantProblem(t, fx.send(t, "registrar", request{Method: "POST", Path: rb, JSON: map[string]any{"version": r.Version, "ground": "oral"}}), 422, "ground")
			r = wantContract(t, fx.send(t, "registrar", request{Method: "POST", Path: rb, JSON: map[string]any{"version": r.Version, "ground": "seals_mismatch"}}), http.StatusOK)
			if r.Status != domain.ContractRefused || r.RefusalGround != "seals_mismatch" || r.RegNo != "" {
				t.Errorf("refused: status %s ground %q reg_no %q", r.Status, r.RefusalGround, r.RegNo)
			}
		})
	}
}

func wantContract(t testing.TB, res response, status int) *domain.Contract {
	t.Helper()
	if res.Status != status {
		t.Fatalf("status %d, want %d: %s", res.Status, status, res.Body)
	}
	var c domain.Contract
	res.decode(t, &c)
	return &c
}

// wantProblem checks an error answer: status, problem+json shape, and the
// field it names ("" for errors about no field).
func wantProblem(t testing.TB, res response, status int, field string) {
	t.Helper()
	if res.Status != status {
		t.Fatalf("status %d, want %d: %s", res.Status, status, res.Body)
	}
	p := res.problem(t)
	if p.Field != field {
		t.Fatalf("problem names field %q, want %q: %s", p.Field, field, p.Detail)
	}
	if field != "" && !slices.ContainsFunc(p.Errors, func(e domain.FieldError) bool { return e.Field == field && e.Message != "" }) {
		t.Fatalf("problem errors[] %+v do not include %q", p.Errors, field)
	}
}

func multipartBody(t testing.TB, field, name string, content []byte) ([]byte, string) {
	t.Helper()
	var b bytes.Buffer
	w := multipart.NewWriter(&b)
	part, err := w.CreateFormFile(field, name)
	must(t, err)
	part.Write(content)
	must(t, w.Close())
	return b.Bytes(), w.FormDataContentType()
}
