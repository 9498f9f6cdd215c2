package web

import (
	"fmt"
	"net/url"
	"strconv"
	"strings"

	"kechuang/internal/domain"
	"kechuang/internal/i18n"
)

// contractLinkRow is one source (成果来源) row of the contract form, as
// typed; Index is its place in the contract's links (-1 for a blank row).
type contractLinkRow struct {
	Kind, Ref, Title string
	Index            int
}

// Key is the row's error key for part ("kind" or "ref_id").
func (r contractLinkRow) Key(part string) string { return fmt.Sprintf("links[%d].%s", r.Index, part) }

// contractLinkRows are the form's source rows: the contract's links, then
// blank rows up to two and at least one.
func contractLinkRows(c *domain.Contract) []contractLinkRow {
	var out []contractLinkRow
	for i, l := range c.Links {
		out = append(out, contractLinkRow{Kind: l.Kind, Ref: strconv.FormatInt(l.RefID, 10), Title: l.Title, Index: i})
	}
	for len(out) < domain.MaxContractLinks && (len(out) < 2 || out[len(out)-1].Index >= 0) {
		out = append(out, contractLinkRow{Kind: "achievement", Index: -1})
	}
	return out
}

// parseContractLinks reads the form's source rows (link_kind, link_ref):
// a row with no number is blank; a number that is not a positive integer
// is reported under its link's key.
func parseContractLinks(f url.Values, l i18n.Lang, errs map[string]string) []domain.ContractLink {
	kinds, refs := f["link_kind"], f["link_ref"]
	var out []domain.ContractLink
	for i := range refs {
		ref := strings.TrimSpace(refs[i])
		if ref == "" {
			continue
		}
		kind := ""
		if i < len(kinds) {
			kind = strings.TrimSpace(kinds[i])
		}
		id, err := strconv.ParseInt(strings.TrimPrefix(ref, "#"), 10, 64)
		if err != nil || id <= 0 {
			errs[fmt.Sprintf("links[%d].ref_id", len(out))] = i18n.T(l, "第%d个来源请填写%s编号（正整数）", len(out)+1, domain.Msg(domain.ContractLinkKindLabel(kind)))
			id = 0
		}
		out = append(out, domain.ContractLink{Kind: kind, RefID: id})
	}
	return out
}

// linksFromQuery reads a source named by the page that links to the new
// contract form (?link_kind=achievement&link_ref=ID).
func linksFromQuery(q url.Values) []domain.ContractLink {
	id, err := strconv.ParseInt(q.Get("link_ref"), 10, 64)
	if err != nil || id <= 0 || !domain.ContractLinkKinds.Valid(q.Get("link_kind")) {
		return nil
	}
	return []domain.ContractLink{{Kind: q.Get("link_kind"), RefID: id}}
}
