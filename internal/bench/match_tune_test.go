package bench

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"testing"

	"kechuang/internal/match"
)

// TestMatchTune evaluates configurations on the dev set, the index built
// once (only with KECHUANG_MATCH_TUNE = a JSON list of configurations;
// KECHUANG_SHARED_DATA is shared/data, default ../../../shared/data).
func TestMatchTune(t *testing.T) {
	p := os.Getenv("KECHUANG_MATCH_TUNE")
	if p == "" {
		t.Skip("KECHUANG_MATCH_TUNE not set")
	}
	d := cmp.Or(os.Getenv("KECHUANG_SHARED_DATA"), "../../../shared/data") + "/"
	docs, err := LoadCorpus(d + "catalogue")
	if err != nil {
		t.Fatal(err)
	}
	qf, _ := os.Open(d + "matchbench/queries.jsonl")
	qs, _ := ReadQueries(qf)
	rf, _ := os.Open(d + "matchbench/qrels.tsv")
	qr, _ := ReadQrels(rf)
	ix := match.New(match.DefaultConfig(), match.Analyzer{HMM: true})
	ix.AddBatch(docs)
	b, _ := os.ReadFile(p)
	var cfgs []json.RawMessage
	if err := json.Unmarshal(b, &cfgs); err != nil {
		t.Fatal(err)
	}
	for _, raw := range cfgs {
		c, err := match.LoadConfig(bytesReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		ix.SetConfig(c)
		s := map[string]float64{}
		n := map[string]int{}
		for _, q := range qs {
			hits := ix.Search(q.Need, 10)
			ids := make([]string, len(hits))
			for i, h := range hits {
				ids[i] = h.ID
			}
			v := NDCG(ids, qr[q.QID], 10)
			s[q.Breadth] += v
			s["all"] += v
			n[q.Breadth]++
			n["all"]++
		}
		fmt.Printf("%.4f n %.4f m %.4f b %.4f  %s\n", s["all"]/float64(n["all"]), s["narrow"]/float64(n["narrow"]), s["medium"]/float64(n["medium"]), s["broad"]/float64(n["broad"]), raw)
	}
}

type byteReader struct {
	b []byte
	i int
}

func (r *byteReader) Read(p []byte) (int, error) {
	if r.i >= len(r.b) {
		return 0, io.EOF
	}
	n := copy(p, r.b[r.i:])
	r.i += n
	return n, nil
}

func bytesReader(b []byte) *byteReader { return &byteReader{b: b} }
