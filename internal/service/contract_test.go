package service_test

import (
	"context"
	"slices"
	"testing"

	"kechuang/internal/domain"
)

func TestContractWorkflow(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		svc := w.svc
		in := w.input(w.city.Univ, w.city.Ent, 1_000_000_00)

		c, err := svc.Contracts.Create(ctx, w.univ, in)
		if err != nil {
			t.Fatal(err)
		}
		if c.Status != domain.ContractDraft || c.RegistryID != w.city.Registry.ID || c.TechTransactionFen != 900_000_00 || c.OwnerOrgID != w.city.Univ.ID {
			t.Fatalf("created %+v", c)
		}
		// The buyer does not see the seller's draft; nobody else does either.
		_, err = svc.Contracts.Get(ctx, w.ent, c.ID)
		wantCode(t, err, domain.ENOTFOUND, "")
		_, err = svc.Contracts.Get(ctx, w.registrar, c.ID)
		wantCode(t, err, domain.ENOTFOUND, "")

		_, err = svc.Contracts.Submit(ctx, w.univ, c.ID, c.Version)
		wantCode(t, err, domain.EINVALID, "document")
		_, err = svc.Contracts.UploadDocument(ctx, w.univ, c.ID, "合同.docx", []byte("PK\x03\x04 a word file"))
		wantCode(t, err, domain.EINVALID, "document")
		_, err = svc.Contracts.UploadDocument(ctx, w.ent, c.ID, "合同.pdf", pdf)
		wantCode(t, err, domain.ENOTFOUND, "")
		stale := c.Version
		if c, err = svc.Contracts.UploadDocument(ctx, w.univ, c.ID, `C:\合同\扫描件.PDF`, pdf); err != nil {
			t.Fatal(err)
		}
		if c.Document == nil || c.Document.Name != "扫描件.PDF" || c.Document.Size != int64(len(pdf)) || len(c.Document.SHA256) != 64 {
			t.Fatalf("document %+v", c.Document)
		}
		_, err = svc.Contracts.Submit(ctx, w.univ, c.ID, stale)
		wantCode(t, err, domain.ECONFLICT, "")
		if c, err = svc.Contracts.Submit(ctx, w.univ, c.ID, c.Version); err != nil {
			t.Fatal(err)
		}
		if c.Status != domain.ContractSubmitted || c.AcceptedOn != "" || c.DueOn != "" {
			t.Fatalf("submitted %s accepted %s due %s", c.Status, c.AcceptedOn, c.DueOn)
		}
		// Now the buyer and the registry see it; another enterprise and the other registry do not.
		if _, err := svc.Contracts.Get(ctx, w.ent, c.ID); err != nil {
			t.Fatalf("buyer: %v", err)
		}
		for _, a := range []*domain.Actor{w.ent2, w.registrar2, w.expert} {
			_, err = svc.Contracts.Get(ctx, a, c.ID)
			wantCode(t, err, domain.ENOTFOUND, "")
		}
		_, err = svc.Contracts.Get(ctx, nil, c.ID)
		wantCode(t, err, domain.EUNAUTHORIZED, "")

		// Only the contract's registrar accepts it (受理), and only once.
		_, err = svc.Contracts.Register(ctx, w.registrar, c.ID, c.Version, 1, "")
		wantCode(t, err, domain.ECONFLICT, "") // not accepted yet
		_, err = svc.Contracts.Accept(ctx, w.univ, c.ID, c.Version)
		wantCode(t, err, domain.EFORBIDDEN, "")
		_, err = svc.Contracts.Accept(ctx, w.registrar2, c.ID, c.Version)
		wantCode(t, err, domain.ENOTFOUND, "")
		if c, err = svc.Contracts.Accept(ctx, w.registrar, c.ID, c.Version); err != nil {
			t.Fatal(err)
		}
		if c.Status != domain.ContractAccepted || c.AcceptedOn != "2022-03-15" || c.DueOn != "2022-04-14" || c.Regime != domain.Regime2000 || c.ExpertReview {
			t.Fatalf("accepted %s on %s due %s regime %s expert %v", c.Status, c.AcceptedOn, c.DueOn, c.Regime, c.ExpertReview)
		}
		_, err = svc.Contracts.Accept(ctx, w.registrar, c.ID, c.Version)
		wantCode(t, err, domain.ECONFLICT, "")

		// Only the contract's registrar acts.
		_, err = svc.Contracts.Register(ctx, w.univ, c.ID, c.Version, 1, "")
		wantCode(t, err, domain.EFORBIDDEN, "")
		_, err = svc.Contracts.Register(ctx, w.bureau, c.ID, c.Version, 1, "")
		wantCode(t, err, domain.EFORBIDDEN, "")
		_, err = svc.Contracts.Register(ctx, w.registrar2, c.ID, c.Version, 1, "")
		wantCode(t, err, domain.ENOTFOUND, "")
		_, err = svc.Contracts.Return(ctx, w.registrar2, c.ID, c.Version, "补正")
		wantCode(t, err, domain.ENOTFOUND, "")
		_, err = svc.Contracts.Update(ctx, w.univ, c.ID, c.Version, in)
		wantCode(t, err, domain.EFORBIDDEN, "")

		_, err = svc.Contracts.Return(ctx, w.registrar, c.ID, c.Version, "  ")
		wantCode(t, err, domain.EINVALID, "comment")
		if c, err = svc.Contracts.Return(ctx, w.registrar, c.ID, c.Version, "请补充技术指标附件"); err != nil {
			t.Fatal(err)
		}
		if c.Status != domain.ContractReturned {
			t.Fatalf("returned: %s", c.Status)
		}
		_, err = svc.Contracts.Register(ctx, w.registrar, c.ID, c.Version, 1, "")
		wantCode(t, err, domain.ECONFLICT, "")

		in.Title = "工业机器人视觉定位技术开发合同（补正）"
		in.TurnoverFen = 1_200_000_00
		_, err = svc.Contracts.Update(ctx, w.univ, c.ID, c.Version-1, in)
		wantCode(t, err, domain.ECONFLICT, "")
		bad := *in
		bad.Form = "telepathy"
		_, err = svc.Contracts.Update(ctx, w.univ, c.ID, c.Version, &bad)
		wantCode(t, err, domain.EINVALID, "form")
		if c, err = svc.Contracts.Update(ctx, w.univ, c.ID, c.Version, in); err != nil {
			t.Fatal(err)
		}
		if c.Title != in.Title || c.TechTransactionFen != 1_200_000_00-100_000_00 || c.Status != domain.ContractReturned {
			t.Fatalf("updated %+v", c)
		}
		w.city.SetDay("2022-03-20")
		if c, err = svc.Contracts.Submit(ctx, w.univ, c.ID, c.Version); err != nil {
			t.Fatal(err)
		}
		if c.Status != domain.ContractAccepted || c.AcceptedOn != "2022-03-20" || c.DueOn != "2022-04-19" {
			t.Fatalf("resubmission restarts the clock: %s accepted %s due %s", c.Status, c.AcceptedOn, c.DueOn)
		}
		if len(c.Corrections) != 1 || c.Corrections[0] != (domain.Correction{Seq: 1, RequestedOn: "2022-03-15", Reason: "请补充技术指标附件", ResubmittedOn: "2022-03-20"}) {
			t.Fatalf("corrections %+v", c.Corrections)
		}

		w.city.SetDay("2022-03-28")
		// 技术性收入 never above the 技术交易额 (walkthrough #3), even when
		// it is within the 成交额.
		for _, income := range []int64{-1, c.TechTransactionFen + 1, c.TurnoverFen} {
			_, err = svc.Contracts.Register(ctx, w.registrar, c.ID, c.Version, income, "")
			wantCode(t, err, domain.EINVALID, "tech_income_fen")
		}
		if c, err = svc.Contracts.Register(ctx, w.registrar, c.ID, c.Version, c.TechTransactionFen, "核定"); err != nil {
			t.Fatal(err)
		}
		if c.Status != domain.ContractRegistered || c.RegNo != "2022210100000001" || c.RegSerial != 1 || c.RegYear != 2022 ||
			c.RegisteredOn != "2022-03-28" || c.TechIncomeFen != c.TechTransactionFen {
			t.Fatalf("registered %+v", c)
		}
		_, err = svc.Contracts.Register(ctx, w.registrar, c.ID, c.Version, 1, "")
		wantCode(t, err, domain.ECONFLICT, "")
		_, err = svc.Contracts.UploadDocument(ctx, w.univ, c.ID, "x.pdf", pdf)
		wantCode(t, err, domain.EFORBIDDEN, "")

		evs, err := svc.Contracts.Events(ctx, w.ent, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		type step struct {
			action   string
			from, to domain.ContractStatus
		}
		want := []step{{"create", "draft", "draft"}, {"document", "draft", "draft"}, {"submit", "draft", "submitted"},
			{"accept", "submitted", "accepted"}, {"return", "accepted", "returned"}, {"update", "returned", "returned"},
			{"submit", "returned", "accepted"}, {"register", "accepted", "registered"}}
		var got []step
		for _, e := range evs {
			got = append(got, step{e.Action, domain.ContractStatus(e.From), domain.ContractStatus(e.To)})
		}
		if !slices.Equal(got, want) {
			t.Fatalf("history\n got %v\nwant %v", got, want)
		}
		if evs[4].Comment != "请补充技术指标附件" || evs[4].ActorName != w.registrar.Username || evs[7].Comment != "核定" ||
			evs[3].Comment != "2022-04-14" || evs[6].Comment != "2022-04-19" {
			t.Fatalf("history details: %+v %+v", evs[4], evs[7])
		}
		// One audit row per state change, none for refused attempts.
		if n := w.auditCount(t, c.ID); n != len(want) {
			t.Fatalf("%d audit rows for %d changes", n, len(want))
		}
		if rep, err := w.st.VerifyAudit(ctx); err != nil || !rep.OK {
			t.Fatalf("audit chain %+v, %v", rep, err)
		}
		rows, err := w.st.RollupRows(ctx, 2022)
		if err != nil || len(rows) == 0 || rows[0].N != 1 {
			t.Fatalf("rollup after registration: %+v, %v", rows, err)
		}
	})
}

