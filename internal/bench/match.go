package bench

import (
	"database/sql"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"github.com/blevesearch/bleve/v2"
	_ "github.com/blevesearch/bleve/v2/analysis/lang/cjk"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search/query"
	_ "modernc.org/sqlite"

	"kechuang/internal/match"
	"kechuang/internal/search"
	"kechuang/internal/textnorm"
)

// MatchOptions configure kechuang bench match.
type MatchOptions struct {
	Docs     []match.Doc
	Queries  []MatchQuery
	Qrels    Qrels
	Scale    int      // replicate the corpus with perturbations to this many documents (0: as is)
	Engines  []string // names to run (nil: all)
	Config   match.Config
	Progress io.Writer
	// AfterBuild, when set, is called with the engine's name once it is
	// built, before its queries (kechuang bench match --memprofile).
	AfterBuild func(engine string)
}

// EngineResult is one engine's figures (the JSON of kechuang bench match).
type EngineResult struct {
	Name            string             `json:"name"`
	NDCG10          float64            `json:"ndcg10"`
	Judged10        float64            `json:"judged10"`
	Recall50        float64            `json:"recall50"`
	MRR10           float64            `json:"mrr10"`
	BuildDocsPerS   float64            `json:"build_docs_per_s"`
	P50ms           float64            `json:"p50_ms"`
	P95ms           float64            `json:"p95_ms"`
	RSSMB           float64            `json:"rss_mb"`
	NDCG10Breadth   map[string]float64 `json:"ndcg10_breadth"`
	Judged10Breadth map[string]float64 `json:"judged10_breadth"`
	Docs            int                `json:"docs"`
	Queries         int                `json:"queries"`
	// PerQuery is each query's nDCG@10 (not printed in JSON).
	PerQuery map[string]float64 `json:"-"`
}

// MatchReport is the output of kechuang bench match.
type MatchReport struct {
	Engines []EngineResult `json:"engines"`
}

// matchEngine is one retriever under test.
type matchEngine interface {
	name() string
	build(docs []match.Doc) error
	search(q string, k int) ([]string, error)
	close()
}

// MatchEngineNames are the engines of the benchmark, ours first.
var MatchEngineNames = []string{"kechuang", "bm25_bigram", "bleve", "fts5_trigram", "fts5_gse"}

func newMatchEngine(name string, cfg match.Config) (matchEngine, error) {
	switch name {
	case "kechuang":
		return &kechuangEngine{cfg: cfg}, nil
	case "bm25_bigram":
		return &bigramEngine{}, nil
	case "bleve":
		return &bleveEngine{}, nil
	case "fts5_trigram":
		return &fts5Engine{nm: name, trigram: true}, nil
	case "fts5_gse":
		return &fts5Engine{nm: name}, nil
	}
	return nil, fmt.Errorf("--engines：未知的检索引擎 %q（可选：%s）", name, strings.Join(MatchEngineNames, "、"))
}

// rssMB is the process's resident set (VmRSS) in MB.
func rssMB() float64 { return procStatusMB("VmRSS:") }

// procStatusMB reads a field of /proc/self/status in MB; without procfs
// it is the Go runtime's Sys.
func procStatusMB(field string) float64 {
	b, err := os.ReadFile("/proc/self/status")
	if err != nil {
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return float64(m.Sys) / (1 << 20)
	}
	for _, line := range strings.Split(string(b), "\n") {
		if rest, ok := strings.CutPrefix(line, field); ok {
			kb, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			return kb / 1024
		}
	}
	return 0
}

// peakRSS follows the process's peak resident set from start: the
// kernel's high-water mark (VmHWM, reset by writing 5 to clear_refs), so a
// peak between two samples — the middle of a build — counts; where the
// mark cannot be reset, the larger of the samples taken by sample.
type peakRSS struct {
	hwm  bool
	peak float64
}

func startPeak() *peakRSS {
	p := &peakRSS{hwm: os.WriteFile("/proc/self/clear_refs", []byte("5"), 0) == nil}
	p.sample()
	return p
}

