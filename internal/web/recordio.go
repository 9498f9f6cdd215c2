package web

import (
	"bytes"
	"context"
	"html/template"
	"io"
	"net/http"
	"net/url"
	"strconv"

	"kechuang/internal/achievementio"
	"kechuang/internal/challengeio"
	"kechuang/internal/domain"
	"kechuang/internal/enterpriseio"
	"kechuang/internal/eventio"
	"kechuang/internal/httpx"
	"kechuang/internal/i18n"
	"kechuang/internal/needio"
	"kechuang/internal/service"
	"kechuang/internal/sheetio"
)

// recordioModule is the record registries' import page and the export
// buttons of their lists (achievements, needs, challenges, events: one
// recordKind each): the upload, the row report on errors, the template
// download.
func recordioModule() Module {
	return Module{
		Name:     "recordio",
		Pages:    []string{"recordio/import"},
		Partials: []string{"recordio/partials"},
		Routes: func(w *Web, mux *http.ServeMux) { // two lines a registry
			mux.HandleFunc("GET /achievements/import", w.recordImportPage("achievements"))
			mux.HandleFunc("POST /achievements/import", w.recordImport("achievements"))
			mux.HandleFunc("GET /needs/import", w.recordImportPage("needs"))
			mux.HandleFunc("POST /needs/import", w.recordImport("needs"))
			mux.HandleFunc("GET /challenges/import", w.recordImportPage("challenges"))
			mux.HandleFunc("POST /challenges/import", w.recordImport("challenges"))
			mux.HandleFunc("GET /events/import", w.recordImportPage("events"))
			mux.HandleFunc("POST /events/import", w.recordImport("events"))
			mux.HandleFunc("GET /enterprises/import", w.recordImportPage("enterprises"))
			mux.HandleFunc("POST /enterprises/import", w.recordImport("enterprises"))
			mux.HandleFunc("GET /enterprise-facts/import", w.recordImportPage("enterprise-facts"))
			mux.HandleFunc("POST /enterprise-facts/import", w.recordImport("enterprise-facts"))
		},
		Funcs: func(l i18n.Lang) template.FuncMap {
			return template.FuncMap{"recordio_actions": recordActionsOf}
		},
	}
}

// recordKind is one registry's import and export as the pages use them.
type recordKind struct {
	Name     string // the path: /<Name>/import, /api/v1/<Name>/export
	Title    string // the import page's title
	Back     string // the list's title
	Active   string // the navigation entry
	Owner    string // what the owner organisation is called on the page
	MaxRows  int
	CanList  func(a *domain.Actor) bool
	CanImp   func(a *domain.Actor) bool
	CanExp   func(a *domain.Actor) bool
	OrgKinds []domain.OrgKind // who may own the records (the administrator's choice)
	// Submit is the checkbox of the workflow step an import may take
	// ("" for 导入后直接提交审核), Submitted what the report says of it ("":
	// 已提交审核。) and Status the list's status of the records it leaves
	// ("": submitted).
	Submit, Submitted, Status string
	// Intro replaces the page's introduction ("": records imported as
	// drafts); List is the list's path ("": /<Name>), View where the
	// report's link goes ("": the list of the records' status).
	Intro, List, View string
	Columns           func(ctx context.Context, s *service.Service) ([]sheetio.ColumnNote, error)
	Import            func(ctx context.Context, s *service.Service, a *domain.Actor, org int64, r io.Reader, opt sheetio.ImportOptions) (*sheetio.Report, error)
}

