package service

import (
	"context"
	"slices"
	"strings"

	"kechuang/internal/domain"
	"kechuang/internal/store"
	"kechuang/internal/textnorm"
)

// The city's key industrial chains, managed by administrators
// (domain.AdminRules.CanManageChains): add, rename, reorder, hide (a chain
// that contracts name is never deleted, only renamed or hidden; a hidden
// chain keeps labelling them and is offered for no new filing) and delete
// an unused one. Every change is one transaction with its audit row.

// ChainInput is a new chain.
type ChainInput struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// ChainUpdate changes a chain: its name, its hidden state (nil: keep).
type ChainUpdate struct {
	Name   *string `json:"name,omitempty"`
	Hidden *bool   `json:"hidden,omitempty"`
}

// Chains lists every chain with its order, state and use.
func (s *Admin) Chains(ctx context.Context, a *domain.Actor) ([]domain.ChainEntry, error) {
	if err := s.canChains(a, "查看产业链"); err != nil {
		return nil, err
	}
	return s.store.ChainEntries(ctx)
}

func (s *Admin) canChains(a *domain.Actor, what string) error {
	if err := requireLogin(a); err != nil {
		return err
	}
	if !domain.AdminRules.CanManageChains(a) {
		return forbidden(what)
	}
	return nil
}

func chainName(name string) (string, error) {
	n, err := textnorm.Name("name", name)
	if err != nil {
		return "", err
	}
	return n, domain.ValidateChainName(n)
}

