package service

import (
	"context"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"

	"kechuang/internal/domain"
	"kechuang/internal/store"
	"kechuang/internal/textnorm"
)

// Contracts is the technology-contract registry (技术合同认定登记).
type Contracts struct {
	*core
	stats *statsCache
	// years caches StatsYears (a DISTINCT over the registered contracts,
	// asked by the public statistics pages on every request).
	years *versionCache[struct{}, []int]
	heavy *heavyLimits // exports and imports per user
	// verify limits public certificate look-ups per client address.
	verify *verifyLimits
}

// fillParties completes parties that are organisations in the system from
// their records, and checks the broker is an agency.
func (s *Contracts) fillParties(ctx context.Context, tx *store.Q, c *domain.Contract) error {
	for _, p := range []struct {
		field string
		party *domain.Party
	}{{"seller.org_id", &c.Seller}, {"buyer.org_id", &c.Buyer}} {
		p.party.USCC = domain.NormalizeUSCC(p.party.USCC)
		if p.party.OrgID == 0 {
			continue
		}
		o, err := tx.FindOrgByID(ctx, p.party.OrgID)
		if err != nil {
			return domain.FieldErrorf(p.field, "机构 %d 不存在", p.party.OrgID)
		}
		p.party.Name, p.party.USCC, p.party.RegionCode, p.party.Type = o.Name, o.USCC, o.RegionCode, domain.PartyTypeOf(o.Kind)
	}
	if c.BrokerID != 0 {
		o, err := tx.FindOrgByID(ctx, c.BrokerID)
		if err != nil || o.Kind != domain.OrgAgency {
			return domain.FieldErrorf("broker_org_id", "中介方须为系统中的技术转移机构")
		}
		c.BrokerName = o.Name
		// 中介方 is a third party: an agency that sells or buys in the deal
		// is that party, not its broker (walkthrough 23: it would count twice
		// in the brokers' statistics).
		if c.BrokerID == c.Seller.OrgID || c.BrokerID == c.Buyer.OrgID {
			return domain.FieldErrorf("broker_org_id", "中介方不能同时是本合同的卖方或买方")
		}
	}
	return nil
}

// defaultRegistry returns the registry filers use when none is named.
func (s *Contracts) defaultRegistry(ctx context.Context) (int64, error) {
	v, err := s.store.Setting(ctx, SettingDefaultRegistry, "")
	if err != nil {
		return 0, err
	}
	id, _ := strconv.ParseInt(v, 10, 64)
	if id == 0 {
		return 0, domain.Errorf(domain.EINVALID, "尚未配置技术合同登记机构")
	}
	return id, nil
}

func applyInput(dst *domain.Contract, in *domain.Contract) {
	dst.Title, dst.ContractNo = strings.TrimSpace(in.Title), strings.TrimSpace(in.ContractNo)
	dst.Seller, dst.Buyer, dst.BrokerID = in.Seller, in.Buyer, in.BrokerID
	dst.SignedOn, dst.TermStart, dst.TermEnd = in.SignedOn, in.TermStart, in.TermEnd
	dst.Category, dst.SubType, dst.Form, dst.SealsMatch = in.Category, in.SubType, in.Form, in.SealsMatch
	dst.Field, dst.ChainCode = in.Field, in.ChainCode
	dst.TurnoverFen, dst.CostItems, dst.Disputed = in.TurnoverFen, in.CostItems, in.Disputed
	dst.Links = cleanLinks(in.Links)
}

