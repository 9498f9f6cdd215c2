package storetest

import (
	"context"
	"fmt"
	"testing"

	"kechuang/internal/domain"
	"kechuang/internal/enterprisefacts"
	"kechuang/internal/rules"
	"kechuang/internal/store"
)

// EnterpriseBuilder makes one valid registry firm of the world: by
// default the world's enterprise organisation (沈阳海龟医疗科技有限公司, its
// credit code, district 浑南区, the first chain, registered 2016-04-12),
// linked to it, so the "enterprise" user sees and files for it. Filed and
// Qualified add its yearly facts and certificates; Insert writes it all
// with the history rows the service leaves behind.
type EnterpriseBuilder struct {
	w       *World
	x       *domain.Enterprise
	filings []*domain.EnterpriseFiling
	quals   []*domain.EnterpriseQualification
	status  domain.EnterpriseStatus // always on the register: the steps' from and to
	steps   steps[domain.EnterpriseStatus]
}

// Enterprise starts a firm; opts edit it before Insert.
func (w *World) Enterprise(opts ...func(*domain.Enterprise)) *EnterpriseBuilder {
	b := &EnterpriseBuilder{w: w, x: &domain.Enterprise{
		USCC: w.Ent.USCC, Name: w.Ent.Name, OrgID: w.Ent.ID, District: w.Ent.RegionCode,
		Chain: w.City.Chains[0].Code, RegisteredOn: "2016-04-12",
	}}
	for _, f := range opts {
		f(b.x)
	}
	b.steps = newSteps(w, "enterprise", &b.status)
	b.steps.start(domain.EnterpriseRegistered)
	return b
}

// Of makes the firm the registry row of organisation o (its name, code
// and district).
func (b *EnterpriseBuilder) Of(o *domain.Org) *EnterpriseBuilder {
	b.x.USCC, b.x.Name, b.x.OrgID, b.x.District = o.USCC, o.Name, o.ID, o.RegionCode
	return b
}

// Unlinked makes it a firm without an account: a fresh credit code, no
// organisation (only the bureau sees it).
func (b *EnterpriseBuilder) Unlinked(name string) *EnterpriseBuilder {
	b.x.USCC, b.x.Name, b.x.OrgID = b.w.USCC(), name, 0
	return b
}

// Filed adds the facts of year (Facts(year) edited by edit) as filed by
// the firm's user (or the bureau's, for a firm without an account).
func (b *EnterpriseBuilder) Filed(year int, edit ...func(*rules.Facts)) *EnterpriseBuilder {
	f := Facts(year)
	for _, e := range edit {
		e(&f)
	}
	raw, y, err := enterprisefacts.Complete(b.x, f)
	if err != nil {
		b.w.tb.Fatalf("storetest: facts of %d: %v", year, err)
	}
	b.filings = append(b.filings, &domain.EnterpriseFiling{Year: y, Facts: raw})
	b.steps.events = append(b.steps.events, domain.Event{Entity: "enterprise", At: b.w.Clock.Now(), Action: "file",
		From: string(domain.EnterpriseRegistered), To: string(domain.EnterpriseRegistered), Comment: fmt.Sprintf("%d", y)})
	return b
}

// Qualified adds a qualification of kind issued on issued (YYYY-MM-DD;
// its year the year of issue, its expiry the default), number number.
func (b *EnterpriseBuilder) Qualified(kind domain.EnterpriseQualKind, number, issued string) *EnterpriseBuilder {
	q := &domain.EnterpriseQualification{Kind: kind, Number: number, IssuedOn: issued}
	fmt.Sscanf(issued, "%4d", &q.Year)
	q.DefaultExpiry()
	if err := q.Validate(); err != nil {
		b.w.tb.Fatalf("storetest: qualification: %v", err)
	}
	b.quals = append(b.quals, q)
	b.steps.events = append(b.steps.events, domain.Event{Entity: "enterprise", At: b.w.Clock.Now(), Action: "qualify",
		From: string(domain.EnterpriseRegistered), To: string(domain.EnterpriseRegistered), Comment: kind.Label() + " " + number})
	return b
}

