package i18n

import (
	"errors"

	"kechuang/internal/domain"
)

// Error returns err's *domain.Error with its messages rendered in l, for a
// problem+json answer or a page; a foreign error becomes the generic
// internal error, so its cause never reaches the user.
func Error(l Lang, err error) *domain.Error {
	var e *domain.Error
	if !errors.As(err, &e) {
		return &domain.Error{Code: domain.EINTERNAL, Message: Text(l, domain.ErrorText(err)), Text: domain.ErrorText(err)}
	}
	out := *e
	out.Message = render(l, e.Text, e.Message)
	if e.Fields != nil {
		out.Fields = make([]domain.FieldError, len(e.Fields))
		for i, f := range e.Fields {
			f.Message = render(l, f.Text, f.Message)
			out.Fields[i] = f
		}
	}
	return &out
}

// Message returns err's user-facing message in l (ErrorMessage, translated).
func Message(l Lang, err error) string {
	if err == nil {
		return ""
	}
	return Error(l, err).Message
}

// render prefers the unformatted text; an error built by hand has only its
// zh-CN message, which is looked up as it is.
func render(l Lang, t domain.Text, msg string) string {
	if t.Format == "" {
		return T(l, msg)
	}
	return Text(l, t)
}
