package domain

import (
	"errors"
	"testing"
)

func validNeed() *Need {
	return &Need{
		Title:        "汽车焊装线视觉检测系统",
		Problem:      "我公司焊装线焊点质量依赖人工抽检，漏检率高，希望引入机器视觉实现焊点在线全检并与产线系统对接。",
		Indicators:   []NeedIndicator{{Indicator: "漏检率", Target: "≤0.1", Unit: "%"}, {Indicator: "检测节拍", Target: "≤2", Unit: "秒/件"}},
		BudgetMinFen: 500_000_00, BudgetMaxFen: 1_000_000_00, Deadline: "2026-12-31", ChainCode: "robotics",
		Keywords: []string{"机器视觉", "焊点"}, Stage: "pilot", Modes: []string{"develop"},
		ContactName: "张工", ContactPhone: "024-2345 6789", OwnerOrgID: 9,
	}
}

func TestNeedValidate(t *testing.T) {
	chains := []string{"materials", "robotics"}
	const today = "2026-12-01"
	if err := validNeed().Validate(chains, today); err != nil {
		t.Fatalf("valid need refused: %v", err)
	}
	cases := []struct {
		name  string
		field string
		edit  func(x *Need)
	}{
		{"no title", "title", func(x *Need) { x.Title = "" }},
		{"short problem", "problem", func(x *Need) { x.Problem = "太短" }},
		{"no indicators", "indicators", func(x *Need) { x.Indicators = nil }},
		{"indicator without name", "indicators[1].indicator", func(x *Need) { x.Indicators[1].Indicator = "" }},
		{"indicator without target", "indicators[0].target", func(x *Need) { x.Indicators[0].Target = "" }},
		{"negative budget", "budget_min_fen", func(x *Need) { x.BudgetMinFen = -1 }},
		{"max below min", "budget_max_fen", func(x *Need) { x.BudgetMaxFen = x.BudgetMinFen - 1 }},
		{"min without max", "budget_max_fen", func(x *Need) { x.BudgetMaxFen = 0 }},
		{"bad deadline", "deadline", func(x *Need) { x.Deadline = "2026-02-30" }},
		{"deadline yesterday", "deadline", func(x *Need) { x.Deadline = "2026-11-30" }},
		{"unknown chain", "chain_code", func(x *Need) { x.ChainCode = "nope" }},
		{"empty keyword", "keywords[1]", func(x *Need) { x.Keywords = []string{"a", ""} }},
		{"bad stage", "stage", func(x *Need) { x.Stage = "mass" }},
		{"no mode", "cooperation_modes", func(x *Need) { x.Modes = nil }},
		{"bad mode", "cooperation_modes[0]", func(x *Need) { x.Modes = []string{"sale"} }},
		{"no contact", "contact_name", func(x *Need) { x.ContactName = "" }},
		{"phone with letters", "contact_phone", func(x *Need) { x.ContactPhone = "call me" }},
		{"phone too short", "contact_phone", func(x *Need) { x.ContactPhone = "12345" }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			x := validNeed()
			c.edit(x)
			if fs := fieldOf(t, x.Validate(chains, today)); !hasField(fs, c.field) {
				t.Errorf("want field %s, got %v", c.field, fs)
			}
		})
	}
	x := validNeed()
	x.BudgetMinFen, x.BudgetMaxFen, x.Stage, x.Keywords = 0, 0, "", nil // 面议, any stage
	x.Deadline = today                                                  // today is still allowed
	if err := x.Validate(chains, today); err != nil {
		t.Errorf("negotiable need due today refused: %v", err)
	}
	if !x.Negotiable() {
		t.Error("0–0 is not 面议")
	}
	x.BudgetMinFen, x.BudgetMaxFen = 100, 100 // min = max
	if err := x.Validate(nil, ""); err != nil {
		t.Errorf("equal budget bounds refused: %v", err)
	}
}