// Build returns the firm without writing it.
func (b *EnterpriseBuilder) Build() *domain.Enterprise { return b.x }

// Insert writes the firm, its filings and qualifications and its history.
func (b *EnterpriseBuilder) Insert(tb testing.TB) *domain.Enterprise {
	tb.Helper()
	x := b.x
	if err := x.Validate(nil, b.w.chainCodes(), b.w.Today()); err != nil {
		tb.Fatalf("storetest: enterprise: %v", err)
	}
	owner := x.OrgID
	if owner == 0 {
		owner = b.w.Bureau.ID
	}
	b.steps.insertWithHistory(owner, &x.CreatedBy, []string{"qualify"}, func(ctx context.Context, tx *store.Q) (int64, error) {
		if err := tx.InsertEnterprise(ctx, x); err != nil {
			return 0, err
		}
		filer := b.w.userOf(owner)
		for _, f := range b.filings {
			f.EnterpriseID = x.ID
			if filer != nil {
				f.FiledBy = filer.ID
			}
			if _, err := tx.UpsertEnterpriseFiling(ctx, f, 0); err != nil {
				return 0, err
			}
		}
		for _, q := range b.quals {
			q.EnterpriseID, q.CreatedBy = x.ID, b.w.Users["bureau"].ID
			if err := tx.InsertEnterpriseQualification(ctx, q); err != nil {
				return 0, err
			}
		}
		return x.ID, nil
	})
	return x
}

// Filings returns the filings Insert wrote (with their ids).
func (b *EnterpriseBuilder) Filings() []*domain.EnterpriseFiling { return b.filings }

// Qualifications returns the qualifications Insert wrote.
func (b *EnterpriseBuilder) Qualifications() []*domain.EnterpriseQualification { return b.quals }

func (w *World) chainCodes() []string {
	var out []string
	for _, c := range w.City.Chains {
		out = append(out, c.Code)
	}
	return out
}

func p[T any](v T) *T { return &v }

// Facts is a complete facts object (FACTS.md's example) for assessment
// year year: assessed on year-05-20, the three accounting years before it,
// 80 staff of whom 20 in R&D, assets 1500万元, sales growing from 3000万元.
// The firm's name, code and registration date are the registry's (filled
// when filed).
func Facts(year int) rules.Facts {
	f := rules.Facts{
		AssessedOn: p(fmt.Sprintf("%04d-05-20", year)), Employees: p(int64(80)), TechStaff: p(int64(20)),
		TotalAssetsFen: p(int64(15_000_000_00)), Conversions3y: p(int64(10)),
		Flags: map[string]bool{"resident_enterprise": true, "excluded_industry": false, "major_incident": false,
			"abnormal_or_dishonest_list": false, "serious_fraud": false, "core_ip_owned": true, "in_supported_domain": true},
		Direct: map[string]bool{"hnte_certificate_valid": false, "national_award_top3": false,
			"provincial_rd_institution": false, "led_standard": false},
		Funding: &rules.Funding{ValuationUSD: p(int64(0)), Listed: p(false), PrivateInvestment: p(false), LargestVCRoundFen: p(int64(0))},
	}
	f.IP = &struct {
		Class1        *int64 `json:"class1,omitempty"`
		Class2        *int64 `json:"class2,omitempty"`
		SelfDeveloped *bool  `json:"self_developed,omitempty"`
	}{Class1: p(int64(1)), Class2: p(int64(3)), SelfDeveloped: p(true)}
	for k := 3; k >= 1; k-- {
		sales := int64(30_000_000_00) + int64(3-k)*5_000_000_00
		f.Years = append(f.Years, rules.Year{Year: year - k, SalesRevenueFen: p(sales), TotalIncomeFen: p(sales),
			CostTotalFen: p(sales * 8 / 10), RDExpenseFen: p(sales / 20), RDDomesticFen: p(sales / 20),
			NetAssetsFen: p(int64(8_000_000_00) + int64(3-k)*1_000_000_00), HightechRevenueFen: p(sales * 7 / 10),
			TechActivityFen: p(sales / 20), Employees: p(int64(80))})
	}
	return f
}
