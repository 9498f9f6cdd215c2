package match

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
)

// FieldConfig weighs one field in BM25F: Weight multiplies its term
// frequencies, B is its length normalisation (0: none, 1: full).
type FieldConfig struct {
	Weight float64 `json:"weight"`
	B      float64 `json:"b"`
}

// PRFConfig is the pseudo-relevance feedback (an RM3-like expansion): the
// words shared by the first pass's top Docs documents (in at least
// MinDocs of them), ranked by their feedback mass times their IDF, the
// best Terms added to the query with a total weight of Weight × the
// query's own word weight. Docs = 0 turns it off.
type PRFConfig struct {
	Docs    int     `json:"docs"`
	Terms   int     `json:"terms"`
	MinDocs int     `json:"min_docs"`
	Weight  float64 `json:"weight"`
	Bigrams bool    `json:"bigrams"` // expand with bigrams too
}

// Config is the ranking's parameters: stored as configuration (JSON),
// tuned on the dev set only (matchbench). Features weighs the structured
// features by name (industrial chain, maturity, locality, recency,
// availability: features.go, supplied by the service's database feed).
type Config struct {
	K1           float64            `json:"k1"`
	MaxDF        float64            `json:"max_df"` // query terms in more than this share of the documents are dropped (0: none)
	Title        FieldConfig        `json:"title"`
	Keywords     FieldConfig        `json:"keywords"`
	Abstract     FieldConfig        `json:"abstract"`
	WordWeight   float64            `json:"word_weight"`
	BigramWeight float64            `json:"bigram_weight"`
	PRF          PRFConfig          `json:"prf"`
	Similarity   SimilarityConfig   `json:"similarity"` // the rerank stage (rerank.go)
	Features     map[string]float64 `json:"features,omitempty"`
	Rerank       int                `json:"rerank"` // candidates the features re-rank
	Shards       int                `json:"shards"` // 0: one per core
}

// DefaultConfig is the configuration tuned on matchbench's dev set (see
// the package doc for the figures).
func DefaultConfig() Config {
	return Config{
		K1:           1.2,
		MaxDF:        0.2,
		Title:        FieldConfig{Weight: 3, B: 0.5},
		Keywords:     FieldConfig{Weight: 1.5, B: 0.3},
		Abstract:     FieldConfig{Weight: 1, B: 0.9},
		WordWeight:   0.5,
		BigramWeight: 1,
		PRF:          PRFConfig{Docs: 5, Terms: 20, MinDocs: 2, Weight: 0.1},
		Similarity:   SimilarityConfig{Candidates: 30, Weight: 0.75},
		Rerank:       100,
	}
}

func (c Config) field(f Field) FieldConfig {
	switch f {
	case Title:
		return c.Title
	case Keywords:
		return c.Keywords
	}
	return c.Abstract
}

// LoadConfig reads a JSON configuration over the defaults (a member left
// out keeps its default) and checks it.
func LoadConfig(r io.Reader) (Config, error) {
	c := DefaultConfig()
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&c); err != nil {
		return c, fmt.Errorf("匹配配置不是有效的 JSON：%v", err)
	}
	return c, c.Validate()
}

// Validate refuses a configuration the ranking cannot use, naming the
// member.
func (c Config) Validate() error {
	bad := func(name string, v float64, lo, hi float64) error {
		if math.IsNaN(v) || v < lo || v > hi {
			return fmt.Errorf("匹配配置 %s 应在 %g 到 %g 之间，实际为 %g", name, lo, hi, v)
		}
		return nil
	}
	checks := []error{
		bad("k1", c.K1, 0.01, 100), bad("max_df", c.MaxDF, 0, 1),
		bad("title.weight", c.Title.Weight, 0, 100), bad("title.b", c.Title.B, 0, 1),
		bad("keywords.weight", c.Keywords.Weight, 0, 100), bad("keywords.b", c.Keywords.B, 0, 1),
		bad("abstract.weight", c.Abstract.Weight, 0, 100), bad("abstract.b", c.Abstract.B, 0, 1),
		bad("word_weight", c.WordWeight, 0, 100), bad("bigram_weight", c.BigramWeight, 0, 100),
		bad("prf.docs", float64(c.PRF.Docs), 0, 1000), bad("prf.terms", float64(c.PRF.Terms), 0, 1000),
		bad("prf.min_docs", float64(c.PRF.MinDocs), 0, 1000), bad("prf.weight", c.PRF.Weight, 0, 100),
		bad("similarity.candidates", float64(c.Similarity.Candidates), 0, 10000), bad("similarity.weight", c.Similarity.Weight, 0, 100),
		bad("rerank", float64(c.Rerank), 0, 100000), bad("shards", float64(c.Shards), 0, 1024),
	}
	for name, w := range c.Features {
		checks = append(checks, bad("features."+name, w, -1000, 1000))
	}
	for _, err := range checks {
		if err != nil {
			return err
		}
	}
	if c.Title.Weight+c.Keywords.Weight+c.Abstract.Weight == 0 {
		return fmt.Errorf("匹配配置 title/keywords/abstract 的 weight 不能全为 0")
	}
	return nil
}
