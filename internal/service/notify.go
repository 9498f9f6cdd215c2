package service

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"kechuang/internal/domain"
	"kechuang/internal/i18n"
	"kechuang/internal/store"
)

// Notify is the notifications module: notices in the app, produced in the
// transaction of the workflow step they are about (onStep) or by the
// deadline sweep, and mailed through an outbox when mail is configured.
//
// Who hears what (issue 8 item 4): the applicant — the filing's creator
// and the enabled filers of its organisation who may see it
// (domain.ContractNoticeRecipient), never the one who took the step —
// hears of 受理, 不予受理, 补正, registration, refusal, the registrar's
// changes of the figures and any later step (domain.ContractNoticeFor);
// the registrars of the contract's registry hear of time limits ending
// soon and passed (Sweep).
type Notify struct{ *core }

// MailSettings are what the notices' mail needs: where links point.
type MailSettings struct {
	// BaseURL is the site's public address ("https://kc.example.cn"),
	// prefixed to the links in mail; "" leaves them as paths.
	BaseURL string
}

// EnableMail makes every later notice to a user with an e-mail address
// queue a mail in the outbox (SendMail sends them).
func (s *Notify) EnableMail(m MailSettings) { s.mail = &m }

// MailEnabled reports whether notices are mailed.
func (s *Notify) MailEnabled() bool { return s.mail != nil }

// stepNotices is one module's notices of its workflow steps: on, for a
// step of the entity named.
type stepNotices struct {
	entity string
	on     func(s *Notify, ctx context.Context, q *store.Q, a *domain.Actor, ev *domain.Event, x any) error
}

// noticesOf is a module's step notices from its handler of the entity's
// type T (a step whose entity is not a T notifies nobody).
func noticesOf[T any](entity string, on func(*Notify, context.Context, *store.Q, *domain.Actor, *domain.Event, T) error) stepNotices {
	return stepNotices{entity: entity, on: func(s *Notify, ctx context.Context, q *store.Q, a *domain.Actor, ev *domain.Event, x any) error {
		if v, ok := x.(T); ok {
			return on(s, ctx, q, a, ev, v)
		}
		return nil
	}}
}

// noticeModules is the registry of the modules' step notices, each
// handler in its module's file. Registration line: one per entity.
func noticeModules() []stepNotices {
	return []stepNotices{
		noticesOf("contract", (*Notify).onContractStep),
		noticesOf("achievement", (*Notify).onAchievementStep),
		noticesOf("evaluation", (*Notify).onEvaluationStep),
		noticesOf("challenge", (*Notify).onChallengeStep),
		noticesOf("challenge_answer", (*Notify).onAnswerStep),
		noticesOf("enterprise", (*Notify).onEnterpriseStep),
	}
}

// stepNoticesOf is the registry by entity.
var stepNoticesOf = func() map[string]stepNotices {
	out := map[string]stepNotices{}
	for _, m := range noticeModules() {
		if _, dup := out[m.entity]; dup {
			panic("service: two step notices for " + m.entity)
		}
		out[m.entity] = m
	}
	return out
}()

// onStep is the workflow hook: the notices of a step, by its entity's
// module (noticeModules).
func (s *Notify) onStep(ctx context.Context, q *store.Q, a *domain.Actor, ev *domain.Event, x any) error {
	if m, ok := stepNoticesOf[ev.Entity]; ok {
		return m.on(s, ctx, q, a, ev, x)
	}
	return nil
}

// toOrgs delivers n to every enabled user of each of orgs (0 and repeats
// skipped) but the actor (actorID; -1 for none), and reports how many
// notices were new.
func (s *Notify) toOrgs(ctx context.Context, q *store.Q, actorID int64, orgs []int64, n domain.Notification) (int, error) {
	seen, sent := map[int64]bool{}, 0
	for _, org := range orgs {
		if org == 0 || seen[org] {
			continue
		}
		seen[org] = true
		users, err := q.FindUsers(ctx, org)
		if err != nil {
			return sent, err
		}
		for _, u := range users {
			if u.Disabled || u.ID == actorID || u.OrgID != org {
				continue
			}
			added, err := s.deliver(ctx, q, u, n)
			if err != nil {
				return sent, err
			}
			if added {
				sent++
			}
		}
	}
	return sent, nil
}

