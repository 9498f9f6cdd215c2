package service_test

import (
	"context"
	"testing"

	"kechuang/internal/domain"
	"kechuang/internal/service"
)

// registered files a contract of the university and registers it.
func (w *world) registered(t *testing.T) *domain.Contract {
	t.Helper()
	c := w.submitted(t, w.univ, w.input(w.city.Univ, w.city.Ent, 1_000_000_00))
	c, err := w.svc.Contracts.Register(context.Background(), w.registrar, c.ID, c.Version, 800_000_00, "")
	if err != nil {
		t.Fatalf("register: %v", err)
	}
	return c
}

// rollupAgrees checks the statistics rollup equals the records.
func (w *world) rollupAgrees(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	naive, err := w.st.RollupRowsNaive(ctx, 2022)
	if err != nil {
		t.Fatal(err)
	}
	rolled, err := w.st.RollupRows(ctx, 2022)
	if err != nil {
		t.Fatal(err)
	}
	if len(naive) != len(rolled) {
		t.Fatalf("rollup %d cells, naive %d: %+v vs %+v", len(rolled), len(naive), rolled, naive)
	}
	for i := range naive {
		if naive[i] != rolled[i] {
			t.Fatalf("cell %d: rollup %+v naive %+v", i, rolled[i], naive[i])
		}
	}
}

func (w *world) registeredTotal(t *testing.T) (int64, int64) {
	t.Helper()
	rows, err := w.st.RollupRows(context.Background(), 2022)
	if err != nil {
		t.Fatal(err)
	}
	var n, fen int64
	for _, r := range rows {
		if r.Dim == "all" {
			n += r.N
			fen += r.TurnoverFen
		}
	}
	return n, fen
}

