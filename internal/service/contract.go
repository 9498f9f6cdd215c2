package service

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"unicode/utf8"

	"kechuang/internal/domain"
	"kechuang/internal/store"
)

// Who may file contracts: sellers (universities, institutes, enterprises,
// pilot bases, agencies) and the registrar on a seller's behalf.
var filerRoles = []domain.Role{domain.RoleAdmin, domain.RoleRegistrar, domain.RoleTTO, domain.RoleEnterprise, domain.RolePilotBase, domain.RoleAgency}

// canSee reports whether the actor may read the contract.
func canSee(a *domain.Actor, c *domain.Contract) bool {
	if a == nil {
		return false
	}
	if c.OwnerOrgID == a.OrgID {
		return true
	}
	if c.Status == domain.StatusDraft {
		return false
	}
	switch a.Role {
	case domain.RoleAdmin, domain.RoleBureau:
		return true
	case domain.RoleRegistrar:
		return c.RegistryID == a.OrgID
	case domain.RoleExpert:
		return false
	}
	return a.OrgID != 0 && (c.Seller.OrgID == a.OrgID || c.Buyer.OrgID == a.OrgID || c.BrokerID == a.OrgID)
}

// canEdit reports whether the actor may change the filing (owner or the
// contract's registrar) in its current status.
func canEdit(a *domain.Actor, c *domain.Contract) bool {
	if a == nil || (c.Status != domain.StatusDraft && c.Status != domain.StatusReturned) {
		return false
	}
	return c.OwnerOrgID == a.OrgID || (a.Role == domain.RoleRegistrar && c.RegistryID == a.OrgID)
}

// Scope returns the list scope of an actor.
func Scope(a *domain.Actor) (domain.ContractScope, error) {
	if a == nil {
		return domain.ContractScope{}, domain.Errorf(domain.EUNAUTHORIZED, "请先登录")
	}
	switch a.Role {
	case domain.RoleAdmin, domain.RoleBureau:
		return domain.ContractScope{All: true, OrgID: a.OrgID}, nil
	case domain.RoleRegistrar:
		return domain.ContractScope{All: true, OrgID: a.OrgID, RegistryID: a.OrgID}, nil
	case domain.RoleExpert:
		return domain.ContractScope{}, forbidden("查看技术合同")
	}
	return domain.ContractScope{OrgID: a.OrgID}, nil
}

// fillParties completes parties that are organisations in the system from
// their records, and checks the broker is an agency.
func (s *Service) fillParties(ctx context.Context, tx *store.Q, c *domain.Contract) error {
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
	}
	return nil
}

// defaultRegistry returns the registry filers use when none is named.
func (s *Service) defaultRegistry(ctx context.Context) (int64, error) {
	v, err := s.Store.Setting(ctx, SettingDefaultRegistry, "")
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
	dst.TurnoverFen, dst.CostItems = in.TurnoverFen, in.CostItems
}

// checkFilerParty keeps a filer to its own deals, on creation and on every
// edit: universities, enterprises and pilot bases file as the seller, an
// agency as the seller or the broker; registrars and admins file for anyone.
func checkFilerParty(a *domain.Actor, c *domain.Contract) error {
	if a.Is(domain.RoleTTO, domain.RoleEnterprise, domain.RolePilotBase) && c.Seller.OrgID != a.OrgID {
		return domain.FieldErrorf("seller.org_id", "只能以本机构为卖方申请登记（技术合同由卖方申请认定登记）")
	}
	if a.Is(domain.RoleAgency) && c.Seller.OrgID != a.OrgID && c.BrokerID != a.OrgID {
		return domain.FieldErrorf("broker_org_id", "技术转移机构只能登记本机构作为卖方或中介方的合同")
	}
	return nil
}

