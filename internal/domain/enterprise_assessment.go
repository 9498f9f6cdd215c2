package domain

import "time"

// Enterprise assessments (issue 10 items 4 and 6): the verdict of each
// tier rule set for a firm's yearly filing, the bureau's batch run of a
// year, and the tiers counted from the records (ENTERPRISE_SCHEMA.md).

// TierRuleSets are the rule sets a firm's filing is assessed under and
// stored for, in the order the pages show them. City policies are
// assessed on demand and never stored.
var TierRuleSets = []string{"sme", "hnte", "eaglet", "gazelle", "unicorn"}

// TierRuleSetLabel is the zh-CN name of a tier rule set.
func TierRuleSetLabel(id string) string {
	switch id {
	case "sme":
		return "科技型中小企业"
	case "hnte":
		return "高新技术企业"
	case "eaglet":
		return "雏鹰企业"
	case "gazelle":
		return "瞪羚企业"
	case "unicorn":
		return "独角兽企业"
	}
	return id
}

// AssessVerdict is a rule set's verdict (internal/rules).
type AssessVerdict string

// AssessVerdicts label the verdicts.
var AssessVerdicts = NewEnum[AssessVerdict](
	Item[AssessVerdict]{"pass", "通过"},
	Item[AssessVerdict]{"fail", "未通过"},
	Item[AssessVerdict]{"not_eligible", "不符合申报条件"},
	Item[AssessVerdict]{"expert_dependent", "取决于专家评分"},
	Item[AssessVerdict]{"missing_facts", "缺少事实"},
)

// Label is the verdict's zh-CN label.
func (v AssessVerdict) Label() string { return AssessVerdicts.Label(v) }

// EnterpriseAssessment is the stored verdict of one rule set for one
// firm's filing of a year (enterprise_assessments). A new assessment
// replaces the old one.
type EnterpriseAssessment struct {
	ID           int64         `json:"id"`
	EnterpriseID int64         `json:"enterprise_id"`
	Year         int           `json:"year"`
	RuleSet      string        `json:"rule_set"`
	Version      string        `json:"version"`
	RulesHash    string        `json:"rules_hash"`
	Verdict      AssessVerdict `json:"verdict"`
	ScoreMin     *int          `json:"score_min,omitempty"`
	ScoreMax     *int          `json:"score_max,omitempty"`
	Missing      int           `json:"missing"`
	AssessedOn   string        `json:"assessed_on"`
	RunID        *int64        `json:"run_id,omitempty"`
	CreatedAt    time.Time     `json:"created_at"`
}

// Tier is a tier of the cultivation ladder counted from the records.
type Tier string

// The tiers (ENTERPRISE_SCHEMA.md "Tiers").
const (
	TierTech           Tier = "tech"            // an sme or hnte pass
	TierHighTech       Tier = "high_tech"       // an hnte pass
	TierEaglet         Tier = "eaglet"          // an eaglet pass
	TierGazelleUnicorn Tier = "gazelle_unicorn" // a gazelle or unicorn pass
)

// Tiers label the tiers.
var Tiers = NewEnum[Tier](
	Item[Tier]{TierTech, "科技型企业"},
	Item[Tier]{TierHighTech, "高新技术企业"},
	Item[Tier]{TierEaglet, "雏鹰企业"},
	Item[Tier]{TierGazelleUnicorn, "瞪羚/独角兽企业"},
)

// Label is the tier's zh-CN label.
func (t Tier) Label() string { return Tiers.Label(t) }

// TiersOf are the tiers a firm holds in a year given the rule sets it
// passed (one firm counts once per tier, however many sets it passed).
func TiersOf(passed map[string]bool) []Tier {
	var out []Tier
	if passed["sme"] || passed["hnte"] {
		out = append(out, TierTech)
	}
	if passed["hnte"] {
		out = append(out, TierHighTech)
	}
	if passed["eaglet"] {
		out = append(out, TierEaglet)
	}
	if passed["gazelle"] || passed["unicorn"] {
		out = append(out, TierGazelleUnicorn)
	}
	return out
}

// PoolIntakeRule is the [A] definition of 入库培育 (the yearly intake into
// the cultivation pool): a setting, not a constant (SettingPoolIntake).
type PoolIntakeRule string

// The pool-intake definitions.
const (
	PoolIntakeNewTech PoolIntakeRule = "new_tech" // tech in Y, not tech in Y−1 (the default)
	PoolIntakeNewSME  PoolIntakeRule = "new_sme"  // an sme pass in Y, none in Y−1
)