// CreateChain adds a chain at the end of the order.
func (s *Admin) CreateChain(ctx context.Context, a *domain.Actor, in ChainInput) (*domain.ChainEntry, error) {
	if err := s.canChains(a, "新增产业链"); err != nil {
		return nil, err
	}
	in.Code = strings.TrimSpace(in.Code)
	var v domain.Validator
	if err := domain.ValidateChainCode(in.Code); err != nil {
		v.Add("code", "%s", domain.ErrorText(err))
	}
	name, err := chainName(in.Name)
	if err != nil {
		v.Add("name", "%s", domain.ErrorText(err))
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	e := &domain.ChainEntry{Code: in.Code, Name: name}
	err = s.store.InTx(ctx, func(q *store.Q) error {
		all, err := q.ChainEntries(ctx)
		if err != nil {
			return err
		}
		for _, c := range all {
			if c.Code == e.Code {
				return conflictField("code", "产业链代码“%s”已存在", e.Code)
			}
			if c.Name == e.Name {
				return conflictField("name", "产业链名称“%s”已存在", e.Name)
			}
			e.Sort = max(e.Sort, c.Sort)
		}
		e.Sort++
		if err := q.SaveChain(ctx, *e); err != nil {
			return err
		}
		return q.Audit(ctx, a, "chain.create", "chain", e.Code, nil, e)
	})
	if err != nil {
		return nil, err
	}
	return e, nil
}

// UpdateChain renames a chain, or hides or shows it.
func (s *Admin) UpdateChain(ctx context.Context, a *domain.Actor, code string, up ChainUpdate) (*domain.ChainEntry, error) {
	if err := s.canChains(a, "修改产业链"); err != nil {
		return nil, err
	}
	if up.Name == nil && up.Hidden == nil {
		return nil, domain.FieldErrorf("name", "请给出新的名称，或隐藏、恢复该产业链")
	}
	var name string
	if up.Name != nil {
		var err error
		if name, err = chainName(*up.Name); err != nil {
			return nil, err
		}
	}
	var after *domain.ChainEntry
	err := s.store.InTx(ctx, func(q *store.Q) error {
		before, err := q.ChainEntry(ctx, code)
		if err != nil {
			return err
		}
		e := *before
		action := "chain.update"
		if up.Name != nil && name != before.Name {
			all, err := q.ChainEntries(ctx)
			if err != nil {
				return err
			}
			if slices.ContainsFunc(all, func(c domain.ChainEntry) bool { return c.Name == name && c.Code != code }) {
				return conflictField("name", "产业链名称“%s”已存在", name)
			}
			e.Name = name
		}
		if up.Hidden != nil && *up.Hidden != before.Hidden {
			e.Hidden = *up.Hidden
			if up.Name == nil || e.Name == before.Name {
				action = map[bool]string{true: "chain.hide", false: "chain.show"}[e.Hidden]
			}
		}
		after = &e
		if e == *before {
			return nil // nothing changes: nothing to write or audit
		}
		if err := q.SaveChain(ctx, e); err != nil {
			return err
		}
		return q.Audit(ctx, a, action, "chain", code, before, e)
	})
	if err != nil {
		return nil, err
	}
	return after, nil
}

// ReorderChains puts the chains in the order of codes, which must list
// every chain once.
func (s *Admin) ReorderChains(ctx context.Context, a *domain.Actor, codes []string) ([]domain.ChainEntry, error) {
	if err := s.canChains(a, "调整产业链顺序"); err != nil {
		return nil, err
	}
	var out []domain.ChainEntry
	err := s.store.InTx(ctx, func(q *store.Q) error {
		all, err := q.ChainEntries(ctx)
		if err != nil {
			return err
		}
		byCode := map[string]domain.ChainEntry{}
		for _, c := range all {
			byCode[c.Code] = c
		}
		seen := map[string]bool{}
		for _, c := range codes {
			if _, ok := byCode[c]; !ok || seen[c] {
				return domain.FieldErrorf("codes", "产业链顺序应列出每个产业链各一次：“%s”不存在或重复", c)
			}
			seen[c] = true
		}
		if len(codes) != len(all) {
			return domain.FieldErrorf("codes", "产业链顺序应列出全部 %d 个产业链，实为 %d 个", len(all), len(codes))
		}
		before := make([]string, len(all))
		for i, c := range all {
			before[i] = c.Code
		}
		if slices.Equal(before, codes) {
			out = all
			return nil
		}
		for i, c := range codes {
			e := byCode[c]
			e.Sort = i + 1
			if err := q.SaveChain(ctx, e); err != nil {
				return err
			}
		}
		if out, err = q.ChainEntries(ctx); err != nil {
			return err
		}
		return q.Audit(ctx, a, "chain.reorder", "chain", "", before, codes)
	})
	return out, err
}

// MoveChain moves one chain up (by < 0) or down (by > 0) one place.
func (s *Admin) MoveChain(ctx context.Context, a *domain.Actor, code string, by int) ([]domain.ChainEntry, error) {
	all, err := s.Chains(ctx, a)
	if err != nil {
		return nil, err
	}
	codes := make([]string, len(all))
	i := -1
	for j, c := range all {
		codes[j] = c.Code
		if c.Code == code {
			i = j
		}
	}
	if i < 0 {
		return nil, domain.Errorf(domain.ENOTFOUND, "产业链不存在")
	}
	j := i + 1
	if by < 0 {
		j = i - 1
	}
	if j >= 0 && j < len(codes) {
		codes[i], codes[j] = codes[j], codes[i]
	}
	return s.ReorderChains(ctx, a, codes)
}

// DeleteChain deletes a chain no contract names; one that contracts name
// is refused (rename or hide it instead).
func (s *Admin) DeleteChain(ctx context.Context, a *domain.Actor, code string) error {
	if err := s.canChains(a, "删除产业链"); err != nil {
		return err
	}
	return s.store.InTx(ctx, func(q *store.Q) error {
		e, err := q.ChainEntry(ctx, code)
		if err != nil {
			return err
		}
		if e.Contracts > 0 {
			return domain.Errorf(domain.ECONFLICT, "产业链“%s”已被 %d 份合同引用，不能删除，只能改名或隐藏", e.Name, e.Contracts)
		}
		if err := q.DeleteChain(ctx, code); err != nil {
			return err
		}
		return q.Audit(ctx, a, "chain.delete", "chain", code, e, nil)
	})
}

func conflictField(field, format string, args ...any) error {
	e := domain.Errorf(domain.ECONFLICT, format, args...)
	e.Field = field
	return e
}
