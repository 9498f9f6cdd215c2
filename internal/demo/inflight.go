package demo

import (
	"context"
	"fmt"
	"time"

	"kechuang/internal/domain"
	"kechuang/internal/service"
)

// SamplePDF is a minimal valid one-page PDF used as the demo contracts' text.
var SamplePDF = []byte("%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n" +
	"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")

// inFlight files the contracts now in the registrar's hands through the
// real workflow, dated relative to today: filings awaiting 受理, accepted
// ones (two overdue; one large, for expert review), one returned for
// correction, drafts, a refusal at intake and one after it, and a few
// registered this year.
func (g *gen) inFlight(ctx context.Context) error {
	today := g.svc.Now()
	clock := domain.NewManualClock(today)
	svc := g.svc.WithClock(clock) // every row, event and audit entry of a step carries its date
	at := func(daysAgo int) { clock.Set(today.AddDate(0, 0, -daysAgo)) }
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
	for i, f := range plan {
		at(f.daysAgo)
		in := &domain.Contract{
			Title: f.title, ContractNo: fmt.Sprintf("DEMO-%03d", i+1), Seller: g.orgParty(f.seller),
			Buyer:    g.orgParty(g.enterprises[(i*7+3)%len(g.enterprises)]),
			SignedOn: svc.Now().AddDate(0, 0, -10).Format(time.DateOnly), Category: f.category, SubType: f.subType,
			Form: "written", SealsMatch: true, Field: "manufacturing", ChainCode: "robot", TurnoverFen: f.yuan * 100,
		}
		if in.Buyer.OrgID == f.seller.id {
			in.Buyer = g.orgParty(g.enterprises[1])
		}
		in.TermStart, in.TermEnd = in.SignedOn, svc.Now().AddDate(1, 0, 0).Format(time.DateOnly)
		if f.who == agency {
			in.BrokerID = f.seller.id
			in.Seller = g.orgParty(g.univs[1])
		}
		if f.then == "oral" {
			in.Form = "oral"
		}
		if f.category == "development" && f.yuan > 1_000_000 {
			in.CostItems = []domain.CostItem{{Kind: "equipment", Description: "专用试验设备", UnitPriceFen: f.yuan * 10, Quantity: 2}}
		}
		c, err := svc.Contracts.Create(ctx, f.who, in)
		if err != nil {
			return fmt.Errorf("%s: %w", f.title, err)
		}
		if f.then == "draft" {
			continue
		}
		if c, err = svc.Contracts.UploadDocument(ctx, f.who, c.ID, "合同文本.pdf", SamplePDF); err != nil {
			return err
		}
		if c, err = svc.Contracts.Submit(ctx, f.who, c.ID, c.Version); err != nil {
			return err
		}
		if f.then == "intake" {
			continue
		}
		if f.then == "oral" {
			at(f.daysAgo - 1)
			if _, err = svc.Contracts.Reject(ctx, reg, c.ID, c.Version, "oral", "合同以口头形式订立，未提交书面合同文本。"); err != nil {
				return fmt.Errorf("%s: %w", f.title, err)
			}
			continue
		}
		if c, err = svc.Contracts.Accept(ctx, reg, c.ID, c.Version); err != nil {
			return fmt.Errorf("%s: %w", f.title, err)
		}
		switch f.then {
		case "return":
			at(f.daysAgo - 5)
			_, err = svc.Contracts.Return(ctx, reg, c.ID, c.Version, "合同未载明研究开发成果的验收标准和量化技术指标，请补充附件后重新提交。")
		case "refuse":
			at(f.daysAgo - 4)
			_, err = svc.Contracts.Refuse(ctx, reg, c.ID, c.Version, "other", "合同标的为通用设备采购与安装，不属于技术合同。") // a ground of both regimes
		case "register":
			at(f.daysAgo - 7)
			_, err = svc.Contracts.Register(ctx, reg, c.ID, c.Version, c.TechTransactionFen/10*9, "")
		}
		if err != nil {
			return fmt.Errorf("%s: %w", f.title, err)
		}
	}
	return nil
}
