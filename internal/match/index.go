// Package match is the matching engine (精准对接, DESIGN.md §2 module 4): an
// in-memory index of achievements (or any titled text with keywords and
// an abstract) that a need's text, in a practitioner's words, is matched
// against, with the reasons of every hit.
//
// Analysis (Analyzer): textnorm.Key normalisation plus common traditional
// → simplified characters; gse search-mode words (the process's one
// segmenter, simplified dictionary plus the domain dictionary of
// internal/search) with stop words dropped (function words and a need's
// boilerplate); and CJK bigrams as a second family of terms, which find a
// researcher's compound however gse cuts it.
//
// Ranking: BM25F over the fields title, keywords and abstract, once over
// the words and once over the bigrams, summed with weights; then a
// pseudo-relevance feedback pass (related terms learned from the corpus
// at query time: the words that the first pass's best documents share,
// weighed by IDF) so that a need's wording meets the research's; then the
// structured features (Feature, features.go) on the best candidates.
// Every parameter is in Config (JSON), tuned on matchbench's dev set only.
//
// Explanations: every Hit lists its Reasons (term, kind, field, origin —
// the query or the expansion — and contribution); they sum to its Score.
//
// The index is fed documents by id (Add, Update, Remove, AddBatch: the
// database's rows at start, then its change sequence) and is sharded:
// documents are spread over Config.Shards shards (one per core by
// default), scored in parallel and merged. It is safe for concurrent use.
package match

import (
	"encoding/binary"
	"hash/fnv"
	"iter"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
)

// Doc is one document of the index.
type Doc struct {
	ID       string   `json:"id"`
	Title    string   `json:"title"`
	Keywords []string `json:"keywords"`
	Abstract string   `json:"abstract"`
}

type docEntry struct {
	id    string
	terms []byte // its distinct terms' ids, ascending, as uvarint gaps (for removal and feedback)
	nterm uint32 // how many
}

// setTerms stores a document's distinct term ids (sorted in place).
func (e *docEntry) setTerms(ids []uint32) {
	slices.Sort(ids)
	var buf [binary.MaxVarintLen32]byte
	out := make([]byte, 0, len(ids)*2)
	prev := uint32(0)
	for _, id := range ids {
		out = append(out, buf[:binary.PutUvarint(buf[:], uint64(id-prev))]...)
		prev = id
	}
	e.terms, e.nterm = slices.Clip(out), uint32(len(ids))
}

// termIDs are the document's distinct term ids, ascending.
func (e *docEntry) termIDs() iter.Seq[uint32] {
	return func(yield func(uint32) bool) {
		id := uint32(0)
		for b := e.terms; len(b) > 0; {
			g, n := binary.Uvarint(b)
			b = b[n:]
			id += uint32(g)
			if !yield(id) {
				return
			}
		}
	}
}

type shard struct {
	postings []plist // by term id (postings.go)
	bounds   []bound // by term id: what bounds its postings' scores
	docs     []docEntry
	// lens are the documents' terms per field, by kind then slot, and
	// removed marks the removed slots (a bit each): apart from docs, so
	// that scoring a posting reads 6 bytes and a bit, not a docEntry's
	// cache line (that read was most of a query's time).
	lens    [2][][numFields]uint16
	removed []uint64
	dead    int // postings of removed documents still in the lists
	total   int // postings in the lists
}

// live reports whether the document of a slot is still indexed.
func (s *shard) live(slot uint32) bool {
	return s.dead == 0 || s.removed[slot/64]&(1<<(slot%64)) == 0
}

// bound is, over a term's postings in a shard (removed ones included), the
// largest tf and the shortest length of each field: an upper bound of the
// term's contribution to any document's score (MaxScore).
type bound struct {
	tf     [numFields]uint8
	minLen [numFields]uint16
}

