package service

import (
	"context"
	"strconv"
	"time"

	"kechuang/internal/domain"
	"kechuang/internal/store"
)

// TechEvents is the event module (路演/对接会): organisers (the bureau, a
// technology-transfer agency, a university, a park) create and publish an
// event; enterprises register while it is open and places are left; the
// organiser puts published achievements on the programme and, once it has
// taken place, records the intentions (意向) signed and the enterprises
// served (服务企业家次, one per enterprise and event).
type TechEvents struct{ *core }

// TechEventStale is the module's stale-version refusal.
const TechEventStale = "此活动已被他人修改，您的操作未执行，请刷新后重试"

// cleanTechEvent checks the typed text for control, format and bidi
// characters (naming the field) and stores it cleaned.
func cleanTechEvent(in *domain.TechEvent) error {
	var c textCleaner
	c.line("title", &in.Title)
	c.line("date", &in.Date)
	c.line("place", &in.Place)
	c.prose("description", &in.Description)
	return c.err()
}

// applyTechEvent copies what an organiser may set.
func applyTechEvent(x, in *domain.TechEvent) {
	x.Kind, x.Title, x.Date, x.Place, x.ChainCode = in.Kind, in.Title, in.Date, in.Place, in.ChainCode
	x.Capacity, x.Description = in.Capacity, in.Description
}

// Create files a draft event organised by the actor's own organisation.
func (s *TechEvents) Create(ctx context.Context, a *domain.Actor, in *domain.TechEvent) (*domain.TechEvent, error) {
	if err := requireLogin(a); err != nil {
		return nil, err
	}
	if !domain.TechEvents.CanOrganise(a) {
		return nil, forbidden("组织路演/对接活动")
	}
	if a.OrgID == 0 {
		return nil, domain.FieldErrorf("organiser_org_id", "请以主办单位的账号创建活动")
	}
	if err := cleanTechEvent(in); err != nil {
		return nil, err
	}
	chains, err := s.chainCodes(ctx)
	if err != nil {
		return nil, err
	}
	x := &domain.TechEvent{Status: domain.TechEventDraft, OrganiserOrgID: a.OrgID, CreatedBy: a.UserID}
	applyTechEvent(x, in)
	if err := x.Validate(chains); err != nil {
		return nil, err
	}
	err = s.store.InTx(ctx, func(q *store.Q) error {
		o, err := q.FindOrgByID(ctx, a.OrgID)
		if err != nil {
			return err
		}
		x.OrganiserName = o.Name
		if err := q.InsertTechEvent(ctx, x); err != nil {
			return err
		}
		return created(ctx, q, techEventKind, a, x)
	})
	if err != nil {
		return nil, err
	}
	return x, nil
}

// Get returns an event the actor may see (every event but another
// organiser's draft); a hidden one is "not found".
func (s *TechEvents) Get(ctx context.Context, a *domain.Actor, id int64) (*domain.TechEvent, error) {
	return get(ctx, s.core, techEventKind, a, id)
}

// List lists the events the actor may see, by date. upcoming keeps those
// from today on, the soonest first.
func (s *TechEvents) List(ctx context.Context, a *domain.Actor, f domain.TechEventFilter, upcoming bool) ([]*domain.TechEvent, int, error) {
	if err := f.Validate(); err != nil {
		return nil, 0, err
	}
	if upcoming {
		f.Upcoming = s.today()
	}
	return s.store.FindTechEvents(ctx, f, domain.TechEvents.ListScope(a))
}

// Events returns an event's history (its managers only: it names staff).
func (s *TechEvents) Events(ctx context.Context, a *domain.Actor, id int64) ([]*domain.Event, error) {
	x, err := s.Get(ctx, a, id)
	if err != nil {
		return nil, err
	}
	return history(ctx, s.core, techEventKind, a, x, domain.TechEvents.CanSeeHistory, "查看该活动的办理记录")
}

var techEventKind = &entityKind[domain.TechEventStatus, *domain.TechEvent]{
	name: "event", notFound: "活动不存在", stale: TechEventStale, flow: domain.TechEventFlow,
	load: func(ctx context.Context, q *store.Q, id int64) (*domain.TechEvent, error) {
		return q.FindTechEventByID(ctx, id)
	},
	save:   func(ctx context.Context, q *store.Q, x *domain.TechEvent) error { return q.UpdateTechEvent(ctx, x) },
	canSee: domain.TechEvents.CanSee,
	id:     func(x *domain.TechEvent) int64 { return x.ID }, version: func(x *domain.TechEvent) int64 { return x.Version },
	clone: func(x *domain.TechEvent) *domain.TechEvent { b := *x; return &b },
}

