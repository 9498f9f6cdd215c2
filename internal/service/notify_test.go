package service_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"kechuang/internal/domain"
	"kechuang/internal/i18n"
	"kechuang/internal/service"
)

// notices returns the kinds of the notices about contract id to user u,
// oldest first.
func notices(t *testing.T, w *world, id int64, u *domain.User) []domain.NoticeKind {
	t.Helper()
	ns, err := w.svc.Notify.About(context.Background(), "contract", id)
	if err != nil {
		t.Fatal(err)
	}
	out := []domain.NoticeKind{}
	for _, n := range ns {
		if n.UserID == u.ID {
			out = append(out, n.Kind)
		}
	}
	return out
}

func wantKinds(t *testing.T, who string, got []domain.NoticeKind, want ...domain.NoticeKind) {
	t.Helper()
	if strings.Join(kindStrings(got), ",") != strings.Join(kindStrings(want), ",") {
		t.Fatalf("%s's notices %v, want %v", who, got, want)
	}
}

func kindStrings(ks []domain.NoticeKind) []string {
	out := make([]string, len(ks))
	for i, k := range ks {
		out[i] = string(k)
	}
	return out
}

// TestNotifyApplicantSteps: every registrar step on a filing notifies the
// applicant (its filer and the other filers of its organisation), with a
// link to the contract; the applicant's own steps, the buyer and the
// registrar hear nothing; the registrar's edit of the figures names the
// changed fields.
func TestNotifyApplicantSteps(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		filer, buyer, reg := w.city.User("tto"), w.city.User("enterprise"), w.city.User("registrar")
		colleague := w.city.AddUser(t, "tto_colleague", domain.RoleTTO, w.city.Univ)

		c := w.filed(t, w.univ, w.input(w.city.Univ, w.city.Ent, 1_000_000_00))
		wantKinds(t, "filer after submitting", notices(t, w, c.ID, filer))
		c, err := w.svc.Contracts.Accept(ctx, w.registrar, c.ID, c.Version)
		if err != nil {
			t.Fatal(err)
		}
		if c, err = w.svc.Contracts.Return(ctx, w.registrar, c.ID, c.Version, "请补充技术服务内容"); err != nil {
			t.Fatal(err)
		}
		in := w.input(w.city.Univ, w.city.Ent, 1_200_000_00)
		in.Title = c.Title
		if c, err = w.svc.Contracts.Update(ctx, w.registrar, c.ID, c.Version, in); err != nil {
			t.Fatal(err)
		}
		if c, err = w.svc.Contracts.Submit(ctx, w.univ, c.ID, c.Version); err != nil {
			t.Fatal(err)
		}
		if c, err = w.svc.Contracts.Register(ctx, w.registrar, c.ID, c.Version, c.TechTransactionFen/2, ""); err != nil {
			t.Fatal(err)
		}
		want := []domain.NoticeKind{domain.NoticeAccepted, domain.NoticeReturned, domain.NoticeChanged, domain.NoticeRegistered}
		wantKinds(t, "filer", notices(t, w, c.ID, filer), want...)
		wantKinds(t, "colleague", notices(t, w, c.ID, colleague), want...)
		wantKinds(t, "buyer", notices(t, w, c.ID, buyer))
		wantKinds(t, "registrar", notices(t, w, c.ID, reg))

		page, err := w.svc.Notify.List(ctx, w.univ, 1, 20)
		if err != nil {
			t.Fatal(err)
		}
		if page.Total != 4 || page.Unread != 4 || page.Items[0].Kind != domain.NoticeRegistered {
			t.Fatalf("page %+v", page)
		}
		changed := page.Items[1]
		if changed.Link != "/contracts/"+itoa(c.ID) || !strings.Contains(changed.Detail, "合同成交额") {
			t.Fatalf("changed notice %+v", changed)
		}
		if s := i18n.Notice(i18n.ZH, changed); !strings.Contains(s, c.Title) || !strings.Contains(s, "合同成交额") {
			t.Fatalf("zh text %q", s)
		}
		if s := i18n.Notice(i18n.EN, changed); !strings.Contains(s, "The registrar changed") || !strings.Contains(s, "Contract value") {
			t.Fatalf("en text %q", s)
		}

		// 不予受理 and 不予登记.
		r := w.filed(t, w.univ, w.input(w.city.Univ, w.city.Ent, 50_000_00))
		if _, err := w.svc.Contracts.Reject(ctx, w.registrar, r.ID, r.Version, "materials_missing", ""); err != nil {
			t.Fatal(err)
		}
		wantKinds(t, "filer of the rejected", notices(t, w, r.ID, filer), domain.NoticeRejected)
		f := w.submitted(t, w.univ, w.input(w.city.Univ, w.city.Ent, 50_000_00))
		if _, err := w.svc.Contracts.Refuse(ctx, w.registrar, f.ID, f.Version, "other", "不属于技术合同"); err != nil {
			t.Fatal(err)
		}
		wantKinds(t, "filer of the refused", notices(t, w, f.ID, filer), domain.NoticeAccepted, domain.NoticeRefused)

		// The filer's own edit is no news to anyone.
		d, err := w.svc.Contracts.Create(ctx, w.univ, w.input(w.city.Univ, w.city.Ent, 50_000_00))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.Contracts.Update(ctx, w.univ, d.ID, d.Version, w.input(w.city.Univ, w.city.Ent, 60_000_00)); err != nil {
			t.Fatal(err)
		}
		wantKinds(t, "colleague of an own edit", notices(t, w, d.ID, colleague))

		// Read one, then all; nobody else reads them.
		if _, err := w.svc.Notify.Read(ctx, w.ent, page.Items[0].ID); domain.ErrorCode(err) != domain.ENOTFOUND {
			t.Fatalf("another user read the notice: %v", err)
		}
		n, err := w.svc.Notify.Read(ctx, w.univ, page.Items[0].ID)
		if err != nil || !n.Read() {
			t.Fatalf("read %+v %v", n, err)
		}
		if u, _ := w.svc.Notify.Unread(ctx, w.univ); u != 6 {
			t.Fatalf("unread %d after reading one of 7", u)
		}
		if k, err := w.svc.Notify.ReadAll(ctx, w.univ); err != nil || k != 6 {
			t.Fatalf("read all: %d %v", k, err)
		}
		if u, _ := w.svc.Notify.Unread(ctx, w.univ); u != 0 {
			t.Fatalf("unread %d after reading all", u)
		}
		if u, _ := w.svc.Notify.Unread(ctx, service.ActorOf(colleague)); u != 7 {
			t.Fatalf("the colleague's unread %d: reading is per user", u)
		}
	})
}

