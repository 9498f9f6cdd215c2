package match

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestRerankDump writes, for every dev query, the pass's best 200
// candidates (after feedback, before the rerank) with candidate rerank
// features, one JSON line each (only with KECHUANG_MATCH_DUMP = the output
// file; KECHUANG_SHARED_DATA is shared/data): the score and its parts,
// IDF-weighted coverage of the query's words and bigrams (cov_, in the
// title covt_), the share of the query's character 3–5-grams found in the
// text (ng3–ng5, title ngt3–ngt5: proximity), and the cosine with the
// best 1, 3, 5 candidates (sim1_, sim3_, sim5_; simx without itself).
// docs/match.md lists what each was worth on dev.
func TestRerankDump(t *testing.T) {
	out := os.Getenv("KECHUANG_MATCH_DUMP")
	if out == "" {
		t.Skip("KECHUANG_MATCH_DUMP not set")
	}
	d := os.Getenv("KECHUANG_SHARED_DATA")
	if d == "" {
		d = "../../../shared/data"
	}
	files, _ := filepath.Glob(d + "/catalogue/*.jsonl")
	var docs []Doc
	byID := map[string]Doc{}
	for _, f := range files {
		fh, _ := os.Open(f)
		sc := bufio.NewScanner(fh)
		sc.Buffer(make([]byte, 1<<20), 16<<20)
		for sc.Scan() {
			var x Doc
			if json.Unmarshal(sc.Bytes(), &x) == nil && x.ID != "" {
				docs = append(docs, x)
				byID[x.ID] = x
			}
		}
		fh.Close()
	}
	type q struct{ QID, Need, Breadth string }
	var qs []q
	fh, _ := os.Open(d + "/matchbench/queries.jsonl")
	sc := bufio.NewScanner(fh)
	for sc.Scan() {
		var x q
		json.Unmarshal(sc.Bytes(), &x)
		qs = append(qs, x)
	}
	ix := New(DefaultConfig(), Analyzer{HMM: true})
	ix.AddBatch(docs)
	w, _ := os.Create(out)
	defer w.Close()
	for _, qq := range qs {
		tm := ix.an.AnalyzeQuery(qq.Need)
		qt := ix.queryTerms(tm)
		first := ix.top(qt, ix.cfg.PRF.Docs)
		qt = append(qt, ix.expand(qt, first)...)
		cands := ix.top(qt, 200)
		vec := func(c cand, k Kind) map[uint32]float64 {
			m := map[uint32]float64{}
			for t := range ix.shards[c.shard].docs[c.slot].termIDs() {
				if Kind(ix.terms[t][0]-'0') == k {
					m[t] = ix.idf(t)
				}
			}
			return m
		}
		cos := func(a, b map[uint32]float64) float64 {
			var d, na, nb float64
			for t, v := range a {
				na += v * v
				d += v * b[t]
			}
			for _, v := range b {
				nb += v * v
			}
			if na == 0 || nb == 0 {
				return 0
			}
			return d / math.Sqrt(na*nb)
		}
		var tops [2][]map[uint32]float64
		for k := range Kind(2) {
			for i := 0; i < 6 && i < len(cands); i++ {
				tops[k] = append(tops[k], vec(cands[i], k))
			}
		}
		for rank, c := range cands {
			ex := map[string]float64{}
			for k := range Kind(2) {
				v := vec(c, k)
				var s3, s5 float64
				for i, tv := range tops[k] {
					x := cos(v, tv)
					if i == 0 {
						ex["sim1_"+k.String()] = x
					}
					if i < 3 {
						s3 += x / 3
					}
					s5 += x / 5
				}
				var x3, x5, n3, n5 float64
				for i, tv := range tops[k] {
					if i == rank {
						continue
					}
					x := cos(v, tv)
					if n3 < 3 {
						x3 += x
						n3++
					}
					if n5 < 5 {
						x5 += x
						n5++
					}
				}
				ex["simx3_"+k.String()] = x3 / 3
				ex["simx5_"+k.String()] = x5 / 5
				ex["sim3_"+k.String()] = s3
				ex["sim5_"+k.String()] = s5
			}
			h := ix.explain(qt, c)
			doc := byID[h.ID]
			f := dumpFeatures(ix, qt, tm, h, doc)
			f["rank"] = float64(rank)
			for k, v := range ex {
				f[k] = v
			}
			b, _ := json.Marshal(map[string]any{"qid": qq.QID, "breadth": qq.Breadth, "id": h.ID, "f": f})
			fmt.Fprintln(w, string(b))
		}
	}
}

func dumpFeatures(ix *Index, qt []qterm, tm Terms, h Hit, doc Doc) map[string]float64 {
	f := map[string]float64{"s": h.Score}
	for _, r := range h.Reasons {
		if r.Origin == FromExpansion {
			f["se"] += r.Contribution
			continue
		}
		f["s_"+r.Kind] += r.Contribution
		f["s_"+r.Field] += r.Contribution
	}
	has := map[string]map[string]bool{}
	for _, r := range h.Reasons {
		k := r.Kind + ":" + r.Term
		if has[k] == nil {
			has[k] = map[string]bool{}
		}
		has[k][r.Field] = true
	}
	idf := map[string]float64{}
	var tot [2]float64
	for _, q := range qt {
		if q.origin != FromQuery {
			continue
		}
		v := ix.idf(q.id)
		k := q.kind.String() + ":" + q.text
		idf[k] = v
		tot[q.kind] += v
		if has[k] != nil {
			f["cov_"+q.kind.String()] += v
			if has[k]["title"] {
				f["covt_"+q.kind.String()] += v
			}
		}
	}
	for k := range Kind(2) {
		if tot[k] > 0 {
			f["cov_"+k.String()] /= tot[k]
			f["covt_"+k.String()] /= tot[k]
		}
	}
	title := Normalize(doc.Title)
	all := Normalize(doc.Title + "。" + strings.Join(doc.Keywords, "；") + "。" + doc.Abstract)
	// n-grams of the query: runs of consecutive bigrams
	bs := tm.Bigrams
	for n := 2; n <= 4; n++ {
		var sum, hit, hitT float64
		for i := 0; i+n <= len(bs); i++ {
			ok := true
			g := []rune(bs[i])
			wmin := 1e9
			for j := i; j < i+n; j++ {
				r := []rune(bs[j])
				if len(r) != 2 {
					ok = false
					break
				}
				if j > i {
					p := []rune(bs[j-1])
					if p[1] != r[0] {
						ok = false
						break
					}
					g = append(g, r[1])
				}
				v, known := idf["bigram:"+bs[j]]
				if !known {
					v = 0
				}
				wmin = min(wmin, v)
			}
			if !ok || wmin == 0 {
				continue
			}
			s := string(g)
			sum += wmin
			if strings.Contains(all, s) {
				hit += wmin
			}
			if strings.Contains(title, s) {
				hitT += wmin
			}
		}
		if sum > 0 {
			f[fmt.Sprintf("ng%d", n+1)] = hit / sum
			f[fmt.Sprintf("ngt%d", n+1)] = hitT / sum
		}
	}
	f["tlen"] = float64(len([]rune(title)))
	f["alen"] = float64(len([]rune(doc.Abstract)))
	return f
}
