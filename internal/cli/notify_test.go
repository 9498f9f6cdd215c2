package cli

import (
	"regexp"
	"strings"
	"testing"
)

// TestNotifySweep: `notify sweep` on the demo city tells its registrars
// of the filings due soon or overdue, and a second run adds nothing;
// `notify send` needs KECHUANG_SMTP_URL.
func TestNotifySweep(t *testing.T) {
	dir := t.TempDir()
	url, _ := demoCopy(t, dir)
	counts := regexp.MustCompile(`即将到期提醒 (\d+) 条、超期提醒 (\d+) 条`)
	code, out := runCLI(t, url, "notify", "sweep")
	m := counts.FindStringSubmatch(out)
	if code != 0 || m == nil || m[1]+m[2] == "00" {
		t.Fatalf("first sweep: %d %s", code, out)
	}
	code, out = runCLI(t, url, "notify", "sweep")
	if m := counts.FindStringSubmatch(out); code != 0 || m == nil || m[1] != "0" || m[2] != "0" {
		t.Fatalf("second sweep notified again: %d %s", code, out)
	}
	if code, out := runCLI(t, url, "notify", "send"); code == 0 || !strings.Contains(out, "KECHUANG_SMTP_URL") {
		t.Fatalf("send without SMTP: %d %s", code, out)
	}
	if code, _ := runCLI(t, url, "notify"); code == 0 {
		t.Fatal("notify without a subcommand should fail")
	}
}
