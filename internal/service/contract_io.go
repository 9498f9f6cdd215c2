package service

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"kechuang/internal/contractio"
	"kechuang/internal/domain"
	"kechuang/internal/store"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Export writes the contracts the actor may see that match f, scoped
// exactly like the list, to w. It returns the number of contracts.
//
// The rows are spooled to a temporary file first and only then copied to
// w: a slow client then holds a file, never a database reader that public
// and interactive reads need. Each user has one export at a time and a
// shared number of exports reading at once (contract_export_limits.go).
func (s *Contracts) Export(ctx context.Context, a *domain.Actor, f domain.ContractFilter, format contractio.Format, w io.Writer) (int, error) {
	if !domain.Contracts.CanExport(a) {
		if err := requireLogin(a); err != nil {
			return 0, err
		}
		return 0, forbidden("导出技术合同")
	}
	scope, err := domain.Contracts.ListScope(a)
	if err != nil {
		return 0, err
	}
	f.Scope = scope
	if f.Overdue {
		f.OverdueBefore = s.overdueBefore()
	}
	release, err := s.heavy.start(a.UserID, "export")
	if err != nil {
		return 0, err
	}
	defer release()
	spool, err := os.CreateTemp("", "kechuang-export-*") // 0600
	if err != nil {
		return 0, fmt.Errorf("service: export spool: %w", err)
	}
	defer func() { spool.Close(); os.Remove(spool.Name()) }()
	var n int
	err = s.heavy.generate(ctx, func() (err error) {
		n, err = s.exportTo(ctx, f, format, spool)
		return err
	})
	if err != nil {
		return 0, err
	}
	if _, err := spool.Seek(0, io.SeekStart); err != nil {
		return 0, fmt.Errorf("service: export spool: %w", err)
	}
	if _, err := io.Copy(w, spool); err != nil {
		return 0, err
	}
	return n, nil
}