func (s *TechEvents) mutate(ctx context.Context, a *domain.Actor, id, version int64, action string,
	fn func(q *store.Q, x *domain.TechEvent) (step, error)) (*domain.TechEvent, error) {
	return mutate(ctx, s.core, techEventKind, a, id, version, action, fn)
}

// Update changes a draft or a published event; a published one keeps at
// least the places already taken.
func (s *TechEvents) Update(ctx context.Context, a *domain.Actor, id, version int64, in *domain.TechEvent) (*domain.TechEvent, error) {
	if err := requireLogin(a); err != nil {
		return nil, err
	}
	if err := cleanTechEvent(in); err != nil {
		return nil, err
	}
	chains, err := s.chainCodes(ctx)
	if err != nil {
		return nil, err
	}
	return s.mutate(ctx, a, id, version, "update", func(q *store.Q, x *domain.TechEvent) (step, error) {
		applyTechEvent(x, in)
		if err := x.Validate(chains); err != nil {
			return step{}, err
		}
		if x.Capacity < x.Registered {
			return step{}, domain.FieldErrorf("capacity", "已有%d家单位报名，名额不能少于已报名数", x.Registered)
		}
		if x.Status == domain.TechEventPublished && x.Date < s.today() {
			return step{}, domain.FieldErrorf("date", "报名中的活动日期不能早于今天（%s）", s.today())
		}
		return step{}, nil
	})
}

// Publish opens registration; the event may not be in the past.
func (s *TechEvents) Publish(ctx context.Context, a *domain.Actor, id, version int64) (*domain.TechEvent, error) {
	chains, err := s.chainCodes(ctx)
	if err != nil {
		return nil, err
	}
	return s.mutate(ctx, a, id, version, "publish", func(q *store.Q, x *domain.TechEvent) (step, error) {
		if err := x.Validate(chains); err != nil {
			return step{}, err
		}
		if x.Date < s.today() {
			return step{}, domain.FieldErrorf("date", "活动日期（%s）已过，请修改日期后再发布", x.Date)
		}
		x.Status = domain.TechEventPublished
		return step{}, nil
	})
}

// Hold records that the event took place (on or after its date), with
// what happened.
func (s *TechEvents) Hold(ctx context.Context, a *domain.Actor, id, version int64, summary string) (*domain.TechEvent, error) {
	summary, err := stepNote("summary", summary, false)
	if err != nil {
		return nil, err
	}
	return s.mutate(ctx, a, id, version, "hold", func(q *store.Q, x *domain.TechEvent) (step, error) {
		if x.Date > s.today() {
			return step{}, domain.FieldErrorf("date", "活动日期（%s）未到，不能记录为已举办", x.Date)
		}
		x.Status, x.Summary = domain.TechEventHeld, summary
		return step{Comment: summary}, nil
	})
}

// Close ends a held event: its record is complete.
func (s *TechEvents) Close(ctx context.Context, a *domain.Actor, id, version int64) (*domain.TechEvent, error) {
	return s.mutate(ctx, a, id, version, "close", func(q *store.Q, x *domain.TechEvent) (step, error) {
		x.Status = domain.TechEventClosed
		return step{}, nil
	})
}

// Cancel calls a draft or published event off, with a reason; every
// registrant hears of it.
func (s *TechEvents) Cancel(ctx context.Context, a *domain.Actor, id, version int64, reason string) (*domain.TechEvent, error) {
	reason, err := stepNote("reason", reason, true)
	if err != nil {
		return nil, err
	}
	return s.mutate(ctx, a, id, version, "cancel", func(q *store.Q, x *domain.TechEvent) (step, error) {
		x.Status, x.CancelReason = domain.TechEventCancelled, reason
		regs, err := q.EventRegistrations(ctx, x.ID)
		if err != nil {
			return step{}, err
		}
		for _, r := range regs {
			if err := s.noticeOrg(ctx, q, a, r.OrgID, eventNotice(x, "活动已取消", "cancel")); err != nil {
				return step{}, err
			}
		}
		return step{Reason: reason}, nil
	})
}