func TestRefusals(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		svc := w.svc
		c := w.submitted(t, w.univ, w.input(w.city.Univ, w.city.Ent, 100_000_00))
		_, err := svc.Contracts.Refuse(ctx, w.registrar, c.ID, c.Version, "dislike", "")
		wantCode(t, err, domain.EINVALID, "ground")
		_, err = svc.Contracts.Refuse(ctx, w.registrar, c.ID, c.Version, "other", " ")
		wantCode(t, err, domain.EINVALID, "note")
		_, err = svc.Contracts.Refuse(ctx, w.ent, c.ID, c.Version, "invalid", "")
		wantCode(t, err, domain.EFORBIDDEN, "")

		_, err = svc.Contracts.Refuse(ctx, w.registrar, c.ID, c.Version, "unclear_parties", "") // a 2026 ground
		wantCode(t, err, domain.EINVALID, "ground")
		regime, _ := domain.RegimeByCode(c.Regime)
		for i, code := range regime.RefusalGrounds {
			g := domain.Item[string]{Code: code, Label: domain.RefusalLabel(code)}
			t.Run(g.Code, func(t *testing.T) {
				c := c
				if i > 0 {
					c = w.submitted(t, w.univ, w.input(w.city.Univ, w.city.Ent, 100_000_00))
				}
				r, err := svc.Contracts.Refuse(ctx, w.registrar, c.ID, c.Version, g.Code, "理由说明")
				if err != nil {
					t.Fatal(err)
				}
				if r.Status != domain.ContractRefused || r.RefusalGround != g.Code || r.RefusalNote != "理由说明" || r.RegNo != "" {
					t.Fatalf("refused %+v", r)
				}
				_, err = svc.Contracts.Register(ctx, w.registrar, c.ID, r.Version, 0, "")
				wantCode(t, err, domain.ECONFLICT, "")
				evs, _ := svc.Contracts.Events(ctx, w.univ, c.ID)
				if last := evs[len(evs)-1]; last.Action != "refuse" || last.Reason != g.Code || last.To != string(domain.ContractRefused) {
					t.Fatalf("last event %+v", last)
				}
				if n := w.auditCount(t, c.ID); n != 5 { // create, document, submit, accept, refuse
					t.Fatalf("%d audit rows", n)
				}
			})
		}
		// A refusal consumes no registration number.
		ok := w.submitted(t, w.univ, w.input(w.city.Univ, w.city.Ent, 100_000_00))
		if r, err := svc.Contracts.Register(ctx, w.registrar, ok.ID, ok.Version, 0, ""); err != nil || r.RegSerial != 1 {
			t.Fatalf("first registration after refusals: %+v, %v", r, err)
		}
	})
}

