package web

import (
	"html/template"
	"strings"
	"testing"

	"kechuang/internal/domain"
	"kechuang/internal/i18n"
)

// TestModuleRegistryRefusesMistakes: the registry catches what would
// otherwise collide silently between modules.
func TestModuleRegistryRefusesMistakes(t *testing.T) {
	fn := func(names ...string) func(i18n.Lang) template.FuncMap {
		return func(i18n.Lang) template.FuncMap {
			m := template.FuncMap{}
			for _, n := range names {
				m[n] = func() string { return "" }
			}
			return m
		}
	}
	cases := []struct {
		name string
		mods []Module
		want string
	}{
		{"ErrDuplicateModule", []Module{{Name: "a"}, {Name: "a"}}, "registered twice"},
		{"ErrUnnamedModule", []Module{{Name: ""}}, "empty"},
		{"ErrUnprefixedFunc", []Module{{Name: "a", Funcs: fn("a_ok", "label")}}, `"label" must be named a_`},
		{"ErrDuplicateFlash", []Module{{Name: "a", Flash: map[string]string{"saved": "x"}}, {Name: "b", Flash: map[string]string{"saved": "y"}}}, `"saved" registered twice`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := newRegistry(tc.mods)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("newRegistry = %v, want an error containing %q", err, tc.want)
			}
		})
	}
	reg, err := newRegistry(modules())
	if err != nil {
		t.Fatalf("the registered modules: %v", err)
	}
	if err := reg.checkPartials(funcsFor(i18n.ZH)); err == nil {
		t.Fatal("partials parsed without their modules' functions: want an error")
	}
	bad := &registry{modules: []Module{{Name: "audit", Partials: []string{"contract/partials"}}}}
	fm := reg.funcs(i18n.ZH)
	for k, v := range funcsFor(i18n.ZH) {
		fm[k] = v
	}
	if err := bad.checkPartials(fm); err == nil || !strings.Contains(err.Error(), "must be named audit_") {
		t.Fatalf("another module's partial names accepted: %v", err)
	}
}

// TestNavigationFollowsPolicy: the sidebar shows exactly what the modules'
// policies allow, for the public and for each role.
func TestNavigationFollowsPolicy(t *testing.T) {
	reg, err := newRegistry(modules())
	if err != nil {
		t.Fatal(err)
	}
	ids := func(a *domain.Actor) string {
		var out []string
		for _, l := range reg.nav(a, "") {
			out = append(out, l.ID)
		}
		return strings.Join(out, " ")
	}
	for _, tc := range []struct {
		role domain.Role
		want string
	}{
		{"", "nav-stats nav-achievements nav-needs nav-challenges nav-events nav-evaluation-publicity"}, // the public: the statistics, the achievement catalogue, the need board, the challenge board, the events and the evaluations on notice
		{domain.RoleRegistrar, "nav-stats nav-contracts nav-new nav-queue nav-import nav-achievements nav-needs nav-challenges nav-events nav-account"},
		{domain.RoleBureau, "nav-stats nav-contracts nav-regime nav-achievements nav-needs nav-challenges nav-events nav-my-events nav-enterprises nav-audit nav-account"},
		{domain.RoleExpert, "nav-stats nav-contracts nav-achievements nav-needs nav-challenges nav-events nav-account nav-evaluation-queue nav-evaluation-publicity"}, // its assigned reviews and scoring; the public boards
		{domain.RoleTTO, "nav-stats nav-contracts nav-new nav-achievements nav-needs nav-challenges nav-events nav-my-events nav-account"},
	} {
		var a *domain.Actor
		if tc.role != "" {
			a = &domain.Actor{UserID: 1, Role: tc.role, OrgID: 1}
		}
		got := ids(a)
		exact := tc.role == "" || tc.role == domain.RoleExpert // these see nothing more, whatever modules come
		if (exact && got != tc.want) || !strings.HasPrefix(got, tc.want) {
			t.Errorf("%q sees %q, want %q", tc.role, got, tc.want)
		}
	}
}