func (p *peakRSS) sample() float64 {
	p.peak = max(p.peak, rssMB())
	if p.hwm {
		p.peak = max(p.peak, procStatusMB("VmHWM:"))
	}
	return p.peak
}

// RunMatch builds every engine over the corpus in turn, runs the queries
// and scores them. rss_mb is the peak growth of the process's resident
// set while the engine is built and queried (from the resident set after
// the previous engine is freed to the high-water mark), so the gse
// dictionary counts for the first engine that loads it.
func RunMatch(o MatchOptions) (MatchReport, error) {
	docs := o.Docs
	if o.Scale > len(docs) {
		docs = ScaleCorpus(docs, o.Scale, 1)
	}
	names := o.Engines
	if len(names) == 0 {
		names = MatchEngineNames
	}
	var rep MatchReport
	for _, name := range names {
		e, err := newMatchEngine(name, o.Config)
		if err != nil {
			return rep, err
		}
		runtime.GC()
		debug.FreeOSMemory()
		base := rssMB()
		pk := startPeak()
		if o.Progress != nil {
			fmt.Fprintf(o.Progress, "%s：索引 %d 篇…\n", name, len(docs))
		}
		t0 := time.Now()
		if err := e.build(docs); err != nil {
			return rep, fmt.Errorf("%s：建索引失败：%v", name, err)
		}
		build := time.Since(t0)
		pk.sample()
		if o.AfterBuild != nil {
			o.AfterBuild(name)
		}
		r := EngineResult{Name: name, Docs: len(docs), Queries: len(o.Queries),
			BuildDocsPerS:   round(float64(len(docs))/build.Seconds(), 0),
			NDCG10Breadth:   map[string]float64{},
			Judged10Breadth: map[string]float64{}, PerQuery: map[string]float64{}}
		var lat Latency
		count := map[string]int{}
		for _, q := range o.Queries {
			t := time.Now()
			ranked, err := e.search(q.Need, 50)
			lat = append(lat, time.Since(t))
			if err != nil {
				return rep, fmt.Errorf("%s：查询 %s 失败：%v", name, q.QID, err)
			}
			j := o.Qrels[q.QID]
			nd := NDCG(ranked, j, 10)
			r.PerQuery[q.QID] = nd
			r.NDCG10 += nd
			r.Judged10 += Judged(ranked, j, 10)
			r.Recall50 += Recall(ranked, j, 50)
			r.MRR10 += MRR(ranked, j, 10)
			r.NDCG10Breadth[q.Breadth] += nd
			r.Judged10Breadth[q.Breadth] += Judged(ranked, j, 10)
			count[q.Breadth]++
		}
		peak := pk.sample()
		e.close()
		if n := float64(len(o.Queries)); n > 0 {
			r.NDCG10 = round(r.NDCG10/n, 4)
			r.Judged10 = round(r.Judged10/n, 4)
			r.Recall50 = round(r.Recall50/n, 4)
			r.MRR10 = round(r.MRR10/n, 4)
		}
		for b, c := range count {
			r.NDCG10Breadth[b] = round(r.NDCG10Breadth[b]/float64(c), 4)
			r.Judged10Breadth[b] = round(r.Judged10Breadth[b]/float64(c), 4)
		}
		r.P50ms = round(float64(lat.Percentile(50).Microseconds())/1000, 2)
		r.P95ms = round(float64(lat.Percentile(95).Microseconds())/1000, 2)
		r.RSSMB = round(peak-base, 0)
		rep.Engines = append(rep.Engines, r)
		if o.Progress != nil {
			fmt.Fprintf(o.Progress, "%s：nDCG@10 %.4f，建索引 %.0f 篇/秒，p95 %.2f ms\n", name, r.NDCG10, r.BuildDocsPerS, r.P95ms)
		}
	}
	return rep, nil
}