func TestContractChangeRegistration(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		svc := w.svc.Contracts
		c := w.registered(t)
		if c.RegVersion != 1 {
			t.Fatalf("registered version %d", c.RegVersion)
		}
		turnover, end := int64(1_200_000_00), "2023-12-31"
		in := service.ChangeRequest{Change: domain.RegChange{TurnoverFen: &turnover, TermEnd: &end}, Reason: "双方签订补充协议，增加开发内容", Attachment: "补充协议（2022-03-10）"}

		// Who may file a change: the applicant only.
		for _, a := range []*domain.Actor{w.ent, w.registrar, w.bureau, w.city.Actor("authority")} {
			_, err := svc.RequestChange(ctx, a, c.ID, c.Version, in)
			wantCode(t, err, domain.EFORBIDDEN, "")
		}
		_, err := svc.RequestChange(ctx, w.registrar2, c.ID, c.Version, in)
		wantCode(t, err, domain.ENOTFOUND, "")
		// Bad input names the field and writes nothing.
		_, err = svc.RequestChange(ctx, w.univ, c.ID, c.Version, service.ChangeRequest{Change: in.Change})
		wantCode(t, err, domain.EINVALID, "reason")
		_, err = svc.RequestChange(ctx, w.univ, c.ID, c.Version, service.ChangeRequest{Reason: "无"})
		wantCode(t, err, domain.EINVALID, "change")
		bad := "2020-01-01"
		_, err = svc.RequestChange(ctx, w.univ, c.ID, c.Version, service.ChangeRequest{Change: domain.RegChange{TermEnd: &bad}, Reason: "x"})
		wantCode(t, err, domain.EINVALID, "term_end")
		_, err = svc.RequestChange(ctx, w.univ, c.ID, c.Version-1, in)
		wantCode(t, err, domain.ECONFLICT, "")

		req, err := svc.RequestChange(ctx, w.univ, c.ID, c.Version, in)
		if err != nil {
			t.Fatal(err)
		}
		if req.Pending == nil || req.Pending.Kind != domain.RequestChange || req.TurnoverFen != c.TurnoverFen || req.Status != domain.ContractRegistered {
			t.Fatalf("requested: %+v", req)
		}
		// One request at a time.
		_, err = svc.RequestCancel(ctx, w.univ, c.ID, req.Version, "terminated", "解除")
		wantCode(t, err, domain.ECONFLICT, "")
		// The registrar of another registry cannot decide; the applicant cannot.
		_, err = svc.DecideChange(ctx, w.registrar2, c.ID, req.Version, true, nil, "")
		wantCode(t, err, domain.ENOTFOUND, "")
		_, err = svc.DecideChange(ctx, w.univ, c.ID, req.Version, true, nil, "")
		wantCode(t, err, domain.EFORBIDDEN, "")
		_, err = svc.DecideCancel(ctx, w.registrar, c.ID, req.Version, true, "")
		wantCode(t, err, domain.ECONFLICT, "") // it is a change, not a cancellation
		// Refusing needs a reason.
		_, err = svc.DecideChange(ctx, w.registrar, c.ID, req.Version, false, nil, " ")
		wantCode(t, err, domain.EINVALID, "note")
		over := int64(1_300_000_00)
		_, err = svc.DecideChange(ctx, w.registrar, c.ID, req.Version, true, &over, "")
		wantCode(t, err, domain.EINVALID, "tech_income_fen")

		w.city.SetDay("2022-04-01")
		n0, _ := w.registeredTotal(t)
		income := int64(1_000_000_00)
		got, err := svc.DecideChange(ctx, w.registrar, c.ID, req.Version, true, &income, "同意变更")
		if err != nil {
			t.Fatal(err)
		}
		if got.RegVersion != 2 || got.ChangedOn != "2022-04-01" || got.TurnoverFen != turnover || got.TermEnd != end || got.TechIncomeFen != income ||
			got.Pending != nil || got.RegNo != c.RegNo || got.Status != domain.ContractRegistered {
			t.Fatalf("changed: %+v", got)
		}
		n1, fen1 := w.registeredTotal(t)
		if n1 != n0 || fen1 != turnover {
			t.Fatalf("stats after change: %d contracts, %d fen", n1, fen1)
		}
		w.rollupAgrees(t)
		pr, err := svc.PostRegistration(ctx, w.univ, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if len(pr.Versions) != 1 || pr.Versions[0].Version != 1 || pr.Versions[0].Contract.TurnoverFen != c.TurnoverFen ||
			pr.Versions[0].From != c.RegisteredOn || pr.Versions[0].Until != "2022-04-01" {
			t.Fatalf("versions %+v", pr.Versions)
		}
		if len(pr.Requests) != 1 || pr.Requests[0].Status != domain.RequestApproved || pr.Requests[0].Proposal.TurnoverFen == nil {
			t.Fatalf("requests %+v", pr.Requests)
		}
		cert, err := svc.Certificate(ctx, "t", c.RegNo)
		if err != nil {
			t.Fatal(err)
		}
		if cert.Status != "changed" || cert.Version != 2 || cert.ChangeNo != c.RegNo+"-2" || cert.ChangedOn != "2022-04-01" {
			t.Fatalf("certificate %+v", cert)
		}
		evs, _ := svc.Events(ctx, w.univ, c.ID)
		last := evs[len(evs)-1]
		if last.Action != "change_approve" || len(last.Changes) < 2 {
			t.Fatalf("last step %+v", last)
		}

		// A second change, refused with a reason.
		title := "变更后的名称"
		req, err = svc.RequestChange(ctx, w.univ, c.ID, got.Version, service.ChangeRequest{Change: domain.RegChange{Title: &title}, Reason: "更名"})
		if err != nil {
			t.Fatal(err)
		}
		got, err = svc.DecideChange(ctx, w.registrar, c.ID, req.Version, false, nil, "名称变更无依据")
		if err != nil {
			t.Fatal(err)
		}
		if got.Title == title || got.RegVersion != 2 || got.Pending != nil {
			t.Fatalf("refused change: %+v", got)
		}
	})
}

