package demo

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"time"

	"kechuang/internal/domain"
	"kechuang/internal/service"
	"kechuang/internal/store"
)

// SamplePDF is a minimal valid one-page PDF used as the demo contracts' text.
var SamplePDF = []byte("%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n" +
	"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")

// inFlight files the contracts now in the registrar's hands through the
// real workflow, dated relative to the load's today (all in the weeks
// before it, none after yesterday): waiting ones (two overdue), one
// returned for correction, drafts, refusals, and a few registered. The
// actions of all filings run in the order of their times, each with the
// clock set to its time, so every history step, audit row and stamped
// column carries that time and the audit chain runs forward in time.
func (g *gen) inFlight(ctx context.Context) error {
	midnight, _ := time.ParseInLocation(time.DateOnly, domain.DateOf(g.today), domain.ChinaTZ)
	clock := domain.NewManualClock(midnight)
	svc := g.svc.WithClock(clock) // every row, event and audit entry of a step carries its date
	// when is daysAgo days before today, in the morning, minute minutes after 09:00.
	when := func(daysAgo, minute int) time.Time {
		return midnight.AddDate(0, 0, -daysAgo).Add(9*time.Hour + time.Duration(minute)*time.Minute)
	}
	actor := func(username string) (*domain.Actor, error) {
		u, err := svc.Admin.UserByUsername(ctx, domain.SystemActor(), username)
		return service.ActorOf(u), err
	}
	neu, err := actor("neu")
	if err != nil {
		return err
	}
	ent, _ := actor("enterprise")
	reg, _ := actor("registrar")
	agency, _ := actor("agency")
	inst := g.byName[OrgInstitute]

	type filing struct {
		who      *domain.Actor
		seller   *orgRef
		title    string
		daysAgo  int
		then     string // intake | submit (accepted) | return | draft | oral (不予受理) | refuse | register
		category string
		subType  string
		yuan     int64
	}
	plan := []filing{
		{neu, g.byName[OrgNEU], "轧制过程智能控制系统技术开发", 2, "intake", "development", "entrusted_dev", 1_280_000},
		{ent, g.byName[OrgEnterprise], "工业废水膜处理工艺技术咨询", 1, "intake", "consulting", "consulting", 180_000},
		{neu, g.byName[OrgNEU], "大型轧机智能运维系统技术开发", 9, "submit", "development", "entrusted_dev", 6_800_000},
		{neu, g.byName[OrgNEU], "高强钢热处理工艺技术服务", 5, "submit", "service", "service", 360_000},
		{neu, g.byName[OrgNEU], "电网需求侧负荷智能调控系统技术开发", 12, "submit", "development", "cooperative_dev", 2_600_000},
		{neu, g.byName[OrgNEU], "矿山装备远程运维平台技术开发", 20, "submit", "development", "entrusted_dev", 4_500_000},
		{neu, g.byName[OrgNEU], "冶金流程数字孪生技术咨询", 33, "submit", "consulting", "consulting", 480_000},
		{neu, g.byName[OrgNEU], "一种镁合金连铸装置专利实施许可", 41, "submit", "license", "patent_license", 900_000},
		{ent, g.byName[OrgEnterprise], "医用导管涂层工艺技术转让", 8, "submit", "transfer", "know_how_transfer", 1_500_000},
		{ent, g.byName[OrgEnterprise], "康复设备控制软件技术服务", 27, "submit", "service", "service", 260_000},
		{reg, inst, "高温合金单晶叶片检测技术服务", 3, "submit", "service", "service", 720_000},
		{neu, g.byName[OrgNEU], "工业机器人视觉定位系统技术开发", 15, "return", "development", "entrusted_dev", 1_900_000},
		{neu, g.byName[OrgNEU], "智能产线数字孪生技术开发", 1, "draft", "development", "entrusted_dev", 3_000_000},
		{ent, g.byName[OrgEnterprise], "内窥镜图像增强算法技术开发", 1, "draft", "development", "entrusted_dev", 800_000},
		{agency, g.byName[OrgAgency], "专利运营技术中介服务", 1, "draft", "service", "intermediary", 120_000},
		{neu, g.byName[OrgNEU], "口头约定的设备调试服务", 6, "oral", "service", "service", 50_000},
		{ent, g.byName[OrgEnterprise], "生产线设备采购及安装", 25, "refuse", "service", "service", 3_400_000},
		{neu, g.byName[OrgNEU], "高性能镁合金板材轧制技术开发", 60, "register", "development", "entrusted_dev", 5_600_000},
		{ent, g.byName[OrgEnterprise], "医用内窥镜光学模组技术服务", 45, "register", "service", "service", 680_000},
		{reg, inst, "钛合金增材制造粉末技术转让", 38, "register", "transfer", "patent_transfer", 2_200_000},
	}
	type action struct {
		at   time.Time
		i    int    // the filing
		what string // create | submit | then
	}
	var acts []action
	for i, f := range plan {
		m := (i * 37) % 420 // spread over the working day
		acts = append(acts, action{when(f.daysAgo, m), i, "create"})
		if f.then == "draft" {
			continue
		}
		acts = append(acts, action{when(f.daysAgo, m+12), i, "submit"})
		switch f.then {
		case "intake":
			continue
		case "oral": // 不予受理 the next day
			acts = append(acts, action{when(f.daysAgo-1, m+20), i, "then"})
			continue
		}
		acts = append(acts, action{when(f.daysAgo, m+20), i, "accept"}) // 受理 on the day it came in
		switch f.then {
		case "return":
			acts = append(acts, action{when(f.daysAgo-5, m+30), i, "then"})
		case "refuse":
			acts = append(acts, action{when(f.daysAgo-4, m+30), i, "then"})
		case "register":
			acts = append(acts, action{when(f.daysAgo-7, m+30), i, "then"})
		}
	}
	sort.SliceStable(acts, func(a, b int) bool { return acts[a].at.Before(acts[b].at) })
	// A load that stopped part-way through the filings resumes them: the
	// filings already made are found again (by title and DEMO number) and
	// only the actions whose effect is missing run.
	filed := make([]*domain.Contract, len(plan))
	if err := g.svc.Seed(ctx, func(tx *store.Q) error {
		started, err := tx.Setting(ctx, settingInFlightStarted, "")
		if err != nil || started == "" { // a first run: nothing to find, and a mark for the next one
			return errors.Join(err, tx.SetSetting(ctx, settingInFlightStarted, "1"))
		}
		for i, f := range plan {
			cs, _, err := tx.FindContracts(ctx, domain.ContractFilter{Scope: domain.ContractScope{All: true}, Query: f.title, Limit: 20})
			if err != nil {
				return err
			}
			for _, c := range cs {
				if c.Title == f.title && c.ContractNo == fmt.Sprintf("DEMO-%03d", i+1) {
					filed[i] = c
				}
			}
		}
		return nil
	}); err != nil {
		return err
	}
	for n, a := range acts {
		if inFlightHook != nil {
			if err := inFlightHook(n); err != nil {
				return err
			}
		}
		f, c := plan[a.i], filed[a.i]
		switch {
		case a.what == "create" && c != nil,
			a.what == "submit" && c.Status != domain.ContractDraft,
			a.what == "accept" && c.Status != domain.ContractSubmitted,
			a.what == "then" && (c.Status == domain.ContractReturned || c.Status == domain.ContractRefused || c.Status == domain.ContractRegistered || c.Status == domain.ContractRejected):
			continue // done before the load stopped
		}
		clock.Set(a.at)
		var err error
		switch a.what {
		case "create":
			filed[a.i], err = svc.Contracts.Create(ctx, f.who, g.inFlightContract(svc, a.i, f.who == agency, f.title, f.seller, f.then == "oral", f.category, f.subType, f.yuan))
		case "submit":
			if c, err = svc.Contracts.UploadDocument(ctx, f.who, c.ID, "合同文本.pdf", SamplePDF); err == nil {
				filed[a.i], err = svc.Contracts.Submit(ctx, f.who, c.ID, c.Version)
			}
		case "accept":
			filed[a.i], err = svc.Contracts.Accept(ctx, reg, c.ID, c.Version)
		case "then":
			switch f.then {
			case "oral":
				_, err = svc.Contracts.Reject(ctx, reg, c.ID, c.Version, "oral", "合同以口头形式订立，未提交书面合同文本。")
			case "return":
				_, err = svc.Contracts.Return(ctx, reg, c.ID, c.Version, "合同未载明研究开发成果的验收标准和量化技术指标，请补充附件后重新提交。")
			case "refuse":
				_, err = svc.Contracts.Refuse(ctx, reg, c.ID, c.Version, "other", "合同标的为通用设备采购与安装，不属于技术合同。") // a ground of both regimes
			case "register":
				_, err = svc.Contracts.Register(ctx, reg, c.ID, c.Version, c.TechTransactionFen/10*9, "")
			}
		}
		if err != nil {
			return fmt.Errorf("%s: %w", f.title, err)
		}
	}
	return nil
}

