package store_test

import (
	"context"
	"testing"
	"time"

	"kechuang/internal/domain"
	"kechuang/internal/store"
	"kechuang/internal/store/storetest"
)

// TestAPITokenLifecycle: listing, use recording at most once a minute,
// revocation scoped to the owner, and ending a user's other sessions.
func TestAPITokenLifecycle(t *testing.T) {
	eachStore(t, func(t *testing.T, st *store.Store) {
		ctx := context.Background()
		city := storetest.New(t, st)
		owner := &domain.User{Username: "zhang", DisplayName: "张", Role: domain.RoleTTO, OrgID: city.Univ.ID, PasswordHash: "h"}
		other := &domain.User{Username: "wang", DisplayName: "王", Role: domain.RoleTTO, OrgID: city.Univ.ID, PasswordHash: "h"}
		for _, u := range []*domain.User{owner, other} {
			if err := inTx(t, st, func(tx *store.Q) error { return tx.CreateUser(ctx, u) }); err != nil {
				t.Fatal(err)
			}
		}
		mk := func(u *domain.User, name, hash string) *domain.APIToken {
			tok := &domain.APIToken{UserID: u.ID, Name: name}
			if err := inTx(t, st, func(tx *store.Q) error { return tx.CreateAPIToken(ctx, tok, hash, 20) }); err != nil {
				t.Fatal(err)
			}
			return tok
		}
		a, b, c := mk(owner, "导出脚本", "hash-a"), mk(owner, "统计脚本", "hash-b"), mk(other, "他人脚本", "hash-c")

		list, err := st.FindAPITokens(ctx, owner.ID)
		if err != nil || len(list) != 2 || list[0].ID != b.ID || list[1].ID != a.ID {
			t.Fatalf("FindAPITokens = %+v, %v (want b, a)", list, err)
		}
		if list[0].Name != "统计脚本" || list[0].UserID != owner.ID || list[0].CreatedAt.IsZero() || !list[0].LastUsedAt.IsZero() {
			t.Fatalf("token row %+v", list[0])
		}
		if none, err := st.FindAPITokens(ctx, 987654); err != nil || none == nil || len(none) != 0 {
			t.Fatalf("no tokens = %#v, %v (want an empty, non-nil list)", none, err)
		}

		t.Run("Touch", func(t *testing.T) {
			now := time.Date(2023, 6, 1, 8, 0, 0, 0, time.UTC)
			tests := []struct {
				name  string
				at    time.Time
				wrote bool
				want  time.Time // last_used_at afterwards
			}{
				{"FirstUse", now, true, now},
				{"WithinAMinute", now.Add(59 * time.Second), false, now},
				{"AfterAMinute", now.Add(61 * time.Second), true, now.Add(61 * time.Second)},
				{"ClockBehind", now, false, now.Add(61 * time.Second)},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					wrote, err := st.TouchAPIToken(ctx, a.ID, tt.at)
					if err != nil || wrote != tt.wrote {
						t.Fatalf("TouchAPIToken = %v, %v; want %v", wrote, err, tt.wrote)
					}
					u, tok, err := st.FindAPITokenUser(ctx, "hash-a")
					if err != nil || u.ID != owner.ID || tok.ID != a.ID || !tok.LastUsedAt.Equal(tt.want) {
						t.Fatalf("FindAPITokenUser = %v, %+v, %v; want last used %v", u, tok, err, tt.want)
					}
				})
			}
		})

		t.Run("Revoke", func(t *testing.T) {
			tests := []struct {
				name      string
				id, owner int64
				wantErr   string
			}{
				{"OtherUsersToken", c.ID, owner.ID, domain.ENOTFOUND},
				{"Missing", 987654, owner.ID, domain.ENOTFOUND},
				{"Own", b.ID, owner.ID, ""},
				{"Twice", b.ID, owner.ID, domain.ENOTFOUND},
				{"AnyOwner", c.ID, 0, ""},
			}
			for _, tt := range tests {
				t.Run(tt.name, func(t *testing.T) {
					var got *domain.APIToken
					err := inTx(t, st, func(tx *store.Q) (err error) {
						got, err = tx.DeleteAPIToken(ctx, tt.id, tt.owner)
						return err
					})
					if tt.wantErr != "" {
						wantCode(t, err, tt.wantErr, "")
						return
					}
					if err != nil || got.ID != tt.id || got.Name == "" {
						t.Fatalf("DeleteAPIToken = %+v, %v", got, err)
					}
				})
			}
			for hash, alive := range map[string]bool{"hash-a": true, "hash-b": false, "hash-c": false} {
				_, _, err := st.FindAPITokenUser(ctx, hash)
				if alive && err != nil {
					t.Errorf("%s: %v", hash, err)
				}
				if !alive {
					wantCode(t, err, domain.ENOTFOUND, "")
				}
			}
		})

		t.Run("DeleteUserSessions", func(t *testing.T) {
			now := time.Date(2023, 6, 1, 8, 0, 0, 0, time.UTC)
			for _, s := range []struct {
				hash string
				u    *domain.User
			}{{"s1", owner}, {"s2", owner}, {"s3", owner}, {"o1", other}} {
				if err := st.CreateSession(ctx, s.hash, s.u.ID, now.Add(time.Hour)); err != nil {
					t.Fatal(err)
				}
			}
			var n int64
			if err := inTx(t, st, func(tx *store.Q) (err error) { n, err = tx.DeleteUserSessions(ctx, owner.ID, "s2"); return err }); err != nil || n != 2 {
				t.Fatalf("DeleteUserSessions = %d, %v; want 2", n, err)
			}
			for hash, alive := range map[string]bool{"s1": false, "s2": true, "s3": false, "o1": true} {
				_, err := st.FindSessionUser(ctx, hash, now)
				if (err == nil) != alive {
					t.Errorf("session %s alive = %v, want %v", hash, err == nil, alive)
				}
			}
			if err := inTx(t, st, func(tx *store.Q) (err error) { n, err = tx.DeleteUserSessions(ctx, owner.ID, ""); return err }); err != nil || n != 1 {
				t.Fatalf("DeleteUserSessions(all) = %d, %v; want 1", n, err)
			}
		})
	})
}
