package service

import (
	"context"
	"time"

	"kechuang/internal/domain"
	"kechuang/internal/store"
)

// The chain sources of the contract, achievement and need modules
// (registered in chainSources and chainLinkSources, chain.go).

// contractChainSource: contracts_linked (registered contracts of the year
// naming a source), achievements_contracted and local_conversions
// (distinct achievements named by a registered contract of the year, and
// those whose buyer is in the city: 本地转化).
func contractChainSource(ctx context.Context, q *store.Q, year int, chain string) (domain.ChainFigures, error) {
	f, err := q.ChainContracts(ctx, year, chain)
	if err != nil {
		return nil, err
	}
	return domain.ChainFigures{domain.ChainContractsLinked: f.Linked, domain.ChainAchievementsContracted: f.Contracted,
		domain.ChainLocalConversions: f.Local}, nil
}

// needChainSource: needs_published in the year.
func needChainSource(ctx context.Context, q *store.Q, year int, chain string) (domain.ChainFigures, error) {
	n, err := q.ChainNeedsPublished(ctx, year, chain)
	if err != nil {
		return nil, err
	}
	return domain.ChainFigures{domain.ChainNeedsPublished: n}, nil
}

// dayAt is a YYYY-MM-DD day as a time (midnight in China).
func dayAt(day string) time.Time {
	t, err := time.ParseInLocation(time.DateOnly, day, domain.ChinaTZ)
	if err != nil {
		return time.Time{}
	}
	return t
}

// achievementChainLinks: an achievement's own steps from its history
// (filed 备案, published, transferred) and its evaluation cases, public
// fields only (no actor, no comment).
func achievementChainLinks(ctx context.Context, q *store.Q, ref domain.ChainRef) ([]domain.ChainLink, error) {
	if ref.Kind != "achievement" {
		return nil, nil
	}
	x, err := q.FindAchievementByID(ctx, ref.ID)
	if err != nil {
		return nil, err
	}
	evs, err := q.Events(ctx, "achievement", ref.ID)
	if err != nil {
		return nil, err
	}
	steps := map[string][2]string{"file": {"filed", "成果备案"}, "publish": {"published", "发布到成果库"}, "transfer": {"transferred", "标记为已转化"}}
	var out []domain.ChainLink
	for _, e := range evs {
		s, ok := steps[e.Action]
		if !ok {
			continue
		}
		out = append(out, domain.ChainLink{At: e.At, Kind: "achievement", Step: s[0], Label: s[1], Ref: ref, Title: x.Title})
	}
	cases, err := q.EvaluationsOf(ctx, "achievement", ref.ID)
	if err != nil {
		return nil, err
	}
	for _, c := range cases {
		l := domain.ChainLink{At: c.CreatedAt, Kind: "achievement", Step: "evaluating", Label: "进入成果评价", Ref: ref, Title: x.Title}
		switch domain.EvaluationStatus(c.Status) {
		case domain.EvaluationPublicity, domain.EvaluationObjection:
			l.Step, l.Label = "evaluated", "评价结果公示"
			if t := dayAt(c.PublicityFrom); !t.IsZero() {
				l.At = t
			}
		case domain.EvaluationFinal:
			l.At, l.Step, l.Label = c.UpdatedAt, "evaluated", "评价结果发布"
		}
		out = append(out, l)
	}
	return out, nil
}

// needChainLinks: a need's own steps (published, closed with its outcome).
func needChainLinks(ctx context.Context, q *store.Q, ref domain.ChainRef) ([]domain.ChainLink, error) {
	if ref.Kind != "need" {
		return nil, nil
	}
	x, err := q.FindNeedByID(ctx, ref.ID)
	if err != nil {
		return nil, err
	}
	evs, err := q.Events(ctx, "need", ref.ID)
	if err != nil {
		return nil, err
	}
	var out []domain.ChainLink
	for _, e := range evs {
		switch e.Action {
		case "publish":
			out = append(out, domain.ChainLink{At: e.At, Kind: "need", Step: "published", Label: "需求发布", Ref: ref, Title: x.Title})
		case "close", "withdraw":
			l := domain.ChainLink{At: e.At, Kind: "need", Step: "closed", Label: "需求关闭", Ref: ref, Title: x.Title}
			if x.Outcome != "" {
				l.Note = domain.NeedOutcomes.Label(x.Outcome)
			}
			out = append(out, l)
		}
	}
	return out, nil
}

// contractChainLinks: the registered contracts naming the achievement or
// the need, on their registration day, with the buyer's place (本地转化
// when the buyer is in the city).
func contractChainLinks(ctx context.Context, q *store.Q, ref domain.ChainRef) ([]domain.ChainLink, error) {
	if ref.Kind == "contract" {
		return nil, nil
	}
	cs, err := q.ContractsLinkedTo(ctx, ref.Kind, ref.ID)
	if err != nil {
		return nil, err
	}
	out := make([]domain.ChainLink, 0, len(cs))
	for _, c := range cs {
		local := c.BuyerLocal
		at := c.RegisteredAt
		if at.IsZero() { // imported registered: late on its registration day
			at = dayAt(c.RegisteredOn).Add(17 * time.Hour)
		}
		out = append(out, domain.ChainLink{At: at, Kind: "contract", Step: "registered", Label: "技术合同认定登记",
			Ref: domain.ChainRef{Kind: "contract", ID: c.ID}, Title: c.Title, Note: c.RegNo, Local: &local,
			// The registration number is the key of the public certificate
			// check (/certificates), which names the parties: a reader who
			// may not open the contract sees neither it nor the title.
			Public: "已登记的技术合同"})
	}
	return out, nil
}
