package domain

import (
	"strings"
	"testing"
	"time"
)

// weekdays is a calendar with no holidays (the real one is internal/workday,
// tested there and in the service).
type weekdays struct{}

func (weekdays) AddWorkdays(t time.Time, n int) time.Time {
	for n > 0 {
		t = t.AddDate(0, 0, 1)
		if t.Weekday() != time.Saturday && t.Weekday() != time.Sunday {
			n--
		}
	}
	return t
}

// TestRegimeByAcceptance: the regime is chosen by the first 受理 date
// against the configurable cut-over, kept on a restart of the clock, and
// decides the unit and length of the limit and the expert review.
func TestRegimeByAcceptance(t *testing.T) {
	r := DefaultRegimeRules()
	for day, want := range map[string]string{"2026-02-28": Regime2000, "2026-03-01": Regime2026, "2021-06-01": Regime2000, "2026-12-01": Regime2026} {
		if got := r.At(day).Code; got != want {
			t.Errorf("At(%s) = %s, want %s", day, got, want)
		}
	}
	moved := RegimeRules{Cutover: "2026-06-01", ExpertThresholdFen: DefaultExpertThresholdFen}
	if moved.At("2026-03-01").Code != Regime2000 {
		t.Error("the cut-over setting is not used")
	}

	c := &Contract{TurnoverFen: 100_000_00, TechTransactionFen: 100_000_00}
	c.StartClock("2026-03-02", r, weekdays{}) // Monday
	if c.Regime != Regime2026 || c.ExpertReview || c.DueOn != "2026-03-23" {
		t.Fatalf("2026 small: %s expert %v due %s", c.Regime, c.ExpertReview, c.DueOn)
	}
	// 补正: the clock restarts from the new day, the regime is kept even
	// when the cut-over moved meanwhile.
	c.StartClock("2026-03-09", moved, weekdays{})
	if c.Regime != Regime2026 || c.DueOn != "2026-03-30" {
		t.Fatalf("restart: %s due %s", c.Regime, c.DueOn)
	}

	large := &Contract{TechTransactionFen: DefaultExpertThresholdFen}
	large.StartClock("2026-03-02", r, weekdays{})
	if !large.ExpertReview || large.DueOn != "2026-04-13" {
		t.Fatalf("large: expert %v due %s", large.ExpertReview, large.DueOn)
	}
	below := &Contract{TechTransactionFen: DefaultExpertThresholdFen - 1}
	below.StartClock("2026-03-02", r, weekdays{})
	disputed := &Contract{TechTransactionFen: 1, Disputed: true}
	disputed.StartClock("2026-03-02", r, weekdays{})
	if below.ExpertReview || !disputed.ExpertReview {
		t.Fatalf("threshold compared exactly: below %v, disputed %v", below.ExpertReview, disputed.ExpertReview)
	}
	old := &Contract{TechTransactionFen: DefaultExpertThresholdFen * 10, Disputed: true}
	old.StartClock("2026-02-27", r, nil)
	if old.Regime != Regime2000 || old.ExpertReview || old.DueOn != "2026-03-29" {
		t.Fatalf("2000 regime: %s expert %v due %s", old.Regime, old.ExpertReview, old.DueOn)
	}
}

func TestRegimeTable(t *testing.T) {
	for _, g := range Regimes {
		if g.LimitDays <= 0 || len(g.RefusalGrounds) == 0 || len(g.IntakeGrounds) == 0 || len(g.CertificateAmounts) == 0 || g.Categories == nil {
			t.Errorf("%s: incomplete row %+v", g.Code, g)
		}
		for _, code := range g.RefusalGrounds {
			if !RefusalGrounds.Valid(code) {
				t.Errorf("%s: refusal ground %s has no label", g.Code, code)
			}
		}
		for _, code := range g.IntakeGrounds {
			if !IntakeGrounds.Valid(code) {
				t.Errorf("%s: intake ground %s has no label", g.Code, code)
			}
		}
	}
	g26, _ := RegimeByCode(Regime2026)
	g00, _ := RegimeByCode(Regime2000)
	if !g26.ShowsOnCertificate("tech_transaction_fen") || g26.ShowsOnCertificate("tech_income_fen") || !g00.ShowsOnCertificate("tech_income_fen") {
		t.Error("certificate contents")
	}
	if g26.ValidRefusal("name_mismatch") || !g00.ValidRefusal("name_mismatch") || !g26.ValidIntake("not_in_force") || g00.ValidIntake("not_in_force") {
		t.Error("grounds per regime")
	}
	if len(g00.Categories("2020-01-01")) != 4 || len(g26.Categories("2020-01-01")) != 5 {
		t.Error("categories per regime")
	}
	for _, bad := range []RegimeRules{{Cutover: "2026-02-30", ExpertThresholdFen: 1}, {Cutover: "2026-03-01", ExpertThresholdFen: 0}} {
		if bad.Validate() == nil {
			t.Errorf("%+v accepted", bad)
		}
	}
}

// TestCategoriesByRegimeAtAcceptance (item 1 of the regime gaps): the
// category of a filing is checked at 受理 against the regime chosen then.
// A patent licence signed before 2021 is 技术转让 under the 2000 regime
// (the 合同法 set) and 技术许可 under the 2026 regime (five categories
// always); each is refused under the other with a message naming the
// field and telling the registrar to return it for re-categorising.
func TestCategoriesByRegimeAtAcceptance(t *testing.T) {
	old, _ := RegimeByCode(Regime2000)
	now, _ := RegimeByCode(Regime2026)
	asTransfer := &Contract{SignedOn: "2020-06-01", Category: "transfer", SubType: "patent_license"}
	asLicense := &Contract{SignedOn: "2020-06-01", Category: "license", SubType: "patent_license"}
	recent := &Contract{SignedOn: "2022-06-01", Category: "license", SubType: "patent_license"}
	for _, tc := range []struct {
		name  string
		g     *Regime
		c     *Contract
		field string // "" when accepted
	}{
		{"2000/legacy transfer", old, asTransfer, ""},
		{"2000/licence before 2021", old, asLicense, "category"},
		{"2026/legacy transfer", now, asTransfer, "sub_type"},
		{"2026/licence before 2021", now, asLicense, ""},
		{"2000/licence after 2021", old, recent, ""},
		{"2026/licence after 2021", now, recent, ""},
	} {
		err := tc.g.CheckAcceptance(tc.c)
		if tc.field == "" {
			if err != nil {
				t.Errorf("%s: refused: %v", tc.name, err)
			}
			continue
		}
		e, ok := err.(*Error)
		if !ok || e.Field != tc.field || !strings.Contains(e.Message, "退回补正") || !strings.Contains(e.Message, tc.g.Label) {
			t.Errorf("%s: got %v, want a refusal on %s naming the regime and the return", tc.name, err, tc.field)
		}
	}
	// Once accepted under a regime, Validate uses its set (the applicant
	// re-categorises after a return); before, the signing date's.
	c := validContract()
	c.SignedOn, c.TermStart, c.Category, c.SubType = "2020-06-01", "2020-06-01", "license", "patent_license"
	if err := c.Validate(); err == nil {
		t.Error("a licence signed in 2020 passes Validate with no regime")
	}
	c.Regime = Regime2026
	if err := c.Validate(); err != nil {
		t.Errorf("a licence signed in 2020 refused under the 2026 regime: %v", err)
	}
	if err := c.ValidateUnder(old); err == nil {
		t.Error("ValidateUnder(2000) accepts a licence signed in 2020")
	}
}
