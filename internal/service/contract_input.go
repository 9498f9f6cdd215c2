package service

import (
	"context"
	"fmt"

	"kechuang/internal/domain"
	"kechuang/internal/textnorm"
)

// cleanInput is the service's boundary for a filing's text (M6, L5): names,
// titles and codes refused when they hold a control, format or
// bidirectional character or invalid UTF-8, and stored in their clean form
// (NFC, width folded, trimmed); the dates bounded; an outside party's region
// checked. Each refusal names its field. Everything else a client sends
// (status, created_at, owner, …) is never copied (applyInput).
func (s *Contracts) cleanInput(ctx context.Context, in *domain.Contract) error {
	if err := cleanText(in); err != nil {
		return err
	}
	if err := domain.CheckContractDates(in, s.today()); err != nil {
		return err
	}
	return s.checkPartyRegions(ctx, in)
}

// cleanText checks and cleans a filing's names, titles and codes (an
// import's rows too).
func cleanText(in *domain.Contract) error {
	var v domain.Validator
	name := func(field string, p *string) {
		c, err := textnorm.Name(field, *p)
		if err != nil {
			v.Add(field, "%s", domain.ErrorText(err))
			return
		}
		*p = c
	}
	name("title", &in.Title)
	name("contract_no", &in.ContractNo)
	for _, p := range []struct {
		field string
		party *domain.Party
	}{{"seller", &in.Seller}, {"buyer", &in.Buyer}} {
		name(p.field+".name", &p.party.Name)
		name(p.field+".uscc", &p.party.USCC)
		name(p.field+".region_code", &p.party.RegionCode)
	}
	for i := range in.CostItems {
		name(fmt.Sprintf("cost_items[%d].description", i), &in.CostItems[i].Description)
	}
	return v.Err()
}

// checkPartyRegions checks the regions of the parties that are not
// organisations of the platform (an organisation's region is its record's).
//
// Each is one lookup in the regions table (the national table of
// administrative divisions): a current code, not withdrawn
// (domain.CheckRegionCode). A malformed code is left to Validate, which
// reports the format.
func (s *Contracts) checkPartyRegions(ctx context.Context, in *domain.Contract) error {
	var v domain.Validator
	for _, p := range []struct {
		field string
		party *domain.Party
	}{{"seller.region_code", &in.Seller}, {"buyer.region_code", &in.Buyer}} {
		if p.party.OrgID != 0 || !domain.ValidRegionCode(p.party.RegionCode) {
			continue
		}
		r, err := s.store.Region(ctx, p.party.RegionCode)
		if err != nil {
			return err
		}
		if err := domain.CheckRegionCode(p.field, p.party.RegionCode, r); err != nil {
			v.Add(p.field, "%s", domain.ErrorText(err))
		}
	}
	return v.Err()
}
