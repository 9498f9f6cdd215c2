package web

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"kechuang/internal/domain"
	"kechuang/internal/enterprisefacts"
	"kechuang/internal/enterpriseio"
	"kechuang/internal/httpx"
	"kechuang/internal/i18n"
	"kechuang/internal/service"
)

// The yearly facts form: every fact of FACTS.md (enterprisefacts.Fields
// and four accounting years of YearFields), labelled, money typed in 元
// or 万元 and stored in fen exactly, a yes/no left 未填 when not known
// (a missing fact, never 否), every error next to its field.

// filingField is one input of the form.
type filingField struct {
	Path, Name, Label, Value, Error string
	Kind                            enterprisefacts.Kind
	Choices                         []enterprisefacts.Choice
}

// filingGroup is one section of the form.
type filingGroup struct {
	Label  string
	Fields []filingField
	Years  bool // the accounting years follow this section
}

// enterpriseFilingPage is the form of a firm's facts for a year.
type enterpriseFilingPage struct {
	X         *domain.Enterprise
	Year      int
	Version   int64
	Exists    bool
	Unit      string // yuan or wan: how money is typed
	Groups    []filingGroup
	YearHeads []enterprisefacts.Field
	Years     [][]filingField
	Error     string
	FiledBy   string
	FiledAt   string
}

// factsForm builds the form's inputs from values by path (as typed, or
// the stored facts formatted in unit) and the errors by facts path.
func factsForm(p *enterpriseFilingPage, value func(path string, f enterprisefacts.Field) string, errs map[string]string) {
	field := func(path string, f enterprisefacts.Field) filingField {
		return filingField{Path: path, Name: "f." + path, Label: f.Label, Kind: f.Kind, Choices: f.Choices,
			Value: value(path, f), Error: errs["facts."+path]}
	}
	byGroup := map[string]int{}
	for _, f := range enterprisefacts.Fields {
		i, ok := byGroup[f.Group]
		if !ok {
			i = len(p.Groups)
			byGroup[f.Group] = i
			p.Groups = append(p.Groups, filingGroup{Label: f.Group, Years: f.Group == enterprisefacts.GroupBasic})
		}
		p.Groups[i].Fields = append(p.Groups[i].Fields, field(f.Path, f))
	}
	p.YearHeads = enterprisefacts.YearFields
	for k := range enterprisefacts.MaxYears {
		var row []filingField
		for _, f := range enterprisefacts.YearFields {
			row = append(row, field(fmt.Sprintf("years[%d].%s", k, f.Path), f))
		}
		p.Years = append(p.Years, row)
	}
}

// formatWan writes fen in 万元 exactly (up to six decimals).
func formatWan(fen int64) string {
	sign := ""
	if fen < 0 {
		sign, fen = "-", -fen
	}
	s := fmt.Sprintf("%s%d.%06d", sign, fen/1_000_000, fen%1_000_000)
	return strings.TrimSuffix(strings.TrimRight(s, "0"), ".")
}

// storedValue is a stored fact as the form shows it.
func storedValue(cells map[string]any, unit string) func(path string, f enterprisefacts.Field) string {
	return func(path string, f enterprisefacts.Field) string {
		switch v := cells[path].(type) {
		case bool:
			if v {
				return "yes"
			}
			return "no"
		case int64:
			if f.Kind == enterprisefacts.KindMoney {
				if unit == "wan" {
					return formatWan(v)
				}
				return domain.FormatYuanPlain(v)
			}
			return strconv.FormatInt(v, 10)
		case string:
			return v
		}
		return ""
	}
}

// parseFacts reads the form's facts into cells by path; what cannot be
// read is a field error at its input.
func parseFacts(l i18n.Lang, form url.Values, unit string) (map[string]any, map[string]string) {
	cells, errs := map[string]any{}, map[string]string{}
	read := func(path string, f enterprisefacts.Field) {
		v := strings.TrimSpace(form.Get("f." + path))
		if v == "" {
			return
		}
		key := "facts." + path
		switch f.Kind {
		case enterprisefacts.KindDate:
			if _, err := domain.ParseDate(v); err != nil {
				errs[key] = i18n.T(l, "日期应为 YYYY-MM-DD")
				return
			}
			cells[path] = v
		case enterprisefacts.KindMoney:
			parse, what := domain.ParseYuan, "金额应为数字（元），最多两位小数"
			if unit == "wan" {
				parse, what = domain.ParseWan, "金额应为数字（万元），最多六位小数"
			}
			fen, err := parse(v)
			if err != nil {
				errs[key] = i18n.T(l, what)
				return
			}
			cells[path] = fen
		case enterprisefacts.KindBool:
			switch v {
			case "yes":
				cells[path] = true
			case "no":
				cells[path] = false
			default:
				errs[key] = i18n.T(l, "请选择是、否或未填")
			}
		case enterprisefacts.KindEnum:
			for _, c := range f.Choices {
				if c.Code == v {
					cells[path] = v
					return
				}
			}
			errs[key] = i18n.T(l, "请从列表中选择")
		default:
			n, err := strconv.ParseInt(strings.ReplaceAll(v, ",", ""), 10, 64)
			if err != nil {
				errs[key] = i18n.T(l, "应为整数")
				return
			}
			cells[path] = n
		}
	}
	for _, f := range enterprisefacts.Fields {
		read(f.Path, f)
	}
	for k := range enterprisefacts.MaxYears {
		for _, f := range enterprisefacts.YearFields {
			read(fmt.Sprintf("years[%d].%s", k, f.Path), f)
		}
	}
	return cells, errs
}

