package evaluate

import (
	"slices"

	"kechuang/internal/domain"
)

// ExpertKind is what an expert is in the pool for: the panel rules count
// technical experts against the others (economic, financial, management).
type ExpertKind string

const (
	Technical  ExpertKind = "technical"
	Finance    ExpertKind = "finance"
	Economic   ExpertKind = "economic"
	Management ExpertKind = "management"
)

// ExpertKinds lists the kinds with their Chinese names.
var ExpertKinds = domain.NewEnum[ExpertKind](
	domain.Item[ExpertKind]{Code: Technical, Label: "技术专家"}, domain.Item[ExpertKind]{Code: Finance, Label: "财务专家"},
	domain.Item[ExpertKind]{Code: Economic, Label: "经济专家"}, domain.Item[ExpertKind]{Code: Management, Label: "管理专家"},
)

// Org is an organisation as the engine needs it: an id and a name to
// explain conflicts with.
type Org struct {
	ID   int64
	Name string
}

// Expert is one member of the expert pool.
type Expert struct {
	// ID is the expert's user id (experts sign in to score).
	ID   int64
	Name string
	Org  Org
	Kind ExpertKind
	// Fields are the expert's disciplines and industrial chains (codes);
	// a panel is proposed by how many of the application's fields match.
	Fields []string
	// Declared are the relations the expert declared (former employer,
	// collaborator, family ties with a unit's people …).
	Declared []Declaration
}

// Declaration is a declared relation with an organisation.
type Declaration struct {
	OrgID int64
	// Relation says what it is, in the expert's words ("近三年合作研究").
	Relation string
}

// Application is the side of a case the conflicts are checked against.
type Application struct {
	Applicant    Org
	CoApplicants []Org
	// People are the user ids of the people named on the application (the
	// team, the co-applicants' contacts): an expert among them is a
	// co-applicant.
	People []int64
	// Fields are the application's discipline and chain codes.
	Fields []string
}

// ConflictKind is one kind of conflict of interest.
type ConflictKind string

const (
	ConflictSameOrg     ConflictKind = "same_org"     // the applicant's organisation
	ConflictCoOrg       ConflictKind = "co_org"       // a co-applicant's organisation
	ConflictDeclared    ConflictKind = "declared"     // a declared relation with either
	ConflictCoApplicant ConflictKind = "co_applicant" // named on the application
)

// Conflict is one conflict of interest, explained.
type Conflict struct {
	Expert int64
	Kind   ConflictKind
	Text   domain.Text
}

// Conflicts lists every conflict of interest between e and the
// application; none means e may be assigned.
func Conflicts(e Expert, app Application) []Conflict {
	var out []Conflict
	add := func(k ConflictKind, t domain.Text) { out = append(out, Conflict{e.ID, k, t}) }
	if slices.Contains(app.People, e.ID) {
		add(ConflictCoApplicant, domain.Msg("专家%s是本申请的申请人或合作申请人", e.Name))
	}
	if e.Org.ID != 0 && e.Org.ID == app.Applicant.ID {
		add(ConflictSameOrg, domain.Msg("专家%s与申请单位同属%s", e.Name, app.Applicant.Name))
	}
	for _, co := range app.CoApplicants {
		if e.Org.ID != 0 && e.Org.ID == co.ID {
			add(ConflictCoOrg, domain.Msg("专家%s与合作申请单位同属%s", e.Name, co.Name))
		}
	}
	for _, d := range e.Declared {
		for _, o := range append([]Org{app.Applicant}, app.CoApplicants...) {
			if d.OrgID != 0 && d.OrgID == o.ID {
				add(ConflictDeclared, domain.Msg("专家%s申报了与%s的关系：%s", e.Name, o.Name, d.Relation))
			}
		}
	}
	return out
}

// fit is how many of the application's fields the expert covers.
func fit(e Expert, app Application) int {
	n := 0
	for _, f := range app.Fields {
		if slices.Contains(e.Fields, f) {
			n++
		}
	}
	return n
}
