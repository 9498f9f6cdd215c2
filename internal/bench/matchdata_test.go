package bench

import (
	"math"
	"strings"
	"testing"

	"kechuang/internal/match"
)

// TestNDCGHandComputed checks nDCG@k against a hand computation.
//
// Judged: a=3, b=2, c=1, d=0, e=3 (unjudged x counts 0). Ranked x a d c b.
// Gains 2^g−1: a 7, b 3, c 1, e 7.
// DCG@3  = 0/log2(2) + 7/log2(3) + 0/log2(4) = 7/1.5849625 = 4.4165
// IDCG@3 = 7/1 + 7/log2(3) + 3/log2(4) = 7 + 4.4165 + 1.5 = 12.9165
// nDCG@3 = 0.34193
func TestNDCGHandComputed(t *testing.T) {
	j := map[string]int{"a": 3, "b": 2, "c": 1, "d": 0, "e": 3}
	ranked := []string{"x", "a", "d", "c", "b"}
	want := (7 / math.Log2(3)) / (7 + 7/math.Log2(3) + 1.5)
	if got := NDCG(ranked, j, 3); math.Abs(got-want) > 1e-12 || math.Abs(got-0.34193) > 1e-4 {
		t.Errorf("nDCG@3 = %v, want %v", got, want)
	}
	// @5: DCG adds 1/log2(5) + 3/log2(6); IDCG: 7, 7, 3, 1, 0
	dcg := 7/math.Log2(3) + 1/math.Log2(5) + 3/math.Log2(6)
	idcg := 7 + 7/math.Log2(3) + 3/math.Log2(4) + 1/math.Log2(5)
	if got := NDCG(ranked, j, 5); math.Abs(got-dcg/idcg) > 1e-12 {
		t.Errorf("nDCG@5 = %v, want %v", got, dcg/idcg)
	}
	if got := NDCG([]string{"e", "a", "b", "c"}, j, 10); math.Abs(got-1) > 1e-12 {
		t.Errorf("ideal ranking nDCG = %v", got)
	}
	if NDCG(nil, j, 10) != 0 || NDCG([]string{"a"}, map[string]int{"a": 0}, 10) != 0 {
		t.Error("empty ranking or no relevant judgment should score 0")
	}
	if got := Judged(ranked, j, 10); got != 0.4 {
		t.Errorf("judged@10 = %v, want 0.4", got)
	}
	if got := Recall(ranked, j, 3); got != 0.25 { // a of a b c e
		t.Errorf("recall@3 = %v, want 0.25", got)
	}
	if got := Recall(ranked, j, 5); got != 0.75 { // a c b of a b c e
		t.Errorf("recall@5 = %v, want 0.75", got)
	}
	if got := MRR(ranked, j, 10); got != 0.5 {
		t.Errorf("MRR = %v, want 0.5", got)
	}
	if got := MRR([]string{"x", "d"}, j, 10); got != 0 {
		t.Errorf("MRR without a relevant hit = %v", got)
	}
}

func TestMatchReaders(t *testing.T) {
	docs, err := ReadCorpus(strings.NewReader(`{"id":"a","title":"飞轮","keywords":["壳体"],"abstract":"x","extra":1}`+"\n\n"+`{"id":"b","title":"t"}`), "f", map[string]bool{})
	if err != nil || len(docs) != 2 || docs[0].Keywords[0] != "壳体" {
		t.Fatalf("%v %v", docs, err)
	}
	for _, bad := range []string{`{"id":"a"}` + "\n" + `{"id":"a"}`, `{"title":"no id"}`, `not json`} {
		if _, err := ReadCorpus(strings.NewReader(bad), "f", map[string]bool{}); err == nil {
			t.Errorf("corpus %q accepted", bad)
		}
	}
	qs, err := ReadQueries(strings.NewReader(`{"qid":"q1","need":"需求","breadth":"broad"}`))
	if err != nil || len(qs) != 1 || qs[0].Breadth != "broad" {
		t.Fatalf("%v %v", qs, err)
	}
	if _, err := ReadQueries(strings.NewReader(`{"qid":"q1"}`)); err == nil {
		t.Error("query without need accepted")
	}
	qr, err := ReadQrels(strings.NewReader("q1 0 a 3\nq1\t0\tb\t0\n"))
	if err != nil || qr["q1"]["a"] != 3 || len(qr["q1"]) != 2 {
		t.Fatalf("%v %v", qr, err)
	}
	for _, bad := range []string{"q1 0 a", "q1 0 a 4", "q1 0 a x"} {
		if _, err := ReadQrels(strings.NewReader(bad)); err == nil {
			t.Errorf("qrels %q accepted", bad)
		}
	}
}

