package web

import (
	"encoding/json"
	"fmt"
	"html/template"
	"net/url"
	"strings"
	"time"

	"kechuang/internal/domain"
	"kechuang/internal/i18n"
)

// funcsFor returns the template helpers bound to one language. Each
// language gets its own parsed copy of the templates (web.New), so a page
// never needs its FuncMap swapped per request, and no request can see
// another's language.
func funcsFor(l i18n.Lang) template.FuncMap {
	tr := func(s string) string { return i18n.T(l, s) }
	return template.FuncMap{
		"t":         func(msgid string, args ...any) string { return i18n.T(l, msgid, args...) },
		"tc":        func(context, msgid string, args ...any) string { return i18n.TC(l, context, msgid, args...) },
		"th":        func(msgid string, args ...any) template.HTML { return trustedHTML(l, msgid, args...) },
		"langName":  func(s string) string { return i18n.Name(i18n.Lang(s)) },
		"num":       func(n int64) string { return i18n.Int(l, n) },
		"yuan":      func(fen int64) string { return i18n.Yuan(l, fen) },
		"yi":        func(fen int64) string { return i18n.Yi(l, fen) },
		"money":     func(fen int64) string { return i18n.Money(l, fen, domain.UnitAuto) },
		"moneyIn":   func(u domain.MoneyUnit, fen int64) string { return i18n.Money(l, fen, u) },
		"roleLabel": func(r domain.Role) string { return tr(r.Label()) },
		"pct":       pct,
		"jsonNum":   jsonNum,
		"dateTime":  func(t time.Time) string { return i18n.DateTime(l, t.In(domain.ChinaTZ)) },
		"dateCN":    func(s string) string { return i18n.Date(l, s) },
		"add":       func(a, b int) int { return a + b },
		"seq": func(n int) []int {
			s := make([]int, n)
			for i := range s {
				s[i] = i
			}
			return s
		},
		"toJSON":     toJSON,
		"fieldErr":   func(errs map[string]string, f string) string { return errs[f] },
		"hasPrefix":  strings.HasPrefix,
		"query":      withQuery,
		"exportHref": exportHref,
		"kb":         fileSize,
		// A history step's label, by its entity's audit vocabulary (the "history" partial).
		"eventAction": func(e *domain.Event) string {
			return tr(domain.AuditActionLabel(e.Entity + "." + e.Action))
		},
	}
}

// trustedHTML renders a catalogue entry that carries markup (a link or an
// emphasis inside a sentence). The entry is ours, so it is trusted; the
// arguments are not, so they are escaped.
func trustedHTML(l i18n.Lang, msgid string, args ...any) template.HTML {
	esc := make([]any, len(args))
	for i, a := range args {
		switch a.(type) {
		case int, int64:
			esc[i] = a
		default:
			esc[i] = template.HTMLEscapeString(fmt.Sprint(a))
		}
	}
	return template.HTML(i18n.T(l, msgid, esc...))
}

func contractStatusClass(s domain.ContractStatus) string {
	return map[domain.ContractStatus]string{
		domain.ContractDraft: "badge-gray", domain.ContractSubmitted: "badge-blue", domain.ContractReturned: "badge-amber",
		domain.ContractRegistered: "badge-green", domain.ContractRefused: "badge-red",
		domain.ContractAccepted: "badge-blue", domain.ContractRejected: "badge-red",
		domain.ContractCancelled: "badge-gray", domain.ContractRevoked: "badge-red",
	}[s]
}

func contractFormLabel(f string) string {
	switch f {
	case "written":
		return "书面"
	case "oral":
		return "口头"
	}
	return f
}

func contractActionLabel(a string) string {
	if l, ok := map[string]string{"create": "创建草稿", "update": "修改", "document": "上传合同文本", "attach": "上传申请材料", "detach": "删除申请材料", "submit": "提交登记",
		"return": "退回补正", "refuse": "不予登记", "register": "认定登记", "withdraw": "撤回申请", "delete": "删除草稿",
		"accept": "受理", "reject": "不予受理", "assign": "指派评审专家", "opine": "专家评审意见",
		"change_request": "申请变更登记", "change_approve": "批准变更登记", "change_refuse": "不予变更登记",
		"cancel_request": "申请注销登记", "cancel_approve": "注销登记", "cancel_refuse": "不予注销登记",
		"revoke": "撤销登记", "object": "提出异议", "objection_decide": "处理异议", "import": "批量导入"}[a]; ok {
		return l
	}
	return a
}

// pct renders an exact percentage from the service ("12.34" → "12.34%"),
// "—" when there is no base to compare with.
func pct(n *json.Number) string {
	if n == nil {
		return "—"
	}
	return string(*n) + "%"
}

func jsonNum(n *json.Number) string {
	if n == nil {
		return ""
	}
	return string(*n)
}

// toJSON embeds data for page scripts; html/template escapes it safely
// inside <script type="application/json">.
func toJSON(v any) (template.JS, error) {
	b, err := json.Marshal(v)
	return template.JS(b), err
}

// withQuery returns the current query with one key replaced (for sort and
// pagination links that keep the filters).
// exportHref is an export link carrying a list's filters: the whole URL is
// built here, so html/template normalises it as one URL instead of
// escaping the filters into a single parameter name after the "?" (the
// walkthrough's finding 1: the link exported every row).
func exportHref(path, format, filters string) string {
	if filters == "" {
		return path + "?format=" + url.QueryEscape(format)
	}
	return path + "?format=" + url.QueryEscape(format) + "&" + filters
}

func withQuery(q url.Values, kv ...string) string {
	c := url.Values{}
	for k, v := range q {
		c[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		if kv[i+1] == "" {
			c.Del(kv[i])
		} else {
			c.Set(kv[i], kv[i+1])
		}
	}
	return "?" + c.Encode()
}

var contractSortOptions = []struct{ Key, Label string }{
	{"", "最近创建"}, {"-updated_at", "最近更新"}, {"-signed_on", "签订日期（新→旧）"}, {"-turnover_fen", "成交额（高→低）"},
	{"turnover_fen", "成交额（低→高）"}, {"-registered_on", "登记日期（新→旧）"}, {"accepted_on", "受理日期（早→晚）"},
	{"reg_no", "登记号"}, {"title", "合同名称（拼音）"}, {"seller", "卖方名称（拼音）"}, {"buyer", "买方名称（拼音）"},
}

// fileSize reads a byte count as people do: bytes, KB below a megabyte,
// MB above (walkthrough 24: "19456.9 KB").
func fileSize(n int64) string {
	switch {
	case n < 1024:
		return fmt.Sprintf("%d B", n)
	case n < 1024*1024:
		return fmt.Sprintf("%.1f KB", float64(n)/1024)
	default:
		return fmt.Sprintf("%.1f MB", float64(n)/(1024*1024))
	}
}
