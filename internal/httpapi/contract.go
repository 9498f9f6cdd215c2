package httpapi

import (
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"kechuang/internal/domain"
	"kechuang/internal/service"
)

func pathID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, domain.Errorf(domain.ENOTFOUND, "合同不存在")
	}
	return id, nil
}

// ContractFilterOf parses the list filters shared by the API and the pages.
func ContractFilterOf(q url.Values) (domain.ContractFilter, error) {
	var f domain.ContractFilter
	for _, s := range q["status"] {
		for _, part := range strings.Split(s, ",") {
			st := domain.ContractStatus(part)
			if part == "" {
				continue
			}
			if st.Label() == part {
				return f, domain.FieldErrorf("status", "状态“%s”无效", part)
			}
			f.Statuses = append(f.Statuses, st)
		}
	}
	if s := q.Get("year"); s != "" {
		y, err := strconv.Atoi(s)
		if err != nil || y < 1980 || y > 2200 {
			return f, domain.FieldErrorf("year", "年份无效")
		}
		f.Year = y
	}
	f.Category, f.Field, f.Query = q.Get("category"), q.Get("tech_field"), strings.TrimSpace(q.Get("q"))
	f.Overdue = q.Get("overdue") == "1" || q.Get("overdue") == "true"
	f.Sort = q.Get("sort")
	return f, nil
}

// contractListRequest parses the page and the filters of a contract list.
func contractListRequest(r *http.Request) (Page, domain.ContractFilter, error) {
	p, err := PageOf(r)
	if err != nil {
		return p, domain.ContractFilter{}, err
	}
	f, err := ContractFilterOf(r.URL.Query())
	f.Offset, f.Limit = p.Offset(), p.PerPage
	return p, f, err
}

func (a *API) listContracts(w http.ResponseWriter, r *http.Request) {
	if !a.authed(w, r) {
		return
	}
	p, f, err := contractListRequest(r)
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	cs, total, err := a.Svc.Contracts.List(r.Context(), ActorFrom(r), f)
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	writeJSON(w, http.StatusOK, p.List(cs, total))
}

func (a *API) registryQueue(w http.ResponseWriter, r *http.Request) {
	if !a.authed(w, r) {
		return
	}
	p, f, err := contractListRequest(r)
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	cs, total, err := a.Svc.Contracts.Queue(r.Context(), ActorFrom(r), f)
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	type item struct {
		*domain.Contract
		DueOn    string `json:"due_on"`
		DaysLeft int    `json:"days_left"`
		Overdue  bool   `json:"overdue"`
	}
	now := a.Svc.Now()
	items := make([]item, 0, len(cs))
	for _, c := range cs {
		items = append(items, item{c, c.DueOn(), c.DaysLeft(now), c.Overdue(now)})
	}
	writeJSON(w, http.StatusOK, p.List(items, total))
}

func (a *API) createContract(w http.ResponseWriter, r *http.Request) {
	if !a.authed(w, r) {
		return
	}
	var in domain.Contract
	if err := decodeBody(w, r, &in); err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	c, err := a.Svc.Contracts.Create(r.Context(), ActorFrom(r), &in)
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	w.Header().Set("Location", fmt.Sprintf("/api/v1/contracts/%d", c.ID))
	writeJSON(w, http.StatusCreated, c)
}

func (a *API) getContract(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err == nil {
		var c *domain.Contract
		if c, err = a.Svc.Contracts.Get(r.Context(), ActorFrom(r), id); err == nil {
			writeJSON(w, http.StatusOK, c)
			return
		}
	}
	writeError(w, r, a.Log, err)
}

func (a *API) updateContract(w http.ResponseWriter, r *http.Request) {
	if !a.authed(w, r) {
		return
	}
	id, err := pathID(r)
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	var in domain.Contract
	if err := decodeBody(w, r, &in); err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	if in.Version == 0 {
		writeError(w, r, a.Log, domain.FieldErrorf("version", "请提供读取时的版本号 version，以免覆盖他人的修改"))
		return
	}
	c, err := a.Svc.Contracts.Update(r.Context(), ActorFrom(r), id, in.Version, &in)
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	writeJSON(w, http.StatusOK, c)
}

func (a *API) contractEvents(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	evs, err := a.Svc.Contracts.Events(r.Context(), ActorFrom(r), id)
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	if evs == nil {
		evs = []*domain.Event{}
	}
	writeJSON(w, http.StatusOK, map[string]any{"items": evs})
}

// actionBody is the body of the workflow actions.
type actionBody struct {
	Version       int64  `json:"version"`
	Comment       string `json:"comment"`
	Ground        string `json:"ground"`
	Note          string `json:"note"`
	TechIncomeFen *int64 `json:"tech_income_fen"`
}

