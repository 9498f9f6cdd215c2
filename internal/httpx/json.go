package httpx

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"

	json "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"kechuang/internal/domain"
	"kechuang/internal/textnorm"
)

// MaxJSONBytes bounds a JSON request body.
const MaxJSONBytes = 1 << 20

// decodeOptions keep encoding/json's lenient reading (case-insensitive
// names, duplicate names, invalid UTF-8 replaced) but reject unknown
// members. The decoder is github.com/go-json-experiment/json (the JSON v2
// design) because its errors are typed — an unknown member is
// ErrUnknownName with a JSON pointer — where encoding/json only has text.
var decodeOptions = json.JoinOptions(
	json.RejectUnknownMembers(true),
	json.MatchCaseInsensitiveNames(true),
	jsontext.AllowDuplicateNames(true),
	jsontext.AllowInvalidUTF8(true),
)

// DecodeJSON decodes one JSON object from r into v, strictly: unknown
// fields, trailing data, wrong types and oversize bodies are errors that
// name the field in Chinese.
func DecodeJSON(r io.Reader, v any) error {
	b, err := io.ReadAll(io.LimitReader(r, MaxJSONBytes+1))
	if err != nil {
		return jsonError(err)
	}
	if err := checkJSONText(b); err != nil {
		return err
	}
	dec := jsontext.NewDecoder(bytes.NewReader(b), decodeOptions)
	if err := json.UnmarshalDecode(dec, v, decodeOptions); err != nil {
		return jsonError(err)
	}
	if _, err := dec.ReadToken(); err != io.EOF {
		return domain.Errorf(domain.EINVALID, "请求体只能包含一个 JSON 对象")
	}
	return nil
}

// checkJSONText refuses a body holding, in any member name or string,
// invalid UTF-8 or a control (tab and line breaks aside), format or
// bidirectional character, naming the member: PostgreSQL cannot store a
// NUL or bad bytes (a 500 before), and neither belongs in a record. The
// service refuses line breaks where a value is one line (names, titles).
// A syntax error ends the scan; the decoder then reports it.
func checkJSONText(b []byte) error {
	dec := jsontext.NewDecoder(bytes.NewReader(b), decodeOptions)
	for {
		if dec.PeekKind() != '"' {
			if _, err := dec.ReadToken(); err != nil {
				return nil
			}
			continue
		}
		raw, err := dec.ReadValue()
		if err != nil {
			return nil
		}
		field := fieldOf(dec.StackPointer())
		switch {
		case field == "":
			field = "(根)"
		case len(textnorm.Inspect(field, textnorm.Options{})) > 0: // the name itself is bad: name it in ASCII
			field = strconv.QuoteToASCII(field)
		}
		if !utf8.Valid(raw) {
			return textnorm.CheckField(field, string(raw[1:]), textnorm.Options{}) // after the quote
		}
		s, err := jsontext.AppendUnquote(nil, raw)
		if err != nil {
			return nil
		}
		if err := textnorm.CheckField(field, string(s), textnorm.Options{Multiline: true}); err != nil {
			return err
		}
	}
}

// jsonError classifies a decoding error by its type.
func jsonError(err error) error {
	var big *http.MaxBytesError
	var syn *jsontext.SyntacticError
	var sem *json.SemanticError
	switch {
	case errors.As(err, &big):
		return domain.Errorf(domain.ETOOLARGE, "请求体不能超过 %d 字节", big.Limit)
	case errors.Is(err, io.EOF):
		return domain.Errorf(domain.EINVALID, "请求体为空，应为 JSON 对象")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return domain.Errorf(domain.EINVALID, "JSON 不完整或请求体超过 %d 字节", MaxJSONBytes)
	case errors.As(err, &syn):
		return domain.Errorf(domain.EINVALID, "JSON 格式错误（第 %d 字节附近）", syn.ByteOffset)
	case errors.As(err, &sem) && errors.Is(sem.Err, json.ErrUnknownName):
		f := fieldOf(sem.JSONPointer)
		return domain.FieldErrorf(f, "未知字段 %s", f)
	case errors.As(err, &sem) && sem.GoType != nil:
		f := fieldOf(sem.JSONPointer)
		if f == "" {
			f = "(根)"
		}
		return domain.FieldErrorf(f, "字段 %s 的类型错误：应为 %s", domain.Msg(f), domain.Msg(jsonKind(sem.GoType)))
	}
	return domain.Errorf(domain.EINVALID, "JSON 无法解析：%s", err.Error())
}

// fieldOf turns a JSON pointer (/cost_items/0/kind) into our dotted field
// path without array indexes (cost_items.kind), the form the forms and the
// problem documents have always used.
func fieldOf(p jsontext.Pointer) string {
	var names []string
	for tok := range p.Tokens() {
		if _, err := strconv.Atoi(tok); err != nil {
			names = append(names, tok)
		}
	}
	return strings.Join(names, ".")
}

func jsonKind(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
		return "数字"
	case reflect.String:
		return "字符串"
	case reflect.Bool:
		return "布尔值"
	case reflect.Slice, reflect.Array:
		return "数组"
	case reflect.Struct, reflect.Map:
		return "JSON 对象"
	}
	return t.Kind().String()
}

// DecodeBody decodes a request's JSON body into v (see DecodeJSON),
// refusing other content types and more than MaxJSONBytes.
func DecodeBody(w http.ResponseWriter, r *http.Request, v any) error {
	ct := r.Header.Get("Content-Type")
	if ct != "" && !strings.HasPrefix(ct, "application/json") {
		return domain.Errorf(domain.EINVALID, "请求体应为 application/json，实际为 %s", ct)
	}
	r.Body = http.MaxBytesReader(w, r.Body, MaxJSONBytes)
	return DecodeJSON(r.Body, v)
}