// recordKinds lists the registries with an import page: one entry each.
func recordKinds() []recordKind {
	return []recordKind{
		{Name: "achievements", Title: "批量导入科技成果", Back: "科技成果", Active: "achievements", Owner: "备案单位", MaxRows: achievementio.MaxAPIRows,
			CanList: domain.Achievements.CanList, CanImp: domain.Achievements.CanImport, CanExp: domain.Achievements.CanExport,
			OrgKinds: []domain.OrgKind{domain.OrgUniversity, domain.OrgInstitute},
			Columns: func(ctx context.Context, s *service.Service) ([]sheetio.ColumnNote, error) {
				return s.Achievements.ImportColumns(ctx)
			},
			Import: func(ctx context.Context, s *service.Service, a *domain.Actor, org int64, r io.Reader, opt sheetio.ImportOptions) (*sheetio.Report, error) {
				return s.Achievements.Import(ctx, a, org, r, opt)
			}},
		{Name: "needs", Title: "批量导入技术需求", Back: "技术需求", Active: "needs", Owner: "发布企业", MaxRows: needio.MaxAPIRows,
			CanList: domain.Needs.CanList, CanImp: domain.Needs.CanImport, CanExp: domain.Needs.CanExport,
			OrgKinds: []domain.OrgKind{domain.OrgEnterprise},
			Columns: func(ctx context.Context, s *service.Service) ([]sheetio.ColumnNote, error) {
				return s.Needs.ImportColumns(ctx)
			},
			Import: func(ctx context.Context, s *service.Service, a *domain.Actor, org int64, r io.Reader, opt sheetio.ImportOptions) (*sheetio.Report, error) {
				return s.Needs.Import(ctx, a, org, r, opt)
			}},
		{Name: "challenges", Title: "批量导入揭榜挂帅榜单", Back: "揭榜挂帅", Active: "challenges", Owner: "发榜单位", MaxRows: challengeio.MaxAPIRows,
			CanList: domain.Challenges.CanList, CanImp: domain.Challenges.CanImport, CanExp: domain.Challenges.CanExport,
			OrgKinds: []domain.OrgKind{domain.OrgEnterprise, domain.OrgBureau}, Submit: "导入后直接提交定榜", Submitted: "已提交定榜。",
			Columns: func(ctx context.Context, s *service.Service) ([]sheetio.ColumnNote, error) {
				return s.Challenges.ImportColumns(ctx)
			},
			Import: func(ctx context.Context, s *service.Service, a *domain.Actor, org int64, r io.Reader, opt sheetio.ImportOptions) (*sheetio.Report, error) {
				return s.Challenges.Import(ctx, a, org, r, opt)
			}},
		{Name: "events", Title: "批量导入路演与对接活动", Back: "路演与对接活动", Active: "events", Owner: "主办单位", MaxRows: eventio.MaxAPIRows,
			CanList: domain.TechEvents.CanList, CanImp: domain.TechEvents.CanImport, CanExp: domain.TechEvents.CanExport,
			OrgKinds: []domain.OrgKind{domain.OrgBureau, domain.OrgAgency, domain.OrgUniversity, domain.OrgInstitute, domain.OrgPilotBase},
			Submit:   "导入后直接发布（开放报名）", Submitted: "已发布，开放报名。", Status: "published",
			Columns: func(ctx context.Context, s *service.Service) ([]sheetio.ColumnNote, error) {
				return s.Events.ImportColumns(ctx)
			},
			Import: func(ctx context.Context, s *service.Service, a *domain.Actor, org int64, r io.Reader, opt sheetio.ImportOptions) (*sheetio.Report, error) {
				return s.Events.Import(ctx, a, org, r, opt)
			}},
		{Name: "enterprises", Title: "批量导入企业库", Back: "企业库", Active: "enterprises", MaxRows: enterpriseio.MaxAPIRows,
			CanList: domain.Enterprises.CanList, CanImp: domain.Enterprises.CanImport, CanExp: domain.Enterprises.CanExport,
			Intro: "从 Excel / CSV 文件一次登记多家企业，每行一家，导入前逐行校验；只要有一行错误，整个文件都不导入（除非选择跳过错误行）。统一社会信用代码与已有机构相同的企业自动关联该机构。",
			View:  "/enterprises",
			Columns: func(ctx context.Context, s *service.Service) ([]sheetio.ColumnNote, error) {
				return s.Enterprises.ImportColumns(ctx)
			},
			Import: func(ctx context.Context, s *service.Service, a *domain.Actor, _ int64, r io.Reader, opt sheetio.ImportOptions) (*sheetio.Report, error) {
				return s.Enterprises.Import(ctx, a, r, opt)
			}},
		{Name: "enterprise-facts", Title: "批量导入企业年度数据", Back: "企业库", Active: "enterprises", MaxRows: enterpriseio.MaxAPIRows,
			CanList: domain.Enterprises.CanList, CanImp: domain.Enterprises.CanImport, CanExp: domain.Enterprises.CanExport,
			Intro: "每行一家企业的一个年度数据（以统一社会信用代码对应企业库中的企业，评价日期的年份即年度；金额以元计，空白为未提供而非0）。已填报的年度再次导入即更正。只要有一行错误，整个文件都不导入（除非选择跳过错误行）。",
			List:  "/enterprises", View: "/enterprises",
			Columns: func(ctx context.Context, s *service.Service) ([]sheetio.ColumnNote, error) {
				return s.Enterprises.FactsColumns(), nil
			},
			Import: func(ctx context.Context, s *service.Service, a *domain.Actor, _ int64, r io.Reader, opt sheetio.ImportOptions) (*sheetio.Report, error) {
				return s.Enterprises.ImportFacts(ctx, a, r, opt)
			}},
	}
}

func recordKindOf(name string) (recordKind, bool) {
	for _, k := range recordKinds() {
		if k.Name == name {
			return k, true
		}
	}
	return recordKind{}, false
}

// recordActions is what a list shows of the import and export: the
// template's recordio_actions builds it from the policy.
type recordActions struct {
	Kind                string
	CanImport           bool
	CanExport           bool
	ExportCSV, ExportXL string // the export of the list's filters
}

