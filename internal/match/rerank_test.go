package match

import (
	"math"
	"strings"
	"testing"
)

// similarityDocs: a is the need's document; b is a's neighbour (the same
// strains, dyes and nutrients) that shares little of the need's wording;
// c shares more of the wording but is about something else.
func similarityDocs() []Doc {
	return []Doc{
		{ID: "a", Title: "印染废水脱色菌株的筛选", Keywords: []string{"活性染料", "脱色菌株"}, Abstract: "从活性污泥中筛选出一株假单胞菌，研究了碳源、氮源等营养条件对活性染料脱色率的影响。"},
		{ID: "b", Title: "假单胞菌降解活性染料的营养条件", Keywords: []string{"假单胞菌", "活性染料"}, Abstract: "考察碳源、氮源对假单胞菌降解活性染料的影响，菌种取自印染厂活性污泥。"},
		{ID: "c", Title: "电镀废水的电化学脱色处理", Keywords: []string{"电镀", "电化学"}, Abstract: "采用电化学方法处理电镀废水，考察电流密度对色度去除的影响。"},
		{ID: "d", Title: "城市污水处理厂的运行管理", Abstract: "讨论了污水处理厂的运行与管理问题。"},
		{ID: "e", Title: "磁悬浮飞轮壳体的优化设计", Abstract: "通过有限元仿真优化壳体壁厚。"},
		{ID: "f", Title: "地震波形分类在砂体预测中的应用", Abstract: "利用地震波形分类技术结合测井资料刻画砂体。"},
	}
}

func similarityIndex(t *testing.T, sc SimilarityConfig) *Index {
	t.Helper()
	cfg := DefaultConfig()
	cfg.Shards = 2
	cfg.PRF.Docs = 0
	cfg.Similarity = sc
	ix := New(cfg, Analyzer{NoSegmenter: true})
	ix.AddBatch(similarityDocs())
	return ix
}

func rankOf(hits []Hit, id string) int {
	for i, h := range hits {
		if h.ID == id {
			return i
		}
	}
	return -1
}

const similarityNeed = "印染废水脱色菌株"

func TestSimilarityRerankLiftsTheBestDocumentsNeighbour(t *testing.T) {
	off := similarityIndex(t, SimilarityConfig{}).Search(similarityNeed, 6)
	if rankOf(off, "a") != 0 || rankOf(off, "c") < 0 || (rankOf(off, "b") >= 0 && rankOf(off, "b") < rankOf(off, "c")) {
		t.Fatalf("precondition: without the rerank a first and c above b: %v", ids(off))
	}
	for _, h := range off {
		for _, r := range h.Reasons {
			if r.Origin == FromRerank {
				t.Errorf("rerank off but %s has a rerank reason %+v", h.ID, r)
			}
		}
	}
	on := similarityIndex(t, SimilarityConfig{Candidates: 10, Weight: 1}).Search(similarityNeed, 6)
	if rankOf(on, "a") != 0 || rankOf(on, "b") < 0 || rankOf(on, "b") > rankOf(on, "c") {
		t.Fatalf("with the rerank b (a's neighbour) should pass c: %v", ids(on))
	}
	for _, h := range on {
		var sum, sim float64
		for _, r := range h.Reasons {
			sum += r.Contribution
			if r.Origin == FromRerank {
				if r.Term != "a" || r.Kind != "similarity" || r.Field != "words" {
					t.Errorf("rerank reason %+v", r)
				}
				sim += r.Contribution
			}
		}
		if math.Abs(sum-h.Score) > 1e-9*math.Max(1, h.Score) {
			t.Errorf("hit %s: reasons sum to %v, score %v", h.ID, sum, h.Score)
		}
		if h.ID == "a" && math.Abs(sim-(h.Score-sim)) > 1e-9*h.Score {
			t.Errorf("the best document gains weight × its own score: %v of %v", sim, h.Score)
		}
	}
}

func TestSimilarityRerankOnlyItsCandidates(t *testing.T) {
	hits := similarityIndex(t, SimilarityConfig{Candidates: 1, Weight: 1}).Search(similarityNeed, 6)
	for i, h := range hits {
		n := 0
		for _, r := range h.Reasons {
			if r.Origin == FromRerank {
				n++
			}
		}
		if (i == 0) != (n == 1) {
			t.Errorf("hit %d %s has %d rerank reasons (only the first candidate should)", i, h.ID, n)
		}
	}
}

func TestSimilarityConfigChecked(t *testing.T) {
	for js, member := range map[string]string{
		`{"similarity":{"weight":-1}}`:     "similarity.weight",
		`{"similarity":{"candidates":-3}}`: "similarity.candidates",
	} {
		_, err := LoadConfig(strings.NewReader(js))
		if err == nil || !strings.Contains(err.Error(), member) {
			t.Errorf("%s: error %v should name %s", js, err, member)
		}
	}
}