func TestScaleCorpus(t *testing.T) {
	docs, _ := ReadCorpus(strings.NewReader(`{"id":"a","title":"磁悬浮飞轮壳体","keywords":["壳体","飞轮"],"abstract":"一。二。三。"}`), "f", map[string]bool{})
	out := ScaleCorpus(docs, 5, 1)
	seen := map[string]bool{}
	for _, d := range out {
		if seen[d.ID] {
			t.Fatalf("repeated id %s", d.ID)
		}
		seen[d.ID] = true
	}
	if len(out) != 5 || len(out[1].Keywords) != 1 || len([]rune(out[1].Abstract)) != len([]rune(docs[0].Abstract)) {
		t.Fatalf("%+v", out)
	}
}

// FuzzMatchReaders: the corpus, queries and qrels readers never panic,
// and what they accept is well-formed.
func FuzzMatchReaders(f *testing.F) {
	f.Add(`{"id":"a","title":"飞轮","keywords":["壳体"],"abstract":"x"}`)
	f.Add(`{"qid":"q1","need":"需求","breadth":"broad"}`)
	f.Add("q1 0 a 3\nq1 0 b 0\n")
	f.Add("\n\n{}\n")
	f.Fuzz(func(t *testing.T, s string) {
		if docs, err := ReadCorpus(strings.NewReader(s), "f", map[string]bool{}); err == nil {
			for _, d := range docs {
				if strings.TrimSpace(d.ID) == "" {
					t.Fatal("empty id accepted")
				}
			}
		}
		if qs, err := ReadQueries(strings.NewReader(s)); err == nil {
			for _, q := range qs {
				if strings.TrimSpace(q.QID) == "" || strings.TrimSpace(q.Need) == "" {
					t.Fatal("empty qid or need accepted")
				}
			}
		}
		if qr, err := ReadQrels(strings.NewReader(s)); err == nil {
			for _, m := range qr {
				for _, g := range m {
					if g < 0 || g > 3 {
						t.Fatalf("grade %d accepted", g)
					}
				}
			}
		}
	})
}

// TestRunMatchAllEngines runs every engine over a small corpus: each
// builds, finds the one relevant document first and reports figures.
func TestRunMatchAllEngines(t *testing.T) {
	docs, err := ReadCorpus(strings.NewReader(strings.Join([]string{
		`{"id":"a","title":"印染废水脱色菌株的筛选","keywords":["活性染料","脱色"],"abstract":"从印染废水中筛选出一株高效脱色细菌。"}`,
		`{"id":"b","title":"地震波形分类在砂体预测中的应用","keywords":["波形分类"],"abstract":"利用地震波形分类技术结合测井资料刻画砂体。"}`,
		`{"id":"c","title":"磁悬浮飞轮壳体的优化设计","keywords":["飞轮"],"abstract":"通过有限元仿真优化壳体壁厚。"}`,
	}, "\n")), "f", map[string]bool{})
	if err != nil {
		t.Fatal(err)
	}
	qs := []MatchQuery{{QID: "q1", Need: "我厂印染废水色度高，希望找到高效脱色菌株", Breadth: "broad"}}
	qr := Qrels{"q1": {"a": 3, "b": 0}}
	rep, err := RunMatch(MatchOptions{Docs: docs, Queries: qs, Qrels: qr, Config: match.DefaultConfig()})
	if err != nil {
		t.Fatal(err)
	}
	if len(rep.Engines) != len(MatchEngineNames) {
		t.Fatalf("%d engines", len(rep.Engines))
	}
	for _, r := range rep.Engines {
		if r.NDCG10 != 1 || r.MRR10 != 1 || r.NDCG10Breadth["broad"] != 1 || r.Docs != 3 {
			t.Errorf("%s: %+v", r.Name, r)
		}
	}
	if _, err := RunMatch(MatchOptions{Docs: docs, Engines: []string{"nope"}}); err == nil {
		t.Error("unknown engine accepted")
	}
}
