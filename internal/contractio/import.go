package contractio

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"kechuang/internal/domain"
	"kechuang/internal/service"
	"kechuang/internal/store"
)

// MaxAPIRows limits a file uploaded through the API; the CLI has no limit.
const MaxAPIRows = 200_000

// batchRows is how many good rows are inserted at a time.
const batchRows = 500

// Options controls an import.
type Options struct {
	Format   Format // "" picks by FileName, then by content
	FileName string
	SkipBad  bool // import the good rows and report the bad ones
	MaxRows  int  // 0 = unlimited
}

// Report is the outcome of an import (the API's JSON body).
type Report struct {
	File     string     `json:"file"`
	SHA256   string     `json:"sha256"`
	Rows     int        `json:"rows"` // non-blank data rows read
	Imported int        `json:"imported"`
	Skipped  int        `json:"skipped"`  // bad rows left out under skip-bad
	BadRows  int        `json:"bad_rows"` // rows with at least one problem
	Failed   bool       `json:"failed"`   // nothing was stored
	Errors   []RowError `json:"errors"`
}

// Lines renders the report for the command line, one problem a line.
func (r *Report) Lines() []string {
	out := make([]string, 0, len(r.Errors)+1)
	for _, e := range r.Errors {
		out = append(out, e.String())
	}
	switch {
	case r.Failed:
		out = append(out, fmt.Sprintf("导入失败：共 %d 行数据，%s，未导入任何数据", r.Rows, r.badSummary()))
	case r.Skipped > 0:
		out = append(out, fmt.Sprintf("已导入 %d 条合同，跳过 %d 行错误数据", r.Imported, r.Skipped))
	default:
		out = append(out, fmt.Sprintf("已导入 %d 条合同", r.Imported))
	}
	return out
}

func (r *Report) badSummary() string {
	if n := r.badRows(); n > 0 {
		return fmt.Sprintf("%d 行有错误", n)
	}
	return "文件有错误"
}

func (r *Report) badRows() int {
	seen := map[int]bool{}
	for _, e := range r.Errors {
		if e.Row > 1 {
			seen[e.Row] = true
		}
	}
	return len(seen)
}

// failedError is returned with the report when nothing was stored.
func failedError(r *Report) error {
	return domain.Errorf(domain.EINVALID, "导入失败：%s，未导入任何数据", r.badSummary())
}

// RegistryFor returns the registry that owns imported contracts: the
// registrar's own organisation, otherwise the default registry.
func RegistryFor(ctx context.Context, svc *service.Service, a *domain.Actor) (*domain.Org, error) {
	if a.Is(domain.RoleRegistrar) {
		o, err := svc.Store.FindOrgByID(ctx, a.OrgID)
		if err != nil || o.Kind != domain.OrgRegistry {
			return nil, domain.Errorf(domain.EFORBIDDEN, "所属机构不是技术合同登记机构，不能导入合同")
		}
		return o, nil
	}
	v, err := svc.Store.Setting(ctx, service.SettingDefaultRegistry, "")
	if err != nil {
		return nil, err
	}
	id, _ := strconv.ParseInt(v, 10, 64)
	if id == 0 {
		return nil, domain.Errorf(domain.EINVALID, "尚未配置技术合同登记机构（设置 %s）", service.SettingDefaultRegistry)
	}
	o, err := svc.Store.FindOrgByID(ctx, id)
	if err != nil || o.Kind != domain.OrgRegistry {
		return nil, domain.Errorf(domain.EINVALID, "配置的技术合同登记机构（%s）不存在", v)
	}
	return o, nil
}

// LoadLookup reads what row conversion needs from the database.
func LoadLookup(ctx context.Context, svc *service.Service, registry *domain.Org) (*Lookup, error) {
	city, err := svc.CityCode(ctx)
	if err != nil {
		return nil, err
	}
	l := &Lookup{CityCode: city, RegistryRegion: registry.RegionCode, Regions: map[string]bool{}, OrgsByUSCC: map[string]*domain.Org{},
		Today: svc.Now().In(domain.ChinaTZ).Format(time.DateOnly)}
	regions, err := svc.Store.Regions(ctx)
	if err != nil {
		return nil, err
	}
	for _, r := range regions {
		l.Regions[r.Code] = true
	}
	if l.Chains, err = svc.Store.Chains(ctx); err != nil {
		return nil, err
	}
	orgs, _, err := svc.Store.FindOrgs(ctx, domain.OrgFilter{Limit: math.MaxInt32})
	if err != nil {
		return nil, err
	}
	for _, o := range orgs {
		if o.USCC != "" {
			l.OrgsByUSCC[o.USCC] = o
		}
	}
	return l, nil
}

