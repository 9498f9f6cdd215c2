package service_test

import (
	"context"
	"testing"

	"kechuang/internal/domain"
	"kechuang/internal/service"
)

// TestMunicipalityIsLocal: a city may be a municipality (重庆 500000,
// 上海 310000), whose districts and counties sit directly under it — for
// 重庆 both 5001xx and 5002xx. A party is local when its region's city is
// the configured city (domain.IsLocal), so the statistics' output, absorption
// and local flows count them, and a party of another city does not.
func TestMunicipalityIsLocal(t *testing.T) {
	for _, tc := range []struct {
		city, name string
		a, b       string // two of its districts (重庆: a 市辖区 and a 县)
	}{
		{"500000", "重庆市", "500103", "500229"},
		{"310000", "上海市", "310115", "310101"},
	} {
		t.Run(tc.city, func(t *testing.T) {
			eachWorld(t, func(t *testing.T, w *world) {
				ctx := context.Background()
				for k, v := range map[string]string{service.SettingCityCode: tc.city, service.SettingCityName: tc.name} {
					if err := w.st.SetSetting(ctx, k, v); err != nil {
						t.Fatal(err)
					}
				}
				const outside = "510107" // 成都市 武侯区
				party := func(region string) domain.Party {
					return domain.Party{Name: "区划" + region + "科技有限公司", USCC: w.city.USCC(), RegionCode: region, Type: domain.PartyEnterprise}
				}
				register := func(seller, buyer string, turnover int64) {
					t.Helper()
					in := w.input(w.city.Univ, w.city.Ent, turnover)
					in.Seller, in.Buyer = party(seller), party(buyer)
					x := w.submitted(t, w.registrar, in)
					if _, err := w.svc.Contracts.Register(ctx, w.registrar, x.ID, x.Version, 0, ""); err != nil {
						t.Fatal(err)
					}
				}
				register(tc.a, tc.b, 100_000_00)    // local → local
				register(tc.a, outside, 200_000_00) // local → elsewhere
				register(outside, tc.b, 400_000_00) // elsewhere → local
				st, err := w.svc.Contracts.Stats(ctx, 2022)
				if err != nil {
					t.Fatal(err)
				}
				if st.Output.TurnoverFen != 300_000_00 || st.Absorb.TurnoverFen != 500_000_00 || st.Local.TurnoverFen != 100_000_00 || st.Local.Count != 1 {
					t.Errorf("output %d absorb %d local %+v; want 300_000_00, 500_000_00 and one of 100_000_00",
						st.Output.TurnoverFen, st.Absorb.TurnoverFen, st.Local)
				}
				if len(st.ByOutputDistrict) != 1 || st.ByOutputDistrict[0].Key != tc.a || len(st.ByAbsorbDistrict) != 1 || st.ByAbsorbDistrict[0].Key != tc.b {
					t.Errorf("districts: output %+v absorb %+v", st.ByOutputDistrict, st.ByAbsorbDistrict)
				}
				if st.City != tc.name {
					t.Errorf("city = %q", st.City)
				}
			})
		})
	}
}
