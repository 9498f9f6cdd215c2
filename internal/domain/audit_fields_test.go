package domain

import "testing"

// TestAuditLabelsByEntity: a recorded field and a status code are named by
// the module of the entity, not by the contracts' table (an achievement's
// "submitted" is 待备案审核, never a contract's 待受理).
func TestAuditLabelsByEntity(t *testing.T) {
	for _, c := range []struct{ entity, field, code, want string }{
		{"achievement", "status", "submitted", "待备案审核"},
		{"contract", "status", "submitted", ContractStatus("submitted").Label()},
		{"need", "status", "published", NeedStatus("published").Label()},
		{"user", "role", "bureau", Role("bureau").Label()},
		{"achievement", "status", "no-such-code", "no-such-code"},
		{"challenge_answer", "status", "selected", AnswerStatus("selected").Label()},
		{"challenge", "status", "published", ChallengeStatus("published").Label()}, // an unknown code reads as itself
	} {
		if got := AuditValueLabel(c.entity, c.field, c.code); got != c.want {
			t.Errorf("%s.%s=%s: %q, want %q", c.entity, c.field, c.code, got, c.want)
		}
	}
	if AchievementStatus("submitted").Label() == ContractStatus("submitted").Label() {
		t.Fatal("the test needs statuses whose labels differ")
	}
	for _, c := range []struct{ entity, field, want string }{
		{"achievement", "filed_on", "备案日期"}, {"need", "closed_on", "关闭日期"}, {"contract", "reg_no", "登记号"},
		{"achievement", "status", "状态"}, {"contract", "no_such_field", "no_such_field"},
	} {
		if got := AuditFieldLabel(c.entity, c.field); got != c.want {
			t.Errorf("%s.%s: %q, want %q", c.entity, c.field, got, c.want)
		}
	}
}
