// Package domain holds Kechuang's domain types, their validation rules and
// the error vocabulary shared by every layer. It imports nothing of the
// project: the store, the services and the HTTP layer depend on it, never
// the other way round.
package domain

import (
	"errors"
	"fmt"
)

// Error codes. Only the HTTP layer maps them to statuses (httpapi/errors.go).
const (
	ECONFLICT     = "conflict"
	EINTERNAL     = "internal"
	EINVALID      = "invalid"
	ENOTFOUND     = "not_found"
	EUNAUTHORIZED = "unauthorized" // not logged in
	EFORBIDDEN    = "forbidden"    // logged in, not allowed
	ERATELIMIT    = "rate_limited"
	ETOOLARGE     = "too_large"
	EUNAVAILABLE  = "unavailable" // the server cannot do it now (a full disk); try later
)

// Error is an error whose Message is safe to show to a user (in Chinese).
// Field names the offending input field, when there is one.
type Error struct {
	Code    string
	Field   string
	Message string
	// Fields lists every invalid field when a whole form was checked at once.
	Fields []FieldError
	// Text is Message before formatting, so a transport can render it in the
	// reader's language (package i18n); zero for errors built by hand.
	Text Text
	// RetryAfter is how many seconds a refused client should wait before
	// trying again (the Retry-After header of a rate_limited answer); 0
	// says nothing.
	RetryAfter int
}

// FieldError is one invalid field of a form.
type FieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
	Text    Text   `json:"-"` // Message before formatting, as in Error
}

// Text is a user-facing message before formatting: Format is the zh-CN
// text with printf verbs, which is also the message's id in the catalogue
// (gettext style), and Args are its arguments. An argument that is itself
// a Text is rendered in the same language, so labels and nested messages
// translate too; String gives the zh-CN text.
type Text struct {
	Format string
	Args   []any
}

// Msg returns the Text of format and args.
func Msg(format string, args ...any) Text { return Text{format, args} }

func (t Text) String() string {
	return fmt.Sprintf(t.Format, t.Args...)
}

// ErrorText returns the message of err before formatting; foreign errors
// get the generic message, like ErrorMessage.
func ErrorText(err error) Text {
	var e *Error
	if err == nil {
		return Text{}
	} else if !errors.As(err, &e) {
		return Msg(internalMessage)
	} else if e.Text.Format == "" {
		return Msg("%s", e.Message)
	}
	return e.Text
}

// internalMessage is what a user sees of an error that is not ours.
const internalMessage = "系统内部错误，请稍后重试"

func (e *Error) Error() string {
	if e.Field != "" {
		return fmt.Sprintf("%s: %s: %s", e.Code, e.Field, e.Message)
	}
	return fmt.Sprintf("%s: %s", e.Code, e.Message)
}

// Errorf returns an *Error with a formatted user-facing message.
func Errorf(code, format string, args ...any) *Error {
	// Sprintf here (not t.String) keeps vet's printf check on every caller.
	return &Error{Code: code, Message: fmt.Sprintf(format, args...), Text: Msg(format, args...)}
}

// RetryLater returns an ERATELIMIT error telling the client to wait
// seconds before trying again.
func RetryLater(seconds int, format string, args ...any) *Error {
	e := Errorf(ERATELIMIT, format, args...)
	e.RetryAfter = seconds
	return e
}

// FieldErrorf returns an EINVALID error naming field.
func FieldErrorf(field, format string, args ...any) *Error {
	t, msg := Msg(format, args...), fmt.Sprintf(format, args...)
	return &Error{Code: EINVALID, Field: field, Message: msg, Fields: []FieldError{{field, msg, t}}, Text: t}
}

// ErrorCode returns the code of err, EINTERNAL for foreign errors and "" for nil.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-facing message of err; foreign errors get a
// generic message so internals never leak.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return internalMessage
}

// Validator collects field errors so a form reports all of them at once.
type Validator struct{ errs []FieldError }

// Add records an error for field.
func (v *Validator) Add(field, format string, args ...any) {
	v.errs = append(v.errs, FieldError{field, fmt.Sprintf(format, args...), Msg(format, args...)})
}

// Check records msg for field unless ok.
func (v *Validator) Check(ok bool, field, format string, args ...any) {
	if !ok {
		v.Add(field, format, args...)
	}
}

// Err returns nil when nothing was recorded, else an EINVALID *Error whose
// Field and Message are the first problem's and Fields lists all of them.
func (v *Validator) Err() error {
	if len(v.errs) == 0 {
		return nil
	}
	first := v.errs[0]
	t := first.Text
	if len(v.errs) > 1 {
		t = Msg("%s（另有 %d 处错误）", first.Text, len(v.errs)-1)
	}
	return &Error{Code: EINVALID, Field: first.Field, Message: t.String(), Fields: v.errs, Text: t}
}

// ErrorField returns the field err names, or "".
func ErrorField(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Field
	}
	return ""
}
