package i18n

import (
	"strings"

	"kechuang/internal/domain"
)

// Notice is the sentence of a notification in l: the kind's text with the
// entity's title and the detail (the changed fields' labels, a step's
// label, a due date), each label translated.
func Notice(l Lang, n *domain.Notification) string {
	msgid, withDetail := domain.NoticeText(n.Kind)
	if !withDetail {
		return T(l, msgid, n.Title)
	}
	parts := strings.Split(n.Detail, domain.DetailSep)
	for i, p := range parts {
		parts[i] = T(l, p)
	}
	sep := domain.DetailSep
	if l == EN {
		sep = ", "
	}
	return T(l, msgid, n.Title, strings.Join(parts, sep))
}
