package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"kechuang/internal/domain"
	"kechuang/internal/service"
	"kechuang/internal/store"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/")

// statsContract is one registration of the golden fixture.
type statsContract struct {
	on       string // registration date (China)
	seller   string // role filing as seller
	buyer    domain.Party
	category string
	subType  string
	field    string
	chain    string
	turnover int64
	costs    []domain.CostItem
}

var (
	localBuyer = domain.Party{Name: "沈阳新松自动化有限公司", USCC: domain.MakeUSCC("91210106MA0XXXX01"), RegionCode: "210106", Type: domain.PartyEnterprise}
	dalian     = domain.Party{Name: "大连船舶重工研究院", USCC: domain.MakeUSCC("12210200MA0XXXX02"), RegionCode: "210200", Type: domain.PartyInstitute}
	beijing    = domain.Party{Name: "北京理工大学", USCC: domain.MakeUSCC("12110000MA0XXXX03"), RegionCode: "110108", Type: domain.PartyUniversity}
)

// statsFixture: five registrations in 2022 and seven in 2023 across
// sellers, buyers in and outside the city, categories, fields and chains,
// with a prototype over the reasonable quantity and a yearly target.
var statsFixture = []statsContract{
	{"2022-03-10", "tto", localBuyer, "development", "entrusted_dev", "manufacturing", "robot", 800_000_00, nil},
	{"2022-05-20", "tto", dalian, "service", "service", "electronics", "ic_equipment", 120_000_00, nil},
	{"2022-05-21", "enterprise", beijing, "transfer", "patent_transfer", "biomedicine", "biopharma", 2_000_000_00, nil},
	{"2022-11-02", "pilot_base", localBuyer, "consulting", "consulting", "materials", "", 45_000_00, nil},
	{"2022-12-30", "tto", beijing, "license", "patent_license", "electronics", "ic_equipment", 300_000_00, nil},
	{"2023-01-05", "tto", localBuyer, "development", "cooperative_dev", "manufacturing", "robot", 1_500_000_00,
		[]domain.CostItem{{Kind: "prototype", Description: "样机", UnitPriceFen: 100_000_00, Quantity: 3}}},
	{"2023-01-18", "enterprise", dalian, "service", "training", "biomedicine", "biopharma", 60_000_00, nil},
	{"2023-02-28", "tto", beijing, "transfer", "know_how_transfer", "materials", "", 900_000_00,
		[]domain.CostItem{{Kind: "equipment", Description: "真空炉", UnitPriceFen: 200_000_00, Quantity: 1}}},
	{"2023-04-01", "pilot_base", localBuyer, "service", "service", "manufacturing", "robot", 330_000_00, nil},
	{"2023-04-01", "tto", localBuyer, "license", "patent_license", "electronics", "ic_equipment", 75_000_00, nil},
	{"2023-06-14", "enterprise", localBuyer, "consulting", "consulting", "energy", "", 12_345_67, nil},
	{"2023-06-15", "tto", dalian, "development", "entrusted_dev", "aerospace", "robot", 2_400_000_00,
		[]domain.CostItem{{Kind: "materials", Description: "钛合金", UnitPriceFen: 12_000_00, Quantity: 10}}},
}

var sellerOrg = map[string]string{"tto": "university", "enterprise": "enterprise", "pilot_base": "pilot"}

// loadStatsFixture registers statsFixture through the service, moving the
// clock to each registration date, then puts the clock back.
func (fx *fixture) loadStatsFixture(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	defer fx.W.Clock.Set(fx.W.Clock.Now())
	for _, sc := range statsFixture {
		on, err := time.ParseInLocation(time.DateOnly, sc.on, time.FixedZone("CST", 8*3600))
		must(t, err)
		fx.W.Clock.Set(on.Add(10 * time.Hour))
		in := fx.contractInput(fx.Orgs[sellerOrg[sc.seller]])
		in.Buyer, in.Category, in.SubType, in.Field, in.ChainCode = sc.buyer, sc.category, sc.subType, sc.field, sc.chain
		in.TurnoverFen, in.CostItems = sc.turnover, sc.costs
		in.SignedOn, in.TermStart = on.AddDate(0, 0, -20).Format(time.DateOnly), on.AddDate(0, 0, -20).Format(time.DateOnly)
		in.TermEnd = on.AddDate(1, 0, 0).Format(time.DateOnly)
		a := fx.actor(sc.seller)
		c, err := fx.Svc.Contracts.Create(ctx, a, in)
		must(t, err)
		c, err = fx.Svc.Contracts.UploadDocument(ctx, a, c.ID, "c.pdf", samplePDF)
		must(t, err)
		c, err = fx.Svc.Contracts.Submit(ctx, a, c.ID, c.Version)
		must(t, err)
		fx.register(t, c, c.TechTransactionFen/2)
	}
	must(t, fx.St.InTx(ctx, func(tx *store.Q) error {
		return tx.SetTarget(ctx, 2023, service.TargetContractTurnover, 10_000_000_00)
	}))
}

// TestContractStatsGolden: the public statistics of a fixed fixture are
// byte-for-byte the golden file, on every database.
func TestContractStatsGolden(t *testing.T) {
	for _, fx := range newFixtures(t) {
		t.Run(fx.DB, func(t *testing.T) {
			fx.loadStatsFixture(t)
			for _, tc := range []struct{ query, golden string }{
				{"?year=2023", "stats_contracts_2023.json"},
				{"", "stats_contracts_2023.json"}, // the clock's year
				{"?year=2022", "stats_contracts_2022.json"},
				{"?year=2021", "stats_contracts_2021.json"},
			} {
				res := fx.send(t, "anonymous", request{Method: "GET", Path: "/api/v1/stats/contracts" + tc.query})
				if res.Status != 200 {
					t.Fatalf("%s: %d %s", tc.query, res.Status, res.Body)
				}
				if cc := res.Header.Get("Cache-Control"); cc != "public, no-cache" {
					t.Errorf("Cache-Control %q", cc)
				}
				var pretty bytes.Buffer
				must(t, json.Indent(&pretty, res.Body, "", "  "))
				golden(t, tc.golden, pretty.Bytes())
			}
		})
	}
}

// golden compares got with testdata/name, rewriting it under -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		must(t, os.MkdirAll("testdata", 0o755))
		must(t, os.WriteFile(path, got, 0o644))
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Fatalf("%s differs from the golden file (go test -update rewrites it):\n%s", path, lineDiff(want, got))
	}
}

// lineDiff shows the first differing lines.
func lineDiff(want, got []byte) string {
	w, g := bytes.Split(want, []byte("\n")), bytes.Split(got, []byte("\n"))
	var out bytes.Buffer
	shown := 0
	for i := 0; i < max(len(w), len(g)) && shown < 10; i++ {
		var a, b []byte
		if i < len(w) {
			a = w[i]
		}
		if i < len(g) {
			b = g[i]
		}
		if !bytes.Equal(a, b) {
			out.WriteString("line " + strconv.Itoa(i+1) + ":\n  want " + string(a) + "\n  got  " + string(b) + "\n")
			shown++
		}
	}
	return out.String()
}
