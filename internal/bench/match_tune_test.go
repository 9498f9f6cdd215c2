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
// KECHUANG_SHARED_DATA is shared/data, default ../../../shared/data). It
// then prints the 5-fold cross-validated figure of choosing among them:
// for each fifth of the queries, the configuration best on the other four
// fifths, measured on that fifth (crossValidate).
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
	var perQuery [][]float64 // configuration → query → nDCG@10
	for _, raw := range cfgs {
		c, err := match.LoadConfig(bytesReader(raw))
		if err != nil {
			t.Fatal(err)
		}
		ix.SetConfig(c)
		s := map[string]float64{}
		n := map[string]int{}
		var pq []float64
		for _, q := range qs {
			hits := ix.Search(q.Need, 10)
			ids := make([]string, len(hits))
			for i, h := range hits {
				ids[i] = h.ID
			}
			v := NDCG(ids, qr[q.QID], 10)
			pq = append(pq, v)
			s[q.Breadth] += v
			s["all"] += v
			n[q.Breadth]++
			n["all"]++
		}
		fmt.Printf("%.4f n %.4f m %.4f b %.4f  %s\n", s["all"]/float64(n["all"]), s["narrow"]/float64(n["narrow"]), s["medium"]/float64(n["medium"]), s["broad"]/float64(n["broad"]), raw)
		perQuery = append(perQuery, pq)
	}
	out, chosen := crossValidate(perQuery, 5)
	var all, broad float64
	nb := 0
	for i, q := range qs {
		all += out[i]
		if q.Breadth == "broad" {
			broad += out[i]
			nb++
		}
	}
	fmt.Printf("5-fold cross-validated: %.4f broad %.4f (configurations chosen per fold: %v)\n", all/float64(len(qs)), broad/float64(max(nb, 1)), chosen)
}

// crossValidate is k-fold cross-validation of choosing a configuration:
// perQuery[c][q] is configuration c's figure on query q; query q is in
// fold q mod k; for each fold the configuration with the best mean over
// the other folds is chosen (the first on a tie) and its figures on the
// fold's queries are returned (in query order), with the choices.
func crossValidate(perQuery [][]float64, k int) (out []float64, chosen []int) {
	if len(perQuery) == 0 {
		return nil, nil
	}
	out = make([]float64, len(perQuery[0]))
	for f := range k {
		best, bestV := 0, -1.0
		for c, pq := range perQuery {
			var v float64
			for q, x := range pq {
				if q%k != f {
					v += x
				}
			}
			if v > bestV {
				best, bestV = c, v
			}
		}
		chosen = append(chosen, best)
		for q := range out {
			if q%k == f {
				out[q] = perQuery[best][q]
			}
		}
	}
	return out, chosen
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

func TestCrossValidate(t *testing.T) {
	// configuration 0 is best on fold 0's queries, 1 on the others': fold
	// 0 is measured with the choice made without it (1)
	perQuery := [][]float64{
		{0.4, 0.1, 0.1, 0.4, 0.1, 0.1},
		{0.1, 0.5, 0.5, 0.1, 0.5, 0.5},
	}
	out, chosen := crossValidate(perQuery, 3)
	want := []float64{0.1, 0.5, 0.5, 0.1, 0.5, 0.5}
	for i := range want {
		if out[i] != want[i] {
			t.Fatalf("out %v, want %v (chosen %v)", out, want, chosen)
		}
	}
	if len(chosen) != 3 || chosen[0] != 1 || chosen[1] != 1 || chosen[2] != 1 {
		t.Errorf("chosen %v", chosen)
	}
	// a configuration best only on the held-out fold is never credited with it
	perQuery = [][]float64{{1, 0, 0}, {0, 0.2, 0.2}}
	out, _ = crossValidate(perQuery, 3)
	if out[0] != 0 {
		t.Errorf("fold 0 used the configuration it favours: %v", out)
	}
}