// TestIntake: 受理 is the registrar's step, separate from the submission.
// An oral contract, or one with mismatched seals, is submitted like any
// other and refused at intake (不予受理) by the registrar on its ground,
// never automatically; a ground of the wrong kind or regime is refused
// naming the field; a rejected filing is final and consumes no number.
func TestIntake(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		for _, tc := range []struct {
			name   string
			mutate func(c *domain.Contract)
			ground string
		}{
			{"Oral", func(c *domain.Contract) { c.Form = "oral" }, "oral"},
			{"MaterialsMissing", func(c *domain.Contract) { c.SealsMatch = false }, "materials_missing"},
		} {
			t.Run(tc.name, func(t *testing.T) {
				in := w.input(w.city.Ent, w.city.Other, 50_000_00)
				tc.mutate(in)
				c, err := w.svc.Contracts.Create(ctx, w.ent, in)
				if err != nil {
					t.Fatal(err)
				}
				if c, err = w.svc.Contracts.UploadDocument(ctx, w.ent, c.ID, "合同.pdf", pdf); err != nil {
					t.Fatal(err)
				}
				if c, err = w.svc.Contracts.Submit(ctx, w.ent, c.ID, c.Version); err != nil {
					t.Fatal(err)
				}
				if c.Status != domain.ContractSubmitted || c.AcceptedOn != "" {
					t.Fatalf("submitted: %s accepted %q", c.Status, c.AcceptedOn)
				}
				_, err = w.svc.Contracts.Reject(ctx, w.ent, c.ID, c.Version, tc.ground, "")
				wantCode(t, err, domain.EFORBIDDEN, "")
				_, err = w.svc.Contracts.Reject(ctx, w.registrar, c.ID, c.Version, "not_technology", "") // a 不予登记 ground
				wantCode(t, err, domain.EINVALID, "ground")
				_, err = w.svc.Contracts.Reject(ctx, w.registrar, c.ID, c.Version, "not_in_force", "") // a 2026 intake ground; 2022 is the 2000 regime
				wantCode(t, err, domain.EINVALID, "ground")
				_, err = w.svc.Contracts.Reject(ctx, w.registrar, c.ID, c.Version, "other", "")
				wantCode(t, err, domain.EINVALID, "note")
				_, err = w.svc.Contracts.Refuse(ctx, w.registrar, c.ID, c.Version, "invalid", "")
				wantCode(t, err, domain.ECONFLICT, "") // 不予登记 needs 受理 first
				if c, err = w.svc.Contracts.Reject(ctx, w.registrar, c.ID, c.Version, tc.ground, "形式审查"); err != nil {
					t.Fatal(err)
				}
				if c.Status != domain.ContractRejected || c.IntakeGround != tc.ground || c.IntakeNote != "形式审查" || c.Regime != domain.Regime2000 || c.RegNo != "" {
					t.Fatalf("rejected %+v", c)
				}
				evs, _ := w.svc.Contracts.Events(ctx, w.ent, c.ID)
				if last := evs[len(evs)-1]; last.Action != "reject" || last.Reason != tc.ground || last.To != string(domain.ContractRejected) {
					t.Fatalf("event %+v", last)
				}
				for _, err := range []error{
					func() error { _, err := w.svc.Contracts.Accept(ctx, w.registrar, c.ID, c.Version); return err }(),
					func() error { _, err := w.svc.Contracts.Submit(ctx, w.ent, c.ID, c.Version); return err }(),
				} {
					if err == nil {
						t.Fatal("a rejected filing moved on")
					}
				}
			})
		}
	})
}

