package storetest_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"kechuang/internal/domain"
	"kechuang/internal/password"
	"kechuang/internal/store"
	"kechuang/internal/store/storetest"
	"kechuang/internal/testutil"
)

// TestWorld: the world is the city file, its organisations and one user
// per key who signs in with Password, on every database.
func TestWorld(t *testing.T) {
	for _, ns := range testutil.Stores(t) {
		t.Run(ns.Name, func(t *testing.T) {
			ctx := context.Background()
			w := storetest.New(t, ns.Store)
			if name, _ := w.St.Setting(ctx, "city_name", ""); name != w.City.Name {
				t.Fatalf("city_name = %q, want %q", name, w.City.Name)
			}
			if reg, _ := w.St.Setting(ctx, "default_registry", ""); reg == "" || reg == "0" {
				t.Fatalf("default_registry = %q", reg)
			}
			for _, key := range storetest.Keys {
				u, err := w.St.FindUserByUsername(ctx, w.User(key).Username)
				if err != nil || !password.Check(u.PasswordHash, storetest.Password) || u.OrgID == 0 {
					t.Fatalf("user %s: %+v, %v", key, u, err)
				}
			}
			if w.Actor("other_registrar").OrgID != w.Registry2.ID || w.ByRole(domain.RoleRegistrar).OrgID != w.Registry.ID {
				t.Fatal("registrars are not in their registries")
			}
			if w.Univ.USCC != storetest.UnivUSCC || w.Agency.USCC != storetest.AgencyUSCC || w.USCC() == w.Pilot.USCC {
				t.Fatal("credit codes are not the documented ones, or a fresh one repeats")
			}
			w.SetDay("2022-03-15")
			if w.Today() != "2022-03-15" || !w.St.Clock().Now().Equal(time.Date(2022, 3, 15, 2, 0, 0, 0, time.UTC)) {
				t.Fatalf("clock at %v, today %s", w.St.Clock().Now(), w.Today())
			}
		})
	}
}

// TestContractBuilder: every status the builder makes is a valid record
// that reads back as written, with the history the workflow would leave.
func TestContractBuilder(t *testing.T) {
	for _, ns := range testutil.Stores(t) {
		t.Run(ns.Name, func(t *testing.T) {
			ctx := context.Background()
			w := storetest.New(t, ns.Store)
			cases := []struct {
				b       *storetest.ContractBuilder
				status  domain.ContractStatus
				history []string
				doc     bool
			}{
				{w.Contract(), domain.ContractDraft, []string{"create"}, false},
				{w.Contract().WithDocument(), domain.ContractDraft, []string{"create", "document"}, true},
				{w.Contract().Submitted(), domain.ContractSubmitted, []string{"create", "document", "submit"}, true},
				{w.Contract().Accepted(), domain.ContractAccepted, []string{"create", "document", "submit", "accept"}, true},
				{w.Contract().Returned(), domain.ContractReturned, []string{"create", "document", "submit", "accept", "return"}, true},
				{w.Contract().Refused("not_technology"), domain.ContractRefused, []string{"create", "document", "submit", "accept", "refuse"}, true},
				{w.Contract().Rejected("oral"), domain.ContractRejected, []string{"create", "document", "submit", "reject"}, true},
				{w.Contract().Seller(w.Ent).Buyer(w.Other).Turnover(7_000_00).Registered("2022-05-01", 41), domain.ContractRegistered, nil, false},
			}
			for _, tc := range cases {
				c := tc.b.Insert(t)
				got, err := w.St.FindContractByID(ctx, c.ID)
				if err != nil || got.Status != tc.status || got.RegNo != c.RegNo || (got.Document != nil) != tc.doc {
					t.Fatalf("%s: read back %+v, %v", tc.status, got, err)
				}
				if err := got.Validate(); err != nil {
					t.Errorf("%s: not valid: %v", tc.status, err)
				}
				evs, err := w.St.Events(ctx, "contract", c.ID)
				if err != nil {
					t.Fatal(err)
				}
				var actions []string
				for _, e := range evs {
					actions = append(actions, e.Action)
				}
				if !slices.Equal(actions, tc.history) {
					t.Errorf("%s: history %v, want %v", tc.status, actions, tc.history)
				}
			}
			reg := cases[len(cases)-1].b.Build()
			if reg.RegNo != domain.RegNoFor(2022, w.Registry.RegionCode, 41) || reg.Seller.OrgID != w.Ent.ID || reg.TurnoverFen != 7_000_00 {
				t.Fatalf("registered %+v", reg)
			}
			var next int64
			err := w.St.InTx(ctx, func(q *store.Q) (err error) { next, err = q.NextRegSerial(ctx, w.Registry.ID, 2022); return })
			if err != nil || next != 42 {
				t.Fatalf("next serial after a registered record with 41: %d, %v", next, err)
			}
		})
	}
}
