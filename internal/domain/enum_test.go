package domain

import (
	"slices"
	"testing"
)

type color string

func TestEnum(t *testing.T) {
	e := NewEnum(Item[color]{"red", "红"}, Item[color]{"green", "绿"}, Item[color]{"blue", "蓝"})
	if got := e.Codes(); !slices.Equal(got, []color{"red", "green", "blue"}) {
		t.Fatalf("Codes = %v, want declaration order", got)
	}
	if e.Label("green") != "绿" || e.Label("mauve") != "mauve" {
		t.Fatalf("Label: %q %q", e.Label("green"), e.Label("mauve"))
	}
	if !e.Valid("blue") || e.Valid("") || e.Valid("Blue") {
		t.Fatal("Valid")
	}
	if c, ok := e.Code("蓝"); !ok || c != "blue" {
		t.Fatalf("Code(蓝) = %q, %v", c, ok)
	}
	if _, ok := e.Code("紫"); ok {
		t.Fatal("Code of an unknown label")
	}
	all := e.All()
	all[0].Label = "changed"
	if e.Label("red") != "红" || e.Len() != 3 {
		t.Fatal("All must return a copy")
	}
}

func TestEnumRefusesDuplicates(t *testing.T) {
	for name, items := range map[string][]Item[color]{
		"Code":  {{"red", "红"}, {"red", "赤"}},
		"Label": {{"red", "红"}, {"crimson", "红"}},
	} {
		t.Run(name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Fatal("no panic on a duplicate")
				}
			}()
			NewEnum(items...)
		})
	}
}

// TestTablesKeepOrderAndLabels pins the public behaviour the tables had
// before they became Enums: display order, labels, unknown codes echoed.
func TestTablesKeepOrderAndLabels(t *testing.T) {
	if got := OrgKinds.Codes(); !slices.Equal(got, []OrgKind{OrgBureau, OrgRegistry, OrgUniversity, OrgInstitute, OrgEnterprise, OrgPilotBase, OrgAgency, OrgAuthority}) {
		t.Errorf("OrgKinds = %v", got)
	}
	if OrgAgency.Label() != "技术转移机构" || !OrgPilotBase.Valid() || OrgKind("x").Valid() || OrgKind("x").Label() != "x" {
		t.Error("OrgKind labels")
	}
	if PartyOther.Label() != "其他" || !PartyUniversity.Valid() || PartyType("").Valid() {
		t.Error("PartyType labels")
	}
	if RoleRegistrar.Label() != "登记员" || Roles.Len() != 9 || Role("root").Valid() {
		t.Error("Role labels")
	}
	if ContractReturned.Label() != "退回补正" || ContractStatus("lost").Label() != "lost" {
		t.Error("status labels")
	}
	if CostKindLabel("prototype") != "样品样机、试验装置（技术载体）" || CostKindLabel("gold") != "gold" {
		t.Error("cost kinds")
	}
	if CategoryLabel("license") != "技术许可" || SubTypeLabel("patent_license") != "专利实施许可" || SubTypeLabel("know_how_transfer") != "技术秘密转让" {
		t.Error("category labels")
	}
	if SubTypes.Len() != 13 {
		t.Errorf("%d sub-types, want the 13 of 2021 (the legacy set adds none: patent_license is shared)", SubTypes.Len())
	}
	if TechFieldLabel("nuclear") != "核应用" || TechFields.Codes()[0] != "electronics" || TechFields.Len() != 11 {
		t.Error("tech fields")
	}
}
