package adminio

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"kechuang/internal/domain"
	"kechuang/internal/sheetio"
)

var testOrgLookup = &OrgLookup{CityCode: "210100",
	Regions: map[string]domain.Region{"210100": {Code: "210100"}, "210102": {Code: "210102", Parent: "210100"}, "110108": {Code: "110108"}},
	USCCs:   map[string]bool{domain.MakeUSCC("91210100MA0000009"): true}}

func uscc(n string) string { return domain.MakeUSCC("91210100MA000000" + n) }

func decodeOrgs(t *testing.T, format sheetio.Format, data []byte) ([]*domain.Org, []RowError) {
	t.Helper()
	var good []*domain.Org
	var all []RowError
	fileErrs, err := DecodeOrgs(bytes.NewReader(data), format, testOrgLookup, 0, func(row int, o *domain.Org, errs []RowError) error {
		if len(errs) == 0 {
			good = append(good, o)
		}
		all = append(all, errs...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return good, append(fileErrs, all...)
}

func TestOrgRoundTrip(t *testing.T) {
	orgs := []*domain.Org{
		{ID: 1, Kind: domain.OrgUniversity, Name: "东北大学", USCC: uscc("1"), RegionCode: "210102"},
		{ID: 2, Kind: domain.OrgEnterprise, Name: "=北京某公司", RegionCode: "110108", Disabled: true},
	}
	for _, format := range []sheetio.Format{sheetio.CSV, sheetio.XLSX} {
		t.Run(string(format), func(t *testing.T) {
			var b bytes.Buffer
			if err := OrgTable(orgs).Write(format, &b); err != nil {
				t.Fatal(err)
			}
			good, errs := decodeOrgs(t, format, b.Bytes())
			if len(errs) != 0 || len(good) != 2 || good[0].USCC != orgs[0].USCC || good[1].Name != "=北京某公司" || good[1].Kind != domain.OrgEnterprise {
				t.Fatalf("good %+v errs %v", good, errs)
			}
		})
	}
}

func TestOrgBadRowsNamed(t *testing.T) {
	csv := strings.Join([]string{
		"机构名称,机构类型,统一社会信用代码,行政区划代码",
		"甲公司,企业," + uscc("1") + ",210102",
		"乙公司,俱乐部,,210102",
		"丙公司,企业," + uscc("1") + ",210102",
		"丁局,科技局,,110108",
		",企业,,999999",
		"戊公司,企业," + domain.MakeUSCC("91210100MA0000009") + ",210102",
		"己公司,企业,123,210102",
	}, "\n")
	good, errs := decodeOrgs(t, sheetio.CSV, []byte(csv))
	if len(good) != 1 || good[0].Name != "甲公司" {
		t.Fatalf("good %+v", good)
	}
	want := []struct {
		row   int
		field string
	}{{3, "机构类型"}, {4, "统一社会信用代码"}, {5, "行政区划代码"}, {6, "机构名称"}, {7, "统一社会信用代码"}, {8, "统一社会信用代码"}}
	for _, w := range want {
		if !slices.ContainsFunc(errs, func(e RowError) bool { return e.Row == w.row && e.Field == w.field }) {
			t.Errorf("no error for row %d column %s in %v", w.row, w.field, errs)
		}
	}
}

func TestHeaderProblems(t *testing.T) {
	_, errs := decodeOrgs(t, sheetio.CSV, []byte("机构名称,颜色\n甲,红"))
	if len(errs) != 3 { // unknown column, and two required columns missing
		t.Fatalf("errs %v", errs)
	}
	_, errs = decodeOrgs(t, sheetio.CSV, nil)
	if len(errs) != 1 || errs[0].Row != 1 {
		t.Fatalf("empty file: %v", errs)
	}
	_, errs = decodeOrgs(t, sheetio.XLSX, []byte("not a zip"))
	if len(errs) != 1 || errs[0].Row != 0 {
		t.Fatalf("bad xlsx: %v", errs)
	}
}

func TestUsers(t *testing.T) {
	univ := &domain.Org{ID: 3, Kind: domain.OrgUniversity, Name: "东北大学", USCC: uscc("1")}
	closed := &domain.Org{ID: 4, Kind: domain.OrgEnterprise, Name: "停业公司", Disabled: true}
	l := &UserLookup{OrgsByUSCC: map[string]*domain.Org{univ.USCC: univ}, OrgsByName: map[string][]*domain.Org{"东北大学": {univ}, "停业公司": {closed},
		"同名": {univ, closed}}, Usernames: map[string]bool{"admin": true}}
	users := []*domain.User{{ID: 9, Username: "neu", DisplayName: "东大", Role: domain.RoleTTO, OrgID: 3, OrgName: "东北大学", Email: "neu@example.cn"}}
	var b bytes.Buffer
	if err := UserTable(users, map[int64]string{3: univ.USCC}).Write(sheetio.CSV, &b); err != nil {
		t.Fatal(err)
	}
	b.WriteString("\r\n,neu2,东大二,高校院所,,东北大学,secret-pass,\r\n,admin,重名,系统管理员,,东北大学,,\r\n,x,某,登记员,,东北大学,,\r\n")
	b.WriteString(",y,某,企业,,停业公司,,\r\n,z,某,企业,,同名,,\r\n,neu2,重复,专家,,东北大学,,\r\n,w,某,专家,,东北大学,,,w@@example.cn\r\n")
	var good []*UserRow
	var errs []RowError
	_, err := DecodeUsers(&b, sheetio.CSV, l, 0, func(row int, u *UserRow, e []RowError) error {
		if len(e) == 0 {
			good = append(good, u)
		}
		errs = append(errs, e...)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(good) != 2 || good[0].User.OrgID != 3 || good[0].User.Email != "neu@example.cn" || good[1].Password != "secret-pass" {
		t.Fatalf("good %+v", good)
	}
	for _, w := range []struct {
		row   int
		field string
	}{{4, "用户名"}, {5, "角色"}, {6, "所属机构名称"}, {7, "所属机构名称"}, {8, "用户名"}, {9, "电子邮箱"}} {
		if !slices.ContainsFunc(errs, func(e RowError) bool { return e.Row == w.row && e.Field == w.field }) {
			t.Errorf("no error for row %d column %s in %v", w.row, w.field, errs)
		}
	}
}
