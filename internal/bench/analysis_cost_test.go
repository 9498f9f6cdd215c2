package bench

import (
	"os"
	"runtime"
	"syscall"
	"testing"
	"time"

	"kechuang/internal/match"
)

// TestAnalysisCost measures the CPU time an analysis takes per document of
// the catalogue (one goroutine; process CPU time, so the figure holds on
// a loaded machine) for the segmentation options. Run with
// KECHUANG_ANALYSIS_COST=path/to/catalogue; skipped otherwise.
func TestAnalysisCost(t *testing.T) {
	dir := os.Getenv("KECHUANG_ANALYSIS_COST")
	if dir == "" {
		t.Skip("KECHUANG_ANALYSIS_COST not set")
	}
	docs, err := LoadCorpus(dir)
	if err != nil {
		t.Fatal(err)
	}
	var sample []match.Doc // every fourth document: the corpus's mix of lengths
	for i := 0; i < len(docs); i += 4 {
		sample = append(sample, docs[i])
	}
	docs = sample
	cpu := func() time.Duration {
		var ru syscall.Rusage
		syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
		return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	match.Analyzer{HMM: true}.Analyze("加载词典") // the dictionary loads outside the figures
	for _, v := range []struct {
		name string
		an   match.Analyzer
	}{
		{"search+hmm", match.Analyzer{HMM: true}},
		{"search", match.Analyzer{}},
		{"cut+hmm", match.Analyzer{HMM: true, Cut: true}},
		{"cut", match.Analyzer{Cut: true}},
		{"bigrams-only", match.Analyzer{NoSegmenter: true}},
	} {
		runtime.GC()
		t0 := cpu()
		for _, d := range docs {
			v.an.Analyze(d.Title)
			for _, k := range d.Keywords {
				v.an.Analyze(k)
			}
			v.an.Analyze(d.Abstract)
		}
		per := (cpu() - t0) / time.Duration(len(docs))
		t.Logf("%-13s %6.0f µs CPU a document (%d documents)", v.name, float64(per.Microseconds()), len(docs))
	}
}
