package bench

import (
	"context"
	"testing"

	"kechuang/internal/city"
	"kechuang/internal/domain"
	"kechuang/internal/service"
	"kechuang/internal/store"
	"kechuang/internal/testutil"
)

// BenchmarkBulkInsertSQLite measures only the batched import on SQLite, for
// profiling (go test -bench BulkInsert -cpuprofile …); the comparison with
// its peer is `kechuang bench contracts`.
func BenchmarkBulkInsertSQLite(b *testing.B) { benchmarkBulk(b, testutil.OpenSQLite(b)) }

func benchmarkBulk(b *testing.B, st *store.Store) {
	ctx := context.Background()
	c := city.Shenyang()
	registry, err := setup(ctx, service.New(st, testutil.Log()), c, 2023)
	if err != nil {
		b.Fatal(err)
	}
	const batch = 10_000
	gen := NewGenerator(c, 1, 2023, b.N, registry, registry)
	var buf []*domain.Contract
	b.ResetTimer()
	for !gen.Done() {
		b.StopTimer()
		cs, err := gen.Next(buf, batch)
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if err := st.InTx(ctx, func(tx *store.Q) error { return tx.BulkInsertContracts(ctx, cs, c.Code) }); err != nil {
			b.Fatal(err)
		}
		buf = cs
	}
}

// BenchmarkBulkInsertPostgres is the same on PostgreSQL (needs
// KECHUANG_TEST_POSTGRES).
func BenchmarkBulkInsertPostgres(b *testing.B) {
	dsn := testutil.PostgresDSN(b)
	if dsn == "" {
		b.Skip("KECHUANG_TEST_POSTGRES not set")
	}
	benchmarkBulk(b, testutil.OpenPostgres(b, dsn))
}
