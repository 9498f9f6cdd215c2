package web

import (
	"context"

	"kechuang/internal/domain"
)

// regionPicker is the data of a region field (template "region_picker"),
// the same on the contract form's parties and the organisation form. It is
// progressive: without JavaScript it is a six-digit code field offering the
// city's districts and counties as the browser's quick list (the datalist
// "city-regions", template "region_list") and accepting any code, which the
// server checks against the national table; app.js adds a search of the
// whole country through GET /api/v1/meta/regions and names the typed code.
type regionPicker struct {
	ID, Name, Value string
	Required        bool
	Current         string // the full name of Value when it is a code of the table
	Withdrawn       bool
}

// regionNames finds the full names of the codes a form shows (withdrawn
// ones too: an old record keeps its region's name).
func (w *Web) regionNames(ctx context.Context, codes ...string) map[string]domain.Region {
	var ask []string
	for _, c := range codes {
		if domain.ValidRegionCode(c) {
			ask = append(ask, c)
		}
	}
	m, err := w.Svc.Meta.RegionsByCode(ctx, ask...)
	if err != nil {
		w.Log.Warn("web: region names", "err", err)
	}
	return m
}

func newRegionPicker(id, name, value string, required bool, names map[string]domain.Region) regionPicker {
	p := regionPicker{ID: id, Name: name, Value: value, Required: required}
	if r, ok := names[value]; ok {
		p.Current, p.Withdrawn = r.FullName, r.Withdrawn != ""
	}
	return p
}
