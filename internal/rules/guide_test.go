package rules

import (
	"encoding/json"
	"strings"
	"testing"
)

// hnteBase is the hnte cases' base firm, with its years replaced (sales,
// R&D per year; the other figures pass their gates).
func guideFirm(t *testing.T, sales, rd [3]int64) *Facts {
	t.Helper()
	var cf CaseFile
	if err := json.Unmarshal(mustRead(t, "sets/hnte.cases.json"), &cf); err != nil {
		t.Fatal(err)
	}
	fs, err := ParseJSON(cf.Base)
	if err != nil {
		t.Fatal(err)
	}
	f := &fs[0]
	for i := range f.Years {
		s, r := sales[i], rd[i]
		y := &f.Years[i]
		y.SalesRevenueFen, y.TotalIncomeFen, y.RDExpenseFen, y.RDDomesticFen = &s, &s, &r, &r
		ht := s * 2 / 3
		y.HightechRevenueFen = &ht
	}
	return f
}

func mustRead(t *testing.T, name string) []byte {
	t.Helper()
	b, err := embedded.ReadFile(name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func builtin(t *testing.T) map[string]*Set {
	t.Helper()
	sets, err := LoadDir(Embedded())
	if err != nil {
		t.Fatal(err)
	}
	return sets
}

// TestNextTierFloatTrap: R&D exactly 4% of the pooled revenue, figures for
// which the same sum in yuan as float64 gives 0.039999999999999994: the
// gate passes; one fen less and the advice asks for exactly one fen more.
func TestNextTierFloatTrap(t *testing.T) {
	sets := builtin(t)
	sales := [3]int64{4777145289, 4490218026, 5522491960} // Σ 14789855275 fen, 2022 in (5000万, 2亿]: 4%
	rd := [3]int64{197198070, 197198070, 197198071}       // Σ = Σsales / 25 exactly
	if f := float64(rd[0])/100 + float64(rd[1])/100 + float64(rd[2])/100; f/(float64(sales[0])/100+float64(sales[1])/100+float64(sales[2])/100) >= 0.04 {
		t.Fatal("the figures are no float trap")
	}
	rep, err := NextTier(sets, guideFirm(t, sales, rd))
	if err != nil {
		t.Fatal(err)
	}
	for _, g := range rep.Results["hnte"].Gates {
		if g.ID == "rd_intensity" && !g.Passed {
			t.Fatalf("rd_intensity at exactly 4%% failed: %s", g.Reason)
		}
	}
	rd[2]-- // one fen short
	rep, err = NextTier(sets, guideFirm(t, sales, rd))
	if err != nil {
		t.Fatal(err)
	}
	if rep.Results["hnte"].Verdict != NotEligible {
		t.Fatalf("hnte verdict %s, want not_eligible", rep.Results["hnte"].Verdict)
	}
	if rep.Reached != "sme" || rep.Next != "hnte" {
		t.Fatalf("reached %q next %q, want sme → hnte (sme %s)", rep.Reached, rep.Next, rep.Results["sme"].Verdict)
	}
	var found bool
	for _, a := range rep.Advice {
		if a.Tier == "hnte" && a.ID == "rd_intensity" {
			found = true
			if len(a.Change) != 1 || !strings.Contains(a.Change[0], "近三年研发费用需再增加 0.01元") || !strings.Contains(a.Change[0], ">= 4.00%") {
				t.Fatalf("advice %q, want 近三年研发费用需再增加 0.01元 against 4.00%%", a.Change)
			}
		}
	}
	if !found {
		t.Fatalf("no rd_intensity advice in %+v", rep.Advice)
	}
}

// TestNextTierTechStaffGap: 科技人员 7 of 80 (8.75%): 科技型中小企业's
// 科技人员指标 scores 0 (it must score), so sme is the next tier, and the
// advice names the exact head-count for the band above (⌈10% × 80⌉ − 7 = 1);
// with 8 the firm reaches sme and the 高企 gate asks for none more.
func TestNextTierTechStaffGap(t *testing.T) {
	sets := builtin(t)
	f := guideFirm(t, [3]int64{4000000000, 5000000000, 6000000000}, [3]int64{200000000, 250000000, 300000000})
	seven := int64(7)
	f.TechStaff = &seven
	rep, err := NextTier(sets, f)
	if err != nil {
		t.Fatal(err)
	}
	if rep.Reached != "" || rep.Next != "sme" {
		t.Fatalf("reached %q next %q", rep.Reached, rep.Next)
	}
	var got []string
	for _, a := range rep.Advice {
		if a.Tier == "sme" && a.ID == "score" {
			got = a.Change
		}
	}
	if len(got) == 0 || !strings.Contains(got[0], "此项必须得分") || !strings.Contains(got[0], "科技人员数需再增加 1 可达 E 档") {
		t.Fatalf("sme advice %q (all: %+v)", got, rep.Advice)
	}
	eight := int64(8)
	f.TechStaff = &eight
	if rep, err = NextTier(sets, f); err != nil || rep.Results["hnte"].Gates[3].ID != "tech_staff" || !rep.Results["hnte"].Gates[3].Passed {
		t.Fatalf("8/80 = 10%% exactly should pass the 高企 gate: %v %+v", err, rep.Results["hnte"].Gates)
	}
}

// TestPolicyCalc: every city policy once, each eligible with amount and
// cap, not eligible with its failing condition, or missing with the facts;
// [A] amounts are marked assumed.
func TestPolicyCalc(t *testing.T) {
	sets := builtin(t)
	f := guideFirm(t, [3]int64{4000000000, 5000000000, 6000000000}, [3]int64{200000000, 250000000, 300000000})
	first := "first"
	f.HNTEEvent = &first
	lines, err := PolicyCalc(sets, f)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, s := range sets {
		if IsPolicy(s) {
			n++
		}
	}
	if len(lines) != n || n == 0 {
		t.Fatalf("%d lines for %d policies", len(lines), n)
	}
	by := map[string]PolicyLine{}
	for _, l := range lines {
		by[l.RuleSet] = l
		switch l.Status {
		case PolicyEligible:
			if l.AmountFen == nil {
				t.Errorf("%s eligible without an amount", l.RuleSet)
			}
		case PolicyNotEligible:
			if len(l.Failing) == 0 {
				t.Errorf("%s not eligible without a failing condition", l.RuleSet)
			}
		case PolicyMissing:
			if len(l.Missing) == 0 {
				t.Errorf("%s missing without naming the facts", l.RuleSet)
			}
		default:
			t.Errorf("%s status %q", l.RuleSet, l.Status)
		}
	}
	rd := by["sy_first_hnte_rd_subsidy"]
	// 10% of 2022 R&D 300万元 = 30万元, under the 50万元 cap; demo values: assumed
	if rd.Status != PolicyEligible || *rd.AmountFen != 30000000 || rd.CapFen == nil || *rd.CapFen != 50000000 || !rd.Assumed {
		t.Fatalf("first-time R&D subsidy: %+v", rd)
	}
	// contracts not given: the buyer's subsidy names them
	if b := by["sy_buyer_contract_subsidy"]; b.Status != PolicyMissing || !strings.Contains(strings.Join(b.Missing, ","), "contracts") {
		t.Fatalf("buyer subsidy without contracts: %+v", b)
	}
	renewal := "renewal"
	f.HNTEEvent = &renewal
	lines, _ = PolicyCalc(sets, f)
	for _, l := range lines {
		if l.RuleSet == "sy_first_hnte_rd_subsidy" && (l.Status != PolicyNotEligible || l.Failing[0].ID != "first") {
			t.Fatalf("renewal: %+v", l)
		}
	}
}
