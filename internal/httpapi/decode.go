package httpapi

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"

	"kechuang/internal/domain"
)

// MaxJSONBytes bounds a JSON request body.
const MaxJSONBytes = 1 << 20

// DecodeJSON decodes one JSON object from r into v, strictly: unknown
// fields, trailing data, wrong types and oversize bodies are errors that
// name the field in Chinese.
func DecodeJSON(r io.Reader, v any) error {
	dec := json.NewDecoder(io.LimitReader(r, MaxJSONBytes+1))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	if dec.More() {
		return domain.Errorf(domain.EINVALID, "请求体只能包含一个 JSON 对象")
	}
	var extra json.RawMessage
	if err := dec.Decode(&extra); err != io.EOF {
		return domain.Errorf(domain.EINVALID, "请求体只能包含一个 JSON 对象")
	}
	return nil
}

func jsonError(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	var big *http.MaxBytesError
	switch {
	case errors.As(err, &big):
		return domain.Errorf(domain.ETOOLARGE, "请求体不能超过 %d 字节", big.Limit)
	case errors.Is(err, io.EOF):
		return domain.Errorf(domain.EINVALID, "请求体为空，应为 JSON 对象")
	case errors.Is(err, io.ErrUnexpectedEOF):
		return domain.Errorf(domain.EINVALID, "JSON 不完整或请求体超过 %d 字节", MaxJSONBytes)
	case errors.As(err, &syn):
		return domain.Errorf(domain.EINVALID, "JSON 格式错误（第 %d 字节附近）", syn.Offset)
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			field = "(根)"
		}
		return domain.FieldErrorf(field, "字段 %s 的类型错误：应为 %s", domain.Msg(field), domain.Msg(jsonKind(typ.Type.Kind().String())))
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		f := strings.Trim(strings.TrimPrefix(err.Error(), "json: unknown field "), `"`)
		return domain.FieldErrorf(f, "未知字段 %s", f)
	}
	return domain.Errorf(domain.EINVALID, "JSON 无法解析：%s", err.Error())
}

func jsonKind(k string) string {
	switch k {
	case "int", "int64", "int32", "uint", "uint64", "float64":
		return "数字"
	case "string":
		return "字符串"
	case "bool":
		return "布尔值"
	case "slice":
		return "数组"
	case "struct", "map":
		return "JSON 对象"
	}
	return k
}

func decodeBody(w http.ResponseWriter, r *http.Request, v any) error {
	ct := r.Header.Get("Content-Type")
	if ct != "" && !strings.HasPrefix(ct, "application/json") {
		return domain.Errorf(domain.EINVALID, "请求体应为 application/json，实际为 %s", ct)
	}
	r.Body = http.MaxBytesReader(w, r.Body, MaxJSONBytes)
	if err := DecodeJSON(r.Body, v); err != nil {
		return err
	}
	return nil
}
