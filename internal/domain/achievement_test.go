package domain

import (
	"errors"
	"testing"
)

func validAchievement() *Achievement {
	return &Achievement{
		Title:     "高性能镁合金板材轧制技术",
		Abstract:  "本成果提出一种高性能镁合金板材的异步轧制工艺，在中试线上验证了板材强度与成形性能的同步提升。",
		Keywords:  []string{"镁合金", "轧制"},
		Team:      []TeamMember{{Name: "王明", Title: "教授", Leader: true}, {Name: "李华"}},
		ChainCode: "materials", TRL: 6, TRLEvidence: "中试线连续运行三个月", Stage: "pilot",
		IP:      []IPRight{{Type: "invention", Number: "ZL202110000001.X"}},
		Funding: "fiscal", Modes: []string{"license", "equity"}, AskingFen: 50_000_000_00,
		OwnerOrgID: 3,
	}
}

func fieldOf(t *testing.T, err error) []string {
	t.Helper()
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("want a field error, got %v", err)
	}
	var out []string
	for _, f := range e.Fields {
		out = append(out, f.Field)
	}
	return out
}

func hasField(fields []string, f string) bool {
	for _, x := range fields {
		if x == f {
			return true
		}
	}
	return false
}

func TestAchievementValidate(t *testing.T) {
	chains := []string{"materials", "robotics"}
	if err := validAchievement().Validate(chains, DefaultAchievementRules()); err != nil {
		t.Fatalf("valid achievement refused: %v", err)
	}
	cases := []struct {
		name  string
		field string
		edit  func(x *Achievement)
	}{
		{"no title", "title", func(x *Achievement) { x.Title = "" }},
		{"short abstract", "abstract", func(x *Achievement) { x.Abstract = "太短" }},
		{"no keywords", "keywords", func(x *Achievement) { x.Keywords = nil }},
		{"empty keyword", "keywords[1]", func(x *Achievement) { x.Keywords = []string{"镁", ""} }},
		{"no leader", "team", func(x *Achievement) { x.Team[0].Leader = false }},
		{"two leaders", "team", func(x *Achievement) { x.Team[1].Leader = true }},
		{"unknown chain", "chain_code", func(x *Achievement) { x.ChainCode = "nope" }},
		{"TRL 0", "trl", func(x *Achievement) { x.TRL = 0 }},
		{"TRL 10", "trl", func(x *Achievement) { x.TRL = 10 }},
		{"TRL 4 without evidence", "trl_evidence", func(x *Achievement) { x.TRL, x.TRLEvidence = 4, " " }},
		{"bad stage", "stage", func(x *Achievement) { x.Stage = "mass" }},
		{"patent without number", "ip[0].number", func(x *Achievement) { x.IP[0].Number = "" }},
		{"bad IP type", "ip[0].type", func(x *Achievement) { x.IP[0].Type = "trademark" }},
		{"duplicate patent", "ip[1].number", func(x *Achievement) { x.IP = append(x.IP, x.IP[0]) }},
		{"bad funding", "funding", func(x *Achievement) { x.Funding = "" }},
		{"no mode", "transfer_modes", func(x *Achievement) { x.Modes = nil }},
		{"bad mode", "transfer_modes[0]", func(x *Achievement) { x.Modes = []string{"sale"} }},
		{"negative price", "asking_price_fen", func(x *Achievement) { x.AskingFen = -1 }},
		{"excluded but granted", "empowerment", func(x *Achievement) {
			x.Excluded = true
			x.Empowerment = &Empowerment{Kind: "ownership", TeamPermille: 700, UnitPermille: 300, AgreementOn: "2024-05-10", PublicityFrom: "2024-04-01", PublicityTo: "2024-04-15"}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			x := validAchievement()
			c.edit(x)
			if fs := fieldOf(t, x.Validate(chains, DefaultAchievementRules())); !hasField(fs, c.field) {
				t.Errorf("want field %s, got %v", c.field, fs)
			}
		})
	}
	x := validAchievement()
	x.TRL, x.TRLEvidence = 3, "" // below 4 no evidence needed
	if err := x.Validate(chains, DefaultAchievementRules()); err != nil {
		t.Errorf("TRL 3 without evidence refused: %v", err)
	}
	x.IP = []IPRight{{Type: "know_how"}} // a trade secret has no number
	if err := x.Validate(nil, DefaultAchievementRules()); err != nil {
		t.Errorf("know-how without a number refused: %v", err)
	}
}