// eventNotice is a notice about event x with detail (a message id).
func eventNotice(x *domain.TechEvent, detail, dedup string) domain.Notification {
	return domain.Notification{Kind: domain.NoticeEvent, Entity: "event", EntityID: x.ID,
		Link: "/events/" + strconv.FormatInt(x.ID, 10), Title: x.Title, Detail: detail,
		Dedup: "event-" + dedup + ":" + strconv.FormatInt(x.ID, 10)}
}

// noticeOrg tells every enabled user of org (but the actor) of n.
func (s *TechEvents) noticeOrg(ctx context.Context, q *store.Q, a *domain.Actor, org int64, n domain.Notification) error {
	_, err := (&Notify{core: s.core}).toOrgs(ctx, q, actorID(a), []int64{org}, n)
	return err
}

// record runs one of the outcome's use cases in a transaction: it loads
// the event, hides it from those who may not see it, checks the actor may
// act (allowed), runs fn, and writes the history step and the audit row.
func (s *TechEvents) record(ctx context.Context, a *domain.Actor, id int64, action string,
	allowed func(x *domain.TechEvent) error, fn func(q *store.Q, x *domain.TechEvent) (comment string, after any, err error)) error {
	if err := requireLogin(a); err != nil {
		return err
	}
	return s.store.InTx(ctx, func(q *store.Q) error {
		x, err := visible(ctx, q, techEventKind, a, id)
		if err != nil {
			return err
		}
		if err := allowed(x); err != nil {
			return err
		}
		comment, after, err := fn(q, x)
		if err != nil {
			return err
		}
		if err := addEvent(ctx, q, a, "event", x.ID, action, string(x.Status), string(x.Status), step{Comment: comment}); err != nil {
			return err
		}
		return q.Audit(ctx, a, "event."+action, "event", x.ID, nil, after)
	})
}

// Register registers the actor's organisation for an open event, while
// places are left (counted under the event's lock: two last-minute
// registrations never both take the last place).
func (s *TechEvents) Register(ctx context.Context, a *domain.Actor, id int64, in *domain.EventRegistration) (*domain.EventRegistration, error) {
	var c textCleaner
	c.line("contact", &in.Contact)
	c.line("phone", &in.Phone)
	if err := c.err(); err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	today := s.today()
	var out *domain.EventRegistration
	err := s.record(ctx, a, id, "register", func(x *domain.TechEvent) error {
		if !domain.TechEvents.CanRegister(a, x) {
			return forbidden("报名该活动")
		}
		switch {
		case x.Status != domain.TechEventPublished:
			return domain.Errorf(domain.ECONFLICT, "活动当前状态为“%s”，不接受报名", domain.Msg(x.Status.Label()))
		case x.Date < today:
			return domain.Errorf(domain.ECONFLICT, "活动日期（%s）已过，报名已截止", x.Date)
		}
		return nil
	}, func(q *store.Q, x *domain.TechEvent) (string, any, error) {
		r := &domain.EventRegistration{EventID: x.ID, OrgID: a.OrgID, Contact: in.Contact, Phone: in.Phone, UserID: a.UserID}
		ok, err := q.AddEventRegistration(ctx, r, x.Capacity)
		if err != nil {
			return "", nil, err
		}
		if !ok {
			return "", nil, domain.Errorf(domain.ECONFLICT, "活动报名名额（%d家）已满", x.Capacity)
		}
		o, err := q.FindOrgByID(ctx, a.OrgID)
		if err != nil {
			return "", nil, err
		}
		r.OrgName, r.EventTitle, r.EventDate = o.Name, x.Title, x.Date
		n := eventNotice(x, "报名成功", "register-"+strconv.FormatInt(r.ID, 10))
		if u, err := q.FindUserByID(ctx, a.UserID); err == nil && !u.Disabled {
			if _, err := (&Notify{core: s.core}).deliver(ctx, q, u, n); err != nil {
				return "", nil, err
			}
		} else if err != nil && domain.ErrorCode(err) != domain.ENOTFOUND {
			return "", nil, err
		}
		out = r
		return o.Name, r, nil
	})
	return out, err
}

// Registrations lists an event's registrations (its managers only).
func (s *TechEvents) Registrations(ctx context.Context, a *domain.Actor, id int64) ([]*domain.EventRegistration, error) {
	x, err := s.managed(ctx, a, id, "查看该活动的报名名单")
	if err != nil {
		return nil, err
	}
	return s.store.EventRegistrations(ctx, x.ID)
}