// exportTo writes the export of f to w, reading the database as it goes.
func (s *Contracts) exportTo(ctx context.Context, f domain.ContractFilter, format contractio.Format, w io.Writer) (int, error) {
	orgUSCC, chains, err := s.exportNames(ctx)
	if err != nil {
		return 0, err
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	ex, err := contractio.NewExporter(format, bw, orgUSCC, chains)
	if err != nil {
		return 0, err
	}
	if err := s.store.EachContract(ctx, f, ex.Write); err != nil {
		ex.Abort()
		return 0, err
	}
	n, err := ex.Close()
	if err != nil {
		return 0, err
	}
	return n, bw.Flush()
}

// exportNames reads the names an export writes beside codes.
func (s *Contracts) exportNames(ctx context.Context) (map[int64]string, map[string]string, error) {
	orgUSCC, chainNames := map[int64]string{}, map[string]string{}
	orgs, _, err := s.store.FindOrgs(ctx, domain.OrgFilter{Limit: math.MaxInt32})
	if err != nil {
		return nil, nil, err
	}
	for _, o := range orgs {
		orgUSCC[o.ID] = o.USCC
	}
	chains, err := s.store.Chains(ctx)
	if err != nil {
		return nil, nil, err
	}
	for _, ch := range chains {
		chainNames[ch.Code] = ch.Name
	}
	return orgUSCC, chainNames, nil
}

// importRegistry returns the registry that owns imported contracts: the
// registrar's own organisation, otherwise the default registry.
func (s *Contracts) importRegistry(ctx context.Context, a *domain.Actor) (*domain.Org, error) {
	if a.Is(domain.RoleRegistrar) {
		o, err := s.store.FindOrgByID(ctx, a.OrgID)
		if err != nil || o.Kind != domain.OrgRegistry {
			return nil, domain.Errorf(domain.EFORBIDDEN, "所属机构不是技术合同登记机构，不能导入合同")
		}
		return o, nil
	}
	v, err := s.store.Setting(ctx, SettingDefaultRegistry, "")
	if err != nil {
		return nil, err
	}
	id, _ := strconv.ParseInt(v, 10, 64)
	if id == 0 {
		return nil, domain.Errorf(domain.EINVALID, "尚未配置技术合同登记机构（设置 %s）", SettingDefaultRegistry)
	}
	o, err := s.store.FindOrgByID(ctx, id)
	if err != nil || o.Kind != domain.OrgRegistry {
		return nil, domain.Errorf(domain.EINVALID, "配置的技术合同登记机构（%s）不存在", v)
	}
	return o, nil
}

// importLookup reads what row conversion needs from the database.
func (s *Contracts) importLookup(ctx context.Context, registry *domain.Org) (*contractio.Lookup, error) {
	city, err := s.cityCode(ctx)
	if err != nil {
		return nil, err
	}
	l := &contractio.Lookup{CityCode: city, RegistryRegion: registry.RegionCode, Regions: map[string]domain.Region{}, OrgsByUSCC: map[string]*domain.Org{},
		Today: s.today()}
	regions, err := s.store.Regions(ctx)
	if err != nil {
		return nil, err
	}
	for _, r := range regions {
		l.Regions[r.Code] = r
	}
	if l.Chains, err = s.store.Chains(ctx); err != nil {
		return nil, err
	}
	orgs, _, err := s.store.FindOrgs(ctx, domain.OrgFilter{Limit: math.MaxInt32})
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

// Import reads a contract file and stores its rows, for the registry of
// the actor (registrars and administrators only; the CLI passes
// domain.SystemActor()). The whole file is read and every row checked
// first, outside any transaction (M1: a slow or hostile file never holds
// the one SQLite writer); unless opt.SkipBad, one bad row fails the whole
// file and nothing is stored. The good rows are then inserted in
// transactions of importBatchRows rows, each raising the serials and
// writing its audit row, so the writer is held for a batch at a time. An
// upload (opt.MaxRows > 0) must be read within ImportReadTimeout. The
// returned error is non-nil when nothing was stored or a batch failed; the
// report, when not nil, names every problem and what was stored.
func (s *Contracts) Import(ctx context.Context, a *domain.Actor, r io.Reader, opt contractio.Options) (*contractio.Report, error) {
	if a == nil {
		return nil, domain.Errorf(domain.EUNAUTHORIZED, "请先登录")
	}
	if !domain.Contracts.CanImport(a) {
		return nil, domain.Errorf(domain.EFORBIDDEN, "无权导入技术合同")
	}
	release, err := s.heavy.start(a.UserID, "import")
	if err != nil {
		return nil, err
	}
	defer release()
	registry, err := s.importRegistry(ctx, a)
	if err != nil {
		return nil, err
	}
	l, err := s.importLookup(ctx, registry)
	if err != nil {
		return nil, err
	}
	imp := &contractImporter{store: s.store, actor: a, registry: registry, lookup: l, opt: opt, city: l.CityCode,
		regNoRow: map[string]int{}, noRows: map[string][]seenRow{}, yearRows: map[int]int64{}, maxSerial: map[int]int64{}, rowOf: map[*domain.Contract]int{}}
	imp.rep = &contractio.Report{File: filepath.Base(opt.FileName), Errors: []contractio.RowError{}, Warnings: []contractio.RowError{}}
	if err := imp.read(ctx, r); err != nil {
		return nil, err
	}
	rep := imp.rep
	sort.SliceStable(rep.Errors, func(i, j int) bool { return rep.Errors[i].Row < rep.Errors[j].Row })
	rep.BadRows = rep.BadRowCount()
	if rep.Failed {
		rep.Imported, rep.Skipped = 0, 0
		return rep, contractio.FailedError(rep)
	}
	if err := imp.write(ctx); err != nil {
		if rep.Imported == 0 {
			return nil, err
		}
		return rep, fmt.Errorf("service: import stopped after %d of %d rows: %w", rep.Imported, len(imp.good), err)
	}
	return rep, nil
}

// ImportReadTimeout bounds reading and checking an uploaded file: 200,000
// good rows take well under a minute; a file that takes longer is refused
// before anything is written.
const ImportReadTimeout = 2 * time.Minute

// read decodes and checks the whole file, hashing it, with no transaction.
func (imp *contractImporter) read(ctx context.Context, r io.Reader) error {
	if imp.opt.MaxRows > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, ImportReadTimeout)
		defer cancel()
	}
	h := sha256.New()
	br := bufio.NewReader(io.TeeReader(r, h))
	head, _ := br.Peek(8)
	format, err := contractio.FormatOf(string(imp.opt.Format), imp.opt.FileName, head)
	if err != nil {
		return err
	}
	imp.format = format
	if err := imp.run(ctx, br, format); err != nil {
		if errors.Is(err, context.DeadlineExceeded) && ctx.Err() != nil {
			return domain.Errorf(domain.ETOOLARGE, "文件在 %d 分钟内未能读完，请拆分后分批导入", int(ImportReadTimeout/time.Minute))
		}
		return err
	}
	io.Copy(io.Discard, br) // hash the whole file even past a fatal error
	imp.rep.SHA256 = hex.EncodeToString(h.Sum(nil))
	return nil
}

