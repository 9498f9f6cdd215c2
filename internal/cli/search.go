package cli

import (
	"context"
	"errors"
	"fmt"
)

// runSearch: kechuang search reindex [--force] rebuilds the catalogue's
// full-text index where an older tokeniser built it (every row with
// --force).
func runSearch(ctx context.Context, env *Env, args []string) error {
	if len(args) == 0 || args[0] != "reindex" || len(args) > 2 || (len(args) == 2 && args[1] != "--force") {
		return errors.New("用法：kechuang search reindex [--force]")
	}
	_, svc, err := openCity(ctx, env)
	if err != nil {
		return err
	}
	defer svc.Close()
	n, err := svc.Reindex(ctx, len(args) == 2)
	if err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "全文索引已是最新：重建 %d 条记录的分词\n", n)
	return nil
}