func (a *API) action(w http.ResponseWriter, r *http.Request, do func(id int64, b actionBody) (*domain.Contract, error)) {
	if !a.authed(w, r) {
		return
	}
	id, err := pathID(r)
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	var b actionBody
	if err := decodeBody(w, r, &b); err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	if b.Version == 0 {
		writeError(w, r, a.Log, domain.FieldErrorf("version", "请提供读取时的版本号 version"))
		return
	}
	c, err := do(id, b)
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	writeJSON(w, http.StatusOK, c)
}

func (a *API) submitContract(w http.ResponseWriter, r *http.Request) {
	a.action(w, r, func(id int64, b actionBody) (*domain.Contract, error) {
		return a.Svc.Contracts.Submit(r.Context(), ActorFrom(r), id, b.Version)
	})
}

func (a *API) returnContract(w http.ResponseWriter, r *http.Request) {
	a.action(w, r, func(id int64, b actionBody) (*domain.Contract, error) {
		return a.Svc.Contracts.Return(r.Context(), ActorFrom(r), id, b.Version, b.Comment)
	})
}

func (a *API) refuseContract(w http.ResponseWriter, r *http.Request) {
	a.action(w, r, func(id int64, b actionBody) (*domain.Contract, error) {
		return a.Svc.Contracts.Refuse(r.Context(), ActorFrom(r), id, b.Version, b.Ground, b.Note)
	})
}

func (a *API) registerContract(w http.ResponseWriter, r *http.Request) {
	a.action(w, r, func(id int64, b actionBody) (*domain.Contract, error) {
		if b.TechIncomeFen == nil {
			return nil, domain.FieldErrorf("tech_income_fen", "请核定技术性收入（tech_income_fen，单位：分）")
		}
		return a.Svc.Contracts.Register(r.Context(), ActorFrom(r), id, b.Version, *b.TechIncomeFen, b.Note)
	})
}

// uploadDocument takes the PDF as the raw body (Content-Type
// application/pdf) or as the "document" part of a multipart form.
func (a *API) uploadDocument(w http.ResponseWriter, r *http.Request) {
	if !a.authed(w, r) {
		return
	}
	id, err := pathID(r)
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	name, content, err := ReadUpload(w, r, "document", service.MaxDocumentBytes)
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	c, err := a.Svc.Contracts.UploadDocument(r.Context(), ActorFrom(r), id, name, content)
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	writeJSON(w, http.StatusOK, c)
}

// ReadUpload reads an uploaded file from a raw body or a multipart field,
// refusing more than max bytes.
func ReadUpload(w http.ResponseWriter, r *http.Request, field string, max int64) (string, []byte, error) {
	r.Body = http.MaxBytesReader(w, r.Body, max+1<<20)
	mt, params, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	tooLarge := domain.Errorf(domain.ETOOLARGE, "文件不能超过 %d MB", max>>20)
	tooLarge.Field = field
	var rd io.Reader = r.Body
	name := params["name"]
	if mt == "multipart/form-data" {
		if err := r.ParseMultipartForm(max); err != nil {
			if strings.Contains(err.Error(), "too large") {
				return "", nil, tooLarge
			}
			return "", nil, domain.FieldErrorf(field, "无法读取上传的表单：%v", err)
		}
		f, h, err := r.FormFile(field)
		if err != nil {
			return "", nil, domain.FieldErrorf(field, "请选择要上传的文件")
		}
		defer f.Close()
		rd, name = f, h.Filename
	} else if cd := r.Header.Get("Content-Disposition"); cd != "" {
		if _, p, err := mime.ParseMediaType(cd); err == nil {
			name = p["filename"]
		}
	}
	b, err := io.ReadAll(io.LimitReader(rd, max+1))
	if err != nil {
		if strings.Contains(err.Error(), "too large") {
			return "", nil, tooLarge
		}
		return "", nil, domain.FieldErrorf(field, "读取上传文件失败")
	}
	if int64(len(b)) > max {
		return "", nil, tooLarge
	}
	if len(b) == 0 {
		return "", nil, domain.FieldErrorf(field, "上传的文件为空")
	}
	return name, b, nil
}

func (a *API) downloadDocument(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r)
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	d, b, err := a.Svc.Contracts.Document(r.Context(), ActorFrom(r), id)
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	w.Header().Set("Content-Type", "application/pdf")
	w.Header().Set("Content-Disposition", mime.FormatMediaType("inline", map[string]string{"filename": d.Name}))
	w.Header().Set("X-Content-SHA256", d.SHA256)
	w.Write(b)
}

func (a *API) contractStats(w http.ResponseWriter, r *http.Request) {
	ys := r.URL.Query().Get("year")
	year, err := strconv.Atoi(ys)
	if ys == "" {
		year, err = domain.ChinaYear(a.Svc.Now()), nil
	}
	if err != nil {
		writeError(w, r, a.Log, domain.FieldErrorf("year", "年份应为四位数字"))
		return
	}
	st, err := a.Svc.Contracts.Stats(r.Context(), year)
	if err != nil {
		writeError(w, r, a.Log, err)
		return
	}
	w.Header().Set("Cache-Control", "public, max-age=30")
	writeJSON(w, http.StatusOK, st)
}
