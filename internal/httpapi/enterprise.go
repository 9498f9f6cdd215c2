package httpapi

import (
	"encoding/json"
	"io"
	"net/http"
	"strconv"

	"kechuang/internal/domain"
	"kechuang/internal/enterpriseio"
	"kechuang/internal/httpx"
	"kechuang/internal/service"
	"kechuang/internal/sheetio"
)

// The enterprise registry's API (企业库): the bureau's register of firms,
// each firm's yearly facts (FACTS.md) and qualifications; a firm's own
// user reads and edits its row and files its facts.

// EnterpriseList is a page of firms.
type EnterpriseList = httpx.List[*domain.Enterprise]

// EnterpriseInput is a firm as the bureau types it.
type EnterpriseInput = service.EnterpriseInput

// EnterpriseUpdateBody is a firm's profile with the version read.
type EnterpriseUpdateBody struct {
	service.EnterpriseInput
	Version int64 `json:"version"`
}

// EnterpriseFilingBody is a year's facts (FACTS.md's object) with the
// filing's version read (0 for a first filing).
type EnterpriseFilingBody struct {
	Version int64           `json:"version"`
	Facts   json.RawMessage `json:"facts"`
}

// EnterpriseFilingList is a firm's filings, oldest year first.
type EnterpriseFilingList = httpx.Items[*domain.EnterpriseFiling]

// QualificationInput is a qualification as typed.
type QualificationInput = service.QualificationInput

// QualificationList is a firm's qualifications, newest year first.
type QualificationList = httpx.Items[*domain.EnterpriseQualification]

// QualificationRevokeBody revokes a qualification read at version.
type QualificationRevokeBody struct {
	Version   int64  `json:"version"`
	RevokedOn string `json:"revoked_on,omitempty"` // "" today
	Reason    string `json:"reason"`
}

func (b QualificationRevokeBody) stepVersion() int64 { return b.Version }

const enterpriseNotFound = "企业不存在"

func (a *API) listEnterprises(w http.ResponseWriter, r *http.Request) error {
	return listOf(w, r, httpx.EnterpriseFilterOf, func(f *domain.EnterpriseFilter, p httpx.Page) { f.Page, f.PerPage = p.Page, p.PerPage },
		a.Svc.Enterprises.List)
}

func (a *API) createEnterprise(w http.ResponseWriter, r *http.Request) error {
	actor, err := httpx.RequireActor(r)
	if err != nil {
		return err
	}
	var in EnterpriseInput
	if err := httpx.DecodeBody(w, r, &in); err != nil {
		return err
	}
	x, err := a.Svc.Enterprises.Create(r.Context(), actor, in)
	if err != nil {
		return err
	}
	w.Header().Set("Location", "/api/v1/enterprises/"+strconv.FormatInt(x.ID, 10))
	return httpx.JSON(w, http.StatusCreated, x)
}

func (a *API) getEnterprise(w http.ResponseWriter, r *http.Request) error {
	return getOf(w, r, enterpriseNotFound, a.Svc.Enterprises.Get)
}

// mineEnterprise is the caller's own firm (我的企业).
func (a *API) mineEnterprise(w http.ResponseWriter, r *http.Request) error {
	actor, err := httpx.RequireActor(r)
	if err != nil {
		return err
	}
	x, err := a.Svc.Enterprises.Mine(r.Context(), actor)
	if err != nil {
		return err
	}
	return httpx.JSON(w, http.StatusOK, x)
}

func (a *API) updateEnterprise(w http.ResponseWriter, r *http.Request) error {
	return bodyStep(enterpriseNotFound, http.StatusOK, func(r *http.Request, id int64, b *EnterpriseUpdateBody) (*domain.Enterprise, error) {
		if b.Version == 0 {
			return nil, domain.FieldErrorf("version", "请提供读取时的版本号 version，以免覆盖他人的修改")
		}
		return a.Svc.Enterprises.Update(r.Context(), ActorFrom(r), id, b.Version, b.EnterpriseInput)
	})(w, r)
}

func (a *API) enterpriseEvents(w http.ResponseWriter, r *http.Request) error {
	return eventsOf(w, r, enterpriseNotFound, a.Svc.Enterprises.Events)
}

func (a *API) enterpriseFilings(w http.ResponseWriter, r *http.Request) error {
	return itemsOf(enterpriseNotFound, true, func(r *http.Request, id int64) ([]*domain.EnterpriseFiling, error) {
		return a.Svc.Enterprises.Filings(r.Context(), ActorFrom(r), id)
	})(w, r)
}

// filingYear reads the path's {year}.
func filingYear(r *http.Request) (int, error) {
	y, err := strconv.Atoi(r.PathValue("year"))
	if err != nil || y < domain.MinFilingYear || y > domain.MaxFilingYear {
		return 0, domain.Errorf(domain.ENOTFOUND, "该企业该年度尚未填报数据")
	}
	return y, nil
}

