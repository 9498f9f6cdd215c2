package service

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"

	"kechuang/internal/domain"
	"kechuang/internal/enterprisefacts"
	"kechuang/internal/rules"
	"kechuang/internal/store"
	"kechuang/internal/textnorm"
)

// Enterprises is the enterprise registry (企业库): firms keyed by their
// 统一社会信用代码 with district and chain, their yearly facts
// (../shared/rules/FACTS.md, parsed by internal/rules through
// enterprisefacts) and the qualifications they hold. The bureau keeps the
// register; a firm with an account sees its own row and files its facts.
type Enterprises struct{ *core }

// EnterpriseStale is the registry's stale-version refusal.
const EnterpriseStale = "此企业信息已被他人修改，您的操作未执行，请刷新后重试"

const enterpriseNotFound = "企业不存在"

var enterpriseKind = &entityKind[domain.EnterpriseStatus, *domain.Enterprise]{
	name: "enterprise", notFound: enterpriseNotFound, stale: EnterpriseStale, flow: domain.EnterpriseFlow,
	load: func(ctx context.Context, q *store.Q, id int64) (*domain.Enterprise, error) {
		return q.FindEnterpriseByID(ctx, id)
	},
	save:   func(ctx context.Context, q *store.Q, x *domain.Enterprise) error { return q.UpdateEnterprise(ctx, x) },
	canSee: domain.Enterprises.CanSee,
	id:     func(x *domain.Enterprise) int64 { return x.ID }, version: func(x *domain.Enterprise) int64 { return x.Version },
	clone: func(x *domain.Enterprise) *domain.Enterprise { b := *x; return &b },
	title: func(x *domain.Enterprise) string { return x.Name },
}

// EnterpriseInput is what the bureau types for a firm (a firm's own user
// may change the profile but not the credit code or the account link).
type EnterpriseInput struct {
	USCC         string `json:"uscc"`
	Name         string `json:"name"`
	OrgID        int64  `json:"org_id,omitempty"`
	District     string `json:"district"`
	Chain        string `json:"chain"`
	RegisteredOn string `json:"registered_on"`
}

// cleanEnterprise checks and cleans the typed text.
func cleanEnterprise(in *EnterpriseInput) error {
	var c textCleaner
	c.line("uscc", &in.USCC)
	c.line("name", &in.Name)
	c.line("district", &in.District)
	c.line("chain", &in.Chain)
	c.line("registered_on", &in.RegisteredOn)
	in.USCC = domain.NormalizeUSCC(in.USCC)
	return c.err()
}

// districtCodes lists the codes of the city's districts and counties.
func (c *core) districtCodes(ctx context.Context) ([]string, error) {
	city, err := c.cityCode(ctx)
	if err != nil {
		return nil, err
	}
	rs, err := c.store.FindRegions(ctx, domain.RegionFilter{Parent: city, ParentSet: true, Limit: domain.MaxRegionResults})
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(rs))
	for _, r := range rs {
		out = append(out, r.Code)
	}
	return out, nil
}

// EnterpriseRefs are the city's codes a firm is checked against.
type EnterpriseRefs struct{ Districts, Chains []string }

// refs reads the city's districts and chains (before a transaction).
func (s *Enterprises) refs(ctx context.Context) (EnterpriseRefs, error) {
	ds, err := s.districtCodes(ctx)
	if err != nil {
		return EnterpriseRefs{}, err
	}
	cs, err := s.chainCodes(ctx)
	return EnterpriseRefs{ds, cs}, err
}

// checkOrgLink refuses an account link to anything but an enterprise
// organisation with the firm's credit code.
func checkOrgLink(ctx context.Context, q *store.Q, x *domain.Enterprise) error {
	if x.OrgID == 0 {
		x.OrgName = ""
		return nil
	}
	o, err := q.FindOrgByID(ctx, x.OrgID)
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		return domain.FieldErrorf("org_id", "关联机构不存在")
	} else if err != nil {
		return err
	}
	if o.Kind != domain.OrgEnterprise {
		return domain.FieldErrorf("org_id", "只能关联企业类机构（该机构为%s）", domain.Msg(o.Kind.Label()))
	}
	if o.USCC != "" && o.USCC != x.USCC {
		return domain.FieldErrorf("org_id", "关联机构的统一社会信用代码（%s）与本企业不一致", o.USCC)
	}
	x.OrgName = o.Name
	return nil
}