func (b *bound) add(tf [numFields]uint8, lens *[numFields]uint16, first bool) {
	for f := range numFields {
		b.tf[f] = max(b.tf[f], tf[f])
		if first || lens[f] < b.minLen[f] {
			b.minLen[f] = lens[f]
		}
	}
}

type loc struct {
	shard int
	slot  uint32
}

// Index is the in-memory index (see the package doc).
type Index struct {
	cfg Config
	an  Analyzer

	mu     sync.RWMutex
	dict   map[tkey]uint32 // term → id
	terms  []string        // id → kind byte + term
	df     []int32
	byID   map[string]loc
	n      int
	sumLen [2][numFields]int64
	shards []*shard
}

// New makes an empty index.
func New(cfg Config, an Analyzer) *Index {
	n := cfg.Shards
	if n <= 0 {
		n = runtime.GOMAXPROCS(0)
	}
	ix := &Index{cfg: cfg, an: an, dict: map[tkey]uint32{}, byID: map[string]loc{}}
	for range n {
		ix.shards = append(ix.shards, &shard{})
	}
	return ix
}

// SetConfig replaces the ranking's parameters (not the number of shards),
// e.g. when the stored configuration changes.
func (ix *Index) SetConfig(c Config) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	c.Shards = ix.cfg.Shards
	ix.cfg = c
}

// Config is the index's configuration.
func (ix *Index) Config() Config { return ix.cfg }

// Len is the number of documents.
func (ix *Index) Len() int {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	return ix.n
}

// analysed is a document cut into terms, before it enters the index.
type analysed struct {
	id    string
	lens  [2][numFields]uint16
	at    map[tkey]int32 // term → its place in tfs
	terms []atf          // distinct terms in first-seen order
}

// tkey is a term of a kind (the index's dictionary key).
type tkey struct {
	kind Kind
	text string
}

// atf is a term of a document and its frequencies per field.
type atf struct {
	key tkey
	tf  [numFields]uint8
}

func termKey(k Kind, t string) string { return string(rune('0'+k)) + t }

func (a *analysed) add(k Kind, f Field, terms []string) {
	for _, t := range terms {
		key := tkey{k, t}
		i, ok := a.at[key]
		if !ok {
			i = int32(len(a.terms))
			a.at[key] = i
			a.terms = append(a.terms, atf{key: key})
		}
		if c := &a.terms[i].tf; c[f] < 255 {
			c[f]++
		}
	}
	a.lens[k][f] = uint16(min(len(terms)+int(a.lens[k][f]), 65535))
}

func (ix *Index) analyse(d Doc) *analysed {
	a := &analysed{id: d.ID}
	if m, ok := atPool.Get().(map[tkey]int32); ok {
		a.at = m
	} else {
		a.at = make(map[tkey]int32, 256)
	}
	for f, text := range [numFields]string{d.Title, joinKeywords(d.Keywords), d.Abstract} {
		if text == "" {
			continue
		}
		t := ix.an.Analyze(text)
		a.add(Word, Field(f), t.Words)
		a.add(Bigram, Field(f), t.Bigrams)
	}
	clear(a.at) // only needed while the terms are counted
	atPool.Put(a.at)
	a.at = nil
	return a
}

// atPool keeps analysed.at's maps (a document's term map is most of the
// garbage a build makes).
var atPool sync.Pool

func joinKeywords(ks []string) string {
	out := ""
	for i, k := range ks {
		if i > 0 {
			out += "；"
		}
		out += k
	}
	return out
}

func (ix *Index) shardOf(id string) int {
	h := fnv.New32a()
	h.Write([]byte(id))
	return int(h.Sum32() % uint32(len(ix.shards)))
}

// Add indexes a document; a document of the same id is replaced (Update).
func (ix *Index) Add(d Doc) { ix.insert([]*analysed{ix.analyse(d)}) }

// Update replaces the document of d.ID (or adds it).
func (ix *Index) Update(d Doc) { ix.Add(d) }