func TestContractCancelAndRevoke(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		svc := w.svc.Contracts
		c := w.registered(t)
		n0, _ := w.registeredTotal(t)

		_, err := svc.RequestCancel(ctx, w.univ, c.ID, c.Version, "nonsense", "解除")
		wantCode(t, err, domain.EINVALID, "ground")
		_, err = svc.RequestCancel(ctx, w.univ, c.ID, c.Version, "terminated", "")
		wantCode(t, err, domain.EINVALID, "reason")
		_, err = svc.RequestCancel(ctx, w.ent, c.ID, c.Version, "terminated", "解除")
		wantCode(t, err, domain.EFORBIDDEN, "")
		req, err := svc.RequestCancel(ctx, w.univ, c.ID, c.Version, "terminated", "双方协议解除合同")
		if err != nil {
			t.Fatal(err)
		}
		_, err = svc.DecideCancel(ctx, w.registrar2, c.ID, req.Version, true, "")
		wantCode(t, err, domain.ENOTFOUND, "")
		_, err = svc.DecideCancel(ctx, w.registrar, c.ID, c.Version, true, "")
		wantCode(t, err, domain.ECONFLICT, "") // stale
		w.city.SetDay("2022-05-06")
		got, err := svc.DecideCancel(ctx, w.registrar, c.ID, req.Version, true, "")
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != domain.ContractCancelled || got.EndedOn != "2022-05-06" || got.EndGround != "terminated" {
			t.Fatalf("cancelled %+v", got)
		}
		if n, _ := w.registeredTotal(t); n != n0-1 {
			t.Fatalf("registered %d after cancellation, was %d", n, n0)
		}
		w.rollupAgrees(t)
		cert, err := svc.Certificate(ctx, "t", c.RegNo)
		if err != nil || cert.Status != "cancelled" || cert.EndedOn != "2022-05-06" {
			t.Fatalf("certificate %+v %v", cert, err)
		}
		// Nothing more happens to a cancelled registration.
		_, err = svc.Revoke(ctx, w.registrar, c.ID, got.Version, "deception", "")
		wantCode(t, err, domain.ECONFLICT, "")

		// Revocation by the registry, on a ground of the list in force.
		d := w.registered(t)
		for _, a := range []*domain.Actor{w.univ, w.bureau, w.city.Actor("authority")} {
			_, err = svc.Revoke(ctx, a, d.ID, d.Version, "deception", "")
			wantCode(t, err, domain.EFORBIDDEN, "")
		}
		_, err = svc.Revoke(ctx, w.registrar2, d.ID, d.Version, "deception", "")
		wantCode(t, err, domain.ENOTFOUND, "")
		_, err = svc.Revoke(ctx, w.registrar, d.ID, d.Version, "", "")
		wantCode(t, err, domain.EINVALID, "ground")
		_, err = svc.Revoke(ctx, w.registrar, d.ID, d.Version, "other", "")
		wantCode(t, err, domain.EINVALID, "note")
		if err := w.st.SetSetting(ctx, service.SettingRevocationGrounds, "deception,duplicate"); err != nil {
			t.Fatal(err)
		}
		_, err = svc.Revoke(ctx, w.registrar, d.ID, d.Version, "not_technology", "")
		wantCode(t, err, domain.EINVALID, "ground") // not in force
		got, err = svc.Revoke(ctx, w.registrar, d.ID, d.Version, "duplicate", "已在浑南区登记点登记")
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != domain.ContractRevoked || got.EndGround != "duplicate" || got.EndedOn != "2022-05-06" {
			t.Fatalf("revoked %+v", got)
		}
		seen, err := svc.Get(ctx, w.univ, d.ID) // the applicant sees the ground
		if err != nil || seen.EndGround != "duplicate" || seen.EndNote != "已在浑南区登记点登记" {
			t.Fatalf("applicant sees %+v %v", seen, err)
		}
		if n, _ := w.registeredTotal(t); n != n0-1 {
			t.Fatalf("registered %d after revocation, want %d", n, n0-1)
		}
		w.rollupAgrees(t)
	})
}

