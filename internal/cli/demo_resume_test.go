package cli

import (
	"bytes"
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// cancelOn cancels the command's context once its output shows marker:
// the demo part being written then cannot commit, as if the process had
// been killed there.
type cancelOn struct {
	buf    bytes.Buffer
	marker string
	cancel context.CancelFunc
}

func (c *cancelOn) Write(p []byte) (int, error) {
	c.buf.Write(p)
	if strings.Contains(c.buf.String(), c.marker) {
		c.cancel()
	}
	return len(p), nil
}

// TestDemoCommandResumes: `kechuang demo` stopped while writing the 2023
// contracts leaves the complete parts; the next `kechuang demo` says it
// resumes and finishes the city; a third refuses.
func TestDemoCommandResumes(t *testing.T) {
	url := "sqlite:" + filepath.Join(t.TempDir(), "kc.db")
	ctx, cancel := context.WithCancel(context.Background())
	out := &cancelOn{marker: "2023 年", cancel: cancel}
	env := &Env{Args: []string{"kechuang", "demo"}, Stdout: out, Stderr: out,
		Getenv: func(k string) string {
			if k == "KECHUANG_DATABASE_URL" {
				return url
			}
			return EnvForTest(k)
		}}
	if code := Main(ctx, env); code == 0 {
		t.Fatalf("the stopped demo succeeded:\n%s", out.buf.String())
	}
	code, text := runCLI(t, url, "demo")
	if code != 0 || !strings.Contains(text, "继续上次未完成的载入") || !strings.Contains(text, "2023 年已登记技术合同") ||
		strings.Contains(text, "2021 年已登记技术合同") || !strings.Contains(text, "registrar") {
		t.Fatalf("resumed demo: %d\n%s", code, text)
	}
	if code, text := runCLI(t, url, "demo"); code == 0 || !strings.Contains(text, "只能载入空数据库") {
		t.Fatalf("a third demo: %d %s", code, text)
	}
}
