package adminio

import (
	"bytes"
	"testing"

	"kechuang/internal/domain"
	"kechuang/internal/sheetio"
)

// The import fuzzers: arbitrary bytes, as CSV or xlsx, must never panic;
// every problem names a row (≥ 0); a row without problems passes the
// domain's validation. Run: go test ./internal/adminio -fuzz FuzzDecodeOrgs.

func FuzzDecodeOrgs(f *testing.F) {
	var b bytes.Buffer
	OrgTable([]*domain.Org{{ID: 1, Kind: domain.OrgAgency, Name: "中介", USCC: uscc("2"), RegionCode: "210102"}}).Write(sheetio.CSV, &b)
	f.Add(b.Bytes(), false)
	b.Reset()
	OrgTable([]*domain.Org{{ID: 1, Kind: domain.OrgAgency, Name: "中介", RegionCode: "210102"}}).Write(sheetio.XLSX, &b)
	f.Add(b.Bytes(), true)
	f.Add([]byte("机构名称,机构类型,行政区划代码\n\"甲,企业,210102\n"), false)
	f.Fuzz(func(t *testing.T, data []byte, xlsx bool) {
		format := sheetio.CSV
		if xlsx {
			format = sheetio.XLSX
		}
		fileErrs, err := DecodeOrgs(bytes.NewReader(data), format, testOrgLookup, 100, func(row int, o *domain.Org, errs []RowError) error {
			for _, e := range errs {
				if e.Row != row || e.Message == "" {
					t.Fatalf("row %d: problem %+v", row, e)
				}
			}
			if len(errs) == 0 {
				if err := o.Validate(); err != nil {
					t.Fatalf("row %d passed but %v", row, err)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatalf("decode: %v", err)
		}
		for _, e := range fileErrs {
			if e.Row < 0 || e.Message == "" {
				t.Fatalf("file problem %+v", e)
			}
		}
	})
}

func FuzzDecodeUsers(f *testing.F) {
	f.Add([]byte("用户名,姓名,角色,所属机构名称\nneu,东大,高校院所,东北大学\n"))
	f.Add([]byte("用户名,姓名,角色\n"))
	univ := &domain.Org{ID: 3, Kind: domain.OrgUniversity, Name: "东北大学"}
	l := &UserLookup{OrgsByName: map[string][]*domain.Org{"东北大学": {univ}}, OrgsByUSCC: map[string]*domain.Org{}, Usernames: map[string]bool{}}
	f.Fuzz(func(t *testing.T, data []byte) {
		_, err := DecodeUsers(bytes.NewReader(data), sheetio.CSV, l, 100, func(row int, u *UserRow, errs []RowError) error {
			if len(errs) == 0 && (domain.ValidateUsername(u.User.Username) != nil || domain.ValidateUser(u.User, domain.OrgUniversity) != nil) {
				t.Fatalf("row %d passed but is invalid: %+v", row, u.User)
			}
			return nil
		})
		if err != nil {
			t.Fatalf("decode: %v", err)
		}
	})
}
