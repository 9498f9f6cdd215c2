package match

import (
	"math"
	"slices"
	"strconv"
	"strings"
	"testing"
)

func TestNormalize(t *testing.T) {
	for in, want := range map[string]string{
		"ＡＢＣ１２３":    "abc123",
		"  深度  學習 ": "深度 学习",
		"國際機器人":     "国际机器人",
		"Lidar　点云":  "lidar 点云",
		"中试熟化":      "中试熟化", // simplified text is unchanged
	} {
		if got := Normalize(in); got != want {
			t.Errorf("Normalize(%q) = %q, want %q", in, got, want)
		}
	}
	// no traditional key is also a simplified value: the map never changes
	// a simplified text
	for k := range t2s {
		for _, v := range t2s {
			if k == v {
				t.Fatalf("%c is both a traditional key and a simplified value", k)
			}
		}
	}
}

func TestAnalyzeSegmentation(t *testing.T) {
	var a Analyzer
	tm := a.Analyze("基于深度学习的锂电池健康状态估计")
	if !slices.Contains(tm.Words, "深度学习") && !slices.Contains(tm.Words, "学习") {
		t.Errorf("words %v lack 深度学习", tm.Words)
	}
	if !slices.Contains(tm.Words, "锂电池") && !slices.Contains(tm.Words, "电池") {
		t.Errorf("words %v lack 锂电池", tm.Words)
	}
	if slices.Contains(tm.Words, "的") || slices.Contains(tm.Words, "基于") {
		t.Errorf("stop words kept: %v", tm.Words)
	}
	for _, b := range []string{"深度", "锂电", "电池", "估计"} {
		if !slices.Contains(tm.Bigrams, b) {
			t.Errorf("bigrams %v lack %s", tm.Bigrams, b)
		}
	}
	// a need's boilerplate is cut out of the query before its bigrams
	q := a.AnalyzeQuery("我单位希望找到高效脱色菌种")
	for _, b := range q.Bigrams {
		if strings.ContainsAny(b, "我希望") {
			t.Errorf("query bigram %q holds a stop word's character: %v", b, q.Bigrams)
		}
	}
	if !slices.Contains(q.Bigrams, "脱色") {
		t.Errorf("query bigrams %v lack 脱色", q.Bigrams)
	}
	// ASCII runs stay whole, width and case folded
	if tm := a.Analyze("ＳＯＳ方法与MRP参数"); !slices.Contains(tm.Words, "sos") || !slices.Contains(tm.Bigrams, "mrp") {
		t.Errorf("ASCII terms: %+v", tm)
	}
}

func testDocs() []Doc {
	return []Doc{
		{ID: "a", Title: "印染废水脱色菌株的筛选", Keywords: []string{"活性染料", "脱色"}, Abstract: "从印染废水中筛选出一株高效脱色细菌，研究了营养条件对活性染料脱色率的影响。"},
		{ID: "b", Title: "地震波形分类在砂体预测中的应用", Keywords: []string{"波形分类", "三角洲"}, Abstract: "利用地震波形分类技术结合测井资料刻画分流河道砂体。"},
		{ID: "c", Title: "磁悬浮飞轮壳体的优化设计", Keywords: []string{"飞轮", "壳体"}, Abstract: "通过有限元仿真优化壳体壁厚，在保证稳定性的前提下减轻质量。"},
		{ID: "d", Title: "城市污水处理厂的运行管理", Abstract: "讨论了污水处理厂的运行与管理问题。"},
	}
}

func newTestIndex(t *testing.T, cfg Config) *Index {
	t.Helper()
	cfg.Shards = 3
	ix := New(cfg, Analyzer{})
	ix.AddBatch(testDocs())
	return ix
}

func TestSearchAndExplanationsSum(t *testing.T) {
	ix := newTestIndex(t, DefaultConfig())
	hits := ix.Search("我厂印染废水色度高，希望找到能高效脱色的菌种", 3)
	if len(hits) == 0 || hits[0].ID != "a" {
		t.Fatalf("hits %+v, want a first", hits)
	}
	for _, h := range hits {
		var sum float64
		for _, r := range h.Reasons {
			sum += r.Contribution
			if r.Origin != FromQuery && r.Origin != FromExpansion && r.Origin != FromRerank {
				t.Errorf("reason origin %q", r.Origin)
			}
			if r.Origin == FromRerank {
				continue // the rerank stage's likeness to the best hit (rerank_test.go)
			}
			if r.Field != "title" && r.Field != "keywords" && r.Field != "abstract" {
				t.Errorf("reason field %q", r.Field)
			}
		}
		if len(h.Reasons) == 0 || math.Abs(sum-h.Score) > 1e-9*math.Max(1, h.Score) {
			t.Errorf("hit %s: reasons sum to %v, score %v", h.ID, sum, h.Score)
		}
	}
	for i := 1; i < len(hits); i++ {
		if hits[i].Score > hits[i-1].Score {
			t.Errorf("hits not in score order: %+v", hits)
		}
	}
}

type constFeature struct{ id string }

func (f constFeature) Name() string { return "local" }
func (f constFeature) Value(_, id string) float64 {
	if id == f.id {
		return 1
	}
	return 0
}

