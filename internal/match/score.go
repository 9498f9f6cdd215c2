package match

import (
	"cmp"
	"math"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
)

// Origin says where a reason of a hit comes from.
const (
	FromQuery     = "query"     // a term of the need's own text
	FromExpansion = "expansion" // a related term learned from the corpus (feedback)
	FromFeature   = "feature"   // a structured feature (Feature)
)

// Reason is one term's (or feature's) contribution to a hit's score, in
// one field.
type Reason struct {
	Term         string  `json:"term"`
	Kind         string  `json:"kind"`  // word, bigram, feature
	Field        string  `json:"field"` // title, keywords, abstract, or the feature's name
	Origin       string  `json:"origin"`
	Contribution float64 `json:"contribution"`
}

// Hit is one matched document: its score is the sum of its reasons.
type Hit struct {
	ID      string   `json:"id"`
	Score   float64  `json:"score"`
	Reasons []Reason `json:"reasons"`
}

// Feature is a structured signal of a document for a query (industrial
// chain and discipline, maturity fit, locality, recency, availability: a
// later part supplies them). Its value, times Config.Features[Name()],
// is added to the score of the best Config.Rerank candidates.
type Feature interface {
	Name() string
	Value(query string, docID string) float64
}

// qterm is one weighted term of a query.
type qterm struct {
	id     uint32
	kind   Kind
	text   string
	weight float64
	origin string
}

// Options of one search.
type Options struct {
	Features []Feature
	NoPRF    bool // the first pass only
}

// Search matches a text against the index and returns the best k hits
// with their reasons.
func (ix *Index) Search(text string, k int) []Hit { return ix.SearchOpts(text, k, Options{}) }