// managed returns an event the actor manages, or the refusal.
func (s *TechEvents) managed(ctx context.Context, a *domain.Actor, id int64, what string) (*domain.TechEvent, error) {
	if err := requireLogin(a); err != nil {
		return nil, err
	}
	x, err := s.Get(ctx, a, id)
	if err != nil {
		return nil, err
	}
	if !domain.TechEvents.CanManage(a, x) {
		return nil, forbidden(what)
	}
	return x, nil
}

// pageOf is the limit and offset of a page (from 1) of perPage (20 when
// out of 1–200).
func pageOf(page, perPage int) (limit, offset int) {
	if perPage <= 0 || perPage > 200 {
		perPage = 20
	}
	return perPage, (max(page, 1) - 1) * perPage
}

// MyRegistrations lists a page of the actor's organisation's
// registrations, with their count.
func (s *TechEvents) MyRegistrations(ctx context.Context, a *domain.Actor, page, perPage int) ([]*domain.EventRegistration, int, error) {
	if err := requireLogin(a); err != nil {
		return nil, 0, err
	}
	if a.OrgID == 0 {
		return []*domain.EventRegistration{}, 0, nil
	}
	limit, offset := pageOf(page, perPage)
	return s.store.OrgRegistrations(ctx, a.OrgID, limit, offset)
}

// IsRegistered reports whether the actor's organisation is registered
// for the event.
func (s *TechEvents) IsRegistered(ctx context.Context, a *domain.Actor, id int64) (bool, error) {
	if a == nil || a.OrgID == 0 {
		return false, nil
	}
	return s.store.Registered(ctx, id, a.OrgID)
}

// manage is the check of the organiser's use cases: the actor manages x
// and its status is one of open.
func manage(a *domain.Actor, x *domain.TechEvent, what string, open ...domain.TechEventStatus) error {
	if !domain.TechEvents.CanManage(a, x) {
		return forbidden(what)
	}
	for _, st := range open {
		if x.Status == st {
			return nil
		}
	}
	return domain.Errorf(domain.ECONFLICT, "活动当前状态为“%s”，不能%s", domain.Msg(x.Status.Label()), domain.Msg(what))
}

// AddPitch puts a published achievement on the event's programme (once).
func (s *TechEvents) AddPitch(ctx context.Context, a *domain.Actor, id, achievementID int64) (*domain.EventPitch, error) {
	if achievementID <= 0 {
		return nil, domain.FieldErrorf("achievement_id", "请选择路演的成果")
	}
	var out *domain.EventPitch
	err := s.record(ctx, a, id, "pitch", func(x *domain.TechEvent) error {
		return manage(a, x, "添加路演成果", domain.TechEventDraft, domain.TechEventPublished, domain.TechEventHeld)
	}, func(q *store.Q, x *domain.TechEvent) (string, any, error) {
		ach, err := q.FindAchievementByID(ctx, achievementID)
		if err != nil && domain.ErrorCode(err) == domain.ENOTFOUND {
			return "", nil, domain.FieldErrorf("achievement_id", "成果不存在")
		} else if err != nil {
			return "", nil, err
		}
		if ach.Status != domain.AchievementPublished {
			return "", nil, domain.FieldErrorf("achievement_id", "只有已发布的成果可以路演（该成果为“%s”）", domain.Msg(ach.Status.Label()))
		}
		p := &domain.EventPitch{EventID: x.ID, AchievementID: ach.ID, AchievementTitle: ach.Title, OwnerOrgID: ach.OwnerOrgID, OwnerName: ach.OwnerName}
		if err := q.AddEventPitch(ctx, p); err != nil {
			return "", nil, err
		}
		out = p
		return ach.Title, p, nil
	})
	return out, err
}

// Pitches lists the event's programme (public with the event).
func (s *TechEvents) Pitches(ctx context.Context, a *domain.Actor, id int64) ([]*domain.EventPitch, error) {
	x, err := s.Get(ctx, a, id)
	if err != nil {
		return nil, err
	}
	return s.store.EventPitches(ctx, x.ID)
}

