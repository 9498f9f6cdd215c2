package httpx

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"kechuang/internal/domain"
	"kechuang/internal/i18n"
)

// statusOf is the one table mapping domain error codes to HTTP statuses.
var statusOf = map[string]int{
	domain.ECONFLICT:     http.StatusConflict,
	domain.EINTERNAL:     http.StatusInternalServerError,
	domain.EINVALID:      http.StatusUnprocessableEntity,
	domain.ENOTFOUND:     http.StatusNotFound,
	domain.EUNAUTHORIZED: http.StatusUnauthorized,
	domain.EFORBIDDEN:    http.StatusForbidden,
	domain.ERATELIMIT:    http.StatusTooManyRequests,
	domain.ETOOLARGE:     http.StatusRequestEntityTooLarge,
	domain.EUNAVAILABLE:  http.StatusServiceUnavailable,
}

// CodeMethodNotAllowed is the problem code of a MethodNotAllowedError. It
// is an HTTP matter, not a domain one, so it is not a domain code.
const CodeMethodNotAllowed = "method_not_allowed"

// MethodNotAllowedError is a request for a path that exists, with a method
// it does not serve. The problem writer answers 405 with an Allow header.
type MethodNotAllowedError struct {
	Method string
	Allow  []string
}

// Error is for logs; the client's message is classify's, in its language.
func (e *MethodNotAllowedError) Error() string {
	return "httpx: method " + e.Method + " not allowed; allowed: " + strings.Join(e.Allow, ", ")
}

// classify turns err into the domain error the client sees, by type:
// domain errors as they are, an oversize body as too_large, a wrong method
// under its own code, and anything else as an internal error.
func classify(err error) *domain.Error {
	var de *domain.Error
	var big *http.MaxBytesError
	var mna *MethodNotAllowedError
	switch {
	case errors.As(err, &mna):
		return domain.Errorf(CodeMethodNotAllowed, "该接口不支持 %s 方法，可用：%s", mna.Method, strings.Join(mna.Allow, ", "))
	case errors.As(err, &de):
		return de
	case errors.As(err, &big):
		return domain.Errorf(domain.ETOOLARGE, "请求体不能超过 %d 字节", big.Limit)
	}
	return &domain.Error{Code: domain.EINTERNAL, Message: domain.ErrorMessage(err), Text: domain.ErrorText(err)}
}

// ProblemCodes lists every code a problem document can carry, sorted (the
// OpenAPI test checks the document's enum against it).
func ProblemCodes() []string {
	out := []string{CodeMethodNotAllowed}
	for c := range statusOf {
		out = append(out, c)
	}
	sort.Strings(out)
	return out
}

// StatusOf returns the HTTP status of an error.
func StatusOf(err error) int {
	e := classify(err)
	if e.Code == CodeMethodNotAllowed {
		return http.StatusMethodNotAllowed
	}
	if st, ok := statusOf[e.Code]; ok {
		return st
	}
	return http.StatusInternalServerError
}

// Problem is an RFC 9457 problem document with our machine code. Members
// are its extension members (RFC 9457 §3.2), written after the standard
// ones; a member never replaces one of those.
type Problem struct {
	Type    string                     `json:"type"`
	Title   string                     `json:"title"`
	Status  int                        `json:"status"`
	Code    string                     `json:"code"`
	Detail  string                     `json:"detail"`
	Field   string                     `json:"field,omitempty"`
	Errors  []domain.FieldError        `json:"errors,omitempty"`
	Members map[string]json.RawMessage `json:"-"`
}

// MarshalJSON writes the standard members, then the extension members in
// name order.
func (p Problem) MarshalJSON() ([]byte, error) {
	type plain Problem
	b, err := marshal(plain(p))
	if err != nil || len(p.Members) == 0 {
		return b, err
	}
	b = bytes.TrimSuffix(b, []byte("\n"))
	var own map[string]json.RawMessage
	if err := json.Unmarshal(b, &own); err != nil {
		return nil, err
	}
	names := make([]string, 0, len(p.Members))
	for k := range p.Members {
		if _, taken := own[k]; !taken {
			names = append(names, k)
		}
	}
	sort.Strings(names)
	var buf bytes.Buffer
	buf.Write(b[:len(b)-1]) // without the closing brace
	for _, k := range names {
		kb, _ := json.Marshal(k)
		buf.WriteByte(',')
		buf.Write(kb)
		buf.WriteByte(':')
		buf.Write(p.Members[k])
	}
	buf.WriteByte('}')
	return buf.Bytes(), nil
}

