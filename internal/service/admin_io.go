package service

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"math"
	"path/filepath"

	"kechuang/internal/adminio"
	"kechuang/internal/domain"
	"kechuang/internal/password"
	"kechuang/internal/sheetio"
	"kechuang/internal/store"
)

// The administration module's import and export: the codec (adminio)
// parses outside any transaction; the rows are stored in one transaction
// with one audit row, and nothing is stored from a file with a bad row
// unless opt.SkipBad — like the contract import.

// ExportOrgs writes every organisation matching f (managers only).
func (s *Admin) ExportOrgs(ctx context.Context, a *domain.Actor, f domain.OrgFilter, format sheetio.Format, w io.Writer) (int, error) {
	if err := s.may(a, domain.AdminRules.CanManageOrgs, "导出机构"); err != nil {
		return 0, err
	}
	f.Offset, f.Limit = 0, math.MaxInt32
	orgs, _, err := s.Orgs(ctx, a, f)
	if err != nil {
		return 0, err
	}
	return len(orgs), adminio.OrgTable(orgs).Write(format, w)
}

// ExportUsers writes every user matching f, never their passwords
// (administrators only).
func (s *Admin) ExportUsers(ctx context.Context, a *domain.Actor, f domain.UserFilter, format sheetio.Format, w io.Writer) (int, error) {
	if err := s.may(a, domain.AdminRules.CanManageUsers, "导出用户"); err != nil {
		return 0, err
	}
	f.Offset, f.Limit = 0, math.MaxInt32
	users, _, err := s.Users(ctx, a, f)
	if err != nil {
		return 0, err
	}
	orgs, _, err := s.store.FindOrgs(ctx, domain.OrgFilter{Limit: math.MaxInt32})
	if err != nil {
		return 0, err
	}
	uscc := make(map[int64]string, len(orgs))
	for _, o := range orgs {
		uscc[o.ID] = o.USCC
	}
	return len(users), adminio.UserTable(users, uscc).Write(format, w)
}

func (s *Admin) may(a *domain.Actor, rule func(*domain.Actor) bool, what string) error {
	if err := requireLogin(a); err != nil {
		return err
	}
	if !rule(a) {
		return forbidden(what)
	}
	return nil
}

// importFile is one import's file: its format, a reader that hashes what
// it reads, and the report being built.
type importFile struct {
	format sheetio.Format
	r      *bufio.Reader
	sum    func() string
	rep    *adminio.Report
}

func openImport(kind string, r io.Reader, opt adminio.Options) (*importFile, error) {
	h := sha256.New()
	br := bufio.NewReader(io.TeeReader(r, h))
	head, _ := br.Peek(8)
	format, err := sheetio.FormatOf(string(opt.Format), opt.FileName, head)
	if err != nil {
		return nil, err
	}
	rep := &adminio.Report{Kind: kind, File: filepath.Base(opt.FileName), Errors: []adminio.RowError{}}
	return &importFile{format: format, r: br, rep: rep, sum: func() string {
		io.Copy(io.Discard, br) // hash the whole file even past a fatal error
		return hex.EncodeToString(h.Sum(nil))
	}}, nil
}

// importSummary is the audit row's after of an import.
type importSummary struct {
	File     string         `json:"file"`
	SHA256   string         `json:"sha256"`
	Format   sheetio.Format `json:"format"`
	Rows     int            `json:"rows"`
	Imported int            `json:"imported"`
	Skipped  int            `json:"skipped"`
	SkipBad  bool           `json:"skip_bad"`
}

func (f *importFile) summary(opt adminio.Options) importSummary {
	r := f.rep
	return importSummary{r.File, r.SHA256, f.format, r.Rows, r.Imported, r.Skipped, opt.SkipBad}
}

// finish sorts out the report after the transaction.
func (f *importFile) finish(err error) (*adminio.Report, error) {
	f.rep.CountBadRows()
	if errors.Is(err, errRollback) {
		f.rep.Imported, f.rep.Skipped, f.rep.Failed = 0, 0, true
		return f.rep, adminio.FailedError(f.rep)
	} else if err != nil {
		return nil, err
	}
	return f.rep, nil
}

// take records a row's problems; it reports whether the row is good.
func (f *importFile) take(errs []adminio.RowError) bool {
	f.rep.Rows++
	if len(errs) > 0 {
		f.rep.Errors = append(f.rep.Errors, errs...)
		f.rep.Skipped++
		return false
	}
	return true
}

