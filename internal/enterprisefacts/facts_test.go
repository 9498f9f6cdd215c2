package enterprisefacts

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"kechuang/internal/domain"
)

var firm = &domain.Enterprise{USCC: "91210100MA0Y6KJG4W", Name: "沈阳示例科技有限公司", RegisteredOn: "2016-04-12"}

// valueOf is a valid value of a field's kind.
func valueOf(f Field) any {
	switch f.Kind {
	case KindDate:
		return "2023-05-20"
	case KindBool:
		return true
	case KindEnum:
		return f.Choices[1].Code
	case KindScore:
		return 5
	}
	return 7
}

// set puts v at a dotted path of m.
func set(m map[string]any, path string, v any) {
	head, rest, ok := strings.Cut(path, ".")
	if !ok {
		m[path] = v
		return
	}
	sub, _ := m[head].(map[string]any)
	if sub == nil {
		sub = map[string]any{}
		m[head] = sub
	}
	set(sub, rest, v)
}

// Every field of the catalogue is a fact the rule engine's parser knows
// and keeps (a renamed or misspelt path fails here).
func TestEveryFieldIsAFact(t *testing.T) {
	m := map[string]any{}
	for _, f := range Fields {
		set(m, f.Path, valueOf(f))
	}
	m["tech_staff"] = 5
	y := map[string]any{}
	for _, f := range YearFields {
		y[f.Path] = valueOf(f)
	}
	y["year"] = 2022
	m["years"] = []any{y}
	raw, _ := json.Marshal(m)
	out, year, err := Canonical(firm, raw)
	if err != nil {
		t.Fatal(err)
	}
	if year != 2023 {
		t.Errorf("year %d", year)
	}
	var back map[string]any
	json.Unmarshal(out, &back)
	for _, f := range Fields {
		cur := back
		parts := strings.Split(f.Path, ".")
		for _, p := range parts[:len(parts)-1] {
			cur, _ = cur[p].(map[string]any)
		}
		if _, ok := cur[parts[len(parts)-1]]; !ok {
			t.Errorf("%s (%s) lost in %s", f.Path, f.Label, out)
		}
	}
	if back["uscc"] != firm.USCC || back["name"] != firm.Name || back["registered_on"] != firm.RegisteredOn {
		t.Errorf("registry facts not filled: %s", out)
	}
	again, _, err := Canonical(firm, out)
	if err != nil || string(again) != string(out) {
		t.Errorf("not canonical:\n%s\n%s (%v)", out, again, err)
	}
}

func TestCanonicalRefusals(t *testing.T) {
	for _, c := range []struct{ in, field, msg string }{
		{`{}`, "facts.assessed_on", "评价日期必填"},
		{`{"assessed_on":"2023-02-30"}`, "facts.assessed_on", "评价日期"},
		{`{"assessed_on":"2023-05-20","employees":-1}`, "facts.employees", "职工总数"},
		{`{"assessed_on":"2023-05-20","employees":"x"}`, "facts.employees", "职工总数"},
		{`{"assessed_on":"2023-05-20","years":[{"year":2022,"rd_expense_fen":-5}]}`, "facts.years[0].rd_expense_fen", "第1个会计年度 研发费用"},
		{`{"assessed_on":"2023-05-20","flags":{"nonsense":true}}`, "facts.flags.nonsense", "未知字段"},
		{`{"assessed_on":"2023-05-20","expert_scores":{"nonsense":1}}`, "facts.expert_scores.nonsense", "未知字段"},
		{`{"assessed_on":"2023-05-20","bogus":1}`, "facts.bogus", "未知字段"},
		{`{"assessed_on":"2023-05-20","uscc":"91210100MA0Y6KJG5W"}`, "facts.uscc", "不一致"},
		{`{"assessed_on":"2023-05-20","registered_on":"2017-01-01"}`, "facts.registered_on", "不一致"},
		{`{"assessed_on":"2015-05-20"}`, "facts.assessed_on", "早于"},
		{`[{"assessed_on":"2023-05-20"}]`, "facts", "不是数组"},
		{`not json`, "facts", "企业数据无效"},
	} {
		_, _, err := Canonical(firm, []byte(c.in))
		var e *domain.Error
		if !errors.As(err, &e) || e.Field != c.field || !strings.Contains(e.Message, c.msg) {
			t.Errorf("%s: %v, want %s: …%s…", c.in, err, c.field, c.msg)
		}
	}
}