// Create enters a firm in the registry (the bureau).
func (s *Enterprises) Create(ctx context.Context, a *domain.Actor, in EnterpriseInput) (*domain.Enterprise, error) {
	if err := requireLogin(a); err != nil {
		return nil, err
	}
	if !domain.Enterprises.CanCreate(a) {
		return nil, forbidden("登记企业")
	}
	if err := cleanEnterprise(&in); err != nil {
		return nil, err
	}
	refs, err := s.refs(ctx)
	if err != nil {
		return nil, err
	}
	x := &domain.Enterprise{USCC: in.USCC, Name: in.Name, OrgID: in.OrgID, District: in.District, Chain: in.Chain,
		RegisteredOn: in.RegisteredOn, CreatedBy: a.UserID}
	if err := x.Validate(refs.Districts, refs.Chains, s.today()); err != nil {
		return nil, err
	}
	err = s.store.InTx(ctx, func(q *store.Q) error {
		if err := checkOrgLink(ctx, q, x); err != nil {
			return err
		}
		if err := q.InsertEnterprise(ctx, x); err != nil {
			return err
		}
		return created(ctx, q, enterpriseKind, a, x)
	})
	if err != nil {
		return nil, err
	}
	return x, nil
}

// Update changes a firm's profile (its own user: not the credit code or
// the account link, which stay as they are).
func (s *Enterprises) Update(ctx context.Context, a *domain.Actor, id, version int64, in EnterpriseInput) (*domain.Enterprise, error) {
	if err := cleanEnterprise(&in); err != nil {
		return nil, err
	}
	refs, err := s.refs(ctx)
	if err != nil {
		return nil, err
	}
	return mutate(ctx, s.core, enterpriseKind, a, id, version, "update", func(q *store.Q, x *domain.Enterprise) (step, error) {
		before := *x
		if domain.Enterprises.CanEditKeys(a, x) {
			x.USCC, x.OrgID = in.USCC, in.OrgID
		} else if in.USCC != "" && in.USCC != x.USCC || in.OrgID != 0 && in.OrgID != x.OrgID {
			return step{}, domain.FieldErrorf("uscc", "统一社会信用代码和关联机构由科技局维护")
		}
		x.Name, x.District, x.Chain, x.RegisteredOn = in.Name, in.District, in.Chain, in.RegisteredOn
		// A chain no longer offered may stay on a firm that has it.
		chains := refs.Chains
		if x.Chain == before.Chain {
			chains = nil
		}
		if err := x.Validate(refs.Districts, chains, s.today()); err != nil {
			return step{}, err
		}
		if err := checkOrgLink(ctx, q, x); err != nil {
			return step{}, err
		}
		return step{Changes: domain.EnterpriseChanges(&before, x)}, nil
	})
}

// Get returns a firm the actor may see; a hidden one is "not found".
func (s *Enterprises) Get(ctx context.Context, a *domain.Actor, id int64) (*domain.Enterprise, error) {
	if err := requireLogin(a); err != nil {
		return nil, err
	}
	return get(ctx, s.core, enterpriseKind, a, id)
}

// Mine returns the actor's own firm (我的企业): the registry row of its
// organisation; not found when the organisation is not in the registry.
func (s *Enterprises) Mine(ctx context.Context, a *domain.Actor) (*domain.Enterprise, error) {
	if err := requireLogin(a); err != nil {
		return nil, err
	}
	if !domain.Enterprises.CanSeeMine(a) {
		return nil, forbidden("查看本企业的企业库信息")
	}
	x, err := s.store.FindEnterpriseByOrg(ctx, a.OrgID)
	if err != nil {
		return nil, err
	}
	if x == nil {
		return nil, domain.Errorf(domain.ENOTFOUND, "本单位尚未登记在企业库中，请联系科技局")
	}
	return x, nil
}