// settingInFlightStarted marks a load whose filings have begun: only then
// does a resumed load look for the filings already made.
const settingInFlightStarted = "demo_inflight_started"

// inFlightHook, when set (by tests), runs before the n-th action of the
// filings; an error stops the load there, as a crash would.
var inFlightHook func(n int) error

// inFlightContract is the i-th in-progress filing as its filer types it,
// signed ten days before it is filed (the clock's day).
func (g *gen) inFlightContract(svc *service.Service, i int, brokered bool, title string, seller *orgRef, oral bool, category, subType string, yuan int64) *domain.Contract {
	in := &domain.Contract{
		Title: title, ContractNo: fmt.Sprintf("DEMO-%03d", i+1), Seller: g.orgParty(seller),
		Buyer:    g.orgParty(g.enterprises[(i*7+3)%len(g.enterprises)]),
		SignedOn: svc.Now().AddDate(0, 0, -10).In(domain.ChinaTZ).Format(time.DateOnly), Category: category, SubType: subType,
		Form: "written", SealsMatch: true, Field: "manufacturing", ChainCode: "robot", TurnoverFen: yuan * 100,
	}
	if in.Buyer.OrgID == seller.id {
		in.Buyer = g.orgParty(g.enterprises[1])
	}
	in.TermStart, in.TermEnd = in.SignedOn, svc.Now().AddDate(1, 0, 0).In(domain.ChinaTZ).Format(time.DateOnly)
	if brokered {
		in.BrokerID = seller.id
		in.Seller = g.orgParty(g.univs[1])
	}
	if oral {
		in.Form = "oral"
	}
	if category == "development" && yuan > 1_000_000 {
		in.CostItems = []domain.CostItem{{Kind: "equipment", Description: "专用试验设备", UnitPriceFen: yuan * 10, Quantity: 2}}
	}
	return in
}
