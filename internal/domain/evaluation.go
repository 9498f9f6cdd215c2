package domain

import "slices"

// An Evaluation is one scored case of any module (an achievement's 科技成果
// 评价, a 揭榜挂帅 answer, later pilot bases, platforms and talent): the
// record the workflow table moves. The scoring itself — indicator sets,
// panels, conflicts of interest, forms, aggregation and the 公示 window —
// is the pure package internal/evaluate; this type holds what the policy
// and the workflow need to decide who may act.
//
// EvaluationFlow is the table: draft → panel_assigned (专家组已组建) →
// scoring (评分中) → publicity (公示中) → final (已定论, results published),
// with objection (异议处理中) while an objection filed inside the window is
// open: dismissing it returns to publicity (or to final once the window has
// closed), upholding it sends the case back to panel_assigned, where the
// panel may be changed before a new scoring round.
type EvaluationStatus string

const (
	EvaluationDraft     EvaluationStatus = "draft"
	EvaluationPanel     EvaluationStatus = "panel_assigned"
	EvaluationScoring   EvaluationStatus = "scoring"
	EvaluationPublicity EvaluationStatus = "publicity"
	EvaluationObjection EvaluationStatus = "objection"
	EvaluationFinal     EvaluationStatus = "final"
)

// EvaluationStatuses lists the statuses with their Chinese names, in
// workflow order.
var EvaluationStatuses = NewEnum[EvaluationStatus](
	Item[EvaluationStatus]{EvaluationDraft, "待组建专家组"}, Item[EvaluationStatus]{EvaluationPanel, "专家组已组建"},
	Item[EvaluationStatus]{EvaluationScoring, "专家评分中"}, Item[EvaluationStatus]{EvaluationPublicity, "结果公示中"},
	Item[EvaluationStatus]{EvaluationObjection, "异议处理中"}, Item[EvaluationStatus]{EvaluationFinal, "评价结果已发布"},
)

// Label returns the Chinese name of the status.
func (s EvaluationStatus) Label() string { return EvaluationStatuses.Label(s) }

// Evaluation is the workflow record of one scored case.
type Evaluation struct {
	ID      int64 `json:"id"`
	Version int64 `json:"version"`
	// SubjectKind and SubjectID name what is evaluated ("achievement", 12;
	// "challenge_answer", 7): the module that owns the case.
	SubjectKind string `json:"subject_kind"`
	SubjectID   int64  `json:"subject_id"`
	// ApplicantOrgID is the applicant's organisation; CoApplicantOrgIDs the
	// others named on the application (conflicts of interest use both).
	ApplicantOrgID    int64   `json:"applicant_org_id"`
	CoApplicantOrgIDs []int64 `json:"co_applicant_org_ids,omitempty"`
	// PeopleUserIDs are the users named on the application (the team, the
	// co-applicants' contacts): none of them may sit on the panel.
	PeopleUserIDs []int64 `json:"people_user_ids,omitempty"`
	// Fields are the application's discipline and chain codes, which the
	// panel proposal matches against the experts' fields.
	Fields []string `json:"fields,omitempty"`
	// SetID and SetVersion pin the indicator set the case is scored with:
	// a later version of the set never changes a case already opened.
	SetID      string           `json:"set_id"`
	SetVersion int              `json:"set_version"`
	ResultType string           `json:"result_type"`
	Status     EvaluationStatus `json:"status"`
	// PanelUserIDs are the user ids of the assigned experts (the policy lets
	// them see the case and score it).
	PanelUserIDs []int64 `json:"panel_user_ids,omitempty"`
	// Round counts scoring rounds (open_scoring starts one; after an
	// upheld objection the next is a new round, with forms of its own).
	Round int `json:"round"`
	// PublicityFrom and PublicityUntil are the 公示 window's first and last
	// days (YYYY-MM-DD, China), set when the result is publicised.
	PublicityFrom  string `json:"publicity_from,omitempty"`
	PublicityUntil string `json:"publicity_until,omitempty"`
	// OpenObjections counts objections not yet handled.
	OpenObjections int `json:"open_objections"`
	// ResultTenths is the panel's aggregated score in tenths of a point
	// (875 = 87.5), set when scoring closes.
	ResultTenths int64 `json:"result_tenths"`
}

// OnPanel reports whether user is one of the case's experts.
func (e *Evaluation) OnPanel(user int64) bool { return slices.Contains(e.PanelUserIDs, user) }

// Clone returns a deep copy (the audit's before).
func (e *Evaluation) Clone() *Evaluation {
	c := *e
	c.CoApplicantOrgIDs = slices.Clone(e.CoApplicantOrgIDs)
	c.PanelUserIDs = slices.Clone(e.PanelUserIDs)
	c.PeopleUserIDs = slices.Clone(e.PeopleUserIDs)
	c.Fields = slices.Clone(e.Fields)
	return &c
}

// EvaluationFilter selects cases for the bureau's list.
type EvaluationFilter struct {
	Status      EvaluationStatus
	SubjectKind string
	// Public lists the cases whose result is in 公示 (publicity or under
	// objection), for the public 公示 page.
	Public bool
	// ApplicantOrgID lists one applicant's cases (0: every applicant).
	ApplicantOrgID int64
	Page, PerPage  int
}

// EvaluationSubjectKinds are the kinds of subject a case may have, with
// their Chinese names (a module that scores a new kind adds it here).
var EvaluationSubjectKinds = NewEnum[string](
	Item[string]{"achievement", "科技成果评价"}, Item[string]{"challenge_answer", "揭榜挂帅方案评审"},
)

// The details of the evaluation notices (NoticeEvaluation), by recipient.
const (
	EvaluationNoticeAssigned  = "您被指派为评价专家"
	EvaluationNoticeScoring   = "专家评分已开始，请在评分队列中评分"
	EvaluationNoticePublicity = "评价结果进入公示"
	EvaluationNoticeObjection = "收到对评价结果的异议"
	EvaluationNoticeFinal     = "评价结果已发布"
	EvaluationNoticeReopened  = "异议成立，评价将重新评审"
)
