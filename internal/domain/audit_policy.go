package domain

// AuditPolicy is who may read and verify the audit log.
type AuditPolicy struct{}

// AuditRules is the audit log's policy.
var AuditRules AuditPolicy

// CanRead reports whether a may read the audit log (administrators and
// bureau staff).
func (AuditPolicy) CanRead(a *Actor) bool { return a.Is(RoleAdmin, RoleBureau) }