// SearchOpts is Search with options.
func (ix *Index) SearchOpts(text string, k int, o Options) []Hit {
	if k <= 0 {
		return nil
	}
	t := ix.an.AnalyzeQuery(text)
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	if ix.n == 0 {
		return nil
	}
	qs := ix.queryTerms(t)
	if len(qs) == 0 {
		return nil
	}
	cfg := ix.cfg
	if cfg.PRF.Docs > 0 && cfg.PRF.Terms > 0 && !o.NoPRF {
		first := ix.top(qs, cfg.PRF.Docs)
		qs = append(qs, ix.expand(qs, first)...)
	}
	want := k
	if len(o.Features) > 0 {
		want = max(k, cfg.Rerank)
	}
	if cfg.Similarity.on() {
		want = max(want, cfg.Similarity.Candidates)
	}
	cands := ix.top(qs, want)
	hits := ix.explainAll(qs, cands)
	ix.rerank(cands, hits)
	if len(o.Features) > 0 {
		for i := range hits {
			for _, f := range o.Features {
				w := cfg.Features[f.Name()]
				if w == 0 {
					continue
				}
				v := w * f.Value(text, hits[i].ID)
				hits[i].Reasons = append(hits[i].Reasons, Reason{Term: f.Name(), Kind: "feature", Field: f.Name(), Origin: FromFeature, Contribution: v})
				hits[i].Score += v
			}
		}
	}
	slices.SortStableFunc(hits, func(a, b Hit) int {
		if c := cmp.Compare(b.Score, a.Score); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	if len(hits) > k {
		hits = hits[:k]
	}
	return hits
}

// minCappedDF: Config.MaxDF drops only terms in more documents than this
// (it is a speed measure: a small catalogue keeps every term).
const minCappedDF = 1000

// queryTerms weighs the query's known terms: 1 + ln(tf) per kind.
func (ix *Index) queryTerms(t Terms) []qterm {
	var qs []qterm
	add := func(k Kind, terms []string, w float64) {
		count := map[string]int{}
		var order []string
		for _, s := range terms {
			if count[s] == 0 {
				order = append(order, s)
			}
			count[s]++
		}
		for _, s := range order {
			id, ok := ix.dict[tkey{k, s}]
			if !ok || ix.df[id] <= 0 {
				continue
			}
			if m := ix.cfg.MaxDF; m > 0 && ix.df[id] > minCappedDF && float64(ix.df[id]) > m*float64(ix.n) {
				continue // too common to tell documents apart; its long list is most of a query's cost
			}
			qs = append(qs, qterm{id: id, kind: k, text: s, weight: w * (1 + math.Log(float64(count[s]))), origin: FromQuery})
		}
	}
	add(Word, t.Words, ix.cfg.WordWeight)
	add(Bigram, t.Bigrams, ix.cfg.BigramWeight)
	return qs
}

func (ix *Index) idf(id uint32) float64 {
	df := float64(ix.df[id])
	return math.Log(1 + (float64(ix.n)-df+0.5)/(df+0.5))
}

// cand is a candidate of a pass: shard, slot and approximate score.
type cand struct {
	shard int
	slot  uint32
	score float32
}

// norms are, per kind and field, the BM25F field weight and the terms
// of the length normalisation: w / (1 - b + b·len/avg) = w / (c0 + c1·len).
// inv holds that factor for the lengths below normTable, computed once a
// pass, so that scoring a posting multiplies instead of dividing (the
// divisions were a quarter of a query's CPU at a million documents).
type norms struct {
	w, c0, c1 [2][numFields]float64
	inv       [2][numFields][]float64
}

// normTable: the field lengths whose factor norms tabulates (longer
// fields, rare, divide).
const normTable = 1024

func (ix *Index) norms() norms {
	var n norms
	tab := make([]float64, 2*int(numFields)*normTable)
	for k := range 2 {
		for f := range Field(numFields) {
			fc := ix.cfg.field(f)
			avg := float64(ix.sumLen[k][f]) / float64(max(ix.n, 1))
			n.w[k][f] = fc.Weight
			n.c0[k][f] = 1 - fc.B
			if avg > 0 {
				n.c1[k][f] = fc.B / avg
			}
			inv := tab[(k*int(numFields)+int(f))*normTable:][:normTable]
			for l := range inv {
				inv[l] = n.w[k][f] / (n.c0[k][f] + n.c1[k][f]*float64(l))
			}
			n.inv[k][f] = inv
		}
	}
	return n
}

// factor is w / (c0 + c1·len) of a field of kind k.
func (n *norms) factor(k Kind, f Field, l uint16) float64 {
	if int(l) < normTable {
		return n.inv[k][f][l]
	}
	return n.w[k][f] / (n.c0[k][f] + n.c1[k][f]*float64(l))
}

// tfTilde is the BM25F pseudo-frequency of a posting, and each field's
// share of it.
func (n *norms) tfTilde(k Kind, lens *[numFields]uint16, tf *[numFields]uint8) (total float64, parts [numFields]float64) {
	for f := range numFields {
		if tf[f] == 0 {
			continue
		}
		parts[f] = float64(tf[f]) * n.factor(k, f, lens[f])
		total += parts[f]
	}
	return total, parts
}

// top scores every shard in parallel and returns the best k candidates.
func (ix *Index) top(qs []qterm, k int) []cand {
	nm := ix.norms()
	k1 := ix.cfg.K1
	coef := make([]float64, len(qs))
	for i, q := range qs {
		coef[i] = q.weight * ix.idf(q.id)
	}
	res := make([][]cand, len(ix.shards))
	var wg sync.WaitGroup
	for si, s := range ix.shards {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res[si] = s.top(si, qs, coef, &nm, k1, k)
		}()
	}
	wg.Wait()
	var all []cand
	for _, r := range res {
		all = append(all, r...)
	}
	sortCands(all)
	if len(all) > k {
		all = all[:k]
	}
	return all
}

func sortCands(cs []cand) {
	sort.Slice(cs, func(i, j int) bool {
		if cs[i].score != cs[j].score {
			return cs[i].score > cs[j].score
		}
		if cs[i].shard != cs[j].shard {
			return cs[i].shard < cs[j].shard
		}
		return cs[i].slot < cs[j].slot
	})
}

var accPool, acc64Pool sync.Pool

// pooled takes a zeroed slice of n from a pool (zeroed again by its user
// before it is put back).
func pooled[T any](p *sync.Pool, n int) []T {
	if v, ok := p.Get().(*[]T); ok && cap(*v) >= n {
		return (*v)[:n]
	}
	return make([]T, n)
}

// pruneStats counts, for tests, the query terms MaxScore left out of the
// full scan.
var pruneStats atomic.Int64

// top is the shard's best k documents by the first pass's score (float32
// sums in the query's term order, as they always were), found with
// MaxScore: the terms are scanned in decreasing order of their upper
// bound (bound), and once the k-th best partial score exceeds what the
// remaining terms could add, those only score the documents that may
// still reach the top k. The sure candidates are then scored exactly as
// before, term by term in the query's order, so the top k and their
// scores are those of scoring every posting (TestGoldenRanking).
func (s *shard) top(si int, qs []qterm, coef []float64, nm *norms, k1 float64, k int) []cand {
	type term struct {
		i  int
		ub float64
	}
	var ts []term
	for i, q := range qs {
		if int(q.id) >= len(s.postings) || coef[i] <= 0 || s.postings[q.id].n == 0 {
			continue
		}
		b := &s.bounds[q.id]
		var tt float64
		for f := range numFields {
			if b.tf[f] > 0 {
				tt += nm.w[q.kind][f] * float64(b.tf[f]) / (nm.c0[q.kind][f] + nm.c1[q.kind][f]*float64(b.minLen[f]))
			}
		}
		ts = append(ts, term{i, coef[i] * tt / (k1 + tt)})
	}
	if len(ts) == 0 {
		return nil
	}
	slices.SortStableFunc(ts, func(a, b term) int { return cmp.Compare(b.ub, a.ub) })
	rem := make([]float64, len(ts)+1) // rem[j]: the bounds of ts[j:]
	for j := len(ts) - 1; j >= 0; j-- {
		rem[j] = rem[j+1] + ts[j].ub
	}
	// eps covers the float32 sums' rounding against the float64 ones.
	eps := 1e-4 + float64(len(qs))*3e-7
	acc := pooled[float64](&acc64Pool, len(s.docs))
	touched := make([]uint32, 0, 1024)
	maxAcc := 0.0
	add := func(i int) {
		q := qs[i]
		c := coef[i]
		lens := s.lens[q.kind]
		for cur := s.postings[q.id].cursor(); cur.next(); {
			d := cur.doc
			if !s.live(d) {
				continue
			}
			tt, _ := nm.tfTilde(q.kind, &lens[d], &cur.tf)
			if acc[d] == 0 {
				touched = append(touched, d)
			}
			acc[d] += c * tt / (k1 + tt)
			maxAcc = max(maxAcc, acc[d])
		}
	}
	// addOnly adds a term's contribution to the candidates only (slots
	// ascending), seeking through its list.
	addOnly := func(i int, only []uint32) {
		q := qs[i]
		c := coef[i]
		cur := s.postings[q.id].cursor()
		for _, d := range only {
			if !cur.seek(d) {
				return
			}
			if cur.doc != d {
				continue
			}
			tt, _ := nm.tfTilde(q.kind, &s.lens[q.kind][d], &cur.tf)
			acc[d] += c * tt / (k1 + tt)
		}
	}
	j, lastCheck := 0, math.Inf(1)
	for ; j < len(ts); j++ {
		if len(touched) >= k && rem[j] < maxAcc && rem[j] < 0.9*lastCheck {
			if theta := kthBest(acc, touched, k); rem[j] < theta*(1-eps) {
				break // the terms ts[j:] bring no new document into the top k
			}
			lastCheck = rem[j]
		}
		add(ts[j].i)
	}
	cands := touched
	if j < len(ts) {
		pruneStats.Add(int64(len(ts) - j))
		theta := kthBest(acc, touched, k)
		cands = nil
		for _, d := range touched {
			if acc[d]+rem[j] >= theta*(1-eps) {
				cands = append(cands, d)
			}
		}
		slices.Sort(cands)
		// After each pruned term the candidates that cannot reach the k-th
		// best even with every remaining term are dropped: the k-th best
		// partial score only rises, so none of them could be among the
		// sure candidates below, and the next terms seek for fewer.
		for jj, t := range ts[j:] {
			addOnly(t.i, cands)
			r := rem[j+jj+1]
			if r == 0 || len(cands) <= k {
				continue
			}
			th := kthBest(acc, cands, k) * (1 - eps)
			kept := cands[:0]
			for _, d := range cands {
				if acc[d]+r >= th {
					kept = append(kept, d)
				}
			}
			cands = kept
		}
	}
	// the sure candidates: within eps of the k-th best full score
	theta := math.Inf(-1)
	if len(cands) > k {
		theta = kthBest(acc, cands, k) * (1 - eps)
	}
	acc32 := pooled[float32](&accPool, len(s.docs))
	var sure []uint32
	for _, d := range cands {
		if acc[d] >= theta {
			sure = append(sure, d)
		}
	}
	for _, d := range touched {
		acc[d] = 0
	}
	acc64Pool.Put(&acc)
	// each sure candidate's float32 sum in the query's term order: the
	// terms in that order, each seeking through its list for the
	// candidates (slots ascending)
	slices.Sort(sure)
	for i, q := range qs {
		if int(q.id) >= len(s.postings) || coef[i] <= 0 {
			continue
		}
		cur := s.postings[q.id].cursor()
		for _, d := range sure {
			if !cur.seek(d) {
				break
			}
			if cur.doc != d {
				continue
			}
			tt, _ := nm.tfTilde(q.kind, &s.lens[q.kind][d], &cur.tf)
			acc32[d] += float32(coef[i] * tt / (k1 + tt))
		}
	}
	out := topK(acc32, sure, si, k)
	for _, d := range sure {
		acc32[d] = 0
	}
	accPool.Put(&acc32)
	return out
}

// kthBest is the k-th largest acc of the slots (len(slots) ≥ k).
func kthBest(acc []float64, slots []uint32, k int) float64 {
	h := make([]float64, 0, k) // a min-heap of the k best
	for _, d := range slots {
		v := acc[d]
		if len(h) < k {
			h = append(h, v)
			for i := len(h) - 1; i > 0 && h[i] < h[(i-1)/2]; i = (i - 1) / 2 {
				h[i], h[(i-1)/2] = h[(i-1)/2], h[i]
			}
			continue
		}
		if v <= h[0] {
			continue
		}
		h[0] = v
		for i := 0; ; {
			l, m := 2*i+1, i
			if l < k && h[l] < h[m] {
				m = l
			}
			if l+1 < k && h[l+1] < h[m] {
				m = l + 1
			}
			if m == i {
				break
			}
			h[i], h[m] = h[m], h[i]
			i = m
		}
	}
	return h[0]
}

// topK selects the k best of the touched slots with a min-heap.
func topK(acc []float32, touched []uint32, si, k int) []cand {
	h := make([]cand, 0, k)
	less := func(a, b cand) bool { // a worse than b
		if a.score != b.score {
			return a.score < b.score
		}
		return a.slot > b.slot
	}
	down := func(i int) {
		for {
			l := 2*i + 1
			if l >= len(h) {
				return
			}
			m := l
			if r := l + 1; r < len(h) && less(h[r], h[l]) {
				m = r
			}
			if !less(h[m], h[i]) {
				return
			}
			h[i], h[m] = h[m], h[i]
			i = m
		}
	}
	for _, d := range touched {
		c := cand{shard: si, slot: d, score: acc[d]}
		if len(h) < k {
			h = append(h, c)
			for i := len(h) - 1; i > 0; {
				p := (i - 1) / 2
				if !less(h[i], h[p]) {
					break
				}
				h[i], h[p] = h[p], h[i]
				i = p
			}
			continue
		}
		if less(h[0], c) {
			h[0] = c
			down(0)
		}
	}
	return h
}

// explain recomputes a candidate's score exactly, term by term and field
// by field.
func (ix *Index) explain(qs []qterm, c cand) Hit { return ix.explainAll(qs, []cand{c})[0] }

// explainAll explains the candidates: per shard, each term in the query's
// order seeks through its list for the shard's candidates (slots
// ascending), so a hit's reasons and its score's sum come in the query's
// term order as they would one candidate at a time.
func (ix *Index) explainAll(qs []qterm, cs []cand) []Hit {
	nm := ix.norms()
	hits := make([]Hit, len(cs))
	order := make([]int, len(cs))
	for i, c := range cs {
		hits[i].ID = ix.shards[c.shard].docs[c.slot].id
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int {
		if c := cmp.Compare(cs[a].shard, cs[b].shard); c != 0 {
			return c
		}
		return cmp.Compare(cs[a].slot, cs[b].slot)
	})
	for lo := 0; lo < len(order); {
		si := cs[order[lo]].shard
		hi := lo
		for hi < len(order) && cs[order[hi]].shard == si {
			hi++
		}
		s := ix.shards[si]
		for _, q := range qs {
			if int(q.id) >= len(s.postings) {
				continue
			}
			idf := ix.idf(q.id)
			cur := s.postings[q.id].cursor()
			for _, ci := range order[lo:hi] {
				slot := cs[ci].slot
				if !cur.seek(slot) {
					break
				}
				if cur.doc != slot {
					continue
				}
				tt, parts := nm.tfTilde(q.kind, &s.lens[q.kind][slot], &cur.tf)
				if tt == 0 {
					continue
				}
				h := &hits[ci]
				total := q.weight * idf * tt / (ix.cfg.K1 + tt)
				for f := range Field(numFields) {
					if parts[f] == 0 {
						continue
					}
					v := total * parts[f] / tt
					h.Reasons = append(h.Reasons, Reason{Term: q.text, Kind: q.kind.String(), Field: f.String(), Origin: q.origin, Contribution: v})
					h.Score += v
				}
			}
		}
		lo = hi
	}
	for i := range hits {
		slices.SortStableFunc(hits[i].Reasons, func(a, b Reason) int { return cmp.Compare(b.Contribution, a.Contribution) })
	}
	return hits
}

// expand learns the query's related terms from its first pass: the terms
// of the best documents, each document weighing by its share of the
// feedback set's score, in at least PRF.MinDocs of them, ranked by that
// mass times their IDF; for each kind (words, and bigrams when
// PRF.Bigrams) the best PRF.Terms are added with weights in proportion,
// summing to PRF.Weight × the query's own weight of that kind.
func (ix *Index) expand(qs []qterm, first []cand) []qterm {
	cfg := ix.cfg.PRF
	if len(first) == 0 {
		return nil
	}
	inQuery := map[uint32]bool{}
	var qWeight [2]float64
	for _, q := range qs {
		inQuery[q.id] = true
		qWeight[q.kind] += q.weight
	}
	var sum float64
	for _, c := range first {
		sum += float64(c.score)
	}
	if sum <= 0 {
		return nil
	}
	mass := map[uint32]float64{}
	docs := map[uint32]int{}
	for _, c := range first {
		e := &ix.shards[c.shard].docs[c.slot]
		w := float64(c.score) / sum
		for t := range e.termIDs() {
			if inQuery[t] || ix.df[t] < 2 {
				continue
			}
			mass[t] += w
			docs[t]++
		}
	}
	type cw struct {
		id uint32
		v  float64
	}
	var cs [2][]cw
	for t, m := range mass {
		if docs[t] < max(cfg.MinDocs, 1) {
			continue
		}
		k := Kind(ix.terms[t][0] - '0')
		if k == Bigram && !cfg.Bigrams {
			continue
		}
		cs[k] = append(cs[k], cw{t, m * ix.idf(t)})
	}
	var out []qterm
	for k := range Kind(2) {
		c := cs[k]
		if qWeight[k] == 0 || len(c) == 0 {
			continue
		}
		slices.SortFunc(c, func(a, b cw) int {
			if c := cmp.Compare(b.v, a.v); c != 0 {
				return c
			}
			return cmp.Compare(a.id, b.id)
		})
		if len(c) > cfg.Terms {
			c = c[:cfg.Terms]
		}
		var tot float64
		for _, x := range c {
			tot += x.v
		}
		for _, x := range c {
			out = append(out, qterm{id: x.id, kind: k, text: ix.terms[x.id][1:], weight: cfg.Weight * qWeight[k] * x.v / tot, origin: FromExpansion})
		}
	}
	return out
}
