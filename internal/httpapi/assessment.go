package httpapi

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"

	"kechuang/internal/domain"
	"kechuang/internal/httpx"
	"kechuang/internal/rules"
)

// AssessmentRequest is the wrapped form of POST /api/v1/assessments: the
// rule sets and the facts (one object or an array, FACTS.md). The plain
// form is the facts themselves, with ?rules= in the query.
type AssessmentRequest struct {
	Rules string          `json:"rules"`
	Facts json.RawMessage `json:"facts"`
}

// assess answers exactly what `kechuang assess --format json` prints for
// the same facts and rules (rules.WriteJSON, the one encoder). Public: the
// rules are; a budget of firms per caller, the body limit and the batch
// setting keep it from exhausting the server.
func (a *API) assess(w http.ResponseWriter, r *http.Request) error {
	ct := r.Header.Get("Content-Type")
	if ct != "" && !strings.HasPrefix(ct, "application/json") {
		return domain.Errorf(domain.EINVALID, "请求体应为 application/json，实际为 %s", ct)
	}
	r.Body = http.MaxBytesReader(w, r.Body, httpx.MaxJSONBytes)
	body, err := io.ReadAll(r.Body)
	if err != nil {
		return err // an oversize body: too_large
	}
	ids, facts, err := assessmentInput(r.URL.Query().Get("rules"), body)
	if err != nil {
		return err
	}
	results, single, err := a.Svc.Assessments.Assess(r.Context(), ActorFrom(r), a.Kernel.ClientAddr(r), facts, ids)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := rules.WriteJSON(&buf, results, single); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	_, err = w.Write(buf.Bytes())
	return err
}

// assessmentInput tells the two forms apart: an object with a facts member
// is the wrapped form (its rules, or the query's; not two different ones).
func assessmentInput(query string, body []byte) (ids string, facts []byte, err error) {
	t := bytes.TrimSpace(body)
	ids = strings.TrimSpace(query)
	if len(t) == 0 || t[0] != '{' {
		return ids, body, nil
	}
	var probe map[string]json.RawMessage
	if json.Unmarshal(t, &probe) != nil {
		return ids, body, nil // the facts parser names the fault
	}
	if _, ok := probe["facts"]; !ok {
		return ids, body, nil
	}
	var req AssessmentRequest
	dec := json.NewDecoder(bytes.NewReader(t))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		return "", nil, domain.FieldErrorf("(body)", "请求应为 {\"rules\": …, \"facts\": …}：%s", err.Error())
	}
	if r := strings.TrimSpace(req.Rules); r != "" {
		if ids != "" && ids != r {
			return "", nil, domain.FieldErrorf("rules", "查询参数 rules=%s 与请求体 rules=%s 不一致", ids, r)
		}
		ids = r
	}
	return ids, req.Facts, nil
}