// Import reads a contract file and stores its rows in one transaction, for
// the registry of the actor (registrars and administrators only; the CLI
// passes domain.SystemActor). Every row is checked; unless opt.SkipBad, one
// bad row fails the whole file and nothing is stored. The returned error is
// non-nil when nothing was stored; the report, when not nil, names every
// problem either way.
func Import(ctx context.Context, svc *service.Service, a *domain.Actor, r io.Reader, opt Options) (*Report, error) {
	if a == nil {
		return nil, domain.Errorf(domain.EUNAUTHORIZED, "请先登录")
	}
	if !a.Is(domain.RoleRegistrar, domain.RoleAdmin) {
		return nil, domain.Errorf(domain.EFORBIDDEN, "无权导入技术合同")
	}
	registry, err := RegistryFor(ctx, svc, a)
	if err != nil {
		return nil, err
	}
	l, err := LoadLookup(ctx, svc, registry)
	if err != nil {
		return nil, err
	}
	h := sha256.New()
	br := bufio.NewReader(io.TeeReader(r, h))
	head, _ := br.Peek(8)
	format, err := FormatOf(string(opt.Format), opt.FileName, head)
	if err != nil {
		return nil, err
	}
	rep := &Report{File: filepath.Base(opt.FileName), Errors: []RowError{}}
	imp := &importer{svc: svc, actor: a, registry: registry, lookup: l, opt: opt, rep: rep, city: l.CityCode,
		regNoRow: map[string]int{}, maxSerial: map[int]int64{}}
	err = svc.Store.InTx(ctx, func(tx *store.Q) error {
		imp.tx, imp.format = tx, format
		if err := imp.run(ctx, br, format); err != nil {
			return err
		}
		io.Copy(io.Discard, br) // hash the whole file even past a fatal error
		rep.SHA256 = hex.EncodeToString(h.Sum(nil))
		if rep.Failed {
			return errRollback
		}
		return imp.finish(ctx)
	})
	sort.SliceStable(rep.Errors, func(i, j int) bool { return rep.Errors[i].Row < rep.Errors[j].Row })
	rep.BadRows = rep.badRows()
	if errors.Is(err, errRollback) {
		rep.Imported, rep.Skipped = 0, 0
		return rep, failedError(rep)
	} else if err != nil {
		return nil, err
	}
	return rep, nil
}

var errRollback = errors.New("contractio: rollback")

// importer carries one import's state through its transaction.
type importer struct {
	svc      *service.Service
	tx       *store.Q
	actor    *domain.Actor
	registry *domain.Org
	lookup   *Lookup
	opt      Options
	rep      *Report
	city     string

	batch     []*domain.Contract
	batchRows []int
	regNoRow  map[string]int // 登记号 → first row carrying it
	maxSerial map[int]int64  // year → highest imported serial
	format    Format
}

func (imp *importer) run(ctx context.Context, r io.Reader, format Format) error {
	var src rowSource
	var err error
	if format == XLSX {
		src, err = newXLSXSource(r)
	} else {
		src, err = newCSVSource(r)
	}
	if err == nil {
		defer src.Close()
		err = parseFile(src, imp.lookup, format == XLSX, imp.opt.MaxRows, func(row int, c *domain.Contract, errs []RowError) error {
			return imp.row(ctx, row, c, errs)
		})
	}
	if err == nil {
		err = imp.flush(ctx)
	}
	var fe *fileError
	var he *headerError
	switch {
	case errors.As(err, &fe):
		imp.rep.Errors = append(imp.rep.Errors, RowError{Row: fe.Row, Message: fe.Msg})
		imp.rep.Failed = true
	case errors.As(err, &he):
		imp.rep.Errors = append(imp.rep.Errors, he.errs...)
		imp.rep.Failed = true
	case err != nil:
		return err
	}
	if !imp.opt.SkipBad && len(imp.rep.Errors) > 0 {
		imp.rep.Failed = true
	}
	return nil
}

