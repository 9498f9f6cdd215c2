package cli_test

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// TestServeRefusesTheDemoOffLoopback: the demo city's passwords are public,
// so serve loads or serves it only on a loopback address unless --demo is
// given, and says why (L6); an empty database stays empty.
func TestServeRefusesTheDemoOffLoopback(t *testing.T) {
	url := "sqlite:" + filepath.Join(t.TempDir(), "kc.db")
	ctx := context.Background()
	code, out, errOut := kechuang(ctx, url, map[string]string{"KECHUANG_ADDR": "0.0.0.0:0"}, "serve")
	if code == 0 || !strings.Contains(errOut, "拒绝在非回环地址") || !strings.Contains(errOut, "--demo") {
		t.Fatalf("serve of the demo on 0.0.0.0: exit %d\n%s\n%s", code, out, errOut)
	}
	if strings.Contains(out, "载入演示城市") {
		t.Errorf("the demo was loaded before the refusal:\n%s", out)
	}
}