// contractImporter carries one import's state.
type contractImporter struct {
	store    *store.Store
	actor    *domain.Actor
	registry *domain.Org
	lookup   *contractio.Lookup
	opt      contractio.Options
	rep      *contractio.Report
	city     string
	format   contractio.Format

	batch     []*domain.Contract // rows read, not yet checked against the database
	batchRows []int
	good      []*domain.Contract // rows checked, to insert
	rowOf     map[*domain.Contract]int
	regNoRow  map[string]int       // 登记号 → first row carrying it
	noRows    map[string][]seenRow // 合同编号 → the file's earlier good rows carrying it (duplicates)
	yearRows  map[int]int64        // year → registered rows of the file
	maxSerial map[int]int64        // year → highest serial of the file (for the current year, checked by checkSerials)
}

func (imp *contractImporter) run(ctx context.Context, r io.Reader, format contractio.Format) error {
	fileErrs, err := contractio.Decode(r, format, imp.lookup, imp.opt.MaxRows, func(row int, c *domain.Contract, errs []contractio.RowError) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		return imp.row(ctx, row, c, errs)
	})
	if err != nil {
		return err
	}
	if len(fileErrs) > 0 {
		imp.rep.Errors = append(imp.rep.Errors, fileErrs...)
		imp.rep.Failed = true
	} else if err := imp.check(ctx); err != nil {
		return err
	}
	if err := imp.checkSerials(ctx); err != nil {
		return err
	}
	if !imp.opt.SkipBad && len(imp.rep.Errors) > 0 {
		imp.rep.Failed = true
	}
	return nil
}

// row takes one converted row: checks its text and dates, its 登记号
// against the file, and queues it.
func (imp *contractImporter) row(ctx context.Context, row int, c *domain.Contract, errs []contractio.RowError) error {
	imp.rep.Rows++
	if len(errs) == 0 {
		if err := cleanText(c); err != nil {
			errs = append(errs, contractio.RowErrorsOf(row, err)...)
		} else if err := domain.CheckContractDates(c, imp.lookup.Today); err != nil {
			errs = append(errs, contractio.RowErrorsOf(row, err)...)
		}
	}
	if len(errs) == 0 && c.RegNo != "" {
		if first, dup := imp.regNoRow[c.RegNo]; dup {
			errs = append(errs, contractio.RowError{Row: row, Field: contractio.ColRegNo, Message: fmt.Sprintf("登记号 %s 与第 %d 行重复", c.RegNo, first)})
		} else {
			// A clone, not a substring pinning the whole CSV line in memory.
			imp.regNoRow[strings.Clone(c.RegNo)] = row
		}
	}
	if len(errs) == 0 && c.ContractNo != "" {
		for _, o := range imp.noRows[c.ContractNo] {
			if domain.SameDeal(c, o.c) {
				errs = append(errs, contractio.RowError{Row: row, Field: contractio.ColContractNo, Message: fmt.Sprintf(
					"与第 %d 行是同一份合同：合同编号“%s”、卖方和买方均相同", o.row, c.ContractNo)})
				break
			}
		}
		if len(errs) == 0 {
			imp.noRows[c.ContractNo] = append(imp.noRows[c.ContractNo], seenRow{row, c})
		}
	}
	if len(errs) > 0 {
		imp.bad(errs)
		return nil
	}
	c.RegistryID, c.OwnerOrgID, c.CreatedBy = imp.registry.ID, imp.registry.ID, imp.actor.UserID
	imp.rep.Warnings = append(imp.rep.Warnings, contractio.RowWarnings(row, c)...)
	imp.batch, imp.batchRows = append(imp.batch, c), append(imp.batchRows, row)
	if len(imp.batch) >= importBatchRows {
		return imp.check(ctx)
	}
	return nil
}