func TestFilingRules(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		svc := w.svc
		// An enterprise files only as the seller.
		_, err := svc.Contracts.Create(ctx, w.ent, w.input(w.city.Univ, w.city.Ent, 100_00))
		wantCode(t, err, domain.EINVALID, "seller.org_id")
		// An agency files as broker; an unknown broker or a non-agency broker is refused.
		in := w.input(w.city.Ent2, w.city.Other, 100_00)
		in.BrokerID = w.city.Agency.ID
		c, err := svc.Contracts.Create(ctx, w.agency, in)
		if err != nil || c.BrokerName != w.city.Agency.Name {
			t.Fatalf("agency filing %+v, %v", c, err)
		}
		in.BrokerID = w.city.Ent.ID
		_, err = svc.Contracts.Create(ctx, w.registrar, in)
		wantCode(t, err, domain.EINVALID, "broker_org_id")
		// The broker is a third party: never the seller or the buyer too.
		self := w.input(w.city.Agency, w.city.Ent, 100_00)
		self.BrokerID = w.city.Agency.ID
		_, err = svc.Contracts.Create(ctx, w.agency, self)
		wantCode(t, err, domain.EINVALID, "broker_org_id")
		// Experts and the public do not file.
		_, err = svc.Contracts.Create(ctx, w.expert, w.input(w.city.Univ, w.city.Ent, 100_00))
		wantCode(t, err, domain.EFORBIDDEN, "")
		_, err = svc.Contracts.Create(ctx, nil, w.input(w.city.Univ, w.city.Ent, 100_00))
		wantCode(t, err, domain.EUNAUTHORIZED, "")
		// Unknown chain, unknown party organisation.
		bad := w.input(w.city.Univ, w.city.Ent, 100_00)
		bad.ChainCode = "nope"
		_, err = svc.Contracts.Create(ctx, w.univ, bad)
		wantCode(t, err, domain.EINVALID, "chain_code")
		bad = w.input(w.city.Univ, w.city.Ent, 100_00)
		bad.Buyer.OrgID = 424242
		_, err = svc.Contracts.Create(ctx, w.univ, bad)
		wantCode(t, err, domain.EINVALID, "buyer.org_id")
		// An external buyer given by name and full-width credit code is normalised.
		ext := w.input(w.city.Univ, w.city.Ent, 100_00)
		ext.Buyer = domain.Party{Name: "上海某公司", USCC: "９１３１００００７７５７８５５５２Ｌ", RegionCode: "310115", Type: domain.PartyEnterprise}
		c, err = svc.Contracts.Create(ctx, w.univ, ext)
		if err != nil || c.Buyer.USCC != "91310000775785552L" {
			t.Fatalf("external buyer %+v, %v", c, err)
		}
		// A registrar files on a seller's behalf for its own registry.
		r, err := svc.Contracts.Create(ctx, w.registrar2, w.input(w.city.Other, w.city.Ent, 100_00))
		if err != nil || r.RegistryID != w.city.Registry2.ID || r.OwnerOrgID != w.city.Registry2.ID {
			t.Fatalf("registrar filing %+v, %v", r, err)
		}
		// Oversized uploads.
		_, err = svc.Contracts.UploadDocument(ctx, w.univ, c.ID, "big.pdf", make([]byte, 21<<20))
		wantCode(t, err, domain.ETOOLARGE, "document")
	})
}

