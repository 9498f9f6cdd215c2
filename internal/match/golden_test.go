package match

import (
	"encoding/json"
	"flag"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var updateGolden = flag.Bool("update-golden", false, "rewrite testdata/golden_*.json from the current engine")

// goldenCorpus is a fixed, generated corpus: documents made of the
// phrases below (some common, some rare), with a few removed and
// replaced, so that the lists have very different lengths.
func goldenCorpus() []Doc {
	phrases := []string{
		"印染废水", "脱色菌株", "活性染料", "高效降解", "微生物", "地震波形", "砂体预测", "测井资料", "分流河道",
		"磁悬浮", "飞轮储能", "壳体优化", "有限元仿真", "污水处理", "运行管理", "锂电池", "健康状态", "深度学习",
		"神经网络", "图像识别", "点云", "激光雷达", "无人驾驶", "路径规划", "中试熟化", "新材料", "复合材料",
		"碳纤维", "热处理", "疲劳寿命", "农作物", "病虫害", "遥感监测", "土壤修复", "重金属", "吸附剂",
		"催化剂", "氢能", "燃料电池", "储能系统", "光伏组件", "风力发电", "智能电网", "传感器", "物联网",
		"区块链", "数据安全", "中药材", "药物筛选", "医疗器械", "康复机器人", "精密加工", "数控机床", "焊接工艺",
	}
	common := []string{"研究", "方法", "技术", "系统", "应用", "分析"}
	rng := rand.New(rand.NewPCG(11, 20261202))
	pick := func(n int) []string {
		out := make([]string, n)
		for i := range out {
			if rng.IntN(3) == 0 {
				out[i] = common[rng.IntN(len(common))]
			} else {
				// a skewed choice: the first phrases are far more common
				j := int(float64(len(phrases)) * math.Pow(rng.Float64(), 2))
				out[i] = phrases[j]
			}
		}
		return out
	}
	var docs []Doc
	for i := range 600 {
		d := Doc{ID: fmt.Sprintf("g%03d", i), Title: strings.Join(pick(2+rng.IntN(3)), "")}
		for range rng.IntN(4) {
			d.Keywords = append(d.Keywords, pick(1)[0])
		}
		var sents []string
		for range 1 + rng.IntN(6) {
			sents = append(sents, strings.Join(pick(3+rng.IntN(8)), "的"))
		}
		d.Abstract = strings.Join(sents, "。") + "。"
		if i%7 == 3 {
			d.Title = "Lidar " + d.Title + " MRP-2"
		}
		docs = append(docs, d)
	}
	return docs
}

var goldenQueries = []string{
	"我单位希望找到印染废水高效脱色的微生物菌株",
	"锂电池健康状态估计的深度学习方法",
	"激光雷达点云与无人驾驶路径规划",
	"研究方法技术系统应用分析",
	"需要燃料电池催化剂与氢能储能系统的技术",
	"土壤重金属修复吸附剂",
	"康复机器人",
	"lidar mrp-2 传感器物联网",
	"数控机床精密加工焊接工艺与疲劳寿命热处理碳纤维复合材料新材料中试熟化",
	"不在语料里的词汇",
}

type goldenHit struct {
	ID    string  `json:"id"`
	Score float64 `json:"score"`
}

type goldenRun struct {
	Query string      `json:"query"`
	K     int         `json:"k"`
	NoPRF bool        `json:"no_prf"`
	Hits  []goldenHit `json:"hits"`
}

func goldenRuns(ix *Index) []goldenRun {
	var out []goldenRun
	for _, q := range goldenQueries {
		for _, k := range []int{1, 5, 10, 50} {
			for _, noPRF := range []bool{false, true} {
				r := goldenRun{Query: q, K: k, NoPRF: noPRF, Hits: []goldenHit{}}
				for _, h := range ix.SearchOpts(q, k, Options{NoPRF: noPRF}) {
					r.Hits = append(r.Hits, goldenHit{h.ID, h.Score})
				}
				out = append(out, r)
			}
		}
	}
	return out
}

func goldenIndex(an Analyzer, shards int, maxDF float64) *Index {
	cfg := DefaultConfig()
	cfg.Shards = shards
	cfg.MaxDF = maxDF
	// The first pass and the feedback, which the golden files pin: the
	// rerank stage (rerank.go, tested on its own) came after them.
	cfg.Similarity.Weight = 0
	ix := New(cfg, an)
	docs := goldenCorpus()
	ix.AddBatch(docs[:500])
	for _, d := range docs[500:] {
		ix.Add(d)
	}
	for i := 0; i < 600; i += 13 { // removals, and replacements of the same id
		ix.Remove(docs[i].ID)
	}
	for i := 5; i < 600; i += 29 {
		d := docs[(i*7)%600]
		d.ID = docs[i].ID
		ix.Update(d)
	}
	return ix
}

// TestGoldenRanking pins the ranking: on a fixed corpus the top-k ids and
// scores of a set of queries (with and without feedback, over 1 and 3
// shards, with and without the segmenter and gse's HMM) are
// those the engine gave before its speed work (testdata/golden_*.json,
// written by -update-golden from the engine as it was). An optimisation
// of the index or of the scoring loop must leave them unchanged (scores to
// 1e-9 relative).
func TestGoldenRanking(t *testing.T) {
	for _, c := range []struct {
		name   string
		an     Analyzer
		shards int
		maxDF  float64
	}{
		{"bigrams_1", Analyzer{NoSegmenter: true}, 1, 0},
		{"bigrams_3", Analyzer{NoSegmenter: true}, 3, 0},
		{"gse_3", Analyzer{}, 3, 0},
		{"gse_hmm_2", Analyzer{HMM: true}, 2, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			pruned := pruneStats.Load()
			got := goldenRuns(goldenIndex(c.an, c.shards, c.maxDF))
			if pruneStats.Load() == pruned {
				t.Errorf("MaxScore pruned no term: the test does not exercise it")
			}
			path := filepath.Join("testdata", "golden_"+c.name+".json")
			if *updateGolden {
				b, _ := json.MarshalIndent(got, "", " ")
				if err := os.MkdirAll("testdata", 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(path, b, 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			b, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			var want []goldenRun
			if err := json.Unmarshal(b, &want); err != nil {
				t.Fatal(err)
			}
			if len(want) != len(got) {
				t.Fatalf("%d runs, want %d", len(got), len(want))
			}
			nonEmpty := 0
			for i, w := range want {
				g := got[i]
				if len(g.Hits) != len(w.Hits) {
					t.Errorf("%q k=%d noPRF=%v: %d hits, want %d", w.Query, w.K, w.NoPRF, len(g.Hits), len(w.Hits))
					continue
				}
				nonEmpty += len(w.Hits)
				for j, wh := range w.Hits {
					gh := g.Hits[j]
					if gh.ID != wh.ID || math.Abs(gh.Score-wh.Score) > 1e-9*math.Abs(wh.Score) {
						t.Errorf("%q k=%d noPRF=%v hit %d: %s %.12g, want %s %.12g", w.Query, w.K, w.NoPRF, j, gh.ID, gh.Score, wh.ID, wh.Score)
					}
				}
			}
			if nonEmpty < 100 {
				t.Fatalf("only %d hits in the golden runs: the test pins too little", nonEmpty)
			}
		})
	}
}