// Create files a new draft. A seller files for itself (its
// organisation is the seller unless it is an agency brokering the deal); a
// registrar files for any seller.
func (s *Contracts) Create(ctx context.Context, a *domain.Actor, in *domain.Contract) (*domain.Contract, error) {
	if err := requireLogin(a); err != nil {
		return nil, err
	}
	if !domain.Contracts.CanFile(a) {
		return nil, forbidden("登记技术合同")
	}
	if err := s.cleanInput(ctx, in); err != nil {
		return nil, err
	}
	c := &domain.Contract{Status: domain.ContractDraft, OwnerOrgID: a.OrgID, CreatedBy: a.UserID}
	applyInput(c, in)
	if err := domain.Contracts.CheckParties(a, c); err != nil {
		return nil, err
	}
	// Reads through s.Store happen before the transaction (see mutate).
	if a.Is(domain.RoleRegistrar) {
		c.RegistryID = a.OrgID
	} else {
		id, err := s.defaultRegistry(ctx)
		if err != nil {
			return nil, err
		}
		c.RegistryID = id
	}
	city, err := s.cityCode(ctx)
	if err != nil {
		return nil, err
	}
	chainErr := s.checkChain(ctx, c.ChainCode)
	rules, err := s.regimeRules(ctx)
	if err != nil {
		return nil, err
	}
	err = s.store.InTx(ctx, func(tx *store.Q) error {
		if err := s.fillParties(ctx, tx, c); err != nil {
			return err
		}
		if err := c.ValidateUnder(rules.RegimeOf(c, s.today())); err != nil {
			return err
		}
		if err := checkLinks(ctx, tx, a, c.Links); err != nil {
			return err
		}
		if chainErr != nil {
			return chainErr
		}
		if err := checkDuplicate(ctx, tx, a, c); err != nil {
			return err
		}
		if err := tx.InsertContract(ctx, c, city); err != nil {
			return err
		}
		if err := tx.SetContractLinks(ctx, c.ID, c.Links); err != nil {
			return err
		}
		if err := addEvent(ctx, tx, a, "contract", c.ID, "create", string(domain.ContractDraft), string(c.Status), step{}); err != nil {
			return err
		}
		return tx.Audit(ctx, a, "contract.create", "contract", c.ID, nil, c)
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

func (s *Contracts) checkChain(ctx context.Context, code string) error {
	if code == "" {
		return nil
	}
	chains, err := s.store.VisibleChains(ctx)
	if err != nil {
		return err
	}
	for _, ch := range chains {
		if ch.Code == code {
			return nil
		}
	}
	if _, err := s.store.ChainEntry(ctx, code); err == nil {
		return domain.FieldErrorf("chain_code", "产业链“%s”已停用，请选择其他产业链", code)
	}
	return domain.FieldErrorf("chain_code", "产业链“%s”不存在", code)
}

// Get returns a contract the actor may see.
func (s *Contracts) Get(ctx context.Context, a *domain.Actor, id int64) (*domain.Contract, error) {
	if err := requireLogin(a); err != nil {
		return nil, err
	}
	c, err := s.store.FindContractByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if !domain.Contracts.CanSee(a, c) {
		return nil, domain.Errorf(domain.ENOTFOUND, "合同不存在") // do not reveal others' contracts
	}
	if err := linkTitles(ctx, s.store.Q, a, c); err != nil {
		return nil, err
	}
	return c, nil
}

// List lists the contracts the actor may see.
func (s *Contracts) List(ctx context.Context, a *domain.Actor, f domain.ContractFilter) ([]*domain.Contract, int, error) {
	scope, err := domain.Contracts.ListScope(a)
	if err != nil {
		return nil, 0, err
	}
	f.Scope = scope
	if f.Overdue {
		f.OverdueBefore = s.overdueBefore()
	}
	return s.store.FindContracts(ctx, f)
}

// ListTotals counts and sums the contracts the actor may see that match f
// (the whole filter, not a page): the totals above the list and in the
// API's list answer.
func (s *Contracts) ListTotals(ctx context.Context, a *domain.Actor, f domain.ContractFilter) (domain.ContractTotals, error) {
	scope, err := domain.Contracts.ListScope(a)
	if err != nil {
		return domain.ContractTotals{}, err
	}
	f.Scope = scope
	if f.Overdue {
		f.OverdueBefore = s.overdueBefore()
	}
	return s.store.ContractTotals(ctx, f)
}

// Queue lists the registrar's filings awaiting intake (受理) or a
// decision, those awaiting intake first, then by due date.
func (s *Contracts) Queue(ctx context.Context, a *domain.Actor, f domain.ContractFilter) ([]*domain.Contract, int, error) {
	if !domain.Contracts.CanViewQueue(a) {
		return nil, 0, forbidden("查看登记队列")
	}
	f.Statuses = []domain.ContractStatus{domain.ContractSubmitted, domain.ContractAccepted}
	if f.Sort == "" {
		f.Sort = "due_on"
	}
	return s.List(ctx, a, f)
}

// Events returns a contract's history.
func (s *Contracts) Events(ctx context.Context, a *domain.Actor, id int64) ([]*domain.Event, error) {
	if _, err := s.Get(ctx, a, id); err != nil {
		return nil, err
	}
	return s.store.Events(ctx, "contract", id)
}

// kind is the contract entity for the workflow engine; saving keeps the
// rollup current in the registering transaction.
func (s *Contracts) kind(city string) *entityKind[domain.ContractStatus, *domain.Contract] {
	return &entityKind[domain.ContractStatus, *domain.Contract]{
		name: "contract", notFound: "合同不存在", stale: ContractStale, flow: domain.ContractFlow,
		load: func(ctx context.Context, q *store.Q, id int64) (*domain.Contract, error) {
			return q.FindContractByID(ctx, id)
		},
		canSee: domain.Contracts.CanSee,
		id:     func(c *domain.Contract) int64 { return c.ID }, version: func(c *domain.Contract) int64 { return c.Version },
		clone: func(c *domain.Contract) *domain.Contract { b := *c; return &b },
		save:  func(ctx context.Context, q *store.Q, c *domain.Contract) error { return q.UpdateContract(ctx, c, city) },
	}
}

// mutate runs one contract workflow action (see the generic mutate).
func (s *Contracts) mutate(ctx context.Context, a *domain.Actor, id, version int64, action string, fn func(tx *store.Q, c *domain.Contract) (step, error)) (*domain.Contract, error) {
	if err := requireLogin(a); err != nil {
		return nil, err
	}
	// Read settings before the transaction, never inside it: a read needing
	// a second connection while this transaction holds the registration
	// sequence lock would queue behind the writers queued on that lock.
	city, err := s.cityCode(ctx)
	if err != nil {
		return nil, err
	}
	k := s.kind(city)
	return mutate(ctx, s.core, k, a, id, version, action, func(q *store.Q, c *domain.Contract) (step, error) {
		before := *c
		st, err := fn(q, c)
		switch {
		case err != nil:
		case c.Status == domain.ContractRegistered && before.Status != domain.ContractRegistered:
			err = q.AddToRollup(ctx, []*domain.Contract{c}, city)
		case before.Status == domain.ContractRegistered && c.Status != domain.ContractRegistered:
			// 注销 or 撤销: no longer counted (contract_postreg.go).
			err = q.RemoveFromRollup(ctx, []*domain.Contract{&before}, city)
		}
		return st, err
	})
}

// Update changes a draft or a returned filing.
func (s *Contracts) Update(ctx context.Context, a *domain.Actor, id, version int64, in *domain.Contract) (*domain.Contract, error) {
	chainErr := s.checkChain(ctx, in.ChainCode) // before the transaction (see mutate)
	if chainErr == nil {
		chainErr = s.cleanInput(ctx, in)
	}
	rules, err := s.regimeRules(ctx)
	if err != nil {
		return nil, err
	}
	return s.mutate(ctx, a, id, version, "update", func(tx *store.Q, c *domain.Contract) (step, error) {
		before := *c
		applyInput(c, in)
		if err := domain.Contracts.CheckParties(a, c); err != nil {
			return step{}, err
		}
		if err := s.fillParties(ctx, tx, c); err != nil {
			return step{}, err
		}
		// The categories of the regime the filing is (or, before its
		// 受理, would today be) handled under.
		if err := c.ValidateUnder(rules.RegimeOf(c, s.today())); err != nil {
			return step{}, err
		}
		if chainErr != nil {
			return step{}, chainErr
		}
		if err := checkLinks(ctx, tx, a, c.Links); err != nil {
			return step{}, err
		}
		if err := tx.SetContractLinks(ctx, c.ID, c.Links); err != nil {
			return step{}, err
		}
		// The history shows what changed (walkthrough #11): above all a
		// registrar's correction of the applicant's figures.
		st := step{Changes: domain.ContractChanges(&before, c)}
		if c.OwnerOrgID != a.OrgID {
			st.Comment = "登记员代为修改申请人填报的内容"
		}
		return st, checkDuplicate(ctx, tx, a, c)
	})
}

// Submit sends a draft to the registry for 受理 (形式审查: the registrar
// accepts it or refuses it at intake, Accept and Reject). A filing
// returned for 补正 after its 受理 goes back to accepted: the day the
// corrected materials arrive is its new 受理 date and the clock restarts
// from it (2026 draft art 14; the regime chosen at the first 受理 is kept).
// A filing returned at intake goes back to intake. The open correction
// cycle records the day.
func (s *Contracts) Submit(ctx context.Context, a *domain.Actor, id, version int64) (*domain.Contract, error) {
	rules, err := s.regimeRules(ctx) // before the transaction (see mutate)
	if err != nil {
		return nil, err
	}
	cal, err := s.calendar(ctx)
	if err != nil {
		return nil, err
	}
	return s.mutate(ctx, a, id, version, "submit", func(tx *store.Q, c *domain.Contract) (step, error) {
		if err := c.ValidateUnder(rules.RegimeOf(c, s.today())); err != nil {
			return step{}, err
		}
		if err := domain.CheckContractDates(c, s.today()); err != nil {
			return step{}, err
		}
		today := s.today()
		if err := checkMaterials(ctx, tx, c, rules.RegimeOf(c, today), false); err != nil {
			return step{}, err
		}
		if _, err := tx.CloseCorrection(ctx, c, today); err != nil {
			return step{}, err
		}
		if c.Status == domain.ContractReturned && c.AcceptedOn != "" {
			c.Status = domain.ContractAccepted
			c.StartClock(today, rules, cal)
			return step{Comment: c.DueOn, Reason: c.Regime}, nil
		}
		c.Status = domain.ContractSubmitted
		return step{}, nil
	})
}

// Withdraw takes a submitted filing back to a draft, by its applicant,
// before the registrar acts on it (ContractFlow): the clock stops, the
// registry no longer sees it, and the applicant may correct and resubmit
// it or delete it.
func (s *Contracts) Withdraw(ctx context.Context, a *domain.Actor, id, version int64) (*domain.Contract, error) {
	return s.mutate(ctx, a, id, version, "withdraw", func(tx *store.Q, c *domain.Contract) (step, error) {
		c.Status, c.AcceptedOn = domain.ContractDraft, ""
		return step{}, nil
	})
}

// Delete deletes a draft of the actor's organisation (ContractFlow):
// typed by mistake, or a duplicate. Its history and audit rows stay,
// with a last "delete" step. A draft never has a 登记号: serials are
// taken only when a contract is registered (Register, NextRegSerial), so
// deleting drafts leaves the registration sequence gap-free.
func (s *Contracts) Delete(ctx context.Context, a *domain.Actor, id, version int64) error {
	if err := requireLogin(a); err != nil {
		return err
	}
	return s.store.InTx(ctx, func(q *store.Q) error {
		c, err := q.FindContractByID(ctx, id)
		if err != nil {
			return err
		}
		if !domain.Contracts.CanSee(a, c) {
			return domain.Errorf(domain.ENOTFOUND, "合同不存在")
		}
		if version != c.Version {
			return staleVersion(ContractStale)
		}
		if err := domain.ContractFlow.Check("delete", a, c); err != nil {
			return err
		}
		if err := q.DeleteDraft(ctx, id); err != nil {
			return err
		}
		if err := addEvent(ctx, q, a, "contract", id, "delete", string(c.Status), string(c.Status), step{Comment: c.Title}); err != nil {
			return err
		}
		return q.Audit(ctx, a, "contract.delete", "contract", id, c, nil)
	})
}

func (s *Contracts) refuse(c *domain.Contract, ground, note string) (step, error) {
	c.Status, c.RefusalGround, c.RefusalNote = domain.ContractRefused, ground, note
	return step{Comment: note, Reason: ground}, nil
}

// Return asks for 补正 with the registrar's reason, at intake or after
// 受理: a correction cycle opens (requested today) and the clock stops
// until the corrected materials arrive.
func (s *Contracts) Return(ctx context.Context, a *domain.Actor, id, version int64, comment string) (*domain.Contract, error) {
	return s.mutate(ctx, a, id, version, "return", func(tx *store.Q, c *domain.Contract) (step, error) {
		if err := textnorm.CheckField("comment", comment, textnorm.Options{Multiline: true}); err != nil {
			return step{}, err
		}
		comment = strings.TrimSpace(comment)
		if comment == "" || utf8.RuneCountInString(comment) > 2000 {
			return step{}, domain.FieldErrorf("comment", "请填写补正意见（不超过2000字）")
		}
		if err := tx.AddCorrection(ctx, c, s.today(), comment); err != nil {
			return step{}, err
		}
		c.Status, c.DueOn = domain.ContractReturned, ""
		return step{Comment: comment}, nil
	})
}

// Refuse refuses an accepted filing (不予登记) on one of its regime's
// grounds.
func (s *Contracts) Refuse(ctx context.Context, a *domain.Actor, id, version int64, ground, note string) (*domain.Contract, error) {
	rules, err := s.regimeRules(ctx)
	if err != nil {
		return nil, err
	}
	return s.mutate(ctx, a, id, version, "refuse", func(tx *store.Q, c *domain.Contract) (step, error) {
		if !rules.RegimeOf(c, s.today()).ValidRefusal(ground) {
			return step{}, domain.FieldErrorf("ground", "请选择不予登记的理由")
		}
		note, err := cleanNote(note)
		if err != nil {
			return step{}, err
		}
		if ground == "other" && note == "" {
			return step{}, domain.FieldErrorf("note", "选择“其他”理由时须填写说明")
		}
		return s.refuse(c, ground, note)
	})
}

// Register registers a submitted contract: the registrar sets the
// 技术性收入 and the registry issues the next number of the year.
func (s *Contracts) Register(ctx context.Context, a *domain.Actor, id, version int64, techIncomeFen int64, note string) (*domain.Contract, error) {
	return s.mutate(ctx, a, id, version, "register", func(tx *store.Q, c *domain.Contract) (step, error) {
		if !c.SealsMatch {
			return step{}, domain.FieldErrorf("seals_match", "印章不齐全或与名称不一致的合同不予登记，请以该理由不予登记")
		}
		// The open expert review is refused by the flow (ContractFlow's
		// Ready), before this runs.
		if err := c.Compute(); err != nil {
			return step{}, err
		}
		if err := domain.CheckTechIncome(c, techIncomeFen); err != nil {
			return step{}, err
		}
		if err := domain.CheckContractDates(c, s.today()); err != nil {
			return step{}, err // a filing from before the bounds, or an import
		}
		reg, err := tx.FindOrgByID(ctx, c.RegistryID)
		if err != nil {
			return step{}, err
		}
		today := s.today()
		year, _ := strconv.Atoi(today[:4])
		serial, err := tx.NextRegSerial(ctx, c.RegistryID, year)
		if err != nil {
			return step{}, err
		}
		c.TechIncomeFen = techIncomeFen
		c.Status, c.RegYear, c.RegSerial, c.RegisteredOn = domain.ContractRegistered, year, serial, today
		c.RegVersion = 1
		c.RegNo = domain.RegNoFor(year, reg.RegionCode, serial)
		return step{Comment: strings.TrimSpace(note)}, nil
	})
}

// MaxDocumentBytes limits an uploaded contract text.
const MaxDocumentBytes = domain.MaxAttachmentBytes

// UploadDocument sets the contract text (PDF) of a draft or returned
// filing: the API's one document before typed attachments, kept. It
// replaces the filing's first 合同文本 attachment, or adds one.
func (s *Contracts) UploadDocument(ctx context.Context, a *domain.Actor, id int64, name string, content []byte) (*domain.Contract, error) {
	if len(content) > MaxDocumentBytes {
		return nil, tooLarge("document", "合同文本不能超过 %d MB", MaxDocumentBytes>>20)
	}
	if domain.SniffAttachment(content) != domain.MimePDF {
		return nil, domain.FieldErrorf("document", "合同文本须为 PDF 文件")
	}
	if err := textnorm.CheckField("document", name, textnorm.Options{}); err != nil {
		return nil, err // "合同\u202egpj.pdf" would show as 合同fdp.jpg
	}
	att, err := newAttachment(a, id, domain.AttachContractText, name, content)
	if err != nil {
		return nil, err
	}
	if !strings.EqualFold(filepath.Ext(name), ".pdf") || utf8.RuneCountInString(att.Name) > 200 {
		att.Name = "contract.pdf"
	}
	return s.mutate(ctx, a, id, 0, "document", func(tx *store.Q, c *domain.Contract) (step, error) {
		old, err := tx.FirstAttachmentOf(ctx, c.ID, domain.AttachContractText)
		if err != nil {
			return step{}, err
		}
		var replace int64
		if old != nil {
			replace = old.ID
		}
		if err := s.storeAttachment(ctx, tx, att, replace, content); err != nil {
			return step{}, err
		}
		return step{Comment: att.Name}, refreshDocument(ctx, tx, c)
	})
}

// Document returns the contract text (the first 合同文本 attachment) for
// an actor who may see the contract.
func (s *Contracts) Document(ctx context.Context, a *domain.Actor, id int64) (domain.Document, []byte, error) {
	if _, err := s.Get(ctx, a, id); err != nil {
		return domain.Document{}, nil, err
	}
	first, err := s.store.FirstAttachmentOf(ctx, id, domain.AttachContractText)
	if err != nil {
		return domain.Document{}, nil, err
	}
	if first == nil {
		return domain.Document{}, nil, domain.Errorf(domain.ENOTFOUND, "该合同尚未上传合同文本")
	}
	_, b, err := s.store.AttachmentContent(ctx, id, first.ID)
	if err != nil {
		return domain.Document{}, nil, err
	}
	return domain.Document{Name: first.Name, Size: first.Size, SHA256: first.SHA256}, b, nil
}

// overdueBefore is the due date before which an accepted filing is past
// its time limit today (due dates are stored, computed at 受理 in its
// regime's days).
func (s *Contracts) overdueBefore() string { return s.today() }