// filingTarget reads the path's firm and year.
func (w *Web) filingTarget(rw http.ResponseWriter, r *http.Request) (*domain.User, *domain.Enterprise, int, bool) {
	u := w.requireUser(rw, r)
	if u == nil {
		return nil, nil, 0, false
	}
	id, ok := w.pageID(rw, r)
	if !ok {
		return nil, nil, 0, false
	}
	year, err := strconv.Atoi(r.PathValue("year"))
	if err != nil || year < domain.MinFilingYear || year > domain.MaxFilingYear {
		w.notFound(rw, r)
		return nil, nil, 0, false
	}
	a := service.ActorOf(u)
	x, err := w.Svc.Enterprises.Get(r.Context(), a, id)
	if err == nil {
		err = domain.EnterpriseFlow.Check("file", a, x)
	}
	if err != nil {
		w.fail(rw, r, err)
		return nil, nil, 0, false
	}
	return u, x, year, true
}

func (w *Web) enterpriseFilingForm(rw http.ResponseWriter, r *http.Request) {
	u, x, year, ok := w.filingTarget(rw, r)
	if !ok {
		return
	}
	p := &enterpriseFilingPage{X: x, Year: year, Unit: "wan"}
	if r.URL.Query().Get("unit") == "yuan" {
		p.Unit = "yuan"
	}
	cells := map[string]any{"assessed_on": fmt.Sprintf("%d-", year)}
	f, err := w.Svc.Enterprises.Filing(r.Context(), service.ActorOf(u), x.ID, year)
	switch {
	case err == nil:
		row, err := enterpriseio.NewFactsRow(x.USCC, x.Name, f.Facts)
		if err != nil {
			w.fail(rw, r, err)
			return
		}
		cells, p.Version, p.Exists = row.Cells(), f.Version, true
		p.FiledBy, p.FiledAt = f.FiledByName, i18n.DateTime(i18n.FromContext(r.Context()), f.UpdatedAt)
	case domain.ErrorCode(err) == domain.ENOTFOUND:
		delete(cells, "assessed_on")
	default:
		w.fail(rw, r, err)
		return
	}
	factsForm(p, storedValue(cells, p.Unit), nil)
	w.render(rw, r, http.StatusOK, "enterprise/filing", w.newView(r, "企业年度数据", "enterprises", p))
}

// enterpriseFile stores the form's facts; a user error shows the form
// again as typed, each message at its field.
func (w *Web) enterpriseFile(rw http.ResponseWriter, r *http.Request) {
	u, x, year, ok := w.filingTarget(rw, r)
	if !ok {
		return
	}
	if err := parseForm(rw, r, 64<<10); err != nil {
		w.fail(rw, r, err)
		return
	}
	form := r.PostForm
	p := &enterpriseFilingPage{X: x, Year: year, Unit: "yuan"}
	if form.Get("unit") == "wan" {
		p.Unit = "wan"
	}
	p.Version, _ = strconv.ParseInt(form.Get("version"), 10, 64)
	p.Exists = p.Version != 0
	l := i18n.FromContext(r.Context())
	cells, errs := parseFacts(l, form, p.Unit)
	var err error
	if len(errs) > 0 {
		err = domain.Errorf(domain.EINVALID, "有 %d 项数据格式不对，请按提示改正", len(errs))
	} else {
		var raw []byte
		if raw, err = enterpriseio.FactsRowOf(x.USCC, cells).JSON(); err == nil {
			_, err = w.Svc.Enterprises.File(r.Context(), service.ActorOf(u), x.ID, year, p.Version, raw)
		}
	}
	if err != nil {
		var e *domain.Error
		if !errors.As(err, &e) || e.Code != domain.EINVALID && e.Code != domain.ECONFLICT {
			w.fail(rw, r, err)
			return
		}
		for _, fe := range e.Fields {
			if _, seen := errs[fe.Field]; !seen {
				errs[fe.Field] = i18n.Text(l, fe.Text)
			}
		}
		p.Error = i18n.Message(l, err)
		factsForm(p, func(path string, _ enterprisefacts.Field) string { return strings.TrimSpace(form.Get("f." + path)) }, errs)
		w.render(rw, r, httpx.StatusOf(err), "enterprise/filing", w.newView(r, "企业年度数据", "enterprises", p))
		return
	}
	http.Redirect(rw, r, fmt.Sprintf("/enterprises/%d?ok=enterprise_filed", x.ID), http.StatusSeeOther)
}
