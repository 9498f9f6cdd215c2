package storetest

import (
	"context"
	"crypto/rand"
	"fmt"
	"sync"
	"testing"
	"time"

	"kechuang/internal/city"
	"kechuang/internal/domain"
	"kechuang/internal/password"
	"kechuang/internal/store"
)

// Password is the password of every user of a world.
const Password = "kechuang-test-2023"

// Start is the world's clock when it is made: 2023-06-15 10:00 in China.
var Start = time.Date(2023, 6, 15, 10, 0, 0, 0, domain.ChinaTZ)

// World is one small city on a real database, written through the store
// (below the service): the city file of Shenyang, an organisation of every
// kind the modules need, one user per role with Password, and a clock that
// stands still until a test moves it. Every package's tests start from it;
// each module adds its records with a builder of its own (contract.go).
type World struct {
	St    *store.Store // the store given to New, stamping times from Clock
	Clock *domain.ManualClock
	City  *city.City

	Bureau    *domain.Org // 科技局
	Registry  *domain.Org // the city's registry (its region is the 登记号's)
	Registry2 *domain.Org // a second registry in a district
	Univ      *domain.Org // 东北大学, the seller of the default contract
	Univ2     *domain.Org // a second university
	Institute *domain.Org // the expert's organisation
	Ent       *domain.Org // the buyer of the default contract
	Ent2      *domain.Org // a local enterprise party to nothing by default
	Other     *domain.Org // an enterprise outside the city
	Agency    *domain.Org // 技术转移机构, may broker
	Pilot     *domain.Org // 中试基地
	Tax       *domain.Org // 财政/税务部门 (reads registrations, may object)

	// Users by key; Keys lists the keys in a fixed order.
	Users map[string]*domain.User

	tb           testing.TB
	seq          int // credit codes handed out so far
	contracts    int // contract numbers handed out so far
	achievements int // patent numbers handed out so far
}

// Keys are the users of a world: one per role, a registrar of the second
// registry, a second enterprise and a second university's officer, and
// a 财政/税务 officer.
var Keys = []string{"admin", "bureau", "registrar", "expert", "tto", "enterprise", "pilot_base", "agency",
	"other_registrar", "other_tto", "enterprise2", "authority"}

// Option changes how New builds a world.
type Option func(*options)

type options struct {
	password  string
	usernames map[string]string
}

// WithPassword gives every user pw instead of Password.
func WithPassword(pw string) Option { return func(o *options) { o.password = pw } }

// WithUsernames names users other than by their key (key → username).
func WithUsernames(m map[string]string) Option { return func(o *options) { o.usernames = m } }

// New builds a world in st, an empty migrated store, and returns it. The
// store it keeps (w.St) shares st's connections and reads w.Clock.
func New(tb testing.TB, st *store.Store, opts ...Option) *World {
	tb.Helper()
	o := options{password: Password}
	for _, f := range opts {
		f(&o)
	}
	w := &World{Clock: domain.NewManualClock(Start), City: city.Shenyang(), Users: map[string]*domain.User{}, tb: tb}
	w.St = st.WithClock(w.Clock)
	w.inTx(func(ctx context.Context, tx *store.Q) error {
		// The national table, then the city's configuration through the
		// store's one city writer, the function service.Admin.InstallCity
		// writes with (the layers keep the world below the service); the
		// organisations are the world's own.
		if err := PutNationalRegions(ctx, tx); err != nil {
			return err
		}
		if err := tx.PutCity(ctx, w.City); err != nil {
			return err
		}
		if err := w.orgs(ctx, tx); err != nil {
			return err
		}
		if err := tx.SetSetting(ctx, "default_registry", fmt.Sprint(w.Registry.ID)); err != nil {
			return err
		}
		return w.users(ctx, tx, o)
	})
	return w
}

// Credit codes of the world's organisations, known before a world exists
// (a spreadsheet row of a test names its parties by them).
var (
	UnivUSCC   = USCC(1)
	EntUSCC    = USCC(2)
	Ent2USCC   = USCC(3)
	OtherUSCC  = USCC(4)
	AgencyUSCC = USCC(5)
)

// orgs creates the organisations; their credit codes are USCC(1…8).
func (w *World) orgs(ctx context.Context, tx *store.Q) error {
	sy := w.City
	for _, d := range []string{Heping, Hunnan, Tiexi} {
		if _, ok := sy.District(d); !ok || sy.Code != CityCode {
			return fmt.Errorf("district %s is not in the city file of %s", d, sy.Code)
		}
	}
	org := func(kind domain.OrgKind, name, region string, uscc int) *domain.Org {
		o := &domain.Org{Kind: kind, Name: name, RegionCode: region}
		if uscc > 0 {
			o.USCC = USCC(uscc)
		}
		return o
	}
	w.Univ = org(domain.OrgUniversity, "东北大学", Heping, 1)
	w.Ent = org(domain.OrgEnterprise, "沈阳海龟医疗科技有限公司", Hunnan, 2)
	w.Ent2 = org(domain.OrgEnterprise, "沈阳机床股份有限公司", Tiexi, 3)
	w.Other = org(domain.OrgEnterprise, "北京某科技有限公司", Beijing, 4)
	w.Agency = org(domain.OrgAgency, "沈阳市技术转移服务中心", Heping, 5)
	w.Institute = org(domain.OrgInstitute, "中国科学院金属研究所", Heping, 6)
	w.Univ2 = org(domain.OrgUniversity, "沈阳工业大学", Tiexi, 7)
	w.Pilot = org(domain.OrgPilotBase, "沈阳智能制造中试基地", Tiexi, 8)
	w.Bureau = org(domain.OrgBureau, sy.Bureau.Name, sy.Bureau.Code, 0)
	w.Registry = org(domain.OrgRegistry, sy.Registry.Name, sy.Registry.Code, 0)
	w.Registry2 = org(domain.OrgRegistry, "浑南区技术合同登记点", Hunnan, 0)
	w.Tax = org(domain.OrgAuthority, "国家税务总局本市税务局", sy.Bureau.Code, 0)
	w.seq = 8
	for _, o := range []*domain.Org{w.Registry, w.Registry2, w.Univ, w.Ent, w.Ent2, w.Other, w.Agency,
		w.Institute, w.Univ2, w.Pilot, w.Bureau, w.Tax} {
		if err := tx.CreateOrg(ctx, o); err != nil {
			return err
		}
	}
	return nil
}