func (imp *contractImporter) bad(errs []contractio.RowError) {
	imp.rep.Errors = append(imp.rep.Errors, errs...)
	imp.rep.Skipped++
}

// check checks the queued rows' 登记号 against the database (a read, no
// transaction) and keeps the good ones for writing.
func (imp *contractImporter) check(ctx context.Context) error {
	if len(imp.batch) == 0 {
		return nil
	}
	var nos []string
	for _, c := range imp.batch {
		if c.RegNo != "" {
			nos = append(nos, c.RegNo)
		}
	}
	taken, err := imp.store.TakenRegNos(ctx, nos)
	if err != nil {
		return err
	}
	var contractNos []string
	for _, c := range imp.batch {
		if c.ContractNo != "" {
			contractNos = append(contractNos, c.ContractNo)
		}
	}
	existing, err := imp.store.ContractsByNo(ctx, contractNos)
	if err != nil {
		return err
	}
	for i, c := range imp.batch {
		if taken[c.RegNo] {
			imp.bad([]contractio.RowError{{Row: imp.batchRows[i], Field: contractio.ColRegNo, Message: fmt.Sprintf("登记号 %s 已存在于系统中", c.RegNo)}})
			continue
		}
		if o := sameDealIn(c, existing[c.ContractNo]); o != nil {
			imp.bad([]contractio.RowError{{Row: imp.batchRows[i], Field: contractio.ColContractNo, Message: fmt.Sprintf(
				"与系统中已有的合同重复：合同编号“%s”、卖方和买方均相同（合同 %d，%s），未重复导入", c.ContractNo, o.ID, o.Status.Label())}})
			continue
		}
		imp.good, imp.rowOf[c] = append(imp.good, c), imp.batchRows[i]
		if c.RegNo != "" {
			imp.yearRows[c.RegYear]++
			imp.maxSerial[c.RegYear] = max(imp.maxSerial[c.RegYear], c.RegSerial)
		}
	}
	imp.batch, imp.batchRows = imp.batch[:0], imp.batchRows[:0]
	return nil
}

// write inserts the good rows, importBatchRows to a transaction.
func (imp *contractImporter) write(ctx context.Context) error {
	imp.orderForSequence()
	// A historical registered record is given the regime of its
	// acceptance (or registration) date; it has no running clock.
	rules, err := readRegimeRules(ctx, imp.store.Q)
	if err != nil {
		return err
	}
	for _, c := range imp.good {
		if c.Status == domain.ContractRegistered && c.Regime == "" {
			day := c.AcceptedOn
			if day == "" {
				day = c.RegisteredOn
			}
			c.Regime = rules.At(day).Code
		}
		// Under a regime whose registrar fixes the 技术交易额, the file's
		// 技术性收入 column, when filled, is that figure; blank (0), the
		// declared 技术交易额 stands as approved.
		if g, ok := domain.RegimeByCode(c.Regime); ok && g.Approved == domain.ApprovedTransaction && c.Status == domain.ContractRegistered && c.TechIncomeFen == 0 {
			c.TechIncomeFen = c.TechTransactionFen
		}
	}
	for part, start := 1, 0; start < len(imp.good); part, start = part+1, start+importBatchRows {
		batch := imp.good[start:min(start+importBatchRows, len(imp.good))]
		err := imp.store.InTx(ctx, func(tx *store.Q) error {
			if err := imp.checkSequence(ctx, tx, batch); err != nil {
				return err
			}
			after, err := tx.MaxContractID(ctx)
			if err != nil {
				return err
			}
			if err := tx.BulkInsertContracts(ctx, batch, imp.city); err != nil {
				return err
			}
			if err := imp.history(ctx, tx, batch, after); err != nil {
				return err
			}
			return imp.finish(ctx, tx, batch, part)
		})
		if err != nil {
			return err
		}
		imp.rep.Imported += len(batch)
	}
	return nil
}

