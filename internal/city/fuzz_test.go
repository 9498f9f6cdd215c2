package city_test

import (
	"bytes"
	"reflect"
	"strings"
	"testing"

	"kechuang/internal/city"
)

// FuzzLoad: no input panics; what loads is valid, and survives a write and
// a reload unchanged.
func FuzzLoad(f *testing.F) {
	var sy bytes.Buffer
	if err := city.Write(&sy, city.Shenyang()); err != nil {
		f.Fatal(err)
	}
	for _, s := range []string{minimal, sy.String(), "", "name: [", "targets: {2023: {contract_turnover_fen: -1}}",
		"a: &a [*a, *a]", "districts: [{code: 210102}]", minimal + "---\n"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		c, err := city.Load(strings.NewReader(s))
		if err != nil {
			if c != nil {
				t.Fatal("a city and an error")
			}
			return
		}
		if err := c.Validate(); err != nil {
			t.Fatalf("loaded city fails validation: %v", err)
		}
		var buf bytes.Buffer
		if err := city.Write(&buf, c); err != nil {
			t.Fatal(err)
		}
		back, err := city.Load(&buf)
		if err != nil {
			t.Fatalf("reload: %v\n%s", err, buf.String())
		}
		if !reflect.DeepEqual(back, c) {
			t.Fatalf("round trip changed the city:\n got %+v\nwant %+v", back, c)
		}
	})
}
