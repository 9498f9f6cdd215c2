package demo

import (
	"context"
	"fmt"

	"kechuang/internal/domain"
	"kechuang/internal/store"
)

// reload rebuilds the generator's view of the organisations from the
// database, for a load that resumes after the city part committed: the
// same references, in the order the city part created them (by id), as
// the first run had in memory.
func (g *gen) reload(ctx context.Context, tx *store.Q) error {
	orgs, total, err := tx.FindOrgs(ctx, domain.OrgFilter{Sort: "id", Limit: 100_000})
	if err != nil {
		return err
	}
	g.byName, g.usedUSCC, g.orgCount = map[string]*orgRef{}, map[string]bool{}, total
	var institutes []*orgRef
	for _, o := range orgs {
		ref := &orgRef{id: o.ID, name: o.Name, uscc: o.USCC, district: o.RegionCode, kind: o.Kind}
		g.byName[o.Name], g.usedUSCC[o.USCC] = ref, true
		switch o.Kind {
		case domain.OrgRegistry:
			if g.registry == nil {
				g.registry = ref
			}
		case domain.OrgUniversity:
			g.univs = append(g.univs, ref)
		case domain.OrgInstitute:
			institutes = append(institutes, ref)
		case domain.OrgEnterprise:
			g.enterprises = append(g.enterprises, ref)
		case domain.OrgAgency:
			g.agencies = append(g.agencies, ref)
		case domain.OrgPilotBase:
			g.pilots = append(g.pilots, ref)
		}
	}
	g.univs = append(g.univs, institutes...)
	if g.registry == nil || len(g.univs) < 17 || len(g.enterprises) < 2 || len(g.agencies) < 2 || len(g.pilots) == 0 {
		return fmt.Errorf("数据库中的演示机构不完整（%d 个），无法继续载入：请用空数据库重新载入", total)
	}
	return nil
}