// RecordIntention records an intention signed at the event between an
// enterprise and a published achievement's unit: by a manager, or by the
// enterprise itself. Both parties hear of it.
func (s *TechEvents) RecordIntention(ctx context.Context, a *domain.Actor, id int64, in *domain.Intention) (*domain.Intention, error) {
	var c textCleaner
	c.line("signed_on", &in.SignedOn)
	c.prose("note", &in.Note)
	if err := c.err(); err != nil {
		return nil, err
	}
	today := s.today()
	var out *domain.Intention
	err := s.record(ctx, a, id, "intention", func(x *domain.TechEvent) error {
		if !domain.TechEvents.CanRecordIntention(a, x, in.EnterpriseOrgID) {
			return forbidden("登记该活动的合作意向")
		}
		if !x.Recording(today) {
			return domain.Errorf(domain.ECONFLICT, "活动当前状态为“%s”（%s），不能登记合作意向", domain.Msg(x.Status.Label()), x.Date)
		}
		return in.Validate(x, today)
	}, func(q *store.Q, x *domain.TechEvent) (string, any, error) {
		if !domain.TechEvents.CanManage(a, x) { // the enterprise itself: only at an event it registered for
			if ok, err := q.Registered(ctx, x.ID, a.OrgID); err != nil {
				return "", nil, err
			} else if !ok {
				return "", nil, domain.Errorf(domain.EFORBIDDEN, "本单位未报名该活动，不能登记合作意向")
			}
		}
		ach, err := q.FindAchievementByID(ctx, in.AchievementID)
		if err != nil && domain.ErrorCode(err) == domain.ENOTFOUND {
			return "", nil, domain.FieldErrorf("achievement_id", "成果不存在")
		} else if err != nil {
			return "", nil, err
		}
		if ach.Status != domain.AchievementPublished {
			return "", nil, domain.FieldErrorf("achievement_id", "只有已发布的成果可以登记意向（该成果为“%s”）", domain.Msg(ach.Status.Label()))
		}
		ent, err := q.FindOrgByID(ctx, in.EnterpriseOrgID)
		if err != nil && domain.ErrorCode(err) == domain.ENOTFOUND {
			return "", nil, domain.FieldErrorf("enterprise_org_id", "企业不存在")
		} else if err != nil {
			return "", nil, err
		}
		if ent.Kind != domain.OrgEnterprise {
			return "", nil, domain.FieldErrorf("enterprise_org_id", "意向的一方应为企业（%s为%s）", ent.Name, domain.Msg(ent.Kind.Label()))
		}
		if ent.ID == ach.OwnerOrgID {
			return "", nil, domain.FieldErrorf("enterprise_org_id", "企业不能与本单位的成果签订意向")
		}
		y := &domain.Intention{EventID: x.ID, AchievementID: ach.ID, EnterpriseOrgID: ent.ID, OwnerOrgID: ach.OwnerOrgID,
			SignedOn: in.SignedOn, Mode: in.Mode, Note: in.Note, RecordedBy: a.UserID,
			AchievementTitle: ach.Title, EnterpriseName: ent.Name, OwnerName: ach.OwnerName, EventTitle: x.Title}
		if err := q.AddIntention(ctx, y); err != nil {
			return "", nil, err
		}
		n := eventNotice(x, "已登记合作意向", "intention-"+strconv.FormatInt(y.ID, 10))
		for _, org := range []int64{y.EnterpriseOrgID, y.OwnerOrgID} {
			if err := s.noticeOrg(ctx, q, a, org, n); err != nil {
				return "", nil, err
			}
		}
		out = y
		return ent.Name + "—" + ach.Title, y, nil
	})
	return out, err
}

// Intentions lists the event's intentions the actor may see.
func (s *TechEvents) Intentions(ctx context.Context, a *domain.Actor, id int64) ([]*domain.Intention, error) {
	x, err := s.Get(ctx, a, id)
	if err != nil {
		return nil, err
	}
	ys, err := s.store.EventIntentions(ctx, x.ID)
	if err != nil {
		return nil, err
	}
	out := []*domain.Intention{}
	for _, y := range ys {
		if domain.TechEvents.CanSeeIntention(a, x, y) {
			out = append(out, y)
		}
	}
	return out, nil
}

// MyIntentions lists a page of the intentions the actor's organisation is
// party to or organised (the bureau: every one), with their count.
func (s *TechEvents) MyIntentions(ctx context.Context, a *domain.Actor, page, perPage int) ([]*domain.Intention, int, error) {
	if err := requireLogin(a); err != nil {
		return nil, 0, err
	}
	sc := domain.TechEvents.IntentionScope(a)
	if !sc.All && sc.OrgID == 0 {
		return []*domain.Intention{}, 0, nil
	}
	limit, offset := pageOf(page, perPage)
	return s.store.OrgIntentions(ctx, sc, limit, offset)
}