func round(v float64, places int) float64 {
	p := math.Pow(10, float64(places))
	return math.Round(v*p) / p
}

// PrintMatch writes the report as a table.
func PrintMatch(w io.Writer, rep MatchReport) {
	fmt.Fprintf(w, "%-14s %8s %8s %8s %8s %8s %8s %8s %10s %8s %8s %8s\n",
		"engine", "nDCG@10", "loss", "narrow", "medium", "broad", "judged", "R@50", "build/s", "p50ms", "p95ms", "rssMB")
	for _, r := range rep.Engines {
		fmt.Fprintf(w, "%-14s %8.4f %8.4f %8.4f %8.4f %8.4f %8.4f %8.4f %10.0f %8.2f %8.2f %8.0f\n",
			r.Name, r.NDCG10, 1-r.NDCG10, r.NDCG10Breadth["narrow"], r.NDCG10Breadth["medium"], r.NDCG10Breadth["broad"],
			r.Judged10, r.Recall50, r.BuildDocsPerS, r.P50ms, r.P95ms, r.RSSMB)
	}
}

// ScaleCorpus replicates docs to n documents: copy i of a document gets
// the id "<id>~<i>", its abstract's sentences rotated and shuffled, one
// keyword dropped and a few title characters swapped, so that the copies
// are distinct texts with the corpus's vocabulary.
func ScaleCorpus(docs []match.Doc, n int, seed uint64) []match.Doc {
	if len(docs) == 0 {
		return nil
	}
	out := make([]match.Doc, 0, n)
	out = append(out, docs...)
	rng := rand.New(rand.NewPCG(seed, 0x6b6563))
	for i := len(docs); i < n; i++ {
		d := docs[i%len(docs)]
		c := match.Doc{ID: d.ID + "~" + strconv.Itoa(i/len(docs))}
		title := []rune(d.Title)
		if len(title) > 4 {
			a, b := rng.IntN(len(title)), rng.IntN(len(title))
			title[a], title[b] = title[b], title[a]
		}
		c.Title = string(title)
		if len(d.Keywords) > 1 {
			drop := rng.IntN(len(d.Keywords))
			for j, k := range d.Keywords {
				if j != drop {
					c.Keywords = append(c.Keywords, k)
				}
			}
		} else {
			c.Keywords = d.Keywords
		}
		sents := strings.SplitAfter(d.Abstract, "。")
		rng.Shuffle(len(sents), func(a, b int) { sents[a], sents[b] = sents[b], sents[a] })
		c.Abstract = strings.Join(sents, "")
		out = append(out, c)
	}
	return out
}

// kechuangEngine is our engine (internal/match).
type kechuangEngine struct {
	cfg match.Config
	ix  *match.Index
}

func (e *kechuangEngine) name() string { return "kechuang" }
func (e *kechuangEngine) build(docs []match.Doc) error {
	e.ix = match.New(e.cfg, match.Analyzer{HMM: true})
	e.ix.AddBatch(docs)
	return nil
}
func (e *kechuangEngine) search(q string, k int) ([]string, error) {
	hits := e.ix.Search(q, k)
	out := make([]string, len(hits))
	for i, h := range hits {
		out[i] = h.ID
	}
	return out, nil
}
func (e *kechuangEngine) close() { e.ix = nil }

// bigramEngine is plain BM25 (k1 1.2, b 0.75) over the CJK bigrams (and
// ASCII words) of one text: the title twice, the keywords, the abstract —
// the strongest reference of matchbench's README.
type bigramEngine struct {
	postings map[string][]bgPosting
	lens     []int
	ids      []string
	avg      float64
}

type bgPosting struct {
	doc int32
	tf  int32
}