// actorID is the user id of a (-1 for the system), for toOrgs.
func actorID(a *domain.Actor) int64 {
	if a == nil {
		return -1
	}
	return a.UserID
}

func hasUser(us []*domain.User, id int64) bool {
	for _, u := range us {
		if u.ID == id {
			return true
		}
	}
	return false
}

// deliver stores a copy of n for u (once per dedup key) and, when mail is
// on and u has an address, queues its mail in the same transaction; it
// reports whether the notice was new.
func (s *Notify) deliver(ctx context.Context, q *store.Q, u *domain.User, n domain.Notification) (bool, error) {
	n.UserID = u.ID
	added, err := q.AddNotification(ctx, &n)
	if err != nil || !added || s.mail == nil || u.Email == "" {
		return added, err
	}
	subject, body := s.compose(ctx, u, &n)
	return true, q.QueueMail(ctx, &domain.Mail{NotificationID: n.ID, UserID: u.ID, To: u.Email, Subject: subject, Body: body})
}

// compose is a notice's mail in its recipient's language.
func (s *Notify) compose(ctx context.Context, u *domain.User, n *domain.Notification) (subject, body string) {
	l := i18n.ZH
	if u.Lang == string(i18n.EN) {
		l = i18n.EN
	}
	text := i18n.Notice(l, n)
	link := n.Link
	if s.mail != nil && s.mail.BaseURL != "" {
		link = strings.TrimRight(s.mail.BaseURL, "/") + link
	}
	site := i18n.T(l, "%s科创服务平台", i18n.T(l, s.cityName(ctx)))
	subject = "[" + site + "] " + text
	body = i18n.T(l, "%s，您好：", u.DisplayName) + "\n\n" + text + "\n\n" + i18n.T(l, "查看：%s", link) + "\n\n" +
		i18n.T(l, "此邮件由%s自动发送，请勿直接回复。可在“我的账户”中修改或删除接收通知的邮箱。", site) + "\n"
	return subject, body
}

// NotificationPage is one page of a user's notices, newest first.
type NotificationPage struct {
	Items   []*domain.Notification
	Total   int
	Unread  int
	Page    int
	PerPage int
}

// List returns a page (from 1) of the actor's own notices.
func (s *Notify) List(ctx context.Context, a *domain.Actor, page, perPage int) (*NotificationPage, error) {
	if err := requireLogin(a); err != nil {
		return nil, err
	}
	if perPage <= 0 || perPage > 200 {
		perPage = 20
	}
	if page < 1 {
		page = 1
	}
	items, total, unread, err := s.store.Notifications(ctx, a.UserID, perPage, (page-1)*perPage)
	if err != nil {
		return nil, err
	}
	return &NotificationPage{Items: items, Total: total, Unread: unread, Page: page, PerPage: perPage}, nil
}

// Unread counts the actor's unread notices (0 for the public).
func (s *Notify) Unread(ctx context.Context, a *domain.Actor) (int, error) {
	if a == nil || a.UserID == 0 {
		return 0, nil
	}
	return s.store.UnreadNotifications(ctx, a.UserID)
}

// Read marks one of the actor's notices read and returns it (with the
// link to open); another user's notice is not found.
func (s *Notify) Read(ctx context.Context, a *domain.Actor, id int64) (*domain.Notification, error) {
	if err := requireLogin(a); err != nil {
		return nil, err
	}
	var n *domain.Notification
	err := s.store.InTx(ctx, func(q *store.Q) error {
		var err error
		n, err = q.ReadNotification(ctx, a.UserID, id)
		return err
	})
	return n, err
}

// ReadAll marks every notice of the actor read and returns how many were
// unread.
func (s *Notify) ReadAll(ctx context.Context, a *domain.Actor) (int64, error) {
	if err := requireLogin(a); err != nil {
		return 0, err
	}
	return s.store.ReadAllNotifications(ctx, a.UserID)
}

