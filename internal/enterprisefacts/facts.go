// Package enterprisefacts is the bridge between the enterprise registry
// and the rule engine: a filing's facts (../shared/rules/FACTS.md) are
// parsed by internal/rules (the one facts parser), checked against the
// registry firm they are filed for, and stored in one canonical JSON
// encoding. It imports only domain and rules.
package enterprisefacts

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"kechuang/internal/domain"
	"kechuang/internal/rules"
)

// Parse reads one facts object with the rule engine's parser; a bad field
// is a domain field error named "facts.<path>" (the form shows it next to
// its input) with the field's Chinese name in the message.
func Parse(raw []byte) (rules.Facts, error) {
	if t := bytes.TrimSpace(raw); len(t) > 0 && t[0] == '[' {
		return rules.Facts{}, domain.FieldErrorf("facts", "企业数据应为一个 JSON 对象，不是数组")
	}
	fs, err := rules.ParseJSON(raw)
	if err != nil {
		return rules.Facts{}, inputError(err)
	}
	if len(fs) != 1 {
		return rules.Facts{}, domain.FieldErrorf("facts", "企业数据应为一个 JSON 对象，不是数组")
	}
	f := fs[0]
	for _, m := range []struct {
		group string
		keys  map[string]bool
	}{{"flags", f.Flags}, {"direct", f.Direct}} {
		for k := range m.keys {
			if !knownKey(m.group, k) {
				return rules.Facts{}, domain.FieldErrorf("facts."+m.group+"."+k, "未知字段“%s.%s”", m.group, k)
			}
		}
	}
	for k := range f.ExpertScores {
		if !knownKey("expert", k) {
			return rules.Facts{}, domain.FieldErrorf("facts.expert_scores."+k, "未知字段“expert_scores.%s”", k)
		}
	}
	return f, nil
}

// knownKey reports whether group.key is a column of the rule engine's flat
// form (flags_…, direct_…, expert_…): the keys the rule sets read.
func knownKey(group, key string) bool {
	for _, c := range rules.TableColumns() {
		if c == group+"_"+key {
			return true
		}
	}
	return false
}

// inputError turns the parser's error into a field error.
func inputError(err error) error {
	var ie *rules.InputError
	if !errors.As(err, &ie) {
		return domain.FieldErrorf("facts", "企业数据无效：%s", err.Error())
	}
	switch ie.Field {
	case "", "(input)", "(object)":
		return domain.FieldErrorf("facts", "企业数据无效：%s", ie.Msg)
	}
	label := Label(ie.Field)
	return domain.FieldErrorf("facts."+ie.Field, "%s：%s", label, ie.Msg)
}

// Canonical checks raw facts for firm x and returns them in the canonical
// encoding with their assessment year (the year of assessed_on, which is
// required). The firm's credit code and registration date fill the facts
// that lack them; a different code or date is refused; the name is the
// registry's when not given.
func Canonical(x *domain.Enterprise, raw []byte) (json.RawMessage, int, error) {
	f, err := Parse(raw)
	if err != nil {
		return nil, 0, err
	}
	return Complete(x, f)
}

// Complete is Canonical for facts already parsed.
func Complete(x *domain.Enterprise, f rules.Facts) (json.RawMessage, int, error) {
	if f.USCC == "" {
		f.USCC = x.USCC
	} else if domain.NormalizeUSCC(f.USCC) != x.USCC {
		return nil, 0, domain.FieldErrorf("facts.uscc", "统一社会信用代码 %s 与企业库中的 %s 不一致", f.USCC, x.USCC)
	}
	f.USCC = x.USCC
	if strings.TrimSpace(f.Name) == "" {
		f.Name = x.Name
	}
	if f.RegisteredOn == nil {
		r := x.RegisteredOn
		f.RegisteredOn = &r
	} else if *f.RegisteredOn != x.RegisteredOn {
		return nil, 0, domain.FieldErrorf("facts.registered_on", "成立日期 %s 与企业库中的 %s 不一致", *f.RegisteredOn, x.RegisteredOn)
	}
	if f.AssessedOn == nil {
		return nil, 0, domain.FieldErrorf("facts.assessed_on", "%s必填（其年份即填报年度）", Label("assessed_on"))
	}
	if *f.AssessedOn < *f.RegisteredOn {
		return nil, 0, domain.FieldErrorf("facts.assessed_on", "评价日期不能早于成立日期（%s）", *f.RegisteredOn)
	}
	var year int
	fmt.Sscanf(*f.AssessedOn, "%4d", &year)
	if year < domain.MinFilingYear || year > domain.MaxFilingYear {
		return nil, 0, domain.FieldErrorf("facts.assessed_on", "评价日期的年份应在%d至%d之间", domain.MinFilingYear, domain.MaxFilingYear)
	}
	return Encode(f), year, nil
}

// Encode is the canonical encoding of facts: encoding/json of the rule
// engine's type (fields in its order, map keys sorted, absent facts
// omitted).
func Encode(f rules.Facts) json.RawMessage {
	b, err := json.Marshal(f)
	if err != nil { // rules.Facts holds only strings, numbers, booleans and maps of them
		panic(fmt.Sprintf("enterprisefacts: encode: %v", err))
	}
	return b
}

// Decode reads stored (canonical) facts back.
func Decode(raw json.RawMessage) (rules.Facts, error) {
	f, err := Parse(raw)
	if err != nil {
		return rules.Facts{}, fmt.Errorf("enterprisefacts: stored facts: %w", err)
	}
	return f, nil
}

// Keys lists the keys of a flags/direct/expert group in the rule engine's
// order (the form's and the template's order).
func Keys(group string) []string {
	var out []string
	for _, c := range rules.TableColumns() {
		if k, ok := strings.CutPrefix(c, group+"_"); ok {
			out = append(out, k)
		}
	}
	return out
}
