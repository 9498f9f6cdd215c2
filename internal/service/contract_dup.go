package service

import (
	"context"

	"kechuang/internal/domain"
	"kechuang/internal/store"
)

// duplicateOf returns the contract c duplicates (domain.SameDeal), other
// than c itself and not refused, or nil.
func duplicateOf(ctx context.Context, q *store.Q, c *domain.Contract) (*domain.Contract, error) {
	if c.ContractNo == "" {
		return nil, nil
	}
	found, err := q.ContractsByNo(ctx, []string{c.ContractNo})
	if err != nil {
		return nil, err
	}
	for _, o := range found[c.ContractNo] {
		if o.ID != c.ID && domain.SameDeal(c, o) {
			return o, nil
		}
	}
	return nil, nil
}

// checkDuplicate refuses a filing that duplicates another (see
// domain.SameDeal), naming contract_no: with the existing filing's number
// and title when the actor may see it (the page links it), without them
// otherwise.
func checkDuplicate(ctx context.Context, q *store.Q, a *domain.Actor, c *domain.Contract) error {
	o, err := duplicateOf(ctx, q, c)
	if err != nil || o == nil {
		return err
	}
	if domain.Contracts.CanSee(a, o) {
		return domain.FieldErrorf("contract_no", "与已有的合同重复：合同编号“%s”、卖方和买方均相同（合同 %d《%s》，%s），请勿重复申请登记",
			c.ContractNo, o.ID, o.Title, domain.Msg(o.Status.Label()))
	}
	return domain.FieldErrorf("contract_no", "与其他机构已申请登记的合同重复：合同编号“%s”、卖方和买方均相同，请勿重复申请登记，如有疑问请联系登记机构", c.ContractNo)
}

// Duplicate returns the filing in (as typed) duplicates, when the actor
// may see it (the form links it beside the refusal), or nil.
func (s *Contracts) Duplicate(ctx context.Context, a *domain.Actor, id int64, in *domain.Contract) (*domain.Contract, error) {
	if err := requireLogin(a); err != nil {
		return nil, err
	}
	c := *in
	c.ID = id
	if err := cleanText(&c); err != nil {
		return nil, nil
	}
	if err := s.fillParties(ctx, s.store.Q, &c); err != nil {
		return nil, nil
	}
	o, err := duplicateOf(ctx, s.store.Q, &c)
	if err != nil || o == nil || !domain.Contracts.CanSee(a, o) {
		return nil, err
	}
	return o, nil
}
