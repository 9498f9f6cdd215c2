package cli_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"

	"kechuang/internal/cli"
	"kechuang/internal/domain"
	"kechuang/internal/service"
	"kechuang/internal/store/storetest"
	"kechuang/internal/testutil"
)

// syncBuffer is a bytes.Buffer safe to read while a server writes to it.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// kechuang runs the command line against the database url with the given
// extra environment, returning the exit code, stdout and stderr.
func kechuang(ctx context.Context, url string, env map[string]string, args ...string) (int, string, string) {
	var out, errOut syncBuffer
	code := cli.Main(ctx, &cli.Env{Args: append([]string{"kechuang"}, args...), Stdout: &out, Stderr: &errOut,
		Getenv: func(k string) string {
			if k == "KECHUANG_DATABASE_URL" {
				return url
			}
			if v, ok := env[k]; ok {
				return v
			}
			return cli.EnvForTest(k)
		}})
	return code, out.String(), errOut.String()
}

func TestAuditVerifyCommand(t *testing.T) {
	t.Parallel()
	for _, ns := range testutil.Stores(t) {
		t.Run(ns.Name, func(t *testing.T) {
			ctx := context.Background()
			svc := service.New(ns.Store, testutil.Log())
			for i := range 4 { // four audited changes
				o := &domain.Org{Kind: domain.OrgEnterprise, Name: fmt.Sprintf("企业%d", i), USCC: storetest.USCC(100 + i), RegionCode: "210106"}
				if err := svc.Admin.CreateOrg(ctx, domain.SystemActor(), o); err != nil {
					t.Fatal(err)
				}
			}
			url := ns.Store.URL()
			code, out, errOut := kechuang(ctx, url, nil, "audit", "verify")
			if code != 0 || !strings.Contains(out, "审计链完整：共 4 条") {
				t.Fatalf("fresh chain: exit %d\n%s%s", code, out, errOut)
			}
			storetest.Exec(t, url, `UPDATE audit_log SET after_json = $1 WHERE seq = 2`, `{"name":"冒名企业"}`)
			code, out, errOut = kechuang(ctx, url, nil, "audit", "verify")
			if code == 0 || !strings.Contains(out, "第一处断点在第 2 条") || !strings.Contains(errOut, "seq 2") {
				t.Fatalf("tampered chain: exit %d\nstdout: %s\nstderr: %s", code, out, errOut)
			}
			code, _, errOut = kechuang(ctx, url, nil, "audit", "list")
			if code == 0 || !strings.Contains(errOut, "audit verify") {
				t.Fatalf("unknown subcommand: exit %d %s", code, errOut)
			}
		})
	}
}