// List lists the firms the actor may see matching f.
func (s *Enterprises) List(ctx context.Context, a *domain.Actor, f domain.EnterpriseFilter) ([]*domain.Enterprise, int, error) {
	if err := requireLogin(a); err != nil {
		return nil, 0, err
	}
	var v domain.Validator
	v.Check(f.District == "" || domain.ValidRegionCode(f.District), "district", "所在区县应为6位行政区划代码")
	v.Check(len([]rune(f.Chain)) <= 50, "chain", "产业链代码无效")
	v.Check(len([]rune(f.Query)) <= 100, "q", "搜索词不超过100字")
	v.Check(f.Year == 0 || f.Year >= domain.MinFilingYear && f.Year <= domain.MaxFilingYear, "year", "年度应在%d至%d之间", domain.MinFilingYear, domain.MaxFilingYear)
	v.Check(f.Filed == "" || f.Filed == "yes" || f.Filed == "no", "filed", "填报情况应为 yes 或 no")
	v.Check(f.Filed == "" || f.Year != 0, "year", "按填报情况筛选时须指定年度")
	if err := v.Err(); err != nil {
		return nil, 0, err
	}
	if err := textnorm.CheckField("q", f.Query, textnorm.Options{}); err != nil {
		return nil, 0, err
	}
	return s.store.FindEnterprises(ctx, f, domain.Enterprises.ListScope(a))
}

// FilingYears lists the years with filings, newest first (the bureau's
// year picker).
func (s *Enterprises) FilingYears(ctx context.Context, a *domain.Actor) ([]int, error) {
	if !domain.Enterprises.CanList(a) {
		return nil, forbidden("查看企业库")
	}
	return s.store.EnterpriseFilingYears(ctx)
}

// Events returns a firm's history (what was changed, filed and
// qualified, by whom).
func (s *Enterprises) Events(ctx context.Context, a *domain.Actor, id int64) ([]*domain.Event, error) {
	x, err := s.Get(ctx, a, id)
	if err != nil {
		return nil, err
	}
	return history(ctx, s.core, enterpriseKind, a, x, domain.Enterprises.CanSee, "查看该企业的记录")
}

// Filings lists a firm's filings, oldest year first.
func (s *Enterprises) Filings(ctx context.Context, a *domain.Actor, id int64) ([]*domain.EnterpriseFiling, error) {
	if _, err := s.Get(ctx, a, id); err != nil {
		return nil, err
	}
	return s.store.EnterpriseFilings(ctx, id)
}

// Filing returns a firm's filing of a year.
func (s *Enterprises) Filing(ctx context.Context, a *domain.Actor, id int64, year int) (*domain.EnterpriseFiling, error) {
	if _, err := s.Get(ctx, a, id); err != nil {
		return nil, err
	}
	return s.store.EnterpriseFiling(ctx, id, year)
}