func bigramTokens(s string) []string {
	k := textnorm.Key(s)
	var out []string
	var han []rune
	var word []rune
	flush := func() {
		for i := 0; i+1 < len(han); i++ {
			out = append(out, string(han[i:i+2]))
		}
		han = han[:0]
		if len(word) > 0 {
			out = append(out, string(word))
			word = word[:0]
		}
	}
	for _, r := range k {
		switch {
		case unicode.Is(unicode.Han, r):
			if len(word) > 0 {
				out = append(out, string(word))
				word = word[:0]
			}
			han = append(han, r)
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if len(han) > 0 {
				w := word
				word = nil
				flush()
				word = w
			}
			word = append(word, r)
		default:
			flush()
		}
	}
	flush()
	return out
}

func (e *bigramEngine) name() string { return "bm25_bigram" }
func (e *bigramEngine) build(docs []match.Doc) error {
	e.postings = map[string][]bgPosting{}
	var total int
	for i, d := range docs {
		text := d.Title + "\n" + d.Title + "\n" + strings.Join(d.Keywords, "\n") + "\n" + d.Abstract
		toks := bigramTokens(text)
		tf := map[string]int32{}
		for _, t := range toks {
			tf[t]++
		}
		for t, c := range tf {
			e.postings[t] = append(e.postings[t], bgPosting{int32(i), c})
		}
		e.lens = append(e.lens, len(toks))
		e.ids = append(e.ids, d.ID)
		total += len(toks)
	}
	e.avg = float64(total) / float64(max(len(docs), 1))
	return nil
}
func (e *bigramEngine) search(q string, k int) ([]string, error) {
	qtf := map[string]int{}
	for _, t := range bigramTokens(q) {
		qtf[t]++
	}
	acc := make([]float64, len(e.ids))
	n := float64(len(e.ids))
	for t, c := range qtf {
		ps := e.postings[t]
		if len(ps) == 0 {
			continue
		}
		df := float64(len(ps))
		idf := math.Log(1 + (n-df+0.5)/(df+0.5))
		for _, p := range ps {
			tf := float64(p.tf)
			acc[p.doc] += float64(c) * idf * tf * 2.2 / (tf + 1.2*(0.25+0.75*float64(e.lens[p.doc])/e.avg))
		}
	}
	return topIDs(acc, e.ids, k), nil
}
func (e *bigramEngine) close() { *e = bigramEngine{} }

func topIDs(acc []float64, ids []string, k int) []string {
	idx := make([]int, 0, 1024)
	for i, v := range acc {
		if v > 0 {
			idx = append(idx, i)
		}
	}
	slices.SortFunc(idx, func(a, b int) int {
		if acc[a] != acc[b] {
			if acc[a] > acc[b] {
				return -1
			}
			return 1
		}
		return a - b
	})
	if len(idx) > k {
		idx = idx[:k]
	}
	out := make([]string, len(idx))
	for i, j := range idx {
		out[i] = ids[j]
	}
	return out
}

// bleveEngine is bleve v2 in memory with its CJK analyser (width fold,
// lower case, CJK bigrams) on the three fields; the query is a match query
// on each field, the title boosted ×2.
type bleveEngine struct{ ix bleve.Index }

type bleveDoc struct {
	Title    string `json:"title"`
	Keywords string `json:"keywords"`
	Abstract string `json:"abstract"`
}

