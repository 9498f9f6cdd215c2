package bench

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"time"

	"kechuang/internal/store"
)

// throwawayKey keys the audit chain of a benchmark database, which is
// dropped when the run ends: no one verifies it later.
func throwawayKey() store.Option {
	k := make([]byte, 32)
	rand.Read(k)
	return store.WithAuditKey(k)
}

// freshDB is a new, migrated, empty database and how to remove it.
type freshDB struct {
	Store *store.Store
	Where string // for the report, without credentials
	drop  func() error
}

func (f *freshDB) Close() error {
	err := f.Store.Close()
	if e := f.drop(); err == nil {
		err = e
	}
	return err
}

// freshSQLite creates a database file in a new temporary directory, removed
// on Close.
func freshSQLite(ctx context.Context, tmp string) (*freshDB, error) {
	dir, err := os.MkdirTemp(tmp, "kechuang-bench-")
	if err != nil {
		return nil, err
	}
	path := filepath.Join(dir, "bench.db")
	st, err := store.Open(ctx, "sqlite:"+path, throwawayKey())
	if err != nil {
		os.RemoveAll(dir)
		return nil, err
	}
	f := &freshDB{Store: st, Where: path, drop: func() error { return os.RemoveAll(dir) }}
	if _, err := st.Migrate(ctx); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}

// freshPostgres creates a new database on the server of dsn and drops it on
// Close, so the benchmark never touches existing data.
func freshPostgres(ctx context.Context, dsn string) (*freshDB, error) {
	u, err := url.Parse(dsn)
	if err != nil {
		return nil, fmt.Errorf("PostgreSQL 地址无效：%w", err)
	}
	admin, err := sql.Open("pgx", dsn)
	if err != nil {
		return nil, err
	}
	defer admin.Close()
	b := make([]byte, 6)
	rand.Read(b)
	name := "kc_bench_" + hex.EncodeToString(b)
	if _, err := admin.ExecContext(ctx, `CREATE DATABASE `+name); err != nil {
		return nil, fmt.Errorf("创建基准数据库 %s：%w", name, err)
	}
	drop := func() error {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		a, err := sql.Open("pgx", dsn)
		if err != nil {
			return err
		}
		defer a.Close()
		_, err = a.ExecContext(ctx, `DROP DATABASE IF EXISTS `+name+` WITH (FORCE)`)
		return err
	}
	u.Path = "/" + name
	st, err := store.Open(ctx, u.String(), throwawayKey())
	if err != nil {
		drop()
		return nil, err
	}
	where := u.Host + "/" + name
	f := &freshDB{Store: st, Where: where, drop: drop}
	if _, err := st.Migrate(ctx); err != nil {
		f.Close()
		return nil, err
	}
	return f, nil
}
