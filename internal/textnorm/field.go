package textnorm

import (
	"strconv"

	"kechuang/internal/domain"
)

// CheckField refuses a value of field that holds a character Inspect
// reports, as an invalid-input error naming the field (422), so a NUL or a
// bidirectional override never reaches the database or a reader. It is the
// one check of every text that comes in: JSON members, query parameters,
// form fields and the service's names and titles.
func CheckField(field, s string, opt Options) error {
	ps := Inspect(s, opt)
	if len(ps) == 0 {
		return nil
	}
	p := ps[0]
	if p.Kind == InvalidUTF8 {
		return domain.FieldErrorf(field, "字段 %s 含有无效的UTF-8字节（第%d个字符处）", field, p.Index)
	}
	return domain.FieldErrorf(field, "字段 %s 的第%d个字符 U+%04X 是%s，不能使用", field, p.Index, p.Rune, domain.Msg(p.Kind.String()))
}

// CheckValues refuses the first value (or name) of a query or form that
// CheckField refuses; the field is the parameter's name (a bad name is
// named in ASCII quotes).
func CheckValues(vals map[string][]string, opt Options) error {
	for k, vs := range vals {
		if err := CheckField(strconv.QuoteToASCII(k), k, Options{}); err != nil {
			return err
		}
		for _, v := range vs {
			if err := CheckField(k, v, opt); err != nil {
				return err
			}
		}
	}
	return nil
}

// Name is the stored form of a name or a title (Clean: NFC, width folded,
// trimmed), refused when it holds a control, format or bidirectional
// character or invalid UTF-8 (checked before cleaning, which would hide
// bad bytes).
func Name(field, s string) (string, error) {
	if err := CheckField(field, s, Options{}); err != nil {
		return s, err
	}
	return Clean(s), nil
}
