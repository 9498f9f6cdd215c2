package contractio

import (
	"strconv"
	"strings"

	"kechuang/internal/domain"
)

// 非技术性费用 in one cell: items "类别:说明:单价（元）:数量" separated by
// ";". In 说明 the characters ":", ";" and "\" are escaped with "\"; an
// unescaped ":" inside 说明 is tolerated (类别 is the first part, 单价 and
// 数量 the last two).

// ParseCostItems parses the 非技术性费用 cell; "" is no items.
func ParseCostItems(s string) ([]domain.CostItem, error) {
	var out []domain.CostItem
	for _, raw := range splitEscaped(s, ';') {
		if strings.TrimSpace(raw) == "" {
			continue
		}
		n := len(out) + 1
		parts := splitEscaped(raw, ':')
		if len(parts) < 4 {
			return nil, domain.Errorf(domain.EINVALID, "第%d项“%s”格式无效，应为“类别:说明:单价（元）:数量”", n, strings.TrimSpace(unescape(raw)))
		}
		kind := costKind(strings.TrimSpace(unescape(parts[0])))
		if kind == "" {
			return nil, domain.Errorf(domain.EINVALID, "第%d项的类别“%s”无效，应为%s", n, strings.TrimSpace(unescape(parts[0])), costKindList())
		}
		desc := make([]string, 0, len(parts)-3)
		for _, d := range parts[1 : len(parts)-2] {
			desc = append(desc, unescape(d))
		}
		price, err := domain.ParseYuan(unescape(parts[len(parts)-2]))
		if err != nil {
			return nil, domain.Errorf(domain.EINVALID, "第%d项的单价：%s", n, domain.ErrorMessage(err))
		}
		qtyText := strings.TrimSpace(unescape(parts[len(parts)-1]))
		qty, err := strconv.ParseInt(qtyText, 10, 64)
		if err != nil || qty <= 0 || qtyText[0] == '+' {
			return nil, domain.Errorf(domain.EINVALID, "第%d项的数量“%s”应为正整数", n, qtyText)
		}
		out = append(out, domain.CostItem{Kind: kind, Description: strings.TrimSpace(strings.Join(desc, ":")), UnitPriceFen: price, Quantity: qty})
	}
	return out, nil
}

// FormatCostItems is the inverse of ParseCostItems.
func FormatCostItems(items []domain.CostItem) string {
	parts := make([]string, len(items))
	for i, it := range items {
		parts[i] = escape(domain.CostKindLabel(it.Kind)) + ":" + escape(it.Description) + ":" + domain.FormatYuanPlain(it.UnitPriceFen) + ":" + strconv.FormatInt(it.Quantity, 10)
	}
	return strings.Join(parts, "; ")
}

func costKind(v string) string {
	if domain.CostKinds.Valid(v) {
		return v
	}
	if code, ok := domain.CostKinds.Code(v); ok {
		return code
	}
	// The prototype label is long; accept its first half too.
	if v == "样品样机" || v == "试验装置" || v == "技术载体" {
		return "prototype"
	}
	return ""
}

func costKindList() string {
	labels := make([]string, domain.CostKinds.Len())
	for i, k := range domain.CostKinds.All() {
		labels[i] = "“" + k.Label + "”"
	}
	return strings.Join(labels, "、")
}

// splitEscaped splits s at sep, leaving escaped separators (and the
// escapes) in place for unescape.
func splitEscaped(s string, sep byte) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case sep:
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return append(out, s[start:])
}

func unescape(s string) string {
	if !strings.Contains(s, `\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

func escape(s string) string {
	if !strings.ContainsAny(s, `:;\`) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == ':' || s[i] == ';' || s[i] == '\\' {
			b.WriteByte('\\')
		}
		b.WriteByte(s[i])
	}
	return b.String()
}