// File stores a firm's facts for a year (the year of their assessed_on,
// which must be year): a first filing or a correction of the one there
// (version: the filing's version read, 0 for a first filing). The facts
// are parsed by the rule engine's parser, filled with the registry's code,
// name and registration date, and stored canonically; the firm hears
// when the bureau corrects its facts.
func (s *Enterprises) File(ctx context.Context, a *domain.Actor, id int64, year int, version int64, facts json.RawMessage) (*domain.EnterpriseFiling, error) {
	if err := requireLogin(a); err != nil {
		return nil, err
	}
	if len(facts) > maxFactsBytes {
		return nil, tooLarge("facts", "企业数据过大（超过 %d KB）", maxFactsBytes/1024)
	}
	var out *domain.EnterpriseFiling
	err := s.store.InTx(ctx, func(q *store.Q) error {
		x, err := visible(ctx, q, enterpriseKind, a, id)
		if err != nil {
			return err
		}
		if err := domain.EnterpriseFlow.Check("file", a, x); err != nil {
			return err
		}
		raw, y, err := enterprisefacts.Canonical(x, facts)
		if err != nil {
			return err
		}
		if y != year {
			return domain.FieldErrorf("facts.assessed_on", "评价日期的年份（%d）与填报年度（%d）不一致", y, year)
		}
		f := &domain.EnterpriseFiling{EnterpriseID: x.ID, Year: year, Facts: raw, FiledBy: a.UserID}
		if err := f.Validate(); err != nil {
			return err
		}
		var before *domain.EnterpriseFiling
		if version != 0 {
			if before, err = q.EnterpriseFiling(ctx, x.ID, year); err != nil {
				return err
			}
		}
		isNew, err := q.UpsertEnterpriseFiling(ctx, f, version)
		if err != nil {
			return err
		}
		action := "refile"
		if isNew {
			action = "file"
		} else if version == 0 {
			return staleVersion(store.FilingStale) // a second first filing: someone filed meanwhile
		}
		if err := s.filed(ctx, q, a, x, action, strconv.Itoa(year)); err != nil {
			return err
		}
		out = f
		return q.Audit(ctx, a, "enterprise."+action, "enterprise_filing", f.ID, before, f)
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// maxFactsBytes bounds one filing's facts.
const maxFactsBytes = 64 << 10

// filed writes a step of the firm's history (a filing, a qualification)
// and runs the step hooks (the notices) in the caller's transaction.
func (s *Enterprises) filed(ctx context.Context, q *store.Q, a *domain.Actor, x *domain.Enterprise, action, comment string) error {
	st := string(domain.EnterpriseRegistered)
	ev := newEvent(a, "enterprise", x.ID, action, st, st, step{Comment: comment})
	if err := q.AddEvent(ctx, ev); err != nil {
		return err
	}
	return s.runHooks(ctx, q, a, ev, x)
}

// QualificationInput is a qualification as typed.
type QualificationInput struct {
	Kind      domain.EnterpriseQualKind `json:"kind"`
	Number    string                    `json:"number"`
	Year      int                       `json:"year"`
	IssuedOn  string                    `json:"issued_on"`
	ExpiresOn string                    `json:"expires_on,omitempty"` // "": 高企 three years, sme the end of its year
}

// Qualifications lists a firm's qualifications, newest year first.
func (s *Enterprises) Qualifications(ctx context.Context, a *domain.Actor, id int64) ([]*domain.EnterpriseQualification, error) {
	if _, err := s.Get(ctx, a, id); err != nil {
		return nil, err
	}
	return s.store.EnterpriseQualifications(ctx, id)
}

// Qualify records a qualification of a firm (the bureau); the firm hears
// of it.
func (s *Enterprises) Qualify(ctx context.Context, a *domain.Actor, id int64, in QualificationInput) (*domain.EnterpriseQualification, error) {
	if err := requireLogin(a); err != nil {
		return nil, err
	}
	var c textCleaner
	c.line("number", &in.Number)
	c.line("issued_on", &in.IssuedOn)
	c.line("expires_on", &in.ExpiresOn)
	if err := c.err(); err != nil {
		return nil, err
	}
	g := &domain.EnterpriseQualification{EnterpriseID: id, Kind: in.Kind, Number: in.Number, Year: in.Year,
		IssuedOn: in.IssuedOn, ExpiresOn: in.ExpiresOn, CreatedBy: a.UserID}
	if g.Year == 0 && len(g.IssuedOn) >= 4 {
		g.Year, _ = strconv.Atoi(g.IssuedOn[:4])
	}
	g.DefaultExpiry()
	err := s.store.InTx(ctx, func(q *store.Q) error {
		x, err := visible(ctx, q, enterpriseKind, a, id)
		if err != nil {
			return err
		}
		if err := domain.EnterpriseFlow.Check("qualify", a, x); err != nil {
			return err
		}
		if err := g.Validate(); err != nil {
			return err
		}
		if err := q.InsertEnterpriseQualification(ctx, g); err != nil {
			return err
		}
		if err := s.filed(ctx, q, a, x, "qualify", fmt.Sprintf("%s %s", domain.Msg(g.Kind.Label()), g.Number)); err != nil {
			return err
		}
		return q.Audit(ctx, a, "enterprise.qualify", "enterprise_qualification", g.ID, nil, g)
	})
	if err != nil {
		return nil, err
	}
	return g, nil
}

// Revoke records the revocation of a qualification (the bureau) on a day
// (YYYY-MM-DD, "" today) with a reason; the firm hears of it.
func (s *Enterprises) Revoke(ctx context.Context, a *domain.Actor, id, qualID, version int64, on, reason string) (*domain.EnterpriseQualification, error) {
	if err := requireLogin(a); err != nil {
		return nil, err
	}
	reason, err := stepNote("revoke_reason", reason, true)
	if err != nil {
		return nil, err
	}
	if on == "" {
		on = s.today()
	}
	var out *domain.EnterpriseQualification
	err = s.store.InTx(ctx, func(q *store.Q) error {
		x, err := visible(ctx, q, enterpriseKind, a, id)
		if err != nil {
			return err
		}
		if err := domain.EnterpriseFlow.Check("revoke", a, x); err != nil {
			return err
		}
		g, err := q.FindEnterpriseQualification(ctx, qualID)
		if err != nil || g.EnterpriseID != x.ID {
			return domain.Errorf(domain.ENOTFOUND, "资质记录不存在")
		}
		if version != 0 && version != g.Version {
			return staleVersion("此资质记录已被他人修改，您的操作未执行，请刷新后重试")
		}
		if g.RevokedOn != "" {
			return domain.Errorf(domain.ECONFLICT, "该资质已于%s撤销", g.RevokedOn)
		}
		before := *g
		g.RevokedOn, g.RevokeReason = on, reason
		if err := g.Validate(); err != nil {
			return err
		}
		if on > s.today() {
			return domain.FieldErrorf("revoked_on", "撤销日期不能晚于今天")
		}
		if err := q.RevokeEnterpriseQualification(ctx, g, on, reason); err != nil {
			return err
		}
		if err := s.filed(ctx, q, a, x, "revoke", fmt.Sprintf("%s %s：%s", domain.Msg(g.Kind.Label()), g.Number, reason)); err != nil {
			return err
		}
		out = g
		return q.Audit(ctx, a, "enterprise.revoke", "enterprise_qualification", g.ID, &before, g)
	})
	return out, err
}

// onEnterpriseStep says who hears of a registry step: the firm's
// organisation, when the bureau records or revokes a qualification or
// corrects its facts (its own filings it knows of).
func (s *Notify) onEnterpriseStep(ctx context.Context, q *store.Q, a *domain.Actor, ev *domain.Event, x *domain.Enterprise) error {
	if x.OrgID == 0 || a != nil && a.OrgID == x.OrgID {
		return nil
	}
	switch ev.Action {
	case "qualify", "revoke", "file", "refile", "update":
	default:
		return nil
	}
	detail := domain.AuditActionLabel("enterprise." + ev.Action)
	if ev.Comment != "" {
		detail += domain.DetailSep + ev.Comment
	}
	n := domain.Notification{Kind: domain.NoticeEnterprise, Entity: "enterprise", EntityID: x.ID,
		Link: fmt.Sprintf("/enterprises/%d", x.ID), Title: x.Name, Detail: detail, Dedup: "event:" + strconv.FormatInt(ev.ID, 10)}
	_, err := s.toOrgs(ctx, q, actorID(a), []int64{x.OrgID}, n)
	return err
}

// FactsFor is the actor's own firm's facts filed for year (nil when the
// actor has no firm in the registry or it has not filed that year): the
// FactsSource that prefills the self-check and the policy calculator
// (web.FactsSource of the /assess pages).
func (s *Enterprises) FactsFor(ctx context.Context, a *domain.Actor, year int) (*rules.Facts, error) {
	if a == nil || !domain.Enterprises.CanSeeMine(a) {
		return nil, nil
	}
	x, err := s.store.FindEnterpriseByOrg(ctx, a.OrgID)
	if err != nil || x == nil {
		return nil, err
	}
	f, err := s.store.EnterpriseFiling(ctx, x.ID, year)
	if domain.ErrorCode(err) == domain.ENOTFOUND {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	facts, err := enterprisefacts.Decode(f.Facts)
	if err != nil {
		return nil, err
	}
	return &facts, nil
}