// TestNotifyInTheStepTransaction: a step rolled back after its history
// row leaves no notice (the notices are written in the step's transaction).
func TestNotifyInTheStepTransaction(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		boom := errors.New("boom")
		service.AddStepHookForTest(w.svc, func(_ context.Context, _ *domain.Actor, ev *domain.Event) error {
			if ev.Action == "accept" {
				return boom
			}
			return nil
		})
		c := w.filed(t, w.univ, w.input(w.city.Univ, w.city.Ent, 1_000_000_00))
		if _, err := w.svc.Contracts.Accept(ctx, w.registrar, c.ID, c.Version); !errors.Is(err, boom) {
			t.Fatalf("accept: %v", err)
		}
		wantKinds(t, "filer", notices(t, w, c.ID, w.city.User("tto")))
		if got, _ := w.svc.Contracts.Get(ctx, w.univ, c.ID); got.Status != domain.ContractSubmitted {
			t.Fatalf("status %s", got.Status)
		}
	})
}

// TestNotifyUnknownAction: an action the table does not know (one a later
// module adds) gives the generic 状态已变更 notice with the step's label.
func TestNotifyUnknownAction(t *testing.T) {
	if k := domain.ContractNoticeFor("cancel", false, nil); k != domain.NoticeStatus {
		t.Fatalf("cancel → %q", k)
	}
	for _, a := range []string{"submit", "withdraw", "assign", "opine", "document"} {
		if k := domain.ContractNoticeFor(a, false, nil); k != "" {
			t.Fatalf("%s → %q, want none", a, k)
		}
	}
	if k := domain.ContractNoticeFor("update", true, []domain.Change{{Field: "title"}}); k != "" {
		t.Fatalf("the owner's own update → %q", k)
	}
	n := &domain.Notification{Kind: domain.NoticeStatus, Title: "T", Detail: "注销登记"}
	if s := i18n.Notice(i18n.ZH, n); s != "合同“T”的状态已变更：注销登记" {
		t.Fatalf("zh %q", s)
	}
	if s := i18n.Notice(i18n.EN, n); !strings.HasPrefix(s, "The status of contract") {
		t.Fatalf("en %q", s)
	}
}

