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

// world is a service over a real database with the storetest city and an
// actor for each role that matters to contracts. The clock is fixed and
// moved by the tests.
type world struct {
	svc  *service.Service
	st   *store.Store
	city *storetest.City
	now  time.Time

	registrar, registrar2, univ, ent, ent2, agency, bureau, expert *domain.Actor
}

var pdf = []byte("%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n")

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
	w := &world{st: st, city: storetest.NewCity(t, st)}
	w.setNow("2022-03-15")
	w.svc = service.New(st.WithClock(domain.ClockFunc(func() time.Time { return w.now })), testutil.Log())
	actor := func(id int64, name string, role domain.Role, org *domain.Org) *domain.Actor {
		return &domain.Actor{UserID: id, Username: name, Role: role, OrgID: org.ID}
	}
	c := w.city
	w.registrar = actor(101, "li", domain.RoleRegistrar, c.Registry)
	w.registrar2 = actor(102, "zhao", domain.RoleRegistrar, c.Registry2)
	w.univ = actor(103, "neu", domain.RoleTTO, c.Univ)
	w.ent = actor(104, "haigui", domain.RoleEnterprise, c.Ent)
	w.ent2 = actor(105, "jichuang", domain.RoleEnterprise, c.Ent2)
	w.agency = actor(106, "agency", domain.RoleAgency, c.Agency)
	w.bureau = actor(107, "bureau", domain.RoleBureau, c.Registry) // org does not matter for the bureau's verbs
	w.expert = actor(108, "expert", domain.RoleExpert, c.Ent2)
	return w
}

// setNow moves the clock to 10:00 China time on day.
func (w *world) setNow(day string) {
	d, err := time.ParseInLocation(time.DateOnly, day, time.FixedZone("CST", 8*3600))
	if err != nil {
		panic(err)
	}
	w.now = d.Add(10 * time.Hour)
}

// input is what a filer sends: a valid contract sold by seller to buyer.
func (w *world) input(seller, buyer *domain.Org, turnover int64) *domain.Contract {
	c := storetest.Contract(w.city.Registry, seller, buyer, turnover)
	c.RegistryID, c.OwnerOrgID, c.Status, c.TechTransactionFen = 0, 0, "", 0
	return c
}

// submitted files, uploads and submits a contract as a, returning it.
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