func TestContractObjection(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		svc := w.svc.Contracts
		tax := w.city.Actor("authority")
		c := w.registered(t)

		// The authority sees registrations, read-only, and never a filing in progress.
		if _, err := svc.Get(ctx, tax, c.ID); err != nil {
			t.Fatalf("authority: %v", err)
		}
		pending := w.submitted(t, w.univ, w.input(w.city.Univ, w.city.Ent, 10_000_00))
		_, err := svc.Get(ctx, tax, pending.ID)
		wantCode(t, err, domain.ENOTFOUND, "")
		list, _, err := svc.List(ctx, tax, domain.ContractFilter{Limit: 100})
		if err != nil || len(list) != 1 || list[0].ID != c.ID {
			t.Fatalf("authority lists %d, %v", len(list), err)
		}
		_, err = svc.RequestChange(ctx, tax, c.ID, c.Version, service.ChangeRequest{Reason: "x"})
		wantCode(t, err, domain.EFORBIDDEN, "")

		for _, a := range []*domain.Actor{w.ent, w.bureau, w.registrar} {
			_, err = svc.Object(ctx, a, c.ID, c.Version, "异议")
			wantCode(t, err, domain.EFORBIDDEN, "")
		}
		_, err = svc.Object(ctx, tax, c.ID, c.Version, "  ")
		wantCode(t, err, domain.EINVALID, "reason")
		o, err := svc.Object(ctx, tax, c.ID, c.Version, "该合同实为设备买卖，不属于技术合同")
		if err != nil {
			t.Fatal(err)
		}
		if o.Objection == nil || o.Objection.RaiserRole != domain.RoleAuthority || o.Objection.Against != "registration" {
			t.Fatalf("objection %+v", o.Objection)
		}
		_, err = svc.Object(ctx, w.univ, c.ID, o.Version, "再次异议")
		wantCode(t, err, domain.ECONFLICT, "")
		_, err = svc.DecideObjection(ctx, w.registrar2, c.ID, o.Version, service.ObjectionDecision{Outcome: "upheld", Note: "x"})
		wantCode(t, err, domain.ENOTFOUND, "")
		_, err = svc.DecideObjection(ctx, w.registrar, c.ID, o.Version, service.ObjectionDecision{Outcome: "maybe", Note: "x"})
		wantCode(t, err, domain.EINVALID, "outcome")
		_, err = svc.DecideObjection(ctx, w.registrar, c.ID, o.Version, service.ObjectionDecision{Outcome: "dismissed"})
		wantCode(t, err, domain.EINVALID, "note")
		_, err = svc.DecideObjection(ctx, w.registrar, c.ID, o.Version, service.ObjectionDecision{Outcome: "dismissed", Note: "x", RevokeGround: "deception"})
		wantCode(t, err, domain.EINVALID, "revoke_ground")
		got, err := svc.DecideObjection(ctx, w.registrar, c.ID, o.Version, service.ObjectionDecision{Outcome: "upheld", Note: "经复核属实", RevokeGround: "not_technology"})
		if err != nil {
			t.Fatal(err)
		}
		if got.Status != domain.ContractRevoked || got.EndGround != "not_technology" || got.Objection != nil {
			t.Fatalf("upheld: %+v", got)
		}
		w.rollupAgrees(t)

		// The applicant objects to a refusal; upheld, the filing is decided again.
		r := w.submitted(t, w.univ, w.input(w.city.Univ, w.city.Ent, 20_000_00))
		r, err = svc.Refuse(ctx, w.registrar, r.ID, r.Version, "not_technology", "")
		if err != nil {
			t.Fatal(err)
		}
		_, err = svc.Object(ctx, tax, r.ID, r.Version, "x")
		wantCode(t, err, domain.ENOTFOUND, "") // the authority does not see refusals
		r, err = svc.Object(ctx, w.univ, r.ID, r.Version, "合同属于技术开发合同，附研发任务书")
		if err != nil {
			t.Fatal(err)
		}
		if r.Objection.Against != "refusal" {
			t.Fatalf("against %q", r.Objection.Against)
		}
		r, err = svc.DecideObjection(ctx, w.registrar, r.ID, r.Version, service.ObjectionDecision{Outcome: "upheld", Note: "重新审查"})
		if err != nil {
			t.Fatal(err)
		}
		if r.Status != domain.ContractAccepted || r.RefusalGround != "" || r.DueOn == "" {
			t.Fatalf("after upheld objection: %s %s due %s", r.Status, r.RefusalGround, r.DueOn)
		}
		pr, err := svc.PostRegistration(ctx, w.univ, r.ID)
		if err != nil || len(pr.Objections) != 1 || pr.Objections[0].Status != domain.ObjectionUpheld || pr.Objections[0].Outcome != "重新审查" {
			t.Fatalf("objections %+v %v", pr.Objections, err)
		}
		// Dismissed: nothing changes.
		d := w.registered(t)
		d, _ = svc.Object(ctx, w.univ, d.ID, d.Version, "技术性收入核定过低")
		d, err = svc.DecideObjection(ctx, w.registrar, d.ID, d.Version, service.ObjectionDecision{Outcome: "dismissed", Note: "核定无误"})
		if err != nil || d.Status != domain.ContractRegistered || d.Objection != nil {
			t.Fatalf("dismissed %+v %v", d, err)
		}
	})
}
