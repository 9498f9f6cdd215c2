package city

import "testing"

func TestCommonPath(t *testing.T) {
	for _, tc := range []struct{ a, b, want string }{
		{"districts[1].code", "districts[1].name", "districts[1]"},
		{"districts[1]", "districts[1].code", "districts[1]"},
		{"districts[1].code", "districts[12].code", "districts"},
		{"bureau.name", "bureau.code", "bureau"},
		{"name", "nmae", ""},
		{"chains", "chains", "chains"},
	} {
		if got := commonPath(tc.a, tc.b); got != tc.want {
			t.Errorf("commonPath(%q, %q) = %q, want %q", tc.a, tc.b, got, tc.want)
		}
	}
}