func TestRegistriesNumberSeparately(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		a := w.submitted(t, w.registrar, w.input(w.city.Univ, w.city.Ent, 100_00))
		b := w.submitted(t, w.registrar2, w.input(w.city.Univ, w.city.Ent, 100_00))
		c := w.submitted(t, w.registrar, w.input(w.city.Ent, w.city.Univ, 100_00))
		var nos []string
		for _, x := range []struct {
			a  *domain.Actor
			id int64
		}{{w.registrar, a.ID}, {w.registrar2, b.ID}, {w.registrar, c.ID}} {
			r, err := w.svc.Contracts.Register(ctx, x.a, x.id, 0, 0, "")
			if err != nil {
				t.Fatal(err)
			}
			nos = append(nos, r.RegNo)
		}
		w.city.SetDay("2023-01-02")
		d := w.submitted(t, w.registrar, w.input(w.city.Univ, w.city.Ent, 100_00))
		r, err := w.svc.Contracts.Register(ctx, w.registrar, d.ID, 0, 0, "")
		if err != nil {
			t.Fatal(err)
		}
		nos = append(nos, r.RegNo)
		want := []string{"2022210100000001", "2022210112000001", "2022210100000002", "2023210100000001"}
		if !slices.Equal(nos, want) {
			t.Fatalf("numbers %v, want %v", nos, want)
		}
		// The queue holds only submitted contracts of the registrar's registry.
		e := w.submitted(t, w.univ, w.input(w.city.Univ, w.city.Ent, 100_00))
		q, total, err := w.svc.Contracts.Queue(ctx, w.registrar, domain.ContractFilter{})
		if err != nil || total != 1 || q[0].ID != e.ID {
			t.Fatalf("queue %v (%d), %v", q, total, err)
		}
		_, _, err = w.svc.Contracts.Queue(ctx, w.univ, domain.ContractFilter{})
		wantCode(t, err, domain.EFORBIDDEN, "")
		if got, total, err := w.svc.Contracts.List(ctx, w.expert, domain.ContractFilter{}); err != nil || total != 0 || len(got) != 0 {
			t.Fatalf("an expert assigned nothing lists %d, %v", total, err) // only its assigned reviews
		}
		mine, total, err := w.svc.Contracts.List(ctx, w.ent, domain.ContractFilter{})
		if err != nil || total != 5 || len(mine) != 5 { // buyer of a, b, d, e; seller of c
			t.Fatalf("enterprise list %d, %v", total, err)
		}
	})
}