// MembersError carries extension members for the problem document of Err,
// such as an import's row report.
type MembersError struct {
	Err     error
	Members any // a struct or map whose JSON members are added
}

func (e *MembersError) Error() string { return e.Err.Error() }
func (e *MembersError) Unwrap() error { return e.Err }

// WithMembers returns err carrying the JSON members of v into its problem
// document.
func WithMembers(err error, v any) error { return &MembersError{Err: err, Members: v} }

// ProblemOf builds the problem document of err, its messages in the
// language l.
func ProblemOf(l i18n.Lang, err error) Problem {
	e := i18n.Error(l, classify(err))
	st := StatusOf(err)
	p := Problem{Type: "about:blank", Title: http.StatusText(st), Status: st, Code: e.Code, Detail: e.Message, Field: e.Field, Errors: e.Fields}
	var me *MembersError
	if errors.As(err, &me) {
		if b, merr := marshal(me.Members); merr == nil {
			json.Unmarshal(b, &p.Members)
		}
	}
	return p
}

// WriteProblem answers err as application/problem+json. It is the one
// writer of error answers: only internal errors are logged, and their
// cause never reaches the client.
func WriteProblem(w http.ResponseWriter, r *http.Request, log *slog.Logger, err error) {
	if ClientGone(r, err) {
		log.Debug("client gone", "method", r.Method, "path", r.URL.Path, "err", err)
		w.WriteHeader(StatusClientClosed)
		return
	}
	p := ProblemOf(i18n.FromContext(r.Context()), err) // detail and field errors in the reader's language
	switch p.Code {
	case domain.EINTERNAL:
		log.Error("internal error", "method", r.Method, "path", r.URL.Path, "err", err)
	case domain.EUNAVAILABLE:
		log.Error("unavailable", "method", r.Method, "path", r.URL.Path, "err", err)
	}
	var mna *MethodNotAllowedError
	if errors.As(err, &mna) {
		w.Header().Set("Allow", strings.Join(mna.Allow, ", "))
	}
	SetRetryAfter(w, err)
	b, merr := marshal(p)
	if merr != nil {
		log.Error("problem: marshal", "err", merr)
		b, _ = marshal(ProblemOf(i18n.FromContext(r.Context()), domain.Errorf(domain.EINTERNAL, "系统内部错误")))
	}
	w.Header().Set("Content-Type", "application/problem+json; charset=utf-8")
	w.WriteHeader(p.Status)
	w.Write(b)
}

// SetRetryAfter sets the Retry-After header of an answer refusing err
// when err says how long to wait (a rate limit); pages answering an error
// themselves call it too.
func SetRetryAfter(w http.ResponseWriter, err error) {
	var de *domain.Error
	if errors.As(err, &de) && de.RetryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(de.RetryAfter))
	}
}

// StatusClientClosed is what the log and the metrics record for a request
// whose client went away before the answer (nginx's 499): not a server
// error, and nobody reads the body.
const StatusClientClosed = 499

// ClientGone reports whether err came after the client went away (the
// request's context was cancelled): whatever it is, it is a consequence
// (a cancelled query, a session lookup that failed and made the request
// anonymous), not a fault to log or alert on (L4: wrk's closed
// connections were logged as ERROR "internal error" and counted as 500s; on
// PostgreSQL the same surfaces as "driver: bad connection").
func ClientGone(r *http.Request, err error) bool {
	return err != nil && errors.Is(r.Context().Err(), context.Canceled)
}

// Error writes err as problem+json with the kernel's logger.
func (k *Kernel) Error(w http.ResponseWriter, r *http.Request, err error) {
	WriteProblem(w, r, k.Log, err)
}

// HandlerFunc is a handler that returns its error instead of answering it.
// It returns an error only before it has written anything.
type HandlerFunc func(w http.ResponseWriter, r *http.Request) error

// Handler adapts f to http.Handler: an error it returns is answered as a
// problem document.
func (k *Kernel) Handler(f HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if err := f(w, r); err != nil {
			k.Error(w, r, err)
		}
	})
}

// JSON answers v as JSON with status. It marshals before writing, so a
// value that cannot be encoded is returned as an error while the answer can
// still become a problem; write errors (a client gone) are not reported.
func JSON(w http.ResponseWriter, status int, v any) error {
	b, err := marshal(v)
	if err != nil {
		return fmt.Errorf("httpx: encode answer: %w", err)
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.WriteHeader(status)
	w.Write(b)
	return nil
}

// marshal encodes like json.Encoder with HTML escaping off (Chinese text
// and "<" stay readable), ending in a newline.
func marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