// AddBatch indexes many documents, analysing them on every core (the
// segmentation is the cost of a build) while the analysed chunks enter
// the index, in their order, under the lock.
func (ix *Index) AddBatch(docs []Doc) {
	const chunk = 1024 // documents per chunk; two chunks are held at once
	workers := runtime.GOMAXPROCS(0)
	chunks := make(chan []*analysed, 1)
	go func() {
		defer close(chunks)
		for lo := 0; lo < len(docs); lo += chunk {
			part := docs[lo:min(lo+chunk, len(docs))]
			out := make([]*analysed, len(part))
			var wg sync.WaitGroup
			var next atomic.Int64
			for range workers {
				wg.Add(1)
				go func() {
					defer wg.Done()
					for i := int(next.Add(1) - 1); i < len(part); i = int(next.Add(1) - 1) {
						out[i] = ix.analyse(part[i])
					}
				}()
			}
			wg.Wait()
			chunks <- out
		}
	}()
	for out := range chunks {
		ix.insert(out)
	}
}

func (ix *Index) insert(as []*analysed) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	var ids []uint32
	for _, a := range as {
		ix.removeLocked(a.id)
		si := ix.shardOf(a.id)
		s := ix.shards[si]
		slot := uint32(len(s.docs))
		e := docEntry{id: a.id}
		ids = ids[:0]
		for _, t := range a.terms {
			id, ok := ix.dict[t.key]
			if !ok {
				id = uint32(len(ix.terms))
				ix.dict[tkey{t.key.kind, strings.Clone(t.key.text)}] = id // not a slice of the document's text
				ix.terms = append(ix.terms, termKey(t.key.kind, t.key.text))
				ix.df = append(ix.df, 0)
			}
			ix.df[id]++
			for int(id) >= len(s.postings) {
				s.postings = append(s.postings, plist{})
				s.bounds = append(s.bounds, bound{})
			}
			s.bounds[id].add(t.tf, &a.lens[t.key.kind], s.postings[id].n == 0)
			s.postings[id].add(slot, t.tf)
			s.total++
			ids = append(ids, id)
		}
		e.setTerms(ids)
		s.docs = append(s.docs, e)
		s.lens[Word] = append(s.lens[Word], a.lens[Word])
		s.lens[Bigram] = append(s.lens[Bigram], a.lens[Bigram])
		if slot%64 == 0 {
			s.removed = append(s.removed, 0)
		}
		ix.byID[a.id] = loc{si, slot}
		ix.n++
		for k := range 2 {
			for f := range numFields {
				ix.sumLen[k][f] += int64(a.lens[k][f])
			}
		}
	}
}

// Remove takes a document out of the index (a no-op for an unknown id).
func (ix *Index) Remove(id string) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.removeLocked(id)
}

func (ix *Index) removeLocked(id string) {
	l, ok := ix.byID[id]
	if !ok {
		return
	}
	delete(ix.byID, id)
	s := ix.shards[l.shard]
	e := &s.docs[l.slot]
	for t := range e.termIDs() {
		ix.df[t]--
	}
	for k := range 2 {
		for f := range numFields {
			ix.sumLen[k][f] -= int64(s.lens[k][l.slot][f])
		}
	}
	s.dead += int(e.nterm)
	s.removed[l.slot/64] |= 1 << (l.slot % 64)
	e.terms, e.nterm = nil, 0
	ix.n--
	if s.dead > 1024 && s.dead*4 > s.total {
		s.compact()
	}
}

// compact drops the postings of removed documents.
func (s *shard) compact() {
	for t := range s.postings {
		var kept plist
		for c := s.postings[t].cursor(); c.next(); {
			if s.live(c.doc) {
				kept.add(c.doc, c.tf)
			}
		}
		s.postings[t] = kept
	}
	s.total -= s.dead
	s.dead = 0
}

// Has reports whether a document is indexed.
func (ix *Index) Has(id string) bool {
	ix.mu.RLock()
	defer ix.mu.RUnlock()
	_, ok := ix.byID[id]
	return ok
}