func TestNeedExpiry(t *testing.T) {
	x := validNeed()
	x.Status, x.Deadline = NeedPublished, "2026-12-01"
	if !x.Open("2026-12-01") || x.PastDeadline("2026-12-01") {
		t.Error("a need is closed on its deadline day")
	}
	if x.Open("2026-12-02") || !x.PastDeadline("2026-12-02") {
		t.Error("a need is open the day after its deadline")
	}
	x.Expired = true
	if x.StatusLabel() != NeedExpiredLabel {
		t.Errorf("expired label %q", x.StatusLabel())
	}
}

func TestNeedPolicy(t *testing.T) {
	firm := &Actor{UserID: 1, Role: RoleEnterprise, OrgID: 9}
	otherFirm := &Actor{UserID: 2, Role: RoleEnterprise, OrgID: 10}
	bureau := &Actor{UserID: 5, Role: RoleBureau, OrgID: 1}
	tto := &Actor{UserID: 6, Role: RoleTTO, OrgID: 3}
	at := func(s NeedStatus) *Need { x := validNeed(); x.Status = s; return x }
	for _, s := range NeedStatuses.Codes() {
		x := at(s)
		pub := s == NeedPublished
		if got := Needs.CanSee(nil, x); got != pub {
			t.Errorf("public sees %s: %v, want %v", s, got, pub)
		}
		if got := Needs.CanSee(tto, x); got != pub {
			t.Errorf("a university sees %s: %v, want %v", s, got, pub)
		}
		if !Needs.CanSee(firm, x) || !Needs.CanSeePhone(firm, x) {
			t.Errorf("owner does not see its own %s or its phone", s)
		}
		if got := Needs.CanSee(bureau, x); got != (s != NeedDraft) {
			t.Errorf("bureau sees %s: %v", s, got)
		}
		if Needs.CanSeeContact(nil, x) || Needs.CanSeePhone(nil, x) || Needs.CanSeePhone(otherFirm, x) || Needs.CanSeePhone(tto, x) {
			t.Errorf("the public or another party sees the phone of a %s need", s)
		}
	}
	closed := at(NeedClosed)
	if Needs.CanSee(nil, closed) {
		t.Error("the public sees a need withdrawn before publication")
	}
	closed.PublishedOn = "2026-01-01"
	if !Needs.CanSee(nil, closed) || !Needs.CanSeeContact(tto, closed) {
		t.Error("a closed, once-published need is hidden")
	}
	steps := []struct {
		action string
		who    *Actor
		from   NeedStatus
		code   string // "" allowed
	}{
		{"submit", firm, NeedDraft, ""},
		{"submit", otherFirm, NeedDraft, EFORBIDDEN},
		{"submit", bureau, NeedDraft, EFORBIDDEN},
		{"update", firm, NeedPublished, EFORBIDDEN},
		{"publish", bureau, NeedSubmitted, ""},
		{"publish", firm, NeedSubmitted, EFORBIDDEN},
		{"publish", bureau, NeedPublished, ECONFLICT},
		{"return", bureau, NeedSubmitted, ""},
		{"close", firm, NeedPublished, ""},
		{"close", bureau, NeedPublished, ""},
		{"close", tto, NeedPublished, EFORBIDDEN},
		{"close", firm, NeedSubmitted, ECONFLICT},
		{"withdraw", firm, NeedSubmitted, ""},
		{"withdraw", firm, NeedPublished, ""},
		{"withdraw", bureau, NeedPublished, EFORBIDDEN},
		{"delete", firm, NeedSubmitted, EFORBIDDEN},
	}
	for _, s := range steps {
		err := NeedFlow.Check(s.action, s.who, at(s.from))
		var e *Error
		switch {
		case s.code == "" && err != nil:
			t.Errorf("%s by %s from %s refused: %v", s.action, s.who.Role, s.from, err)
		case s.code != "" && (!errors.As(err, &e) || e.Code != s.code):
			t.Errorf("%s by %s from %s: got %v, want %s", s.action, s.who.Role, s.from, err, s.code)
		}
	}
}