// TestNotifySweep: the registrars of an accepted contract's registry hear
// once that it is due within N working days, and once that it is overdue,
// however often the sweep runs; other registries hear nothing.
func TestNotifySweep(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		w.city.SetDay("2024-09-02") // a Monday; the 2000 regime's 30 calendar days
		c := w.city.Contract().Accepted().Insert(t)
		reg, other := w.city.User("registrar"), w.city.User("other_registrar")
		if c.DueOn == "" {
			t.Fatal("no due date")
		}
		sweep := func(wantSoon, wantOver int) {
			t.Helper()
			r, err := w.svc.Notify.Sweep(ctx, 3)
			if err != nil {
				t.Fatal(err)
			}
			if r.DueSoon != wantSoon || r.Overdue != wantOver || r.Contracts != 1 {
				t.Fatalf("%s: sweep %+v, want %d due soon, %d overdue", w.city.Today(), r, wantSoon, wantOver)
			}
		}
		sweep(0, 0)
		due, _ := domain.ParseDate(c.DueOn)
		// Four working days before: not yet; three: due soon.
		w.city.SetDay(domain.DateOf(workdaysBefore(due, 4)))
		sweep(0, 0)
		w.city.SetDay(domain.DateOf(workdaysBefore(due, 3)))
		sweep(1, 0)
		sweep(0, 0)
		w.city.SetDay(c.DueOn)
		sweep(0, 0)
		w.city.SetDay(domain.DateOf(due.AddDate(0, 0, 1)))
		sweep(0, 1)
		sweep(0, 0)
		wantKinds(t, "registrar", notices(t, w, c.ID, reg), domain.NoticeDueSoon, domain.NoticeOverdue)
		wantKinds(t, "other registry", notices(t, w, c.ID, other))
		if _, err := w.svc.Notify.Sweep(ctx, -1); domain.ErrorCode(err) != domain.EINVALID {
			t.Fatalf("negative days: %v", err)
		}
	})
}

// workdaysBefore is the day n working days (Monday to Friday; the test's
// weeks have no holiday) before t.
func workdaysBefore(t time.Time, n int) time.Time {
	for n > 0 {
		t = t.AddDate(0, 0, -1)
		if t.Weekday() != time.Saturday && t.Weekday() != time.Sunday {
			n--
		}
	}
	return t
}

// fakeSender fails its first failures sends, then records what it sends.
type fakeSender struct {
	failures int
	sent     []*domain.Mail
}

func (f *fakeSender) Send(_ context.Context, m *domain.Mail) error {
	if f.failures > 0 {
		f.failures--
		return errors.New("421 try later")
	}
	f.sent = append(f.sent, m)
	return nil
}