func (e *bleveEngine) name() string { return "bleve" }
func (e *bleveEngine) build(docs []match.Doc) error {
	m := bleve.NewIndexMapping()
	m.DefaultAnalyzer = "cjk"
	dm := mapping.NewDocumentMapping()
	for _, f := range []string{"title", "keywords", "abstract"} {
		fm := mapping.NewTextFieldMapping()
		fm.Analyzer = "cjk"
		fm.Store = false
		fm.IncludeInAll = false
		fm.IncludeTermVectors = false
		dm.AddFieldMappingsAt(f, fm)
	}
	m.DefaultMapping = dm
	ix, err := bleve.NewMemOnly(m)
	if err != nil {
		return err
	}
	e.ix = ix
	b := ix.NewBatch()
	for _, d := range docs {
		if err := b.Index(d.ID, bleveDoc{d.Title, strings.Join(d.Keywords, "；"), d.Abstract}); err != nil {
			return err
		}
		if b.Size() >= 1000 {
			if err := ix.Batch(b); err != nil {
				return err
			}
			b = ix.NewBatch()
		}
	}
	return ix.Batch(b)
}
func (e *bleveEngine) search(q string, k int) ([]string, error) {
	var qs []query.Query
	for f, boost := range map[string]float64{"title": 2, "keywords": 1, "abstract": 1} {
		mq := bleve.NewMatchQuery(q)
		mq.SetField(f)
		mq.SetBoost(boost)
		qs = append(qs, mq)
	}
	req := bleve.NewSearchRequestOptions(bleve.NewDisjunctionQuery(qs...), k, 0, false)
	res, err := e.ix.Search(req)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(res.Hits))
	for i, h := range res.Hits {
		out[i] = h.ID
	}
	return out, nil
}
func (e *bleveEngine) close() {
	if e.ix != nil {
		e.ix.Close()
	}
}

// fts5Engine is SQLite FTS5 (modernc.org/sqlite, in memory) ranked by its
// bm25() with the title weighted ×2: either the trigram tokenizer over the
// raw text (the query an OR of its trigrams), or unicode61 over text that
// gse segmented into space-separated words (the query an OR of its gse
// words).
type fts5Engine struct {
	nm      string
	trigram bool
	db      *sql.DB
}

func (e *fts5Engine) name() string { return e.nm }

func gseText(s string) string {
	seg := search.Segmenter()
	k := textnorm.Key(s)
	if seg == nil {
		return k
	}
	return strings.Join(seg.Cut(k, true), " ")
}

func (e *fts5Engine) build(docs []match.Doc) error {
	db, err := sql.Open("sqlite", ":memory:")
	if err != nil {
		return err
	}
	db.SetMaxOpenConns(1)
	e.db = db
	tok := "unicode61"
	if e.trigram {
		tok = "trigram"
	}
	if _, err := db.Exec(`CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, keywords, abstract, tokenize='` + tok + `')`); err != nil {
		return err
	}
	tx, err := db.Begin()
	if err != nil {
		return err
	}
	st, err := tx.Prepare(`INSERT INTO docs(id, title, keywords, abstract) VALUES ($1, $2, $3, $4)`)
	if err != nil {
		return err
	}
	for _, d := range docs {
		t, kw, ab := d.Title, strings.Join(d.Keywords, "；"), d.Abstract
		if e.trigram {
			t, kw, ab = textnorm.Key(t), textnorm.Key(kw), textnorm.Key(ab)
		} else {
			t, kw, ab = gseText(t), gseText(kw), gseText(ab)
		}
		if _, err := st.Exec(d.ID, t, kw, ab); err != nil {
			return err
		}
	}
	st.Close()
	return tx.Commit()
}

func ftsQuote(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

func (e *fts5Engine) matchExpr(q string) string {
	k := textnorm.Key(q)
	seen := map[string]bool{}
	var terms []string
	add := func(t string) {
		if t != "" && !seen[t] {
			seen[t] = true
			terms = append(terms, ftsQuote(t))
		}
	}
	pieces := strings.FieldsFunc(k, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	for _, p := range pieces {
		if e.trigram {
			rs := []rune(p)
			for i := 0; i+3 <= len(rs); i++ {
				add(string(rs[i : i+3]))
			}
			continue
		}
		for _, w := range strings.Fields(gseText(p)) {
			add(w)
		}
	}
	return strings.Join(terms, " OR ")
}

func (e *fts5Engine) search(q string, k int) ([]string, error) {
	expr := e.matchExpr(q)
	if expr == "" {
		return nil, nil
	}
	rows, err := e.db.Query(`SELECT id FROM docs WHERE docs MATCH $1 ORDER BY bm25(docs, 0, 2.0, 1.0, 1.0) LIMIT $2`, expr, k)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}
func (e *fts5Engine) close() {
	if e.db != nil {
		e.db.Close()
	}
}