func TestEmpowermentRules(t *testing.T) {
	own := func(team, unit int) *Empowerment {
		return &Empowerment{Kind: "ownership", TeamPermille: team, UnitPermille: unit,
			AgreementOn: "2024-05-10", PublicityFrom: "2024-04-01", PublicityTo: "2024-04-15"}
	}
	use := func(from, to string) *Empowerment {
		return &Empowerment{Kind: "long_term_use", UseFrom: from, UseTo: to,
			AgreementOn: "2024-05-10", PublicityFrom: "2024-04-01", PublicityTo: "2024-04-15"}
	}
	r := DefaultAchievementRules()
	strict := AchievementRules{MinUseYears: 10, MinTeamPermille: 700}
	cases := []struct {
		name  string
		e     *Empowerment
		r     AchievementRules
		field string // "" = valid
	}{
		{"70/30", own(700, 300), r, ""},
		{"100/0", own(1000, 0), r, ""},
		{"shares sum 999", own(700, 299), r, "empowerment.team_permille"},
		{"shares sum 1001", own(701, 300), r, "empowerment.team_permille"},
		{"team 0", own(0, 1000), r, "empowerment.team_permille"},
		{"minimum 70% met exactly", own(700, 300), strict, ""},
		{"minimum 70% missed by 0.1%", own(699, 301), strict, "empowerment.team_permille"},
		{"use right exactly 10 years", use("2024-05-10", "2034-05-10"), r, ""},
		{"use right one day short", use("2024-05-10", "2034-05-09"), r, "empowerment.use_to"},
		{"use right from 29 Feb", use("2024-02-29", "2034-03-01"), r, ""},
		{"use right bad date", use("2024-13-01", "2034-05-10"), r, "empowerment.use_from"},
		{"agreement before publicity ends", func() *Empowerment { e := own(700, 300); e.AgreementOn = "2024-04-14"; return e }(), r, "empowerment.agreement_on"},
		{"agreement on the last day of publicity", func() *Empowerment { e := own(700, 300); e.AgreementOn = "2024-04-15"; return e }(), r, ""},
		{"publicity ends before it starts", func() *Empowerment { e := own(700, 300); e.PublicityTo = "2024-03-01"; return e }(), r, "empowerment.publicity_to"},
		{"unknown kind", &Empowerment{Kind: "gift", AgreementOn: "2024-05-10", PublicityFrom: "2024-04-01", PublicityTo: "2024-04-15"}, r, "empowerment.kind"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			x := validAchievement()
			x.Empowerment = c.e
			err := x.Validate(nil, c.r)
			if c.field == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			if fs := fieldOf(t, err); !hasField(fs, c.field) {
				t.Errorf("want field %s, got %v", c.field, fs)
			}
		})
	}
}

func TestAchievementPolicy(t *testing.T) {
	tto := &Actor{UserID: 1, Role: RoleTTO, OrgID: 3}
	otherTTO := &Actor{UserID: 2, Role: RoleTTO, OrgID: 4}
	bureau := &Actor{UserID: 5, Role: RoleBureau, OrgID: 1}
	firm := &Actor{UserID: 6, Role: RoleEnterprise, OrgID: 9}
	at := func(s AchievementStatus) *Achievement { x := validAchievement(); x.Status = s; return x }
	for _, s := range AchievementStatuses.Codes() {
		x := at(s)
		pub := s == AchievementPublished || s == AchievementTransferred
		if got := Achievements.CanSee(nil, x); got != pub {
			t.Errorf("public sees %s: %v, want %v", s, got, pub)
		}
		if got := Achievements.CanSee(firm, x); got != pub {
			t.Errorf("enterprise sees %s: %v, want %v", s, got, pub)
		}
		if !Achievements.CanSee(tto, x) {
			t.Errorf("owner does not see its own %s", s)
		}
		if got := Achievements.CanSee(otherTTO, x); got != pub {
			t.Errorf("another unit sees %s: %v, want %v", s, got, pub)
		}
		if got := Achievements.CanSee(bureau, x); got != (s != AchievementDraft) {
			t.Errorf("bureau sees %s: %v", s, got)
		}
	}
	steps := []struct {
		action string
		who    *Actor
		from   AchievementStatus
		code   string // "" allowed
	}{
		{"submit", tto, AchievementDraft, ""},
		{"submit", otherTTO, AchievementDraft, EFORBIDDEN},
		{"submit", bureau, AchievementDraft, EFORBIDDEN},
		{"update", tto, AchievementFiled, EFORBIDDEN},
		{"file", bureau, AchievementSubmitted, ""},
		{"file", tto, AchievementSubmitted, EFORBIDDEN},
		{"file", bureau, AchievementFiled, ECONFLICT},
		{"return", bureau, AchievementSubmitted, ""},
		{"publish", tto, AchievementFiled, ""},
		{"publish", bureau, AchievementFiled, ""},
		{"publish", firm, AchievementFiled, EFORBIDDEN},
		{"publish", tto, AchievementSubmitted, ECONFLICT},
		{"unpublish", bureau, AchievementPublished, ""},
		{"transfer", tto, AchievementPublished, ""},
		{"transfer", bureau, AchievementPublished, EFORBIDDEN},
		{"withdraw", tto, AchievementPublished, ""},
		{"delete", tto, AchievementSubmitted, EFORBIDDEN},
	}
	for _, s := range steps {
		err := AchievementFlow.Check(s.action, s.who, at(s.from))
		var e *Error
		switch {
		case s.code == "" && err != nil:
			t.Errorf("%s by %s from %s refused: %v", s.action, s.who.Role, s.from, err)
		case s.code != "" && (!errors.As(err, &e) || e.Code != s.code):
			t.Errorf("%s by %s from %s: got %v, want %s", s.action, s.who.Role, s.from, err, s.code)
		}
	}
	x := at(AchievementFiled)
	x.Excluded = true
	if AchievementFlow.Can("publish", tto, x) {
		t.Error("a security-excluded achievement could be published")
	}
}

func TestPermille(t *testing.T) {
	for p, want := range map[int]string{700: "70%", 625: "62.5%", 0: "0%", 1000: "100%"} {
		if got := Permille(p); got != want {
			t.Errorf("Permille(%d) = %q, want %q", p, got, want)
		}
	}
}
