package service_test

import (
	"context"
	"errors"
	"strconv"
	"testing"
	"time"

	"kechuang/internal/domain"
	"kechuang/internal/service"
	"kechuang/internal/store"
	"kechuang/internal/store/storetest"
	"kechuang/internal/testutil"
)

// world is a service over the one test world (storetest.New) with the
// actors the contract tests name. The world's clock stands at 2022-03-15
// 10:00 China time; tests move it with w.city.SetDay or w.city.Clock.
type world struct {
	svc  *service.Service
	st   *store.Store // the world's store, reading its clock
	city *storetest.World

	registrar, registrar2, univ, ent, ent2, agency, bureau, expert *domain.Actor
}

var pdf = storetest.PDF

// eachWorld runs fn on a fresh world for every configured database.
func eachWorld(t *testing.T, fn func(t *testing.T, w *world)) {
	t.Helper()
	t.Parallel()
	for _, ns := range testutil.Stores(t) {
		t.Run(ns.Name, func(t *testing.T) { fn(t, newWorld(t, ns.Store)) })
	}
}

func newWorld(t *testing.T, st *store.Store) *world {
	t.Helper()
	c := storetest.New(t, st)
	c.SetDay("2022-03-15")
	return &world{svc: service.New(c.St, testutil.Log()), st: c.St, city: c,
		registrar: c.Actor("registrar"), registrar2: c.Actor("other_registrar"), univ: c.Actor("tto"),
		ent: c.Actor("enterprise"), ent2: c.Actor("enterprise2"), agency: c.Actor("agency"),
		bureau: c.Actor("bureau"), expert: c.Actor("expert")}
}

// input is what a filer sends: a valid contract sold by seller to buyer.
func (w *world) input(seller, buyer *domain.Org, turnover int64) *domain.Contract {
	c := w.city.Contract().Seller(seller).Buyer(buyer).Turnover(turnover).Build()
	c.RegistryID, c.OwnerOrgID, c.Status, c.TechTransactionFen = 0, 0, "", 0
	if today := w.city.Today(); c.SignedOn > today { // a filing is signed by the day it is filed
		c.SignedOn, c.TermStart = today, today
		c.TermEnd = w.city.Clock.Now().AddDate(1, 0, 0).Format(time.DateOnly)
	}
	return c
}

// filed files, uploads and submits a contract as a: it awaits 受理.
func (w *world) filed(t *testing.T, a *domain.Actor, in *domain.Contract) *domain.Contract {
	t.Helper()
	ctx := context.Background()
	c, err := w.svc.Contracts.Create(ctx, a, in)
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	if c, err = w.svc.Contracts.UploadDocument(ctx, a, c.ID, "合同.pdf", pdf); err != nil {
		t.Fatalf("upload: %v", err)
	}
	if c, err = w.svc.Contracts.Submit(ctx, a, c.ID, c.Version); err != nil {
		t.Fatalf("submit: %v", err)
	}
	return c
}

// submitted files, uploads and submits a contract as a, and its registry's
// registrar accepts it (受理), returning it ready for a decision.
func (w *world) submitted(t *testing.T, a *domain.Actor, in *domain.Contract) *domain.Contract {
	t.Helper()
	ctx := context.Background()
	c, err := w.svc.Contracts.Create(ctx, a, in)
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	if c, err = w.svc.Contracts.UploadDocument(ctx, a, c.ID, "合同.pdf", pdf); err != nil {
		t.Fatalf("upload: %v", err)
	}
	if c, err = w.svc.Contracts.Submit(ctx, a, c.ID, c.Version); err != nil {
		t.Fatalf("submit: %v", err)
	}
	reg := w.registrar
	if c.RegistryID != w.city.Registry.ID {
		reg = w.registrar2
	}
	if c, err = w.svc.Contracts.Accept(ctx, reg, c.ID, c.Version); err != nil {
		t.Fatalf("accept: %v", err)
	}
	return c
}

// auditCount counts the audit rows of one contract.
func (w *world) auditCount(t *testing.T, id int64) int {
	t.Helper()
	_, n, err := w.st.FindAudit(context.Background(), domain.AuditFilter{Entity: "contract", EntityID: itoa(id)})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

func itoa(n int64) string {
	return strconv.FormatInt(n, 10)
}

func wantCode(t *testing.T, err error, code, field string) {
	t.Helper()
	var de *domain.Error
	if !errors.As(err, &de) {
		t.Fatalf("got %v, want a domain error %s %s", err, code, field)
	}
	if de.Code != code || (field != "" && de.Field != field) {
		t.Fatalf("got %s/%s (%s), want %s/%s", de.Code, de.Field, de.Message, code, field)
	}
}