func (a *API) enterpriseFiling(w http.ResponseWriter, r *http.Request) error {
	return readOf(w, r, enterpriseNotFound, func(r *http.Request, id int64) (*domain.EnterpriseFiling, error) {
		y, err := filingYear(r)
		if err != nil {
			return nil, err
		}
		return a.Svc.Enterprises.Filing(r.Context(), ActorFrom(r), id, y)
	})
}

// fileEnterprise files (version 0) or corrects a year's facts: 201 for a
// first filing, 200 for a correction.
func (a *API) fileEnterprise(w http.ResponseWriter, r *http.Request) error {
	if _, err := httpx.RequireActor(r); err != nil {
		return err
	}
	id, err := entityID(r, enterpriseNotFound)
	if err != nil {
		return err
	}
	y, err := filingYear(r)
	if err != nil {
		return err
	}
	var b EnterpriseFilingBody
	if err := httpx.DecodeBody(w, r, &b); err != nil {
		return err
	}
	if len(b.Facts) == 0 {
		return domain.FieldErrorf("facts", "请提供企业数据 facts（FACTS.md 的对象）")
	}
	f, err := a.Svc.Enterprises.File(r.Context(), ActorFrom(r), id, y, b.Version, b.Facts)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if b.Version == 0 {
		status = http.StatusCreated
	}
	return httpx.JSON(w, status, f)
}

func (a *API) enterpriseQualifications(w http.ResponseWriter, r *http.Request) error {
	return itemsOf(enterpriseNotFound, true, func(r *http.Request, id int64) ([]*domain.EnterpriseQualification, error) {
		return a.Svc.Enterprises.Qualifications(r.Context(), ActorFrom(r), id)
	})(w, r)
}

func (a *API) qualifyEnterprise(w http.ResponseWriter, r *http.Request) error {
	return bodyStep(enterpriseNotFound, http.StatusCreated, func(r *http.Request, id int64, b *QualificationInput) (*domain.EnterpriseQualification, error) {
		return a.Svc.Enterprises.Qualify(r.Context(), ActorFrom(r), id, *b)
	})(w, r)
}

func (a *API) revokeQualification(w http.ResponseWriter, r *http.Request) error {
	return workflowStep(enterpriseNotFound, func(r *http.Request, id int64, b QualificationRevokeBody) (*domain.EnterpriseQualification, error) {
		qid, err := pathKeyID(r, "qid", "资质记录不存在")
		if err != nil {
			return nil, err
		}
		return a.Svc.Enterprises.Revoke(r.Context(), ActorFrom(r), id, qid, b.Version, b.RevokedOn, b.Reason)
	})(w, r)
}

// ——— files ———

func (a *API) exportEnterprises(w http.ResponseWriter, r *http.Request) error {
	f, err := httpx.EnterpriseFilterOf(r.URL.Query())
	if err != nil {
		return err
	}
	return a.recordFile(w, r, "enterprises", "企业库", func(actor *domain.Actor, format sheetio.Format, w io.Writer) error {
		_, err := a.Svc.Enterprises.Export(r.Context(), actor, f, format, w)
		return err
	})
}

func (a *API) enterpriseTemplate(w http.ResponseWriter, r *http.Request) error {
	return a.recordFile(w, r, "enterprises-template", "企业库导入模板", func(_ *domain.Actor, format sheetio.Format, w io.Writer) error {
		return a.Svc.Enterprises.Template(r.Context(), format, w)
	})
}

func (a *API) importEnterprises(w http.ResponseWriter, r *http.Request) error {
	return a.recordImport(w, r, domain.Enterprises.CanImport, enterpriseio.MaxAPIRows,
		func(actor *domain.Actor, _ int64, content io.Reader, opt sheetio.ImportOptions) (*sheetio.Report, error) {
			return a.Svc.Enterprises.Import(r.Context(), actor, content, opt)
		})
}

func (a *API) exportEnterpriseFacts(w http.ResponseWriter, r *http.Request) error {
	f, err := httpx.EnterpriseFilterOf(r.URL.Query())
	if err != nil {
		return err
	}
	year := f.Year
	f.Year = 0
	return a.recordFile(w, r, "enterprise-facts", "企业年度数据", func(actor *domain.Actor, format sheetio.Format, w io.Writer) error {
		_, err := a.Svc.Enterprises.ExportFacts(r.Context(), actor, f, year, format, w)
		return err
	})
}

func (a *API) enterpriseFactsTemplate(w http.ResponseWriter, r *http.Request) error {
	return a.recordFile(w, r, "enterprise-facts-template", "企业年度数据导入模板", func(_ *domain.Actor, format sheetio.Format, w io.Writer) error {
		return a.Svc.Enterprises.FactsTemplate(r.Context(), format, w)
	})
}

func (a *API) importEnterpriseFacts(w http.ResponseWriter, r *http.Request) error {
	return a.recordImport(w, r, domain.Enterprises.CanImport, enterpriseio.MaxAPIRows,
		func(actor *domain.Actor, _ int64, content io.Reader, opt sheetio.ImportOptions) (*sheetio.Report, error) {
			return a.Svc.Enterprises.ImportFacts(r.Context(), actor, content, opt)
		})
}
