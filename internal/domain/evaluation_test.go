package domain

import "testing"

// TestEvaluationPolicy: who sees a case and who may take each action, by
// role, relation and status.
func TestEvaluationPolicy(t *testing.T) {
	var (
		bureau   = &Actor{UserID: 1, Role: RoleBureau, OrgID: 1}
		admin    = &Actor{UserID: 2, Role: RoleAdmin, OrgID: 1}
		panelist = &Actor{UserID: 3, Role: RoleExpert, OrgID: 30}
		outsider = &Actor{UserID: 4, Role: RoleExpert, OrgID: 40}
		owner    = &Actor{UserID: 5, Role: RoleTTO, OrgID: 50}
		partner  = &Actor{UserID: 6, Role: RoleEnterprise, OrgID: 60}
		public   = &Actor{UserID: 7, Role: RoleEnterprise, OrgID: 70}
	)
	at := func(s EvaluationStatus) *Evaluation {
		return &Evaluation{Status: s, ApplicantOrgID: 50, CoApplicantOrgIDs: []int64{60}, PanelUserIDs: []int64{3}}
	}
	for _, s := range EvaluationStatuses.Codes() {
		e := at(s)
		for _, a := range []*Actor{bureau, admin, panelist, owner, partner} {
			if !Evaluations.CanSee(a, e) {
				t.Errorf("%s: user %d cannot see the case", s, a.UserID)
			}
		}
		if got := Evaluations.CanSee(public, e); got != e.Public() {
			t.Errorf("%s: the public sees it: %v", s, got)
		}
		if Evaluations.CanSee(nil, e) != e.Public() {
			t.Errorf("%s: the public (not signed in) sees it: %v", s, !e.Public())
		}
	}
	cases := []struct {
		action string
		status EvaluationStatus
		actor  *Actor
		code   string // "" allowed
	}{
		{"assign", EvaluationDraft, bureau, ""},
		{"assign", EvaluationPanel, admin, ""},
		{"assign", EvaluationDraft, owner, EFORBIDDEN},
		{"assign", EvaluationScoring, bureau, ECONFLICT},
		{"open_scoring", EvaluationPanel, bureau, ""},
		{"open_scoring", EvaluationDraft, bureau, ECONFLICT},
		{"score", EvaluationScoring, panelist, ""},
		{"score", EvaluationScoring, outsider, EFORBIDDEN},
		{"score", EvaluationScoring, bureau, EFORBIDDEN},
		{"score", EvaluationPublicity, panelist, ECONFLICT},
		{"publicise", EvaluationScoring, bureau, ""},
		{"publicise", EvaluationScoring, panelist, EFORBIDDEN},
		{"object", EvaluationPublicity, public, ""},
		{"object", EvaluationObjection, owner, ""},
		{"object", EvaluationPublicity, panelist, EFORBIDDEN},
		{"object", EvaluationPublicity, bureau, EFORBIDDEN},
		{"object", EvaluationFinal, public, ECONFLICT},
		{"object", EvaluationScoring, owner, ECONFLICT},
		{"resolve", EvaluationObjection, bureau, ""},
		{"resolve", EvaluationObjection, owner, EFORBIDDEN},
		{"resolve", EvaluationPublicity, bureau, ECONFLICT},
		{"finalise", EvaluationPublicity, bureau, ""},
		{"finalise", EvaluationObjection, bureau, ECONFLICT},
		{"finalise", EvaluationPublicity, public, EFORBIDDEN},
	}
	for _, c := range cases {
		err := EvaluationFlow.Check(c.action, c.actor, at(c.status))
		if ErrorCode(err) != c.code {
			t.Errorf("%s by user %d at %s: %v, want %q", c.action, c.actor.UserID, c.status, err, c.code)
		}
	}
	if err := EvaluationFlow.Check("score", nil, at(EvaluationScoring)); ErrorCode(err) != EUNAUTHORIZED {
		t.Errorf("anonymous: %v", err)
	}
	if !Evaluations.CanScore(panelist, at(EvaluationScoring)) || Evaluations.CanManage(owner, at(EvaluationPublicity)) ||
		!Evaluations.CanManage(bureau, at(EvaluationDraft)) ||
		!Evaluations.CanObject(public, at(EvaluationPublicity)) || !Evaluations.CanCreate(bureau) || Evaluations.CanCreate(owner) {
		t.Error("the Can helpers disagree with the table")
	}
}