// history gives each imported contract its first history step, 批量导入,
// from nothing to the status it was imported in, by the importer, with
// its audit row (walkthrough 22: an imported registered record showed
// 暂无记录). The batch's summary row follows in finish.
func (imp *contractImporter) history(ctx context.Context, tx *store.Q, batch []*domain.Contract, after int64) error {
	ids, err := tx.ContractIDsAfter(ctx, after, imp.actor.UserID)
	if err != nil {
		return err
	}
	at := tx.Now()
	evs := make([]*domain.Event, len(batch))
	for i, c := range batch {
		id := ids[store.ContractImportKey(c)]
		if id == 0 {
			return fmt.Errorf("service: imported contract %q not found after the insert", c.ContractNo)
		}
		c.ID = id
		evs[i] = &domain.Event{Entity: "contract", EntityID: id, At: at, ActorID: imp.actor.UserID, ActorName: imp.actor.Username,
			Action: "import", To: string(c.Status), Comment: imp.rep.File}
	}
	return tx.BulkHistory(ctx, evs, func(i int) (before, after any) {
		c := batch[i]
		return nil, map[string]any{"status": c.Status, "title": c.Title, "contract_no": c.ContractNo, "reg_no": c.RegNo,
			"turnover_fen": c.TurnoverFen, "file": imp.rep.File}
	})
}

// finish raises the registry's serials past a batch's numbers, so that
// later registrations continue after them, and writes the batch's audit row.
func (imp *contractImporter) finish(ctx context.Context, tx *store.Q, batch []*domain.Contract, part int) error {
	maxSerial := map[int]int64{}
	for _, c := range batch {
		if c.RegNo != "" {
			maxSerial[c.RegYear] = max(maxSerial[c.RegYear], c.RegSerial)
		}
	}
	years := make([]int, 0, len(maxSerial))
	for y := range maxSerial {
		years = append(years, y)
	}
	sort.Ints(years)
	for _, y := range years {
		if err := tx.SetRegSerialAtLeast(ctx, imp.registry.ID, y, maxSerial[y]); err != nil {
			return fmt.Errorf("service: raise serial: %w", err)
		}
	}
	type summary struct {
		File       string            `json:"file"`
		SHA256     string            `json:"sha256"`
		Format     contractio.Format `json:"format"`
		RegistryID int64             `json:"registry_id"`
		Rows       int               `json:"rows"`
		Imported   int               `json:"imported"`
		Skipped    int               `json:"skipped"`
		SkipBad    bool              `json:"skip_bad"`
		Part       int               `json:"part"`  // the batch, from 1
		Parts      int               `json:"parts"` // batches in all
	}
	r := imp.rep
	parts := (len(imp.good) + importBatchRows - 1) / importBatchRows
	return tx.Audit(ctx, imp.actor, "contract.import", "contract_import", r.SHA256, nil,
		summary{r.File, r.SHA256, imp.format, imp.registry.ID, r.Rows, len(batch), r.Skipped, imp.opt.SkipBad, part, parts})
}

// importBatchRows is how many good rows one write transaction inserts.
const importBatchRows = 500

