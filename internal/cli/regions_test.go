package cli_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"kechuang/internal/domain"
	"kechuang/internal/gb2260"
	"kechuang/internal/service"
	"kechuang/internal/store/storetest"
	"kechuang/internal/testutil"
)

// TestRegionsCommands: `kechuang migrate` loads the embedded national table
// into a database that has none; `regions load` loads a newer one in the
// same format (the edition from --version or the file name), reports what
// changed, keeps withdrawn codes, audits; a bad file is refused with its
// line number and nothing changes; `regions status` says what is loaded.
func TestRegionsCommands(t *testing.T) {
	t.Parallel()
	for _, f := range storetest.FreshURLs(t) {
		t.Run(f.Name, func(t *testing.T) {
			ctx := context.Background()
			code, out, errOut := kechuang(ctx, f.URL, nil, "regions", "status")
			if code == 0 {
				t.Errorf("status on an unmigrated database: %d %s", code, out)
			}
			if code, out, errOut = kechuang(ctx, f.URL, nil, "migrate"); code != 0 || !strings.Contains(out, "已载入行政区划表 "+gb2260.EmbeddedVersion) {
				t.Fatalf("migrate: %d %s %s", code, out, errOut)
			}
			if code, out, _ = kechuang(ctx, f.URL, nil, "regions", "status"); code != 0 ||
				!strings.Contains(out, fmt.Sprintf("%s 版，现行代码 %d 个，已撤销 0 个", gb2260.EmbeddedVersion, gb2260.Default().Len())) {
				t.Errorf("status: %d %s", code, out)
			}
			dir := t.TempDir()
			var b strings.Builder
			for _, d := range gb2260.Default().All() {
				switch d.Code {
				case "320583": // withdrawn
				case "210112":
					fmt.Fprintf(&b, "%s 浑南新区\n", d.Code)
				default:
					fmt.Fprintf(&b, "%s %s\n", d.Code, d.Name)
				}
			}
			b.WriteString("210199 沈阳测试区\n")
			good := filepath.Join(dir, "areacodes-2025-12-31.txt")
			if err := os.WriteFile(good, []byte(b.String()), 0o644); err != nil {
				t.Fatal(err)
			}
			bad := filepath.Join(dir, "bad.txt")
			if err := os.WriteFile(bad, []byte("110000 北京市\n110101 东城区\n11010 西城区\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			if code, _, errOut = kechuang(ctx, f.URL, nil, "regions", "load", "--file", bad, "--version", "2026-01-01"); code == 0 || !strings.Contains(errOut, "第 3 行") {
				t.Errorf("a bad file: %d %s", code, errOut)
			}
			if code, _, errOut = kechuang(ctx, f.URL, nil, "regions", "load", "--file", bad); code == 0 || !strings.Contains(errOut, "--version") {
				t.Errorf("no edition in the name: %d %s", code, errOut)
			}
			code, out, errOut = kechuang(ctx, f.URL, nil, "regions", "load", "--file", good)
			if code != 0 || !strings.Contains(out, "已载入行政区划表 2025-12-31 版（此前 "+gb2260.EmbeddedVersion+"）") ||
				!strings.Contains(out, "新增 1，更名或改隶 1，撤销 1") || !strings.Contains(out, "210112 浑南区 → 浑南新区") ||
				!strings.Contains(out, "320583 昆山市") || !strings.Contains(out, "210199 沈阳测试区") {
				t.Fatalf("load: %d %s %s", code, out, errOut)
			}
			if code, _, errOut = kechuang(ctx, f.URL, nil, "regions", "load", "--file", good, "--version", "2024"); code == 0 || !strings.Contains(errOut, "早于已载入的 2025-12-31") {
				t.Errorf("an older edition: %d %s", code, errOut)
			}
			if code, out, _ = kechuang(ctx, f.URL, nil, "regions", "status"); code != 0 || !strings.Contains(out, "2025-12-31 版") || !strings.Contains(out, "已撤销 1 个") {
				t.Errorf("status after the load: %d %s", code, out)
			}
			svc, err := service.Open(ctx, f.URL, testutil.Log(), service.Options{AuditKey: []byte(testutil.AuditKey)})
			if err != nil {
				t.Fatal(err)
			}
			defer svc.Close()
			if r, _ := svc.Meta.Region(ctx, "320583"); r == nil || r.Withdrawn != "2025-12-31" || r.Name != "昆山市" {
				t.Errorf("320583 = %+v", r)
			}
			es, n, err := svc.Audit.Find(ctx, domain.SystemActor(), domain.AuditFilter{Entity: "regions", Limit: 10})
			if err != nil || n != 2 || es[0].Action != "regions.load" {
				t.Errorf("audit of regions: %d rows, %v", n, err)
			}
		})
	}
}