// row takes one converted row: checks 登记号 against the file, queues it.
func (imp *importer) row(ctx context.Context, row int, c *domain.Contract, errs []RowError) error {
	imp.rep.Rows++
	if len(errs) == 0 && c.RegNo != "" {
		if first, dup := imp.regNoRow[c.RegNo]; dup {
			errs = append(errs, RowError{row, colRegNo, fmt.Sprintf("登记号 %s 与第 %d 行重复", c.RegNo, first)})
		} else {
			// A clone, not a substring pinning the whole CSV line in memory.
			imp.regNoRow[strings.Clone(c.RegNo)] = row
		}
	}
	if len(errs) > 0 {
		imp.bad(errs)
		return nil
	}
	c.RegistryID, c.OwnerOrgID, c.CreatedBy = imp.registry.ID, imp.registry.ID, imp.actor.UserID
	imp.batch, imp.batchRows = append(imp.batch, c), append(imp.batchRows, row)
	if len(imp.batch) >= batchRows {
		return imp.flush(ctx)
	}
	return nil
}

func (imp *importer) bad(errs []RowError) {
	imp.rep.Errors = append(imp.rep.Errors, errs...)
	imp.rep.Skipped++
}

// flush checks the queued rows' 登记号 against the database and inserts
// the good ones — unless the file has already failed, in which case it
// only keeps checking so that every bad row is reported.
func (imp *importer) flush(ctx context.Context) error {
	if len(imp.batch) == 0 {
		return nil
	}
	var nos []string
	for _, c := range imp.batch {
		if c.RegNo != "" {
			nos = append(nos, c.RegNo)
		}
	}
	taken, err := imp.tx.TakenRegNos(ctx, nos)
	if err != nil {
		return err
	}
	good := imp.batch[:0]
	for i, c := range imp.batch {
		if taken[c.RegNo] {
			imp.bad([]RowError{{imp.batchRows[i], colRegNo, fmt.Sprintf("登记号 %s 已存在于系统中", c.RegNo)}})
			continue
		}
		good = append(good, c)
	}
	imp.batch, imp.batchRows = imp.batch[:0], imp.batchRows[:0]
	if !imp.opt.SkipBad && len(imp.rep.Errors) > 0 {
		return nil // the file fails; no point inserting
	}
	if err := imp.tx.BulkInsertContracts(ctx, good, imp.city); err != nil {
		return err
	}
	for _, c := range good {
		if c.RegNo != "" && c.RegSerial > imp.maxSerial[c.RegYear] {
			imp.maxSerial[c.RegYear] = c.RegSerial
		}
	}
	imp.rep.Imported += len(good)
	return nil
}

// finish raises the registry's serials past the imported numbers, so that
// later registrations continue after them, and writes the audit row.
func (imp *importer) finish(ctx context.Context) error {
	years := make([]int, 0, len(imp.maxSerial))
	for y := range imp.maxSerial {
		years = append(years, y)
	}
	sort.Ints(years)
	for _, y := range years {
		if err := imp.tx.SetRegSerialAtLeast(ctx, imp.registry.ID, y, imp.maxSerial[y]); err != nil {
			return fmt.Errorf("contractio: raise serial: %w", err)
		}
	}
	type summary struct {
		File       string `json:"file"`
		SHA256     string `json:"sha256"`
		Format     Format `json:"format"`
		RegistryID int64  `json:"registry_id"`
		Rows       int    `json:"rows"`
		Imported   int    `json:"imported"`
		Skipped    int    `json:"skipped"`
		SkipBad    bool   `json:"skip_bad"`
	}
	r := imp.rep
	return imp.tx.Audit(ctx, imp.actor, "contract.import", "contract_import", r.SHA256, nil,
		summary{r.File, r.SHA256, imp.format, imp.registry.ID, r.Rows, r.Imported, r.Skipped, imp.opt.SkipBad})
}
