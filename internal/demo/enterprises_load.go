package demo

import (
	"context"
	"fmt"
	"io"
	"time"

	"kechuang/internal/domain"
	"kechuang/internal/enterprisefacts"
	"kechuang/internal/service"
	"kechuang/internal/store"
)

// enterpriseStep: the enterprise registry (Enterprises): the firms and
// their qualifications in one part, then each year's filings in a part of
// its own, through the store's bulk path, then the bureau's batch
// assessment of each year (service.EnterpriseAssess.Run).
var enterpriseStep = Step{Module: "enterprise", Parts: func(g *gen) []Part {
	out := []Part{{Name: "enterprise", Seed: func(ctx context.Context, g *gen, tx *store.Q, progress io.Writer) error {
		reg, err := g.registryOf()
		if err != nil {
			return err
		}
		firms, quals, err := g.writeEnterprises(ctx, tx, reg)
		if err != nil {
			return err
		}
		fmt.Fprintf(progress, "  企业库：企业 %d 家，资质 %d 项\n", firms, quals)
		return nil
	}}}
	for _, y := range g.years {
		out = append(out, Part{Name: fmt.Sprintf("enterprise.%d", y.Year), Seed: func(ctx context.Context, g *gen, tx *store.Q, progress io.Writer) error {
			n, err := g.writeFilings(ctx, tx, y.Year)
			if err != nil {
				return err
			}
			fmt.Fprintf(progress, "  %d 年企业填报 %d 份\n", y.Year, n)
			return nil
		}})
	}
	// the bureau's batch run of each year: the tiers and the statistics
	// come from its assessment records
	for _, y := range g.years {
		out = append(out, Part{Name: fmt.Sprintf("enterprise.assess.%d", y.Year), Run: func(ctx context.Context, g *gen, progress io.Writer) error {
			u, err := g.svc.Admin.UserByUsername(ctx, domain.SystemActor(), "bureau")
			if err != nil {
				return err
			}
			// run in the demo's past like the rest of its history: on 20
			// December of the year, or the evening before the load's day
			at := time.Date(y.Year, 12, 20, 10, 0, 0, 0, domain.ChinaTZ)
			d := g.today.In(domain.ChinaTZ)
			if eve := time.Date(d.Year(), d.Month(), d.Day(), 20, 0, 0, 0, domain.ChinaTZ).AddDate(0, 0, -1); eve.Before(at) {
				at = eve
			}
			r, err := g.svc.WithClock(domain.NewManualClock(at)).EnterpriseAssess.Run(ctx, service.ActorOf(u), y.Year)
			if err != nil {
				return fmt.Errorf("%d 年企业评价：%w", y.Year, err)
			}
			fmt.Fprintf(progress, "  %d 年企业评价 %d 份\n", y.Year, r.Done)
			return nil
		}})
	}
	return out
}}

// registryOf is the registry of the load's day, generated once.
func (g *gen) registryOf() (*Registry, error) {
	if g.ents == nil {
		reg, err := Enterprises(domain.DateOf(g.today))
		if err != nil {
			return nil, fmt.Errorf("企业库：%w", err)
		}
		g.ents = reg
	}
	return g.ents, nil
}

// filedAt is when a firm-year's facts were filed: a few days before the
// assessment, in office hours.
func filedAt(f *Firm, y int) time.Time {
	p := f.year(y)
	d := time.Date(p.at.Year(), p.at.Month(), p.at.Day(), 9, 30, 0, 0, domain.ChinaTZ)
	back := int(p.at.Unix()/86_400%9) + 1
	if first := time.Date(y, 1, 2, 9, 30, 0, 0, domain.ChinaTZ); d.AddDate(0, 0, -back).Before(first) {
		return d
	}
	return d.AddDate(0, 0, -back).Add(time.Duration(f.reg.Unix()%420) * time.Minute)
}

// writeEnterprises stores the firms (the demo's enterprise organisations
// linked to their accounts) and their qualifications.
func (g *gen) writeEnterprises(ctx context.Context, tx *store.Q, reg *Registry) (int, int, error) {
	xs := make([]*domain.Enterprise, len(reg.Firms))
	for i, f := range reg.Firms {
		x := &domain.Enterprise{USCC: f.USCC, Name: f.Name, District: f.District, Chain: f.Chain, RegisteredOn: f.RegisteredOn,
			CreatedAt: HistoryStart}
		if f.Org {
			o := g.byName[f.Name]
			if o == nil || o.uscc != f.USCC {
				return 0, 0, fmt.Errorf("企业库：机构 %s 不在演示城市中", f.Name)
			}
			x.OrgID = o.id
		}
		if f.First > reg.Years[0] { // entered the registry with its first filing
			x.CreatedAt = filedAt(f, f.First).Add(-time.Hour)
		}
		x.UpdatedAt = x.CreatedAt
		xs[i] = x
	}
	if err := tx.BulkInsertEnterprises(ctx, xs); err != nil {
		return 0, 0, err
	}
	var qs []*domain.EnterpriseQualification
	for i, f := range reg.Firms {
		for _, q := range f.Quals {
			on, _ := domain.ParseDate(q.IssuedOn)
			at := time.Date(on.Year(), on.Month(), on.Day(), 15, 0, 0, 0, domain.ChinaTZ)
			x := &domain.EnterpriseQualification{EnterpriseID: xs[i].ID, Kind: domain.EnterpriseQualKind(q.Kind), Number: q.Number,
				Year: q.Year, IssuedOn: q.IssuedOn, ExpiresOn: q.ExpiresOn, RevokedOn: q.RevokedOn, RevokeReason: q.RevokeReason,
				CreatedAt: at, UpdatedAt: at}
			if q.RevokedOn != "" {
				r, _ := domain.ParseDate(q.RevokedOn)
				x.UpdatedAt = time.Date(r.Year(), r.Month(), r.Day(), 15, 0, 0, 0, domain.ChinaTZ)
			}
			qs = append(qs, x)
		}
	}
	if err := tx.BulkInsertEnterpriseQualifications(ctx, qs); err != nil {
		return 0, 0, err
	}
	return len(xs), len(qs), nil
}

// writeFilings stores every firm's facts for year y, in the canonical
// encoding, filed by no user (the demo's import).
func (g *gen) writeFilings(ctx context.Context, tx *store.Q, y int) (int, error) {
	reg, err := g.registryOf()
	if err != nil {
		return 0, err
	}
	var codes []string
	var firms []*Firm
	for _, f := range reg.Firms {
		if f.year(y) != nil {
			codes, firms = append(codes, f.USCC), append(firms, f)
		}
	}
	ids, err := tx.EnterpriseIDsByUSCC(ctx, codes)
	if err != nil {
		return 0, err
	}
	const chunk = 5000
	for start := 0; start < len(firms); start += chunk {
		var xs []*domain.EnterpriseFiling
		for _, f := range firms[start:min(start+chunk, len(firms))] {
			id := ids[f.USCC]
			if id == 0 {
				return 0, fmt.Errorf("企业库：%s 不在企业库中", f.Name)
			}
			at := filedAt(f, y)
			xs = append(xs, &domain.EnterpriseFiling{EnterpriseID: id, Year: y, Facts: enterprisefacts.Encode(f.Facts(y)),
				FiledAt: at, UpdatedAt: at})
		}
		if err := tx.BulkInsertEnterpriseFilings(ctx, xs); err != nil {
			return 0, err
		}
	}
	return len(firms), nil
}
