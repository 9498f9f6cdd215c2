package domain

// AssessmentPolicy is who sees the self-check and the policy calculator.
// Both are public (the rules are; nothing is stored), so there is no
// permission to check: the policy only places the sidebar entry, shown to
// signed-in organisations, not to experts (they score, they do not
// self-check) nor to the public (who reach it from the pages that link it).
type AssessmentPolicy struct{}

// Assessments is the assessment module's policy.
var Assessments AssessmentPolicy

// InNav reports whether the sidebar shows the self-check to a.
func (AssessmentPolicy) InNav(a *Actor) bool { return a != nil && a.Role != RoleExpert }