// checkSerials keeps the current year's registration sequence gap-free
// (walkthrough #8, probe L2): the registry issues this year's numbers
// itself, so an imported registration of this year must continue the
// sequence exactly — sorted, the file's serials of the year are the last
// serial issued + 1, + 2, … — or it is a bad row (a typo such as …9999
// would otherwise make every later number jump, and a number below the
// last would collide). Past years take any serial: no new number is issued
// in them. write checks the sequence again under its lock, since a live
// registration may take the next number between reading and writing.
func (imp *contractImporter) checkSerials(ctx context.Context) error {
	year := imp.currentYear()
	if imp.maxSerial[year] == 0 {
		return nil
	}
	cur, err := imp.store.RegSerial(ctx, imp.registry.ID, year)
	if err != nil {
		return err
	}
	var rows []*domain.Contract
	for _, c := range imp.good {
		if c.RegNo != "" && c.RegYear == year {
			rows = append(rows, c)
		}
	}
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].RegSerial < rows[j].RegSerial })
	bad := map[*domain.Contract]bool{}
	next := cur + 1
	for _, c := range rows {
		if c.RegSerial == next {
			next++
			continue
		}
		bad[c] = true
		imp.bad([]contractio.RowError{{Row: imp.rowOf[c], Field: contractio.ColRegNo, Message: fmt.Sprintf(
			"登记号 %s 不接续本年已发的登记号（本登记机构本年已用至流水号 %06d，导入的本年登记号须从 %06d 起连续）：否则新登记号会跳号或重号", c.RegNo, cur, cur+1)}})
	}
	if len(bad) == 0 {
		return nil
	}
	good := imp.good[:0]
	for _, c := range imp.good {
		if !bad[c] {
			good = append(good, c)
		}
	}
	imp.good = good
	return nil
}

func (imp *contractImporter) currentYear() int {
	year, _ := strconv.Atoi(imp.lookup.Today[:4])
	return year
}

// orderForSequence puts the current year's registered rows last, in
// serial order, so the batches continue the year's sequence one after the
// other (checkSequence).
func (imp *contractImporter) orderForSequence() {
	year := imp.currentYear()
	cur := func(c *domain.Contract) bool { return c.RegNo != "" && c.RegYear == year }
	sort.SliceStable(imp.good, func(i, j int) bool {
		a, b := imp.good[i], imp.good[j]
		if cur(a) != cur(b) {
			return !cur(a)
		}
		return cur(a) && a.RegSerial < b.RegSerial
	})
}

// checkSequence checks, in a batch's transaction and under the sequence's
// lock, that the batch's registrations of the current year still continue
// the registry's sequence exactly: a registration committed since the file
// was read took a number the file carries, and the batch is refused rather
// than leaving a gap or a duplicate.
func (imp *contractImporter) checkSequence(ctx context.Context, tx *store.Q, batch []*domain.Contract) error {
	year := imp.currentYear()
	var serials []int64
	for _, c := range batch {
		if c.RegNo != "" && c.RegYear == year {
			serials = append(serials, c.RegSerial)
		}
	}
	if len(serials) == 0 {
		return nil
	}
	last, err := tx.LockRegSerial(ctx, imp.registry.ID, year)
	if err != nil {
		return err
	}
	for i, n := range serials {
		if n != last+int64(i)+1 {
			return domain.Errorf(domain.ECONFLICT, "导入期间本登记机构有新的登记，本年登记号已用至流水号 %06d，文件中的本年登记号不再接续，请核对后重新导入", last)
		}
	}
	return nil
}

var errRollback = errors.New("service: import rollback")

// seenRow is a good row of an import file, for duplicate detection.
type seenRow struct {
	row int
	c   *domain.Contract
}

// sameDealIn returns the contract of cs that c duplicates, or nil.
func sameDealIn(c *domain.Contract, cs []*domain.Contract) *domain.Contract {
	for _, o := range cs {
		if domain.SameDeal(c, o) {
			return o
		}
	}
	return nil
}