// RecordService records that an enterprise was served at the event (one
// record per enterprise and event: 服务企业家次).
func (s *TechEvents) RecordService(ctx context.Context, a *domain.Actor, id int64, in *domain.ServiceRecord) (*domain.ServiceRecord, error) {
	var c textCleaner
	c.prose("note", &in.Note)
	if err := c.err(); err != nil {
		return nil, err
	}
	if err := in.Validate(); err != nil {
		return nil, err
	}
	today := s.today()
	var out *domain.ServiceRecord
	err := s.record(ctx, a, id, "service", func(x *domain.TechEvent) error {
		if err := manage(a, x, "登记服务企业", domain.TechEventPublished, domain.TechEventHeld); err != nil {
			return err
		}
		if !x.Recording(today) {
			return domain.Errorf(domain.ECONFLICT, "活动日期（%s）未到，不能登记服务企业", x.Date)
		}
		return nil
	}, func(q *store.Q, x *domain.TechEvent) (string, any, error) {
		o, err := q.FindOrgByID(ctx, in.OrgID)
		if err != nil && domain.ErrorCode(err) == domain.ENOTFOUND {
			return "", nil, domain.FieldErrorf("org_id", "企业不存在")
		} else if err != nil {
			return "", nil, err
		}
		if o.Kind != domain.OrgEnterprise {
			return "", nil, domain.FieldErrorf("org_id", "服务企业家次只记企业（%s为%s）", o.Name, domain.Msg(o.Kind.Label()))
		}
		r := &domain.ServiceRecord{EventID: x.ID, OrgID: o.ID, OrgName: o.Name, Kind: in.Kind, Note: in.Note, RecordedBy: a.UserID}
		if err := q.AddServiceRecord(ctx, r); err != nil {
			return "", nil, err
		}
		out = r
		return o.Name, r, nil
	})
	return out, err
}

// Services lists the event's service records (its managers only: they
// name the enterprises).
func (s *TechEvents) Services(ctx context.Context, a *domain.Actor, id int64) ([]*domain.ServiceRecord, error) {
	x, err := s.managed(ctx, a, id, "查看该活动的服务记录")
	if err != nil {
		return nil, err
	}
	return s.store.EventServices(ctx, x.ID)
}

// eventChainFigures is the event module's chain source: events held in
// the year (not cancelled), the service records of those events
// (服务企业家次) and the intentions signed in the year.
func eventChainFigures(ctx context.Context, q *store.Q, year int, chain string) (domain.ChainFigures, error) {
	events, services, intentions, err := q.EventChainFigures(ctx, year, chain)
	if err != nil {
		return nil, err
	}
	pitched, err := q.AchievementsPitched(ctx, year, chain)
	if err != nil {
		return nil, err
	}
	return domain.ChainFigures{domain.ChainEvents: events, domain.ChainEnterpriseServices: services, domain.ChainIntentions: intentions,
		domain.ChainAchievementsPitched: pitched}, nil
}

// eventChainLinks is the event module's timeline source: an achievement
// pitched at an event (on its date), and each intention signed on it
// (with the enterprise, on the day signed; the enterprise only for those
// who may read the intention).
func eventChainLinks(ctx context.Context, q *store.Q, ref domain.ChainRef) ([]domain.ChainLink, error) {
	if ref.Kind != "achievement" {
		return nil, nil
	}
	day := func(d string) time.Time {
		t, _ := time.ParseInLocation(time.DateOnly, d, domain.ChinaTZ)
		return t
	}
	evs, err := q.AchievementPitches(ctx, ref.ID)
	if err != nil {
		return nil, err
	}
	var out []domain.ChainLink
	for _, e := range evs {
		out = append(out, domain.ChainLink{At: day(e.Date), Kind: "event", Step: "pitched", Label: "在路演/对接活动中推介",
			Ref: domain.ChainRef{Kind: "event", ID: e.ID}, Title: e.Title})
	}
	ys, err := q.AchievementIntentions(ctx, ref.ID)
	if err != nil {
		return nil, err
	}
	for _, y := range ys {
		out = append(out, domain.ChainLink{At: day(y.SignedOn), Kind: "intention", Step: "intention", Label: "与企业签订合作意向",
			Ref: domain.ChainRef{Kind: "intention", ID: y.ID}, Title: y.EnterpriseName + "（" + y.EventTitle + "）", Public: y.EventTitle})
	}
	return out, nil
}