func TestFeatureHook(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Features = map[string]float64{"local": 1000}
	ix := newTestIndex(t, cfg)
	hits := ix.SearchOpts("印染废水脱色 壳体", 3, Options{Features: []Feature{constFeature{"c"}}})
	if len(hits) == 0 || hits[0].ID != "c" {
		t.Fatalf("the feature did not lift c: %+v", hits)
	}
	var sum float64
	found := false
	for _, r := range hits[0].Reasons {
		sum += r.Contribution
		found = found || r.Origin == FromFeature
	}
	if !found || math.Abs(sum-hits[0].Score) > 1e-9*hits[0].Score {
		t.Errorf("feature reason missing or sum %v != %v", sum, hits[0].Score)
	}
}

func ids(hs []Hit) []string {
	var out []string
	for _, h := range hs {
		out = append(out, h.ID)
	}
	return out
}

func TestAddUpdateRemove(t *testing.T) {
	cfg := DefaultConfig()
	cfg.PRF.Docs = 0
	ix := newTestIndex(t, cfg)
	if ix.Len() != 4 {
		t.Fatalf("Len %d", ix.Len())
	}
	if got := ids(ix.Search("磁悬浮飞轮", 5)); !slices.Contains(got, "c") {
		t.Fatalf("c not found: %v", got)
	}
	ix.Remove("c")
	if ix.Has("c") || ix.Len() != 3 {
		t.Fatal("c still indexed")
	}
	if got := ids(ix.Search("磁悬浮飞轮", 5)); slices.Contains(got, "c") {
		t.Fatalf("removed c found: %v", got)
	}
	ix.Remove("nope") // no-op
	ix.Update(Doc{ID: "d", Title: "磁悬浮飞轮控制系统", Abstract: "飞轮转子的磁悬浮控制。"})
	if ix.Len() != 3 {
		t.Fatalf("Len after update %d", ix.Len())
	}
	if got := ids(ix.Search("磁悬浮飞轮", 5)); len(got) == 0 || got[0] != "d" {
		t.Fatalf("updated d not first: %v", got)
	}
	if got := ids(ix.Search("污水处理厂运行管理", 5)); slices.Contains(got, "d") {
		t.Fatalf("d's old text still matches: %v", got)
	}
	// the statistics follow: df of a removed document's terms falls back
	ix2 := New(cfg, Analyzer{})
	ix2.Add(Doc{ID: "x", Title: "飞轮"})
	ix2.Remove("x")
	if ix2.Len() != 0 || len(ix2.Search("飞轮", 5)) != 0 {
		t.Fatal("empty index matches")
	}
	for _, df := range ix2.df {
		if df != 0 {
			t.Fatalf("df %d after removal", df)
		}
	}
}

func TestCompaction(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Shards = 1
	cfg.PRF.Docs = 0
	ix := New(cfg, Analyzer{NoSegmenter: true})
	for i := range 3000 {
		ix.Add(Doc{ID: string(rune('一' + i)), Title: "飞轮壳体优化设计" + string(rune('一'+i))})
	}
	for i := range 2000 {
		ix.Remove(string(rune('一' + i)))
	}
	s := ix.shards[0]
	if s.dead*4 > s.total+4096 {
		t.Fatalf("not compacted: dead %d of %d", s.dead, s.total)
	}
	hits := ix.Search("飞轮壳体", 5000)
	if len(hits) != 1000 {
		t.Fatalf("%d hits, want 1000", len(hits))
	}
}

func TestConfig(t *testing.T) {
	c, err := LoadConfig(strings.NewReader(`{"k1": 1.5, "title": {"weight": 4, "b": 0.4}}`))
	if err != nil || c.K1 != 1.5 || c.Title.Weight != 4 || c.Abstract != DefaultConfig().Abstract {
		t.Fatalf("%+v %v", c, err)
	}
	for _, bad := range []string{`{"k1": -1}`, `{"title": {"b": 2}}`, `{"nope": 1}`, `{`, `{"prf": {"weight": -1}}`} {
		if _, err := LoadConfig(strings.NewReader(bad)); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
	if err := DefaultConfig().Validate(); err != nil {
		t.Fatal(err)
	}
}

func TestMaxDF(t *testing.T) {
	cfg := DefaultConfig()
	cfg.PRF.Docs = 0
	ix := New(cfg, Analyzer{NoSegmenter: true})
	var docs []Doc
	for i := range 1200 {
		docs = append(docs, Doc{ID: strconv.Itoa(i), Title: "飞轮设计"})
	}
	docs = append(docs, Doc{ID: "x", Title: "飞轮壳体"})
	ix.AddBatch(docs)
	hits := ix.Search("飞轮壳体", 5)
	if len(hits) != 1 || hits[0].ID != "x" {
		t.Fatalf("%+v", hits)
	}
	for _, r := range hits[0].Reasons {
		if r.Term == "飞轮" {
			t.Errorf("a term in every document kept: %+v", r)
		}
	}
	cfg.MaxDF = 0
	ix.SetConfig(cfg)
	if hits := ix.Search("飞轮壳体", 5); len(hits) != 5 {
		t.Errorf("without max_df the common term matches: %d hits", len(hits))
	}
}