// About returns every notice about an entity, to anyone (tests and
// operators' checks; no transport exposes it).
func (s *Notify) About(ctx context.Context, entity string, id int64) ([]*domain.Notification, error) {
	return s.store.FindNotifications(ctx, entity, id)
}

// DefaultDueSoonDays is how many working days before its due date a
// contract's registrars are told it is due soon (KECHUANG_NOTIFY_DUE_DAYS).
const DefaultDueSoonDays = 3

// SweepResult is what one deadline sweep produced.
type SweepResult struct {
	Contracts int `json:"contracts"` // contracts on the clock
	DueSoon   int `json:"due_soon"`  // new due-soon notices
	Overdue   int `json:"overdue"`   // new overdue notices
	// Milestones is the new notices of 揭榜挂帅 project milestones due
	// within as many calendar days, or overdue (Challenges.MilestoneSweep).
	Milestones int `json:"milestones"`
}

// Sweep tells the registrars of each accepted contract's registry that
// its time limit ends within dueDays working days (counting today's
// working days up to due_on) or has passed. It is idempotent: one notice
// per contract, kind, due date and registrar, however often it runs (a
// 补正 that restarts the clock gives a new due date and new notices).
// It then runs the 揭榜挂帅 milestone sweep (dueDays calendar days), so
// serve's hourly sweep covers both.
func (s *Notify) Sweep(ctx context.Context, dueDays int) (SweepResult, error) {
	var res SweepResult
	if dueDays < 0 {
		return res, domain.FieldErrorf("due_days", "提前提醒的工作日数不能为负数")
	}
	cal, err := s.calendar(ctx)
	if err != nil {
		return res, err
	}
	today := s.today()
	todayT, err := domain.ParseDate(today)
	if err != nil {
		return res, err
	}
	soonUntil := domain.DateOf(cal.AddWorkdays(todayT, dueDays))
	err = s.store.InTx(ctx, func(q *store.Q) error {
		res = SweepResult{}
		cs, err := q.ContractsOnClock(ctx)
		if err != nil {
			return err
		}
		res.Contracts = len(cs)
		registrars := map[int64][]*domain.User{}
		for _, c := range cs {
			var kind domain.NoticeKind
			switch {
			case c.DueOn < today:
				kind = domain.NoticeOverdue
			case c.DueOn <= soonUntil:
				kind = domain.NoticeDueSoon
			default:
				continue
			}
			us, ok := registrars[c.RegistryID]
			if !ok {
				if us, err = q.FindUsers(ctx, c.RegistryID); err != nil {
					return err
				}
				registrars[c.RegistryID] = us
			}
			n := domain.Notification{Kind: kind, Entity: "contract", EntityID: c.ID, Link: contractLink(c.ID), Title: c.Title,
				Detail: c.DueOn, Dedup: fmt.Sprintf("%s:%d:%s", kind, c.ID, c.DueOn)}
			for _, u := range us {
				if !domain.ContractDeadlineRecipient(u, c) {
					continue
				}
				added, err := s.deliver(ctx, q, u, n)
				if err != nil {
					return err
				}
				if added {
					if kind == domain.NoticeOverdue {
						res.Overdue++
					} else {
						res.DueSoon++
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		return res, err
	}
	res.Milestones, err = (&Challenges{core: s.core}).MilestoneSweep(ctx, dueDays)
	return res, err
}

// MailSender sends one mail (internal/mailer over SMTP; a fake in tests).
type MailSender interface {
	Send(ctx context.Context, m *domain.Mail) error
}

// MaxMailAttempts is how often a mail is tried before it is marked failed.
const MaxMailAttempts = 6

// mailBackoff is the wait after the n-th failed attempt: 1, 2, 4, 8 … minutes,
// at most 6 hours.
func mailBackoff(n int) time.Duration {
	d := time.Minute << max(n-1, 0)
	if d > 6*time.Hour || d <= 0 {
		d = 6 * time.Hour
	}
	return d
}

// MailRun is what one run of the sender did.
type MailRun struct {
	Sent, Retry, Failed int
}

// SendMail sends up to limit due mails of the outbox through sender, one
// by one: a sent mail is marked sent; a failed one is tried again after
// a growing wait (mailBackoff) and marked failed after MaxMailAttempts.
func (s *Notify) SendMail(ctx context.Context, sender MailSender, limit int) (MailRun, error) {
	var run MailRun
	if limit <= 0 {
		limit = 50
	}
	due, err := s.store.DueMail(ctx, s.now(), limit)
	if err != nil {
		return run, err
	}
	for _, m := range due {
		if ctx.Err() != nil {
			return run, ctx.Err()
		}
		err := sender.Send(ctx, m)
		m.Attempts++
		now := s.now()
		switch {
		case err == nil:
			m.Status, m.SentAt, m.LastError = domain.MailSent, now, ""
			run.Sent++
		case m.Attempts >= MaxMailAttempts:
			m.Status, m.LastError = domain.MailFailed, clip(err.Error(), 500)
			run.Failed++
		default:
			m.NextAt, m.LastError = now.Add(mailBackoff(m.Attempts)), clip(err.Error(), 500)
			run.Retry++
		}
		if err := s.store.SaveMailAttempt(ctx, m); err != nil {
			return run, err
		}
	}
	return run, nil
}

func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// Outbox is what the administrator sees of the mail: counts by status and
// the newest mails.
type Outbox struct {
	Enabled bool
	Counts  map[domain.MailStatus]int
	Recent  []*domain.Mail
}

// Outbox returns the outbox's state; only the administrator may read it
// (it holds users' addresses).
func (s *Notify) Outbox(ctx context.Context, a *domain.Actor, limit int) (*Outbox, error) {
	if err := requireLogin(a); err != nil {
		return nil, err
	}
	if !domain.AdminRules.CanManageUsers(a) {
		return nil, forbidden("查看通知邮件")
	}
	if limit <= 0 || limit > 200 {
		limit = 50
	}
	counts, err := s.store.MailCounts(ctx)
	if err != nil {
		return nil, err
	}
	recent, err := s.store.RecentMail(ctx, limit)
	if err != nil {
		return nil, err
	}
	return &Outbox{Enabled: s.mail != nil, Counts: counts, Recent: recent}, nil
}

// SetContact sets the actor's own e-mail address ("" for none) and the
// language of its mail, audited.
func (s *Notify) SetContact(ctx context.Context, a *domain.Actor, email, lang string) (*domain.User, error) {
	if err := requireLogin(a); err != nil {
		return nil, err
	}
	email, err := domain.CleanEmail(email)
	if err != nil {
		return nil, err
	}
	if lang != "" && lang != string(i18n.ZH) && lang != string(i18n.EN) {
		return nil, domain.FieldErrorf("lang", "通知语言应为 zh-CN 或 en")
	}
	var out *domain.User
	err = s.store.InTx(ctx, func(q *store.Q) error {
		u, err := q.FindUserByID(ctx, a.UserID)
		if err != nil {
			return err
		}
		before := *u
		u.Email, u.Lang = email, lang
		if err := q.SetUserContact(ctx, u); err != nil {
			return err
		}
		out = u
		return q.Audit(ctx, a, "user.set_contact", "user", u.ID, contactOf(&before), contactOf(u))
	})
	return out, err
}

// contactOf is what the audit records of a contact change.
func contactOf(u *domain.User) map[string]string {
	return map[string]string{"email": u.Email, "lang": u.Lang}
}

// RunSweeps runs the deadline sweep now and then every interval until ctx
// ends (serve).
func (s *Notify) RunSweeps(ctx context.Context, every time.Duration, dueDays int) {
	s.loop(ctx, every, func() error { _, err := s.Sweep(ctx, dueDays); return err }, "sweep")
}

// RunMail sends the outbox's due mail every interval until ctx ends (serve).
func (s *Notify) RunMail(ctx context.Context, sender MailSender, every time.Duration, limit int) {
	s.loop(ctx, every, func() error { _, err := s.SendMail(ctx, sender, limit); return err }, "send mail")
}

func (s *Notify) loop(ctx context.Context, every time.Duration, run func() error, what string) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		if err := run(); err != nil && ctx.Err() == nil {
			s.log.Warn("service: notify "+what, "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
