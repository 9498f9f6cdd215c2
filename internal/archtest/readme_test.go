package archtest

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"kechuang/internal/demo"
	"kechuang/internal/domain"
)

// TestREADMERoleTour: the README's role tour (both halves) says what the
// policies let each demo account do (walkthrough finding 18): a row for
// every account, "seller" for every role that files as the seller and
// never "files as buyer", a refusal for a role that may not list or file,
// and the number of refusal grounds the registrar really chooses from.
func TestREADMERoleTour(t *testing.T) {
	b, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	readme := string(b)
	zhTour, enTour := section(t, readme, "## 角色导览"), section(t, readme, "## Role tour")
	numerals := map[int][2]string{5: {"五", "five"}, 6: {"六", "six"}, 7: {"七", "seven"}, 8: {"八", "eight"}, 9: {"九", "nine"},
		10: {"十", "ten"}, 11: {"十一", "eleven"}, 12: {"十二", "twelve"}}
	for _, rg := range domain.Regimes { // each regime's refusal grounds, counted
		n, ok := numerals[len(rg.RefusalGrounds)]
		if !ok {
			t.Fatalf("%d refusal grounds: add the numeral to this test", len(rg.RefusalGrounds))
		}
		zhWant, enWant := fmt.Sprintf("%s 年办法%s项理由", rg.Code, n[0]), fmt.Sprintf("%s grounds under the %s Measures", n[1], rg.Code)
		if !strings.Contains(zhTour, zhWant) || !strings.Contains(enTour, enWant) {
			t.Errorf("the role tour must give regime %s's %d refusal grounds (%q / %q)", rg.Code, len(rg.RefusalGrounds), zhWant, enWant)
		}
	}
	for _, l := range demo.Logins() {
		zh, en := row(t, zhTour, l.Username), row(t, enTour, l.Username)
		role := domain.Role("")
		for _, r := range domain.Roles.All() {
			if r.Label == l.Role {
				role = r.Code
			}
		}
		a := &domain.Actor{Username: l.Username, Role: role, OrgID: 1}
		p := domain.Contracts
		if p.CanFile(a) && p.FilesAsSeller(a) {
			if !strings.Contains(zh, "卖方") || !strings.Contains(en, "seller") || strings.Contains(zh, "作为买方填报") || strings.Contains(en, "file as buyer") {
				t.Errorf("%s files as the seller (ContractPolicy.FilesAsSeller): its rows must say so\n%s\n%s", l.Username, zh, en)
			}
		}
		if !p.CanFile(a) && (strings.Contains(zh, "填报技术合同") || strings.Contains(en, "file a contract")) {
			t.Errorf("%s may not file (ContractPolicy.CanFile) but its row says it files", l.Username)
		}
		if sc, err := p.ListScope(a); err == nil && sc.ReviewerID != 0 && (!strings.Contains(zh, "指派给本人评审") || !strings.Contains(en, "assigned to this expert")) {
			t.Errorf("%s lists only its assigned reviews (ContractPolicy.ListScope): its rows must say so\n%s\n%s", l.Username, zh, en)
		}
		if domain.AdminRules.CanManageUsers(a) != strings.Contains(zh, "用户管理") {
			t.Errorf("%s: the row's 用户管理 disagrees with AdminPolicy.CanManageUsers", l.Username)
		}
	}
}

// section is the text of a README section, from its heading to the next.
func section(t *testing.T, s, heading string) string {
	t.Helper()
	i := strings.Index(s, heading)
	if i < 0 {
		t.Fatalf("README has no section %q", heading)
	}
	s = s[i+len(heading):]
	if j := strings.Index(s, "\n## "); j >= 0 {
		s = s[:j]
	}
	return s
}

// row is the table row of a demo account ("| `name` |").
func row(t *testing.T, tour, username string) string {
	t.Helper()
	for _, line := range strings.Split(tour, "\n") {
		if strings.HasPrefix(line, "| `"+username+"` |") {
			return line
		}
	}
	t.Errorf("the role tour has no row for the demo account %s", username)
	return ""
}
