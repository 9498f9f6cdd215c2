package storetest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"testing"

	"kechuang/internal/domain"
	"kechuang/internal/store"
	"kechuang/internal/workday"
)

// PDF is the smallest contract text the upload accepts (it checks the magic).
var PDF = []byte("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n")

// ContractBuilder makes one valid contract record of the world. By default
// it is a written draft of the city's registry that the university sells
// to the enterprise for 10万元, owned by the seller, with one equipment cost
// of a tenth of the 成交额. The status methods move it along the workflow
// the way the service would, and Insert writes it with the history rows
// and the contract text the real workflow leaves behind.
type ContractBuilder struct {
	w      *World
	c      *domain.Contract
	steps  []domain.Event // the history, oldest first
	doc    bool           // store the contract text
	serial int64
}

// nextContractNo numbers the world's contracts HT-001, HT-002, … so that
// two of them are never one deal filed twice (domain.SameDeal).
func (w *World) nextContractNo() string {
	w.contracts++
	return fmt.Sprintf("HT-%03d", w.contracts)
}

// Contract starts a contract; opts edit it before the status methods run.
func (w *World) Contract(opts ...func(*domain.Contract)) *ContractBuilder {
	b := &ContractBuilder{w: w, c: &domain.Contract{
		RegistryID: w.Registry.ID, Title: "工业机器人视觉定位技术开发合同", ContractNo: w.nextContractNo(),
		Seller: PartyOf(w.Univ), Buyer: PartyOf(w.Ent),
		SignedOn: "2022-03-01", TermStart: "2022-03-01", TermEnd: "2023-02-28",
		Category: "development", SubType: "entrusted_dev", Form: "written", SealsMatch: true,
		Field: "manufacturing", Status: domain.ContractDraft, OwnerOrgID: w.Univ.ID,
	}}
	b.Turnover(100_000_00)
	for _, f := range opts {
		f(b.c)
	}
	b.step("create", domain.ContractDraft, domain.ContractDraft, "")
	return b
}

// Seller sells as o, which also owns the draft.
func (b *ContractBuilder) Seller(o *domain.Org) *ContractBuilder {
	b.c.Seller, b.c.OwnerOrgID = PartyOf(o), o.ID
	return b
}

// Owner gives the record to the organisation org (its filer), whoever sells.
func (b *ContractBuilder) Owner(org int64) *ContractBuilder {
	b.c.OwnerOrgID = org
	return b
}

// Buyer buys as o.
func (b *ContractBuilder) Buyer(o *domain.Org) *ContractBuilder {
	b.c.Buyer = PartyOf(o)
	return b
}

// BuyerParty buys as a party that is not an organisation of the platform.
func (b *ContractBuilder) BuyerParty(p domain.Party) *ContractBuilder {
	b.c.Buyer = p
	return b
}

// Registry files the contract with o.
func (b *ContractBuilder) Registry(o *domain.Org) *ContractBuilder {
	b.c.RegistryID = o.ID
	return b
}

// Turnover sets the 成交额 and an equipment cost of a tenth of it.
func (b *ContractBuilder) Turnover(fen int64) *ContractBuilder {
	b.c.TurnoverFen = fen
	b.c.CostItems = []domain.CostItem{{Kind: "equipment", Description: "工控机", UnitPriceFen: fen / 10, Quantity: 1}}
	return b
}

// Title names the contract.
func (b *ContractBuilder) Title(s string) *ContractBuilder {
	b.c.Title = s
	return b
}

// Draft keeps the contract a draft (the default); a draft has no text.
func (b *ContractBuilder) Draft() *ContractBuilder {
	b.c.Status = domain.ContractDraft
	return b
}

// WithDocument attaches the contract text (PDF) to a draft.
func (b *ContractBuilder) WithDocument() *ContractBuilder {
	if !b.doc {
		b.doc = true
		sum := sha256.Sum256(PDF)
		b.c.Document = &domain.Document{Name: "合同.pdf", Size: int64(len(PDF)), SHA256: hex.EncodeToString(sum[:])}
		b.step("document", b.c.Status, b.c.Status, "合同.pdf")
	}
	return b
}

// Submitted files the text and submits the contract: it awaits 受理.
func (b *ContractBuilder) Submitted() *ContractBuilder {
	b.WithDocument()
	b.c.Status = domain.ContractSubmitted
	b.step("submit", domain.ContractDraft, domain.ContractSubmitted, "")
	return b
}

// Accepted submits the contract and its registrar accepts it today (受理):
// the regime by the default cut-over, the clock by the library's calendar.
func (b *ContractBuilder) Accepted() *ContractBuilder {
	b.Submitted()
	b.compute()
	b.c.Status = domain.ContractAccepted
	b.c.StartClock(b.w.Today(), domain.DefaultRegimeRules(), workday.New(nil))
	b.step("accept", domain.ContractSubmitted, domain.ContractAccepted, b.c.DueOn)
	return b
}

// Returned accepts the contract and returns it for correction (补正), with
// its open correction cycle.
func (b *ContractBuilder) Returned() *ContractBuilder {
	b.Accepted()
	b.c.Status, b.c.DueOn = domain.ContractReturned, ""
	b.c.Corrections = append(b.c.Corrections, domain.Correction{Seq: len(b.c.Corrections) + 1, RequestedOn: b.w.Today(), Reason: "请补正"})
	b.step("return", domain.ContractAccepted, domain.ContractReturned, "请补正")
	return b
}

