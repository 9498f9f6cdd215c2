package cli

import (
	"strings"
	"testing"

	"kechuang/internal/store/storetest"
)

func TestStatsCheckAndRebuild(t *testing.T) {
	url, _ := demoCopy(t, t.TempDir())
	if code, out := runCLI(t, url, "stats", "check"); code != 0 || !strings.Contains(out, "一致") {
		t.Fatalf("check on a fresh demo: %d %s", code, out)
	}
	// Damage the rollup behind the service's back.
	storetest.Exec(t, url, `UPDATE contract_rollup SET turnover_fen = turnover_fen + 1 WHERE year = 2022 AND month = 3 AND dim = 'all'`)
	code, out := runCLI(t, url, "stats", "check", "2022")
	if code == 0 || !strings.Contains(out, "不一致：1 处差异") {
		t.Fatalf("check after damage: %d %s", code, out)
	}
	if code, out = runCLI(t, url, "stats", "rebuild"); code != 0 {
		t.Fatalf("rebuild: %s", out)
	}
	if code, out = runCLI(t, url, "stats", "check"); code != 0 {
		t.Fatalf("check after rebuild: %d %s", code, out)
	}
	if code, out = runCLI(t, url, "stats", "check", "19"); code == 0 || !strings.Contains(out, "年份“19”无效") {
		t.Fatalf("bad year: %d %s", code, out)
	}
	if code, _ = runCLI(t, url, "stats"); code == 0 {
		t.Fatal("stats without a subcommand should fail")
	}
}
