package httpx

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"kechuang/internal/domain"
)

func writeProblem(t *testing.T, err error) (*httptest.ResponseRecorder, map[string]any) {
	t.Helper()
	rec := httptest.NewRecorder()
	WriteProblem(rec, httptest.NewRequest("GET", "/x", nil), slog.New(slog.NewTextHandler(io.Discard, nil)), err)
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/problem+json") {
		t.Fatalf("Content-Type %q", ct)
	}
	var m map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &m); err != nil {
		t.Fatalf("problem is not JSON: %v\n%s", err, rec.Body)
	}
	return rec, m
}

// Errors are classified by type, wrapped or not.
func TestProblemClassifiesByType(t *testing.T) {
	for _, tc := range []struct {
		name   string
		err    error
		status int
		code   string
		field  string
	}{
		{"DomainError", domain.FieldErrorf("title", "请填写标题"), 422, domain.EINVALID, "title"},
		{"WrappedDomainError", fmt.Errorf("save: %w", domain.FieldErrorf("title", "请填写标题")), 422, domain.EINVALID, "title"},
		{"MaxBytes", fmt.Errorf("read: %w", &http.MaxBytesError{Limit: 10}), 413, domain.ETOOLARGE, ""},
		{"MethodNotAllowed", &MethodNotAllowedError{Method: "DELETE", Allow: []string{"GET", "POST"}}, 405, CodeMethodNotAllowed, ""},
		{"Foreign", io.ErrClosedPipe, 500, domain.EINTERNAL, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec, p := writeProblem(t, tc.err)
			if rec.Code != tc.status || p["status"] != float64(tc.status) || p["code"] != tc.code || p["type"] != "about:blank" {
				t.Fatalf("got %d %v, want %d %s", rec.Code, p, tc.status, tc.code)
			}
			if f, _ := p["field"].(string); f != tc.field {
				t.Fatalf("field %q, want %q", f, tc.field)
			}
			if tc.code == domain.EINTERNAL && strings.Contains(rec.Body.String(), "closed pipe") {
				t.Fatalf("an internal cause reached the client: %s", rec.Body)
			}
			if tc.code == CodeMethodNotAllowed && rec.Header().Get("Allow") != "GET, POST" {
				t.Fatalf("Allow %q", rec.Header().Get("Allow"))
			}
		})
	}
}

// Extension members follow the standard ones and never replace them.
func TestProblemMembers(t *testing.T) {
	report := struct {
		Rows   int      `json:"rows"`
		Errors []string `json:"errors"`
		Status string   `json:"status"`
	}{3, []string{"第2行：缺少标题"}, "overridden?"}
	rec, p := writeProblem(t, WithMembers(domain.Errorf(domain.EINVALID, "导入失败"), report))
	if rec.Code != 422 || p["status"] != float64(422) || p["detail"] != "导入失败" || p["rows"] != float64(3) {
		t.Fatalf("problem %v", p)
	}
	if errs, _ := p["errors"].([]any); len(errs) != 1 || errs[0] != "第2行：缺少标题" {
		t.Fatalf("errors member %v", p["errors"])
	}
	if i, j := strings.Index(rec.Body.String(), `"detail"`), strings.Index(rec.Body.String(), `"rows"`); i < 0 || j < i {
		t.Fatalf("extension members should follow the standard ones: %s", rec.Body)
	}
}

// An upload over the limit is too_large whether the body limit or the
// multipart parser stops it, found by the error's type.
func TestReadUploadTooLarge(t *testing.T) {
	const max = 1 << 20
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	fw, _ := mw.CreateFormFile("file", "big.csv")
	fw.Write(bytes.Repeat([]byte("x"), 3*max))
	mw.Close()
	for _, tc := range []struct {
		name, ctype string
		body        []byte
	}{
		{"Multipart", mw.FormDataContentType(), buf.Bytes()},
		{"Raw", "text/csv", bytes.Repeat([]byte("x"), 3*max)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := httptest.NewRequest("POST", "/upload", bytes.NewReader(tc.body))
			r.Header.Set("Content-Type", tc.ctype)
			_, _, err := ReadUpload(httptest.NewRecorder(), r, "file", max)
			if domain.ErrorCode(err) != domain.ETOOLARGE || StatusOf(err) != 413 {
				t.Fatalf("err = %v (%s)", err, domain.ErrorCode(err))
			}
		})
	}
	r := httptest.NewRequest("POST", "/upload", strings.NewReader("a,b\n"))
	r.Header.Set("Content-Type", "text/csv")
	r.Header.Set("Content-Disposition", `attachment; filename="c.csv"`)
	if name, b, err := ReadUpload(httptest.NewRecorder(), r, "file", max); err != nil || name != "c.csv" || string(b) != "a,b\n" {
		t.Fatalf("small upload: %q %q %v", name, b, err)
	}
}
