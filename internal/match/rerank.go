package match

import "math"

// FromRerank is the origin of a reason added by the rerank stage (the
// candidate's likeness to the first pass's best document).
const FromRerank = "rerank"

// SimilarityConfig is the rerank stage: the best Candidates of the pass
// (after feedback) each gain Weight × the best candidate's score × the
// cosine between the candidate's words and the best candidate's (sets of
// distinct words, each weighing its IDF). A need is usually best met by
// one document whose neighbours in the catalogue meet it too (the cluster
// hypothesis); the best document itself gains Weight × its score.
// Candidates = 0 or Weight = 0 turns it off.
type SimilarityConfig struct {
	Candidates int     `json:"candidates"`
	Weight     float64 `json:"weight"`
}

func (c SimilarityConfig) on() bool { return c.Candidates > 0 && c.Weight > 0 }

// wordVector is a document's distinct words with their IDF, and its norm.
type wordVector struct {
	w    map[uint32]float64
	norm float64
}

func (ix *Index) wordVector(c cand) wordVector {
	e := &ix.shards[c.shard].docs[c.slot]
	v := wordVector{w: make(map[uint32]float64, len(e.terms))}
	for t := range e.termIDs() {
		if ix.kindOf(t) != Word {
			continue
		}
		x := ix.idf(t)
		v.w[t] = x
		v.norm += x * x
	}
	v.norm = math.Sqrt(v.norm)
	return v
}

func (ix *Index) kindOf(t uint32) Kind { return Kind(ix.terms[t][0] - '0') }

// similarity is the cosine between a candidate's words and a vector.
func (ix *Index) similarity(c cand, to wordVector) float64 {
	if to.norm == 0 {
		return 0
	}
	e := &ix.shards[c.shard].docs[c.slot]
	var dot, norm float64
	for t := range e.termIDs() {
		if ix.kindOf(t) != Word {
			continue
		}
		x := ix.idf(t)
		norm += x * x
		dot += x * to.w[t]
	}
	if norm == 0 {
		return 0
	}
	return dot / (math.Sqrt(norm) * to.norm)
}

// rerank adds the similarity stage's reasons to the hits of the
// candidates (hits[i] is cands[i] explained; cands are in the pass's
// order, the best first): the first Similarity.Candidates of them gain
// their likeness to the best one, so each hit's score stays the sum of its
// reasons.
func (ix *Index) rerank(cands []cand, hits []Hit) {
	sc := ix.cfg.Similarity
	if !sc.on() || len(hits) == 0 {
		return
	}
	best := 0
	for i := range hits {
		if hits[i].Score > hits[best].Score {
			best = i
		}
	}
	top := hits[best].Score
	if top <= 0 {
		return
	}
	to := ix.wordVector(cands[best])
	for i := range hits[:min(len(hits), sc.Candidates)] {
		v := sc.Weight * top * ix.similarity(cands[i], to)
		if v == 0 {
			continue
		}
		hits[i].Reasons = append(hits[i].Reasons, Reason{Term: hits[best].ID, Kind: "similarity", Field: "words", Origin: FromRerank, Contribution: v})
		hits[i].Score += v
	}
}