// ImportOrgs creates the organisations of a file (managers only).
func (s *Admin) ImportOrgs(ctx context.Context, a *domain.Actor, r io.Reader, opt adminio.Options) (*adminio.Report, error) {
	if err := s.may(a, domain.AdminRules.CanManageOrgs, "导入机构"); err != nil {
		return nil, err
	}
	f, err := openImport("orgs", r, opt)
	if err != nil {
		return nil, err
	}
	l, err := s.orgLookup(ctx)
	if err != nil {
		return nil, err
	}
	var good []*domain.Org
	fileErrs, err := adminio.DecodeOrgs(f.r, f.format, l, opt.MaxRows, func(row int, o *domain.Org, errs []adminio.RowError) error {
		if f.take(errs) {
			good = append(good, o)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	f.rep.Errors = append(append(make([]adminio.RowError, 0, len(fileErrs)+len(f.rep.Errors)), fileErrs...), f.rep.Errors...) // never null in JSON
	f.rep.SHA256 = f.sum()
	err = s.store.InTx(ctx, func(q *store.Q) error {
		if len(fileErrs) > 0 || (!opt.SkipBad && len(f.rep.Errors) > 0) {
			return errRollback
		}
		for _, o := range good {
			if err := q.CreateOrg(ctx, o); err != nil {
				return err
			}
			if err := addEvent(ctx, q, a, "org", o.ID, "create", "", string(o.Status()), step{Comment: "批量导入"}); err != nil {
				return err
			}
		}
		f.rep.Imported = len(good)
		return q.Audit(ctx, a, "org.import", "org_import", f.rep.SHA256, nil, f.summary(opt))
	})
	return f.finish(err)
}

func (s *Admin) orgLookup(ctx context.Context) (*adminio.OrgLookup, error) {
	regions, city, err := s.regionsAndCity(ctx, s.store.Q)
	if err != nil {
		return nil, err
	}
	orgs, _, err := s.store.FindOrgs(ctx, domain.OrgFilter{Limit: math.MaxInt32})
	if err != nil {
		return nil, err
	}
	l := &adminio.OrgLookup{CityCode: city, Regions: regions, USCCs: map[string]bool{}}
	for _, o := range orgs {
		if o.USCC != "" {
			l.USCCs[o.USCC] = true
		}
	}
	return l, nil
}

// ImportUsers creates the users of a file (administrators only). A row
// without a password gets none that can be typed (noPassword): an
// administrator resets it before the user can log in.
func (s *Admin) ImportUsers(ctx context.Context, a *domain.Actor, r io.Reader, opt adminio.Options) (*adminio.Report, error) {
	if err := s.may(a, domain.AdminRules.CanManageUsers, "导入用户"); err != nil {
		return nil, err
	}
	f, err := openImport("users", r, opt)
	if err != nil {
		return nil, err
	}
	l, err := s.userLookup(ctx)
	if err != nil {
		return nil, err
	}
	var rows []*adminio.UserRow
	fileErrs, err := adminio.DecodeUsers(f.r, f.format, l, opt.MaxRows, func(row int, u *adminio.UserRow, errs []adminio.RowError) error {
		if u.Password != "" {
			if perr := password.Validate(u.Password); perr != nil {
				errs = append(errs, adminio.RowError{Row: row, Field: adminio.ColUserPassword, Message: domain.ErrorMessage(perr)})
			}
		}
		if f.take(errs) {
			rows = append(rows, u)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	f.rep.Errors = append(append(make([]adminio.RowError, 0, len(fileErrs)+len(f.rep.Errors)), fileErrs...), f.rep.Errors...) // never null in JSON
	f.rep.SHA256 = f.sum()
	fails := len(fileErrs) > 0 || (!opt.SkipBad && len(f.rep.Errors) > 0)
	var good []*domain.User
	if !fails {
		if good, err = hashRows(rows); err != nil {
			return nil, err
		}
	}
	err = s.store.InTx(ctx, func(q *store.Q) error {
		if fails {
			return errRollback
		}
		for _, u := range good {
			if err := q.CreateUser(ctx, u); err != nil {
				return err
			}
			if err := addEvent(ctx, q, a, "user", u.ID, "create", "", string(u.Status()), step{Comment: "批量导入"}); err != nil {
				return err
			}
		}
		f.rep.Imported = len(good)
		return q.Audit(ctx, a, "user.import", "user_import", f.rep.SHA256, nil, f.summary(opt))
	})
	return f.finish(err)
}

// noPassword is the hash of an imported account without a password: no
// password matches it (it is not an argon2id hash), so the account cannot
// log in until an administrator resets its password.
const noPassword = "!imported-without-password"

// hashRows hashes the rows' passwords (argon2id, once each, only for a file
// that will be stored).
func hashRows(rows []*adminio.UserRow) ([]*domain.User, error) {
	out := make([]*domain.User, len(rows))
	for i, u := range rows {
		u.User.PasswordHash = noPassword
		if u.Password != "" {
			hash, err := password.Hash(u.Password)
			if err != nil {
				return nil, err
			}
			u.User.PasswordHash = hash
		}
		out[i] = u.User
	}
	return out, nil
}

func (s *Admin) userLookup(ctx context.Context) (*adminio.UserLookup, error) {
	orgs, _, err := s.store.FindOrgs(ctx, domain.OrgFilter{Limit: math.MaxInt32})
	if err != nil {
		return nil, err
	}
	l := &adminio.UserLookup{OrgsByUSCC: map[string]*domain.Org{}, OrgsByName: map[string][]*domain.Org{}, Usernames: map[string]bool{}}
	for _, o := range orgs {
		if o.USCC != "" {
			l.OrgsByUSCC[o.USCC] = o
		}
		l.OrgsByName[o.Name] = append(l.OrgsByName[o.Name], o)
	}
	users, _, err := s.store.FindUsersPage(ctx, domain.UserFilter{Limit: math.MaxInt32})
	if err != nil {
		return nil, err
	}
	for _, u := range users {
		l.Usernames[u.Username] = true
	}
	return l, nil
}
