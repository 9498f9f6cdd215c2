package httpx

import (
	"strings"
	"testing"

	"kechuang/internal/domain"
)

type decodeInner struct {
	USCC string `json:"uscc"`
}

type decodeBody struct {
	Title   string        `json:"title"`
	Version int64         `json:"version"`
	Seller  decodeInner   `json:"seller"`
	Items   []decodeInner `json:"items"`
}

// Every way a body can be wrong answers invalid (or too_large) with a
// message, and names the field when there is one.
func TestDecodeJSONErrors(t *testing.T) {
	for _, tc := range []struct {
		name, body, code, field, msg string
	}{
		{"Empty", ``, domain.EINVALID, "", "请求体为空"},
		{"UnknownField", `{"nope":1}`, domain.EINVALID, "nope", "未知字段 nope"},
		{"UnknownNestedField", `{"seller":{"x":1}}`, domain.EINVALID, "seller.x", "未知字段 seller.x"},
		{"WrongTypeInArray", `{"items":[{"uscc":1}]}`, domain.EINVALID, "items.uscc", "应为 字符串"},
		{"WrongType", `{"version":"1"}`, domain.EINVALID, "version", "应为 数字"},
		{"WrongNestedType", `{"seller":{"uscc":5}}`, domain.EINVALID, "seller.uscc", "应为 字符串"},
		{"WrongRootType", `[1]`, domain.EINVALID, "(根)", "应为 JSON 对象"},
		{"Syntax", `{"title":}`, domain.EINVALID, "", "JSON 格式错误"},
		{"Truncated", `{"title":"x"`, domain.EINVALID, "", "JSON 不完整"},
		{"Trailing", `{} {}`, domain.EINVALID, "", "只能包含一个"},
		{"TooLarge", `{"title":"` + strings.Repeat("x", MaxJSONBytes) + `"}`, domain.EINVALID, "", "JSON 不完整"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var v decodeBody
			err := DecodeJSON(strings.NewReader(tc.body), &v)
			var e *domain.Error
			if err == nil || !asDomain(err, &e) {
				t.Fatalf("err = %v, want a domain error", err)
			}
			if e.Code != tc.code || e.Field != tc.field || !strings.Contains(e.Message, tc.msg) {
				t.Fatalf("got code %q field %q %q; want %q %q containing %q", e.Code, e.Field, e.Message, tc.code, tc.field, tc.msg)
			}
		})
	}
	var v decodeBody
	if err := DecodeJSON(strings.NewReader(`{"Title":"a","seller":{"uscc":"b"},"items":[{"uscc":"c"}]}`), &v); err != nil || v.Title != "a" || v.Seller.USCC != "b" || v.Items[0].USCC != "c" {
		t.Fatalf("good body: %v %+v", err, v)
	}
}

func asDomain(err error, e **domain.Error) bool {
	d, ok := err.(*domain.Error)
	*e = d
	return ok
}