// CreateContract files a new draft. A seller files for itself (its
// organisation is the seller unless it is an agency brokering the deal); a
// registrar files for any seller.
func (s *Service) CreateContract(ctx context.Context, a *domain.Actor, in *domain.Contract) (*domain.Contract, error) {
	if err := requireLogin(a); err != nil {
		return nil, err
	}
	if !a.Is(filerRoles...) {
		return nil, forbidden("登记技术合同")
	}
	c := &domain.Contract{Status: domain.StatusDraft, OwnerOrgID: a.OrgID, CreatedBy: a.UserID}
	applyInput(c, in)
	if err := checkFilerParty(a, c); err != nil {
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
	city, err := s.CityCode(ctx)
	if err != nil {
		return nil, err
	}
	chainErr := s.checkChain(ctx, c.ChainCode)
	err = s.Store.InTx(ctx, func(tx *store.Q) error {
		if err := s.fillParties(ctx, tx, c); err != nil {
			return err
		}
		if err := c.Validate(); err != nil {
			return err
		}
		if chainErr != nil {
			return chainErr
		}
		if err := tx.InsertContract(ctx, c, city); err != nil {
			return err
		}
		if err := s.event(ctx, tx, a, c, "create", domain.StatusDraft, "", ""); err != nil {
			return err
		}
		return tx.Audit(ctx, a, "contract.create", "contract", c.ID, nil, c)
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

func (s *Service) checkChain(ctx context.Context, code string) error {
	if code == "" {
		return nil
	}
	chains, err := s.Store.Chains(ctx)
	if err != nil {
		return err
	}
	for _, ch := range chains {
		if ch.Code == code {
			return nil
		}
	}
	return domain.FieldErrorf("chain_code", "产业链“%s”不存在", code)
}

func (s *Service) event(ctx context.Context, tx *store.Q, a *domain.Actor, c *domain.Contract, action string, from domain.ContractStatus, comment, ground string) error {
	name := "system"
	var id int64
	if a != nil {
		name, id = a.Username, a.UserID
	}
	return tx.AddContractEvent(ctx, &domain.ContractEvent{ContractID: c.ID, ActorID: id, ActorName: name, Action: action,
		From: from, To: c.Status, Comment: comment, Ground: ground, At: s.Now().UTC()})
}

// GetContract returns a contract the actor may see.
func (s *Service) GetContract(ctx context.Context, a *domain.Actor, id int64) (*domain.Contract, error) {
	if err := requireLogin(a); err != nil {
		return nil, err
	}
	c, err := s.Store.FindContractByID(ctx, id)
	if err != nil {
		return nil, err
	}
	if !canSee(a, c) {
		return nil, domain.Errorf(domain.ENOTFOUND, "合同不存在") // do not reveal others' contracts
	}
	return c, nil
}

// ListContracts lists the contracts the actor may see.
func (s *Service) ListContracts(ctx context.Context, a *domain.Actor, f domain.ContractFilter) ([]*domain.Contract, int, error) {
	scope, err := Scope(a)
	if err != nil {
		return nil, 0, err
	}
	f.Scope = scope
	if f.Overdue {
		f.OverdueBefore = s.Now().In(chinaTZ).AddDate(0, 0, -domain.ProcessingDays).Format("2006-01-02")
	}
	return s.Store.FindContracts(ctx, f)
}

// Queue lists the registrar's contracts awaiting a decision, oldest first.
func (s *Service) Queue(ctx context.Context, a *domain.Actor, f domain.ContractFilter) ([]*domain.Contract, int, error) {
	if !a.Is(domain.RoleRegistrar, domain.RoleAdmin) {
		return nil, 0, forbidden("查看登记队列")
	}
	f.Statuses = []domain.ContractStatus{domain.StatusSubmitted}
	if f.Sort == "" {
		f.Sort = "accepted_on"
	}
	return s.ListContracts(ctx, a, f)
}

// Events returns a contract's history.
func (s *Service) Events(ctx context.Context, a *domain.Actor, id int64) ([]*domain.ContractEvent, error) {
	if _, err := s.GetContract(ctx, a, id); err != nil {
		return nil, err
	}
	return s.Store.ContractEvents(ctx, id)
}

// mutate loads a contract in a transaction, checks access and version, lets
// fn change it, writes it back with an event and an audit row.
func (s *Service) mutate(ctx context.Context, a *domain.Actor, id, version int64, action string, fn func(tx *store.Q, c *domain.Contract) (comment, ground string, err error)) (*domain.Contract, error) {
	if err := requireLogin(a); err != nil {
		return nil, err
	}
	// Read settings before the transaction, never inside it: on PostgreSQL
	// reads and writes share one pool, and a read needing a second
	// connection while this transaction holds the registration sequence
	// lock waits forever once every connection is held by transactions
	// queued behind that lock. On SQLite the read pool is separate anyway.
	city, err := s.CityCode(ctx)
	if err != nil {
		return nil, err
	}
	var out *domain.Contract
	err = s.Store.InTx(ctx, func(tx *store.Q) error {
		c, err := tx.FindContractByID(ctx, id)
		if err != nil {
			return err
		}
		if !canSee(a, c) {
			return domain.Errorf(domain.ENOTFOUND, "合同不存在")
		}
		if version != 0 && version != c.Version {
			return domain.Errorf(domain.ECONFLICT, "合同已被他人修改（版本 %d，当前 %d），请刷新后重试", version, c.Version)
		}
		before := *c
		from := c.Status
		comment, ground, err := fn(tx, c)
		if err != nil {
			return err
		}
		if err := tx.UpdateContract(ctx, c, city); err != nil {
			return err
		}
		if c.Status == domain.StatusRegistered && from != domain.StatusRegistered {
			if err := tx.AddToRollup(ctx, []*domain.Contract{c}, city); err != nil {
				return err
			}
		}
		if err := s.event(ctx, tx, a, c, action, from, comment, ground); err != nil {
			return err
		}
		out = c
		return tx.Audit(ctx, a, "contract."+action, "contract", c.ID, &before, c)
	})
	return out, err
}

// UpdateContract changes a draft or a returned filing.
func (s *Service) UpdateContract(ctx context.Context, a *domain.Actor, id, version int64, in *domain.Contract) (*domain.Contract, error) {
	chainErr := s.checkChain(ctx, in.ChainCode) // before the transaction (see mutate)
	return s.mutate(ctx, a, id, version, "update", func(tx *store.Q, c *domain.Contract) (string, string, error) {
		if !canEdit(a, c) {
			return "", "", domain.Errorf(domain.EFORBIDDEN, "当前状态（%s）下不能修改该合同", c.Status.Label())
		}
		applyInput(c, in)
		if err := checkFilerParty(a, c); err != nil {
			return "", "", err
		}
		if err := s.fillParties(ctx, tx, c); err != nil {
			return "", "", err
		}
		if err := c.Validate(); err != nil {
			return "", "", err
		}
		return "", "", chainErr
	})
}

// SubmitContract sends a draft or corrected filing to the registry, which
// accepts it (受理) and starts the 30-day clock. An oral contract, or one
// whose seals are incomplete or do not match the names, is refused at once
// with its ground.
func (s *Service) SubmitContract(ctx context.Context, a *domain.Actor, id, version int64) (*domain.Contract, error) {
	return s.mutate(ctx, a, id, version, "submit", func(tx *store.Q, c *domain.Contract) (string, string, error) {
		if !canEdit(a, c) {
			return "", "", domain.Errorf(domain.EFORBIDDEN, "当前状态（%s）下不能提交该合同", c.Status.Label())
		}
		if err := c.Validate(); err != nil {
			return "", "", err
		}
		switch {
		case c.Form == "oral":
			return s.refuse(c, "oral", "系统自动：合同为口头形式")
		case !c.SealsMatch:
			return s.refuse(c, "seals_mismatch", "系统自动：申报材料声明印章不齐全或与名称不一致")
		case c.Document == nil:
			return "", "", domain.FieldErrorf("document", "请先上传合同文本（PDF）再提交")
		}
		c.Status, c.AcceptedOn = domain.StatusSubmitted, s.today()
		return "", "", nil
	})
}

func (s *Service) refuse(c *domain.Contract, ground, note string) (string, string, error) {
	c.Status, c.RefusalGround, c.RefusalNote = domain.StatusRefused, ground, note
	return note, ground, nil
}

// ReturnContract sends a submitted filing back for correction with the
// registrar's comments.
func (s *Service) ReturnContract(ctx context.Context, a *domain.Actor, id, version int64, comment string) (*domain.Contract, error) {
	return s.mutate(ctx, a, id, version, "return", func(tx *store.Q, c *domain.Contract) (string, string, error) {
		if err := s.registrarFor(a, c); err != nil {
			return "", "", err
		}
		comment = strings.TrimSpace(comment)
		if comment == "" || utf8.RuneCountInString(comment) > 2000 {
			return "", "", domain.FieldErrorf("comment", "请填写补正意见（不超过2000字）")
		}
		c.Status = domain.StatusReturned
		return comment, "", nil
	})
}

// RefuseContract refuses a submitted filing on one of the grounds.
func (s *Service) RefuseContract(ctx context.Context, a *domain.Actor, id, version int64, ground, note string) (*domain.Contract, error) {
	return s.mutate(ctx, a, id, version, "refuse", func(tx *store.Q, c *domain.Contract) (string, string, error) {
		if err := s.registrarFor(a, c); err != nil {
			return "", "", err
		}
		if !domain.ValidRefusalGround(ground) {
			return "", "", domain.FieldErrorf("ground", "请选择不予登记的理由")
		}
		note = strings.TrimSpace(note)
		if utf8.RuneCountInString(note) > 2000 {
			return "", "", domain.FieldErrorf("note", "说明不超过2000字")
		}
		if ground == "other" && note == "" {
			return "", "", domain.FieldErrorf("note", "选择“其他”理由时须填写说明")
		}
		return s.refuse(c, ground, note)
	})
}

// RegisterContract registers a submitted contract: the registrar sets the
// 技术性收入 and the registry issues the next number of the year.
func (s *Service) RegisterContract(ctx context.Context, a *domain.Actor, id, version int64, techIncomeFen int64, note string) (*domain.Contract, error) {
	return s.mutate(ctx, a, id, version, "register", func(tx *store.Q, c *domain.Contract) (string, string, error) {
		if err := s.registrarFor(a, c); err != nil {
			return "", "", err
		}
		if !c.SealsMatch {
			return "", "", domain.FieldErrorf("seals_match", "印章不齐全或与名称不一致的合同不予登记，请以该理由不予登记")
		}
		if techIncomeFen < 0 || techIncomeFen > c.TurnoverFen {
			return "", "", domain.FieldErrorf("tech_income_fen", "技术性收入不能为负，也不能超过合同成交额（%s）", domain.FormatYuan(c.TurnoverFen))
		}
		reg, err := tx.FindOrgByID(ctx, c.RegistryID)
		if err != nil {
			return "", "", err
		}
		today := s.today()
		year, _ := strconv.Atoi(today[:4])
		serial, err := tx.NextRegSerial(ctx, c.RegistryID, year)
		if err != nil {
			return "", "", err
		}
		c.TechIncomeFen = techIncomeFen
		c.Status, c.RegYear, c.RegSerial, c.RegisteredOn = domain.StatusRegistered, year, serial, today
		c.RegNo = domain.RegNoFor(year, reg.RegionCode, serial)
		return strings.TrimSpace(note), "", nil
	})
}

func (s *Service) registrarFor(a *domain.Actor, c *domain.Contract) error {
	if !a.Is(domain.RoleRegistrar) || c.RegistryID != a.OrgID {
		return forbidden("办理该合同的认定登记")
	}
	if c.Status != domain.StatusSubmitted {
		return domain.Errorf(domain.ECONFLICT, "合同当前状态为“%s”，只有待登记的合同可以办理", c.Status.Label())
	}
	return nil
}

// MaxDocumentBytes limits an uploaded contract text.
const MaxDocumentBytes = 20 << 20

// UploadDocument attaches the contract text (PDF) to a draft or returned filing.
func (s *Service) UploadDocument(ctx context.Context, a *domain.Actor, id int64, name string, content []byte) (*domain.Contract, error) {
	if len(content) > MaxDocumentBytes {
		return nil, &domain.Error{Code: domain.ETOOLARGE, Field: "document", Message: fmt.Sprintf("合同文本不能超过 %d MB", MaxDocumentBytes>>20)}
	}
	if !bytes.HasPrefix(content, []byte("%PDF-")) {
		return nil, domain.FieldErrorf("document", "合同文本须为 PDF 文件")
	}
	name = filepath.Base(strings.ReplaceAll(name, "\\", "/"))
	if !strings.EqualFold(filepath.Ext(name), ".pdf") || utf8.RuneCountInString(name) > 200 {
		name = "contract.pdf"
	}
	sum := sha256.Sum256(content)
	doc := domain.Document{Name: name, Size: int64(len(content)), SHA256: hex.EncodeToString(sum[:])}
	return s.mutate(ctx, a, id, 0, "document", func(tx *store.Q, c *domain.Contract) (string, string, error) {
		if !canEdit(a, c) {
			return "", "", domain.Errorf(domain.EFORBIDDEN, "当前状态（%s）下不能上传合同文本", c.Status.Label())
		}
		c.Document = &doc
		return doc.Name, "", tx.SaveDocument(ctx, c.ID, doc, content)
	})
}

// Document returns the contract text for an actor who may see the contract.
func (s *Service) Document(ctx context.Context, a *domain.Actor, id int64) (domain.Document, []byte, error) {
	if _, err := s.GetContract(ctx, a, id); err != nil {
		return domain.Document{}, nil, err
	}
	return s.Store.DocumentContent(ctx, id)
}