// Refused accepts the contract and refuses it on ground (不予登记).
func (b *ContractBuilder) Refused(ground string) *ContractBuilder {
	b.Accepted()
	b.c.Status, b.c.RefusalGround = domain.ContractRefused, ground
	b.step("refuse", domain.ContractAccepted, domain.ContractRefused, "")
	b.steps[len(b.steps)-1].Reason = ground
	return b
}

// Rejected submits the contract and refuses it at intake (不予受理).
func (b *ContractBuilder) Rejected(ground string) *ContractBuilder {
	b.Submitted()
	b.c.Status, b.c.IntakeGround = domain.ContractRejected, ground
	b.c.Regime = domain.DefaultRegimeRules().At(b.w.Today()).Code
	b.step("reject", domain.ContractSubmitted, domain.ContractRejected, "")
	b.steps[len(b.steps)-1].Reason = ground
	return b
}

// Registered registers the contract on day (YYYY-MM-DD) with serial, its
// 登记号 in the registry's region, as an import of a historical record
// would: accepted the same day, 技术性收入 half the 技术交易额, and no
// history. Insert raises the registry's serial counter past it.
func (b *ContractBuilder) Registered(day string, serial int64) *ContractBuilder {
	b.compute()
	c, year := b.c, 0
	for _, r := range day[:4] {
		year = year*10 + int(r-'0')
	}
	c.Status, c.RegisteredOn, c.RegYear, c.RegSerial = domain.ContractRegistered, day, year, serial
	c.StartClock(day, domain.DefaultRegimeRules(), workday.New(nil))
	c.RegNo = domain.RegNoFor(year, b.w.regionOf(c.RegistryID), serial)
	c.TechIncomeFen = c.TechTransactionFen / 2
	b.serial, b.steps = serial, nil // an import writes no history
	return b
}

// Build returns the record, computed and valid, without storing it.
func (b *ContractBuilder) Build() *domain.Contract {
	b.compute()
	return b.c
}

// Insert stores the record with its history (and its text when it has
// one) in one transaction and returns it. The filer is the world's first
// user of the owning organisation (the decisions are its registrar's).
func (b *ContractBuilder) Insert(tb testing.TB) *domain.Contract {
	tb.Helper()
	c := b.Build()
	b.w.inTx(func(ctx context.Context, tx *store.Q) error {
		filer, registrar := b.w.userOf(c.OwnerOrgID), b.w.userOf(c.RegistryID)
		if c.CreatedBy == 0 && filer != nil {
			c.CreatedBy = filer.ID
		}
		if err := tx.InsertContract(ctx, c, CityCode); err != nil {
			return err
		}
		cycles := c.Corrections
		c.Corrections = nil
		for _, k := range cycles {
			if err := tx.AddCorrection(ctx, c, k.RequestedOn, k.Reason); err != nil {
				return err
			}
		}
		if b.doc {
			att := &domain.Attachment{ContractID: c.ID, Kind: domain.AttachContractText, Name: c.Document.Name, Mime: domain.MimePDF,
				Size: c.Document.Size, SHA256: c.Document.SHA256, UploadedBy: c.CreatedBy}
			if filer != nil {
				att.Uploader = filer.Username
			}
			if err := tx.InsertAttachment(ctx, att, PDF); err != nil {
				return err
			}
		}
		if c.Status == domain.ContractRegistered {
			if err := tx.SetRegSerialAtLeast(ctx, c.RegistryID, c.RegYear, b.serial); err != nil {
				return err
			}
		}
		for _, e := range b.steps {
			e.EntityID = c.ID
			by := filer
			if e.Action == "return" || e.Action == "refuse" || e.Action == "accept" || e.Action == "reject" {
				by = registrar
			}
			if by != nil {
				e.ActorID, e.ActorName = by.ID, by.Username
			}
			if err := tx.AddEvent(ctx, &e); err != nil {
				return err
			}
		}
		return nil
	})
	return c
}

// Insert stores built contracts in one transaction (no history: records as
// a bulk import leaves them).
func (w *World) Insert(tb testing.TB, cs ...*domain.Contract) {
	tb.Helper()
	w.inTx(func(ctx context.Context, tx *store.Q) error {
		for _, c := range cs {
			if err := tx.InsertContract(ctx, c, CityCode); err != nil {
				return err
			}
		}
		return nil
	})
}

func (b *ContractBuilder) compute() {
	if err := b.c.Compute(); err != nil {
		b.w.tb.Fatalf("storetest: contract builder: %v", err) // a fixture bug, not a test outcome
	}
}

func (b *ContractBuilder) step(action string, from, to domain.ContractStatus, comment string) {
	b.steps = append(b.steps, domain.Event{Entity: "contract", ActorName: "storetest", Action: action,
		From: string(from), To: string(to), Comment: comment})
}

// userOf is the first user (in Keys order) of an organisation, or nil.
func (w *World) userOf(orgID int64) *domain.User {
	for _, k := range Keys {
		if u := w.Users[k]; u != nil && u.OrgID == orgID {
			return u
		}
	}
	return nil
}

func (w *World) regionOf(orgID int64) string {
	for _, o := range []*domain.Org{w.Registry, w.Registry2} {
		if o.ID == orgID {
			return o.RegionCode
		}
	}
	w.tb.Fatalf("storetest: org %d is not a registry of the world", orgID)
	return ""
}

// PartyOf describes an organisation as a contract party.
func PartyOf(o *domain.Org) domain.Party {
	return domain.Party{OrgID: o.ID, Name: o.Name, USCC: o.USCC, RegionCode: o.RegionCode, Type: domain.PartyTypeOf(o.Kind)}
}
