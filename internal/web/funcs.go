package web

import (
	"encoding/json"
	"fmt"
	"html/template"
	"net/url"
	"strings"

	"kechuang/internal/domain"
)

// funcs are the template helpers shared by every page.
var funcs = template.FuncMap{
	"yuan":        domain.FormatYuan,
	"money":       func(fen int64) string { return domain.FormatMoney(fen, domain.UnitAuto) },
	"moneyIn":     func(u domain.MoneyUnit, fen int64) string { return domain.FormatMoney(fen, u) },
	"statusLabel": func(s any) string { return domain.ContractStatus(fmt.Sprint(s)).Label() }, // statuses and history steps (strings)
	"statusClass": statusClass,
	"category":    domain.CategoryLabel,
	"subType":     domain.SubTypeLabel,
	"field":       domain.TechFieldLabel,
	"refusal":     domain.RefusalLabel,
	"flagLabel":   domain.FlagLabel,
	"costKind":    domain.CostKindLabel,
	"partyType":   func(p domain.PartyType) string { return p.Label() },
	"roleLabel":   func(r domain.Role) string { return r.Label() },
	"formLabel":   formLabel,
	"actionLabel": actionLabel,
	"pct":         pct,
	"jsonNum":     jsonNum,
	"dateTime":    domain.FormatDateTime,
	"dateCN":      dateCN,
	"add":         func(a, b int) int { return a + b },
	"seq": func(n int) []int {
		s := make([]int, n)
		for i := range s {
			s[i] = i
		}
		return s
	},
	"toJSON":      toJSON,
	"fieldErr":    func(errs map[string]string, f string) string { return errs[f] },
	"hasPrefix":   strings.HasPrefix,
	"query":       withQuery,
	"sortOptions": func() []struct{ Key, Label string } { return sortOptions },
	"partyKeys":   func() []string { return []string{"name", "uscc", "region_code", "type"} },
	"kb":          func(n int64) string { return fmt.Sprintf("%.1f KB", float64(n)/1024) },
}

func statusClass(s domain.ContractStatus) string {
	return map[domain.ContractStatus]string{
		domain.ContractDraft: "badge-gray", domain.ContractSubmitted: "badge-blue", domain.ContractReturned: "badge-amber",
		domain.ContractRegistered: "badge-green", domain.ContractRefused: "badge-red",
	}[s]
}

func formLabel(f string) string {
	switch f {
	case "written":
		return "书面"
	case "oral":
		return "口头"
	}
	return f
}

func actionLabel(a string) string {
	if l, ok := map[string]string{"create": "创建草稿", "update": "修改", "document": "上传合同文本", "submit": "提交登记",
		"return": "退回补正", "refuse": "不予登记", "register": "认定登记"}[a]; ok {
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

// dateCN renders 2022-06-01 as 2022年6月1日.
func dateCN(s string) string {
	t, err := domain.ParseDate(s)
	if err != nil {
		return s
	}
	return fmt.Sprintf("%d年%d月%d日", t.Year(), t.Month(), t.Day())
}

// toJSON embeds data for page scripts; html/template escapes it safely
// inside <script type="application/json">.
func toJSON(v any) (template.JS, error) {
	b, err := json.Marshal(v)
	return template.JS(b), err
}

// withQuery returns the current query with one key replaced (for sort and
// pagination links that keep the filters).
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

var sortOptions = []struct{ Key, Label string }{
	{"", "最近创建"}, {"-updated_at", "最近更新"}, {"-signed_on", "签订日期（新→旧）"}, {"-turnover_fen", "成交额（高→低）"},
	{"turnover_fen", "成交额（低→高）"}, {"-registered_on", "登记日期（新→旧）"}, {"accepted_on", "受理日期（早→晚）"},
	{"reg_no", "登记号"}, {"title", "合同名称"},
}
