package bench

import (
	"fmt"
	"io"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Percentile returns the nearest-rank percentile p (0–100) of the sample.
func (l Latency) Percentile(p int) time.Duration {
	if len(l) == 0 {
		return 0
	}
	s := slices.Clone(l)
	slices.Sort(s)
	i := (p*len(s)+99)/100 - 1
	return s[max(0, min(i, len(s)-1))]
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f", float64(d.Microseconds())/1000) }

func triple(l Latency) string {
	return ms(l.Percentile(50)) + " / " + ms(l.Percentile(95)) + " / " + ms(l.Percentile(99))
}

// thousands formats n with thousands separators.
func thousands(n int64) string {
	s := fmt.Sprint(n)
	var b strings.Builder
	for i, ch := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(ch)
	}
	return b.String()
}

func ratio(num, den float64) string {
	if den <= 0 {
		return "—"
	}
	return fmt.Sprintf("%.1f×", num/den)
}

// width is the display width of s in a terminal: CJK characters take two
// columns.
func width(s string) int {
	w := 0
	for _, r := range s {
		if r >= 0x2E80 {
			w += 2
		} else {
			w++
		}
	}
	return w
}

func pad(s string, w int) string {
	if d := w - width(s); d > 0 {
		return s + strings.Repeat(" ", d)
	}
	return s
}

// Print writes the results as a table, the databases side by side.
func Print(w io.Writer, o Options, rs []*Result) {
	if len(rs) == 0 {
		return
	}
	fmt.Fprintf(w, "\nkechuang bench contracts — %s 份已登记技术合同（%d 年），每事务 %s 条；%s %s/%s，%d 核；%s\n",
		thousands(int64(rs[0].N)), o.Year, thousands(int64(o.Batch)), runtime.Version(), runtime.GOOS, runtime.GOARCH,
		runtime.NumCPU(), time.Now().Format("2006-01-02"))
	const lw, cw = 50, 38
	row := func(label string, cell func(r *Result) string) {
		line := pad(label, lw)
		for _, r := range rs {
			line += pad(cell(r), cw-1) + " "
		}
		fmt.Fprintln(w, strings.TrimRight(line, " "))
	}
	row("", func(r *Result) string { return r.DB })
	row("导入 import, rows/s (time in database calls only)", func(*Result) string { return "" })
	row("  batched: BulkInsertContracts, one tx per batch", func(r *Result) string {
		return thousands(int64(r.Bulk.Rate())) + " (" + thousands(int64(r.Bulk.Rows)) + " rows)"
	})
	row("  naive: InsertContract, one tx per row", func(r *Result) string {
		return thousands(int64(r.Naive.Rate())) + " (" + thousands(int64(r.Naive.Rows)) + " rows)"
	})
	row("  ratio batched / naive", func(r *Result) string { return ratio(r.Bulk.Rate(), r.Naive.Rate()) })
	row("  load time of all rows, batched", func(r *Result) string {
		if r.Bulk.Rate() == 0 {
			return "—"
		}
		return fmt.Sprintf("%.1f s", float64(r.N)/r.Bulk.Rate())
	})
	row("统计 stats of the year, ms p50 / p95 / p99", func(*Result) string { return "" })
	row("  GET /api/v1/stats/contracts (cached, HTTP)", func(r *Result) string { return triple(r.HTTP) + fmt.Sprintf(" n=%d", len(r.HTTP)) })
	row("  svc.StatsRollup (rollup, uncached, in-process)", func(r *Result) string { return triple(r.Rollup) + fmt.Sprintf(" n=%d", len(r.Rollup)) })
	row("  svc.ContractStatsNaive (GROUP BY, in-process)", func(r *Result) string {
		return triple(r.GroupBy) + fmt.Sprintf(" n=%d", len(r.GroupBy))
	})
	row("  ratio naive / rollup, p50 (in-process)", func(r *Result) string {
		return ratio(float64(r.GroupBy.Percentile(50)), float64(r.Rollup.Percentile(50)))
	})
	row("  ratio naive / rollup, p95 (in-process)", func(r *Result) string {
		return ratio(float64(r.GroupBy.Percentile(95)), float64(r.Rollup.Percentile(95)))
	})
	row("一致性 agreement (generated = HTTP = rollup = naive)", func(*Result) string { return "" })
	row("  count", func(r *Result) string { return checkCell(r, "count/naive") })
	row("  turnover (合同成交额)", func(r *Result) string { return checkCell(r, "turnover_fen/naive") })
	row("  tech transaction (技术交易额)", func(r *Result) string { return checkCell(r, "tech_transaction_fen/naive") })
	row("  all checks", func(r *Result) string {
		if r.OK() {
			return fmt.Sprintf("OK (%d checks)", len(r.Checks))
		}
		return "FAILED"
	})
	for _, r := range rs {
		for _, c := range r.Checks {
			if !c.OK {
				fmt.Fprintf(w, "不一致 [%s] %s：应为 %s，实际 %s\n", r.DB, c.Name, c.Want, c.Got)
			}
		}
	}
}

// checkCell shows a checked figure if every source agrees on it, or
// MISMATCH.
func checkCell(r *Result, name string) string {
	prefix, _, _ := strings.Cut(name, "/")
	var val int64
	for _, c := range r.Checks {
		if !strings.HasPrefix(c.Name, prefix+"/") {
			continue
		}
		if !c.OK {
			return "MISMATCH"
		}
		val, _ = strconv.ParseInt(c.Want, 10, 64)
	}
	if strings.HasSuffix(prefix, "_fen") {
		return fmt.Sprintf("%s.%02d 元", thousands(val/100), val%100)
	}
	return thousands(val)
}
