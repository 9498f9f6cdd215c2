package service

import (
	"context"
	"fmt"
	"strings"

	"kechuang/internal/domain"
	"kechuang/internal/store"
)

// contractLinkKind is one module's check of the records a contract may
// name as its source (成果来源): resolve reports the record's title when it
// exists and a may see it (ok false otherwise), read in the filing's
// transaction.
type contractLinkKind struct {
	resolve func(ctx context.Context, q *store.Q, a *domain.Actor, id int64) (title string, ok bool, err error)
}

// contractLinkKinds are the kinds a contract may name today, by
// domain.ContractLinkKinds code. Registration line: one per module (a kind
// of domain.ContractLinkKinds without one is refused, named as not open).
func contractLinkKinds() map[string]contractLinkKind {
	return map[string]contractLinkKind{
		"achievement": {resolve: resolveAchievementLink},
		"need":        {resolve: resolveNeedLink},
		"challenge":   {resolve: resolveChallengeLink},
		"event":       {resolve: resolveEventLink},
		"intention":   {resolve: resolveIntentionLink},
	}
}

// found turns a finder's not-found into ok false.
func found[T any](x T, err error) (T, bool, error) {
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		return x, false, nil
	}
	return x, err == nil, err
}

func resolveChallengeLink(ctx context.Context, q *store.Q, a *domain.Actor, id int64) (string, bool, error) {
	x, ok, err := found(q.FindChallengeByID(ctx, id))
	if !ok || !domain.Challenges.CanSee(a, x) {
		return "", false, err
	}
	return x.Title, true, nil
}

func resolveEventLink(ctx context.Context, q *store.Q, a *domain.Actor, id int64) (string, bool, error) {
	x, ok, err := found(q.FindTechEventByID(ctx, id))
	if !ok || !domain.TechEvents.CanSee(a, x) {
		return "", false, err
	}
	return x.Title, true, nil
}

// resolveIntentionLink: an intention is its parties', the organiser's and
// the bureau's; its title names the achievement and the enterprise.
func resolveIntentionLink(ctx context.Context, q *store.Q, a *domain.Actor, id int64) (string, bool, error) {
	y, ok, err := found(q.FindIntentionByID(ctx, id))
	if !ok {
		return "", false, err
	}
	x, err := q.FindTechEventByID(ctx, y.EventID)
	if err != nil {
		return "", false, err
	}
	if !domain.TechEvents.CanSeeIntention(a, x, y) {
		return "", false, nil
	}
	return y.AchievementTitle + " × " + y.EnterpriseName, true, nil
}

func resolveAchievementLink(ctx context.Context, q *store.Q, a *domain.Actor, id int64) (string, bool, error) {
	x, err := q.FindAchievementByID(ctx, id)
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		return "", false, nil
	} else if err != nil {
		return "", false, err
	}
	if !domain.Achievements.CanSee(a, x) {
		return "", false, nil
	}
	return x.Title, true, nil
}

func resolveNeedLink(ctx context.Context, q *store.Q, a *domain.Actor, id int64) (string, bool, error) {
	x, err := q.FindNeedByID(ctx, id)
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		return "", false, nil
	} else if err != nil {
		return "", false, err
	}
	if !domain.Needs.CanSee(a, x) {
		return "", false, nil
	}
	return x.Title, true, nil
}

// acceptedLinkKinds lists the kinds accepted today, in the enum's order,
// for the refusal's message and the form.
func acceptedLinkKinds() []domain.Item[string] {
	reg := contractLinkKinds()
	var out []domain.Item[string]
	for _, it := range domain.ContractLinkKinds.All() {
		if _, ok := reg[it.Code]; ok {
			out = append(out, it)
		}
	}
	return out
}

// LinkKinds are the kinds of source a filing may name today (code and
// zh-CN label), for the contract form.
func (s *Contracts) LinkKinds() []domain.Item[string] { return acceptedLinkKinds() }

// AcceptedLinkKinds is LinkKinds for the pages that have no service at hand.
func AcceptedLinkKinds() []domain.Item[string] { return acceptedLinkKinds() }

// checkLinks checks the links a filing names: their shape, that each kind
// is accepted, and that each record exists and a may see it. It fills the
// titles.
func checkLinks(ctx context.Context, q *store.Q, a *domain.Actor, links []domain.ContractLink) error {
	if err := domain.CheckContractLinks(links); err != nil {
		return err
	}
	reg := contractLinkKinds()
	var v domain.Validator
	for i := range links {
		l := &links[i]
		f := fmt.Sprintf("links[%d]", i)
		k, ok := reg[l.Kind]
		if !ok {
			var names []string
			for _, it := range acceptedLinkKinds() {
				names = append(names, it.Label)
			}
			if domain.ContractLinkKinds.Valid(l.Kind) {
				v.Add(f+".kind", "第%d个来源：“%s”类来源尚未开通，目前可注明：%s", i+1, domain.ContractLinkKindLabel(l.Kind), strings.Join(names, "、"))
			} else {
				v.Add(f+".kind", "第%d个来源：来源类型“%s”不存在，可注明：%s", i+1, l.Kind, strings.Join(names, "、"))
			}
			continue
		}
		title, ok, err := k.resolve(ctx, q, a, l.RefID)
		if err != nil {
			return err
		}
		if !ok {
			v.Add(f+".ref_id", "第%d个来源：%s %d 不存在或您无权查看", i+1, domain.ContractLinkKindLabel(l.Kind), l.RefID)
			continue
		}
		l.Title = title
	}
	return v.Err()
}

// linkTitles fills the titles of c's links that a may see (the others keep
// their kind and id only).
func linkTitles(ctx context.Context, q *store.Q, a *domain.Actor, c *domain.Contract) error {
	reg := contractLinkKinds()
	for i := range c.Links {
		l := &c.Links[i]
		k, ok := reg[l.Kind]
		if !ok {
			continue
		}
		title, ok, err := k.resolve(ctx, q, a, l.RefID)
		if err != nil {
			return err
		}
		if ok {
			l.Title = title
		}
	}
	return nil
}

// cleanLinks drops what a writer may not set (the titles) and keeps an
// empty list non-nil.
func cleanLinks(in []domain.ContractLink) []domain.ContractLink {
	out := make([]domain.ContractLink, 0, len(in))
	for _, l := range in {
		out = append(out, domain.ContractLink{Kind: strings.TrimSpace(l.Kind), RefID: l.RefID})
	}
	return out
}

// SetLinks is the registrar's naming or correcting of a contract's sources
// (成果来源) on a filing in its hands or registered (ContractFlow "link"):
// the history records the sources before and after.
func (s *Contracts) SetLinks(ctx context.Context, a *domain.Actor, id, version int64, links []domain.ContractLink) (*domain.Contract, error) {
	links = cleanLinks(links)
	return s.mutate(ctx, a, id, version, "link", func(tx *store.Q, c *domain.Contract) (step, error) {
		if err := checkLinks(ctx, tx, a, links); err != nil {
			return step{}, err
		}
		before := linksText(c.Links)
		c.Links = links
		if err := tx.SetContractLinks(ctx, c.ID, c.Links); err != nil {
			return step{}, err
		}
		return step{Comment: before + " → " + linksText(c.Links)}, nil
	})
}

// linksText is a contract's sources in one line for the history.
func linksText(links []domain.ContractLink) string {
	if len(links) == 0 {
		return "无"
	}
	parts := make([]string, len(links))
	for i, l := range links {
		parts[i] = fmt.Sprintf("%s %d", domain.ContractLinkKindLabel(l.Kind), l.RefID)
	}
	return strings.Join(parts, "、")
}