// recordActionsOf: {{template "recordio_actions" (recordio_actions "achievements" .User $q)}}.
func recordActionsOf(kind string, u *domain.User, q url.Values) recordActions {
	k, ok := recordKindOf(kind)
	if !ok {
		return recordActions{}
	}
	a := service.ActorOf(u)
	out := recordActions{Kind: kind, CanImport: k.CanImp(a), CanExport: a != nil && k.CanExp(a)}
	f := url.Values{}
	for key, vs := range q {
		if key != "page" && key != "per_page" && key != "ok" && key != "lang" {
			f[key] = vs
		}
	}
	f.Set("format", "csv")
	out.ExportCSV = "/api/v1/" + kind + "/export?" + f.Encode()
	f.Set("format", "xlsx")
	out.ExportXL = "/api/v1/" + kind + "/export?" + f.Encode()
	return out
}

// recordImportData is the import page's data.
type recordImportData struct {
	Kind    recordKind
	Columns []sheetio.ColumnNote
	Orgs    []*domain.Org // the administrator's choice of owner; nil: the importer's own
	OrgID   int64
	MaxMB   int64
	SkipBad bool
	Submit  bool
	Error   string
	Report  *sheetio.Report
}

// recordActor is the signed-in importer, or nil after answering.
func (w *Web) recordActor(rw http.ResponseWriter, r *http.Request, k recordKind) *domain.Actor {
	u := w.requireUser(rw, r)
	if u == nil {
		return nil
	}
	a := service.ActorOf(u)
	if !k.CanImp(a) {
		w.fail(rw, r, domain.Errorf(domain.EFORBIDDEN, "无权导入%s", domain.Msg(k.Back)))
		return nil
	}
	return a
}

// recordImportPageData fills what the page shows whatever happened.
func (w *Web) recordImportPageData(r *http.Request, k recordKind, a *domain.Actor) (*recordImportData, error) {
	d := &recordImportData{Kind: k, MaxMB: httpx.MaxImportBytes >> 20}
	var err error
	if d.Columns, err = k.Columns(r.Context(), w.Svc); err != nil {
		return nil, err
	}
	if service.ImportsForOthers(a) {
		for _, kind := range k.OrgKinds {
			orgs, _, err := w.Svc.Admin.Orgs(r.Context(), a, domain.OrgFilter{Kind: kind, Status: domain.StatusActive, Limit: 5000})
			if err != nil {
				return nil, err
			}
			d.Orgs = append(d.Orgs, orgs...)
		}
	}
	return d, nil
}

func (w *Web) recordImportPage(kind string) http.HandlerFunc {
	k, _ := recordKindOf(kind)
	return func(rw http.ResponseWriter, r *http.Request) {
		a := w.recordActor(rw, r, k)
		if a == nil {
			return
		}
		d, err := w.recordImportPageData(r, k, a)
		if err != nil {
			w.fail(rw, r, err)
			return
		}
		w.render(rw, r, http.StatusOK, "recordio/import", w.newView(r, k.Title, k.Active, d))
	}
}

// recordImport imports the uploaded file and shows its report: nothing is
// stored when a row is bad, unless the user asked to skip bad rows.
func (w *Web) recordImport(kind string) http.HandlerFunc {
	k, _ := recordKindOf(kind)
	return func(rw http.ResponseWriter, r *http.Request) {
		a := w.recordActor(rw, r, k)
		if a == nil {
			return
		}
		d, err := w.recordImportPageData(r, k, a)
		if err != nil {
			w.fail(rw, r, err)
			return
		}
		name, content, err := httpx.ReadUpload(rw, r, "file", httpx.MaxImportBytes)
		d.SkipBad, d.Submit = r.FormValue("skip_bad") == "1", r.FormValue("submit") == "1"
		if s := r.FormValue("org_id"); s != "" && err == nil {
			if d.OrgID, err = strconv.ParseInt(s, 10, 64); err != nil || d.OrgID <= 0 {
				err = domain.FieldErrorf("org_id", "请选择%s", domain.Msg(k.Owner))
			}
		}
		if err == nil {
			opt := sheetio.ImportOptions{FileName: name, MaxRows: k.MaxRows, SkipBad: d.SkipBad, Submit: d.Submit}
			d.Report, err = k.Import(r.Context(), w.Svc, a, d.OrgID, bytes.NewReader(content), opt)
		}
		status := http.StatusOK
		switch code := domain.ErrorCode(err); {
		case err == nil:
		case d.Report != nil:
			status = http.StatusUnprocessableEntity
		case code == domain.EINVALID || code == domain.ETOOLARGE || code == domain.EFORBIDDEN:
			d.Error, status = i18n.Message(i18n.FromContext(r.Context()), err), httpx.StatusOf(err)
		default:
			w.fail(rw, r, err)
			return
		}
		w.render(rw, r, status, "recordio/import", w.newView(r, k.Title, k.Active, d))
	}
}