// users creates one user per key, all with one password hash: argon2id per
// user would dominate the suites' time, and Login is tested on its own.
func (w *World) users(ctx context.Context, tx *store.Q, o options) error {
	hash, err := hashOf(o.password)
	if err != nil {
		return err
	}
	roles := map[string]struct {
		role domain.Role
		org  *domain.Org
	}{
		"admin": {domain.RoleAdmin, w.Bureau}, "bureau": {domain.RoleBureau, w.Bureau},
		"registrar": {domain.RoleRegistrar, w.Registry}, "expert": {domain.RoleExpert, w.Institute},
		"tto": {domain.RoleTTO, w.Univ}, "enterprise": {domain.RoleEnterprise, w.Ent},
		"pilot_base": {domain.RolePilotBase, w.Pilot}, "agency": {domain.RoleAgency, w.Agency},
		"other_registrar": {domain.RoleRegistrar, w.Registry2}, "other_tto": {domain.RoleTTO, w.Univ2},
		"enterprise2": {domain.RoleEnterprise, w.Ent2}, "authority": {domain.RoleAuthority, w.Tax},
	}
	for _, key := range Keys {
		name := key
		if n, ok := o.usernames[key]; ok {
			name = n
		}
		u := &domain.User{Username: name, DisplayName: "测试" + key, Role: roles[key].role, OrgID: roles[key].org.ID,
			OrgName: roles[key].org.Name, PasswordHash: hash}
		if err := tx.CreateUser(ctx, u); err != nil {
			return err
		}
		w.Users[key] = u
	}
	return nil
}

// hashOf hashes each password once per test binary.
func hashOf(pw string) (string, error) {
	hashMu.Lock()
	defer hashMu.Unlock()
	if h, ok := hashes[pw]; ok {
		return h, nil
	}
	h, err := password.Hash(pw)
	if err == nil {
		hashes[pw] = h
	}
	return h, err
}

var (
	hashMu sync.Mutex
	hashes = map[string]string{}
)

// User returns the user of key (one of Keys).
func (w *World) User(key string) *domain.User {
	u, ok := w.Users[key]
	if !ok {
		w.tb.Fatalf("storetest: the world has no user %q (have %v)", key, Keys)
	}
	return u
}

// Actor returns the actor of the user of key.
func (w *World) Actor(key string) *domain.Actor {
	u := w.User(key)
	return &domain.Actor{UserID: u.ID, Username: u.Username, Role: u.Role, OrgID: u.OrgID}
}

// ByRole returns the first user (in Keys order) with role.
func (w *World) ByRole(role domain.Role) *domain.User {
	for _, k := range Keys {
		if u := w.Users[k]; u != nil && u.Role == role {
			return u
		}
	}
	w.tb.Fatalf("storetest: the world has no user with role %s", role)
	return nil
}

// SetDay moves the clock to 10:00 China time on day (YYYY-MM-DD).
func (w *World) SetDay(day string) {
	d, err := time.ParseInLocation(time.DateOnly, day, domain.ChinaTZ)
	if err != nil {
		w.tb.Fatalf("storetest: day %q: %v", day, err)
	}
	w.Clock.Set(d.Add(10 * time.Hour))
}

// Today is the clock's date in China.
func (w *World) Today() string { return domain.DateOf(w.Clock.Now()) }

// USCC returns a credit code no organisation of the world has yet.
func (w *World) USCC() string {
	w.seq++
	return USCC(w.seq)
}

// Session opens a session for the user of key the way Login does, without
// paying for the password; tokenHash is how the service stores tokens
// (service.TokenHash: the world does not import the service). It returns
// the secret for the cookie.
func (w *World) Session(key string, tokenHash func(string) string, ttl time.Duration) string {
	w.tb.Helper()
	u, secret := w.User(key), rand.Text()
	if err := w.St.CreateSession(context.Background(), tokenHash(secret), u.ID, w.Clock.Now().Add(ttl)); err != nil {
		w.tb.Fatalf("storetest: session of %s: %v", key, err)
	}
	return secret
}

func (w *World) inTx(fn func(ctx context.Context, tx *store.Q) error) {
	w.tb.Helper()
	ctx := context.Background()
	if err := w.St.InTx(ctx, func(tx *store.Q) error { return fn(ctx, tx) }); err != nil {
		w.tb.Fatalf("storetest: %v", err)
	}
}

// AddUser creates one more user of role in org (no password that logs in).
func (w *World) AddUser(tb testing.TB, username string, role domain.Role, org *domain.Org) *domain.User {
	tb.Helper()
	u := &domain.User{Username: username, DisplayName: "测试" + username, Role: role, OrgID: org.ID, OrgName: org.Name, PasswordHash: "x"}
	w.inTx(func(ctx context.Context, tx *store.Q) error { return tx.CreateUser(ctx, u) })
	return u
}