// TestNotifyOutbox: with mail on, a notice to a user with an address
// queues a mail in the user's language in the step's transaction; the
// sender retries after a growing wait and marks it failed after its last
// attempt; the administrator alone sees the outbox.
func TestNotifyOutbox(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		if _, err := w.svc.Notify.SetContact(ctx, w.univ, "not an address", "en"); domain.ErrorCode(err) != domain.EINVALID {
			t.Fatalf("bad address: %v", err)
		} else {
			wantCode(t, err, domain.EINVALID, "email")
		}
		if _, err := w.svc.Notify.SetContact(ctx, w.univ, "tto@example.cn", "fr"); domain.ErrorCode(err) != domain.EINVALID {
			t.Fatalf("bad language: %v", err)
		}
		u, err := w.svc.Notify.SetContact(ctx, w.univ, " tto@example.cn ", "en")
		if err != nil || u.Email != "tto@example.cn" || u.Lang != "en" {
			t.Fatalf("set contact %+v %v", u, err)
		}
		if _, err := w.svc.Notify.SetContact(ctx, w.ent, "ent@example.cn", ""); err != nil {
			t.Fatal(err)
		}
		c := w.filed(t, w.univ, w.input(w.city.Univ, w.city.Ent, 1_000_000_00))
		if _, err := w.svc.Contracts.Accept(ctx, w.registrar, c.ID, c.Version); err != nil {
			t.Fatal(err)
		}
		ob, err := w.svc.Notify.Outbox(ctx, w.city.Actor("admin"), 0)
		if err != nil || len(ob.Recent) != 0 || ob.Enabled {
			t.Fatalf("mail off queued %+v %v", ob, err)
		}
		w.svc.Notify.EnableMail(service.MailSettings{BaseURL: "https://kc.example.cn/"})
		c, err = w.svc.Contracts.Return(ctx, w.registrar, c.ID, c.Version+1, "请补正")
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.svc.Notify.Outbox(ctx, w.univ, 0); domain.ErrorCode(err) != domain.EFORBIDDEN {
			t.Fatalf("a filer read the outbox: %v", err)
		}
		ob, err = w.svc.Notify.Outbox(ctx, w.city.Actor("admin"), 0)
		if err != nil || len(ob.Recent) != 1 {
			t.Fatalf("outbox %+v %v", ob, err)
		}
		m := ob.Recent[0]
		if m.To != "tto@example.cn" || m.Status != domain.MailQueued || !strings.Contains(m.Subject, "was returned for correction") ||
			!strings.Contains(m.Body, "https://kc.example.cn/contracts/"+itoa(c.ID)) || strings.Contains(m.Body, "补正") {
			t.Fatalf("mail %+v", m)
		}

		f := &fakeSender{failures: 2}
		if run, err := w.svc.Notify.SendMail(ctx, f, 10); err != nil || run.Retry != 1 || run.Sent != 0 {
			t.Fatalf("first run %+v %v", run, err)
		}
		if run, _ := w.svc.Notify.SendMail(ctx, f, 10); run != (service.MailRun{}) {
			t.Fatalf("retried before its time: %+v", run)
		}
		w.city.Clock.Advance(time.Minute)
		if run, _ := w.svc.Notify.SendMail(ctx, f, 10); run.Retry != 1 {
			t.Fatalf("second run %+v", run)
		}
		w.city.Clock.Advance(time.Minute) // the second wait is two minutes
		if run, _ := w.svc.Notify.SendMail(ctx, f, 10); run != (service.MailRun{}) {
			t.Fatalf("retried before its second wait: %+v", run)
		}
		w.city.Clock.Advance(time.Minute)
		if run, _ := w.svc.Notify.SendMail(ctx, f, 10); run.Sent != 1 || len(f.sent) != 1 {
			t.Fatalf("third run %+v", run)
		}
		ob, _ = w.svc.Notify.Outbox(ctx, w.city.Actor("admin"), 0)
		if m := ob.Recent[0]; m.Status != domain.MailSent || m.Attempts != 3 || m.SentAt.IsZero() || ob.Counts[domain.MailSent] != 1 {
			t.Fatalf("after sending %+v %v", m, ob.Counts)
		}

		// A mail that never goes through is failed after its last attempt.
		if _, err := w.svc.Contracts.Register(ctx, w.registrar, c.ID, 0, 0, ""); err == nil {
			t.Fatal("registered a returned filing")
		}
		c, _ = w.svc.Contracts.Submit(ctx, w.univ, c.ID, c.Version)
		if _, err := w.svc.Contracts.Register(ctx, w.registrar, c.ID, c.Version, c.TechTransactionFen/2, ""); err != nil {
			t.Fatal(err)
		}
		bad := &fakeSender{failures: 100}
		for i := 0; i < service.MaxMailAttempts; i++ {
			if _, err := w.svc.Notify.SendMail(ctx, bad, 10); err != nil {
				t.Fatal(err)
			}
			w.city.Clock.Advance(7 * time.Hour)
		}
		ob, _ = w.svc.Notify.Outbox(ctx, w.city.Actor("admin"), 0)
		if m := ob.Recent[0]; m.Status != domain.MailFailed || m.Attempts != service.MaxMailAttempts || m.LastError != "421 try later" {
			t.Fatalf("never sent %+v", m)
		}
	})
}

// TestAdminSetsEmail: an administrator sets, checks and removes a user's
// notification address; a bad one names the field and changes nothing.
func TestAdminSetsEmail(t *testing.T) {
	eachWorld(t, func(t *testing.T, w *world) {
		ctx := context.Background()
		admin, u := w.city.Actor("admin"), w.city.User("enterprise")
		bad := "ent@@example.cn"
		_, err := w.svc.Admin.UpdateUser(ctx, admin, u.ID, 0, domain.UserUpdate{Email: &bad})
		wantCode(t, err, domain.EINVALID, "email")
		good := " ent@example.cn "
		got, err := w.svc.Admin.UpdateUser(ctx, admin, u.ID, 0, domain.UserUpdate{Email: &good})
		if err != nil || got.Email != "ent@example.cn" {
			t.Fatalf("set %+v %v", got, err)
		}
		none := ""
		if got, err = w.svc.Admin.UpdateUser(ctx, admin, u.ID, 0, domain.UserUpdate{Email: &none}); err != nil || got.Email != "" {
			t.Fatalf("removed %+v %v", got, err)
		}
		nu := &domain.User{Username: "mailed", DisplayName: "邮件用户", Role: domain.RoleEnterprise, OrgID: w.city.Ent.ID, Email: "not-an-address"}
		err = w.svc.Admin.CreateUser(ctx, admin, nu, "kechuang-test-2026")
		wantCode(t, err, domain.EINVALID, "email")
	})
}