// PoolIntakeRules label the definitions.
var PoolIntakeRules = NewEnum[PoolIntakeRule](
	Item[PoolIntakeRule]{PoolIntakeNewTech, "当年为科技型企业、上年不是的企业"},
	Item[PoolIntakeRule]{PoolIntakeNewSME, "当年通过科技型中小企业评价、上年未通过的企业"},
)

// Label is the definition's zh-CN label.
func (p PoolIntakeRule) Label() string { return PoolIntakeRules.Label(p) }

// SettingPoolIntake is the settings key of the pool-intake definition.
const SettingPoolIntake = "enterprise_pool_intake"

// EnterpriseTierRow is the yearly tier rollup (enterprise_tier_counts),
// recomputed from the assessment records in the transaction that writes
// them.
type EnterpriseTierRow struct {
	Year           int   `json:"year"`
	Assessed       int64 `json:"assessed"` // firms with an assessment of the year
	Tech           int64 `json:"tech"`
	HighTech       int64 `json:"high_tech"`
	SME            int64 `json:"sme"`
	Eaglet         int64 `json:"eaglet"`
	GazelleUnicorn int64 `json:"gazelle_unicorn"`
	IntakeNewTech  int64 `json:"intake_new_tech"`
	IntakeNewSME   int64 `json:"intake_new_sme"`
}

// EnterpriseRunCounts are a batch run's counts: rule set → verdict → firms.
type EnterpriseRunCounts map[string]map[AssessVerdict]int64

// EnterpriseAssessmentRun is one batch run of a year (enterprise_assessment_runs).
type EnterpriseAssessmentRun struct {
	ID         int64               `json:"id"`
	Year       int                 `json:"year"`
	RuleSets   []string            `json:"rule_sets"`
	StartedBy  *int64              `json:"started_by,omitempty"`
	StartedAt  time.Time           `json:"started_at"`
	UpdatedAt  time.Time           `json:"updated_at"`
	FinishedAt *time.Time          `json:"finished_at,omitempty"`
	Running    bool                `json:"running"`
	Total      int64               `json:"total"`
	Done       int64               `json:"done"`
	Counts     EnterpriseRunCounts `json:"counts"`
	Error      string              `json:"error,omitempty"`
}

// EnterpriseAssessedFirm is a row of a run page's list: the firm and its
// assessment under one rule set.
type EnterpriseAssessedFirm struct {
	*EnterpriseAssessment
	USCC     string `json:"uscc"`
	Name     string `json:"name"`
	District string `json:"district"`
}

// EnterpriseAssessmentFilter selects a year's assessments of a rule set,
// by verdict ("" all), a page of them (perPage 0: all, for the export).
type EnterpriseAssessmentFilter struct {
	Year    int
	RuleSet string
	Verdict string
	Page    int
	PerPage int
}

// EnterpriseAssessPolicy decides who runs and reads the assessments.
// A firm's own verdicts follow the registry's policy on the firm.
type EnterpriseAssessPolicy struct{}

// EnterpriseAssess is the policy value.
var EnterpriseAssess EnterpriseAssessPolicy

// CanRun: the bureau and the administrator run a year's assessment.
func (EnterpriseAssessPolicy) CanRun(a *Actor) bool { return a.Is(RoleBureau, RoleAdmin) }

// CanSeeRuns: the same people see the runs and the lists of firms by verdict.
func (EnterpriseAssessPolicy) CanSeeRuns(a *Actor) bool { return a.Is(RoleBureau, RoleAdmin) }

// CanSetPoolIntake: the bureau and the administrator choose the [A] definition.
func (EnterpriseAssessPolicy) CanSetPoolIntake(a *Actor) bool { return a.Is(RoleBureau, RoleAdmin) }

var enterpriseAssessAudit = AuditVocabulary{Module: "enterprise_assessment",
	Entities: []Label{{"enterprise_assessment", "企业梯度评价"}, {"enterprise_assessment_run", "年度批量评价"}},
	Actions: map[string]string{
		"enterprise_assessment.assess":      "评价企业",
		"enterprise_assessment_run.start":   "开始年度批量评价",
		"enterprise_assessment_run.finish":  "完成年度批量评价",
		"enterprise_assessment_run.fail":    "年度批量评价中断",
		"enterprise_assessment.pool_intake": "修改入库培育口径",
	},
}
