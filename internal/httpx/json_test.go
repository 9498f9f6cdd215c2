package httpx

import (
	"bytes"
	"strings"
	"testing"

	"kechuang/internal/domain"
	"kechuang/internal/textnorm"
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
		// M6: PostgreSQL cannot store these (500 before); none belongs in a record.
		{"NUL", `{"title":"东北\u0000大学"}`, domain.EINVALID, "title", "U+0000 是控制字符"},
		{"BEL", `{"seller":{"uscc":"\u0007"}}`, domain.EINVALID, "seller.uscc", "U+0007 是控制字符"},
		{"InvalidUTF8", "{\"title\":\"a\xffb\"}", domain.EINVALID, "title", "无效的UTF-8"},
		{"ZWSPInArray", `{"items":[{"uscc":"9\u200b1"}]}`, domain.EINVALID, "items.uscc", "U+200B 是不可见的格式字符"},
		{"RLO", `{"title":"合同\u202egpj.pdf"}`, domain.EINVALID, "title", "U+202E 是双向文本控制字符"},
		{"BadName", `{"ti\u0000tle":"x"}`, domain.EINVALID, `"ti\x00tle"`, "控制字符"},
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
	if err := DecodeJSON(strings.NewReader("{\"title\":\"一行\\n二行\\t\"}"), &v); err != nil || v.Title != "一行\n二行\t" {
		t.Fatalf("line breaks and tabs are text: %v %q", err, v.Title)
	}
	if err := DecodeJSON(strings.NewReader(`{"Title":"a","seller":{"uscc":"b"},"items":[{"uscc":"c"}]}`), &v); err != nil || v.Title != "a" || v.Seller.USCC != "b" || v.Items[0].USCC != "c" {
		t.Fatalf("good body: %v %+v", err, v)
	}
}

func asDomain(err error, e **domain.Error) bool {
	d, ok := err.(*domain.Error)
	*e = d
	return ok
}

// FuzzDecodeJSONText: whatever the bytes, DecodeJSON never panics, and a
// body it accepts holds no string (member names included) with invalid
// UTF-8 or a control, format or bidirectional character but tab and line
// breaks (M6).
func FuzzDecodeJSONText(f *testing.F) {
	f.Add([]byte(`{"title":"东北大学","seller":{"uscc":"91"},"items":[{"uscc":"x"}],"extra":{"a":"b"}}`))
	f.Add([]byte(`{"title":"a\u0000"}`))
	f.Add([]byte("{\"title\":\"\xff\"}"))
	f.Add([]byte(`{"extra":{"\u202e":"x"}}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var v struct {
			decodeBody
			Extra map[string]string `json:"extra"`
			Tags  []string          `json:"tags"`
		}
		err := DecodeJSON(bytes.NewReader(b), &v)
		if err != nil {
			if domain.ErrorMessage(err) == "" || (domain.ErrorCode(err) != domain.EINVALID && domain.ErrorCode(err) != domain.ETOOLARGE) {
				t.Fatalf("error %v (code %s)", err, domain.ErrorCode(err))
			}
			return
		}
		texts := []string{v.Title, v.Seller.USCC}
		for _, it := range v.Items {
			texts = append(texts, it.USCC)
		}
		for k, x := range v.Extra {
			texts = append(texts, k, x)
		}
		texts = append(texts, v.Tags...)
		for _, s := range texts {
			if ps := textnorm.Inspect(s, textnorm.Options{Multiline: true}); len(ps) > 0 {
				t.Fatalf("accepted %q holding %v", s, ps[0])
			}
		}
	})
}
