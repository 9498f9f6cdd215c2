package sheetio

import (
	"io"
	"strconv"

	"kechuang/internal/domain"
)

// Column pieces the record codecs share: a column's Get and Set over one
// field of the record, in the shared cell syntax (cellparse.go).

// Getter and Setter are a column's Get and Set.
type (
	Getter[T any] = func(x *T) string
	Setter[T any] = func(x *T, v string, xlsx bool) error
)

// TextField is a text column over the field (the domain's Validate checks it).
func TextField[T any](field func(x *T) *string) (Getter[T], Setter[T]) {
	return func(x *T) string { return *field(x) },
		func(x *T, v string, _ bool) error { *field(x) = v; return nil }
}

// YuanField is an amount column in 元 over a fen field (empty is 0).
func YuanField[T any](field func(x *T) *int64) (Getter[T], Setter[T]) {
	return func(x *T) string { return YuanCell(*field(x), false) },
		func(x *T, v string, xlsx bool) (err error) {
			*field(x), err = ParseYuan(v, xlsx)
			return err
		}
}

// DateField is a YYYY-MM-DD column (xlsx date cells too; empty stays empty).
func DateField[T any](field func(x *T) *string) (Getter[T], Setter[T]) {
	return func(x *T) string { return *field(x) },
		func(x *T, v string, xlsx bool) (err error) {
			*field(x), err = ParseDate(v, xlsx)
			return err
		}
}

// IntField is a whole-number column of min to max (empty is 0).
func IntField[T any](field func(x *T) *int, min, max int) (Getter[T], Setter[T]) {
	return func(x *T) string { return strconv.Itoa(*field(x)) },
		func(x *T, v string, _ bool) (err error) {
			*field(x), err = ParseInt(v, min, max)
			return err
		}
}

// EnumField is an enumerated column: the label on export, the label or the
// code on import (empty stays empty); what names the column in the
// refusal.
func EnumField[T any, C ~string](e *domain.Enum[C], what string, field func(x *T) *C) (Getter[T], Setter[T]) {
	return func(x *T) string {
			if *field(x) == "" {
				return ""
			}
			return e.Label(*field(x))
		},
		func(x *T, v string, _ bool) error {
			c, ok := Code(e, v)
			if !ok {
				return domain.Errorf(domain.EINVALID, "%s“%s”无效，应为%s", what, v, Labels(e))
			}
			*field(x) = c
			return nil
		}
}

// ChainName is the name of the chain code among chains (the code itself
// when unknown).
func ChainName(chains []domain.Chain, code string) string {
	for _, c := range chains {
		if c.Code == code {
			return c.Name
		}
	}
	return code
}

// ChainField is an industrial-chain column: the name on export, the name or
// the code on import (empty stays empty; whether the chain is offered is
// the domain's Validate).
func ChainField[T any](chains []domain.Chain, field func(x *T) *string) (Getter[T], Setter[T]) {
	return func(x *T) string { return ChainName(chains, *field(x)) },
		func(x *T, v string, _ bool) error {
			for _, c := range chains {
				if v == c.Code || v == c.Name {
					*field(x) = c.Code
					return nil
				}
			}
			if v != "" {
				return domain.Errorf(domain.EINVALID, "产业链“%s”不存在", v)
			}
			*field(x) = ""
			return nil
		}
}

// FirstChain is the template's example chain: the first chain's name.
func FirstChain(chains []domain.Chain) string {
	if len(chains) > 0 {
		return chains[0].Name
	}
	return ""
}

// NextYearEnd is a date valid on the day of a template (today,
// YYYY-MM-DD): the end of the year after today's.
func NextYearEnd(today string) string {
	y, err := strconv.Atoi(today[:min(4, len(today))])
	if err != nil {
		return "2030-12-31"
	}
	return strconv.Itoa(y+1) + "-12-31"
}

// DecodeValid is Decode with the record's own rules: valid's problems of
// the columns whose cells read well are added to the row's, so every
// problem of the row comes at once.
func (c *Codec[T]) DecodeValid(r io.Reader, format Format, maxRows int, valid func(x *T) error,
	fn func(row int, x *T, errs []RowError) error) ([]RowError, error) {
	return c.Decode(r, format, maxRows, func(row int, x *T, errs []RowError) error {
		if err := valid(x); err != nil {
			errs = MergeRowErrors(errs, c.RowErrors(row, err))
		}
		return fn(row, x, errs)
	})
}

// WriteTemplateFile writes the codec's import template: the header row and
// the example row and, in xlsx, the 说明 sheet documenting every column.
func (c *Codec[T]) WriteTemplateFile(format Format, w io.Writer) error {
	return WriteTemplate(format, c.Template(), c.Notes(), w)
}
