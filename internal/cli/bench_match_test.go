package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestBenchMatchCommand: kechuang bench match over a two-document corpus
// folder prints the engines' figures as JSON; missing or bad flags are
// refused by name.
func TestBenchMatchCommand(t *testing.T) {
	dir := t.TempDir()
	corpus := filepath.Join(dir, "corpus")
	if err := os.Mkdir(corpus, 0o755); err != nil {
		t.Fatal(err)
	}
	write := func(p, s string) {
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(filepath.Join(corpus, "a.jsonl"), `{"id":"a","title":"印染废水脱色菌株的筛选","keywords":["脱色"],"abstract":"高效脱色细菌。"}`+"\n")
	write(filepath.Join(corpus, "b.jsonl"), `{"id":"b","title":"磁悬浮飞轮壳体的优化设计","abstract":"优化壳体壁厚。"}`+"\n")
	q, r := filepath.Join(dir, "q.jsonl"), filepath.Join(dir, "qrels.tsv")
	write(q, `{"qid":"q1","need":"我厂印染废水需要脱色菌株","breadth":"narrow"}`+"\n")
	write(r, "q1 0 a 3\nq1 0 b 0\n")
	code, out := runCLI(t, "sqlite:x.db", "bench", "match", "--corpus", corpus, "--queries", q, "--qrels", r, "--json", "--engines", "kechuang,bm25_bigram")
	if code != 0 {
		t.Fatalf("bench match: %d %s", code, out)
	}
	start := strings.Index(out, `{"engines"`)
	if start < 0 {
		t.Fatalf("no JSON: %s", out)
	}
	var rep struct {
		Engines []struct {
			Name   string  `json:"name"`
			NDCG10 float64 `json:"ndcg10"`
		} `json:"engines"`
	}
	if err := json.NewDecoder(strings.NewReader(out[start:])).Decode(&rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Engines) != 2 || rep.Engines[0].Name != "kechuang" || rep.Engines[0].NDCG10 != 1 {
		t.Fatalf("%+v", rep)
	}
	for _, args := range [][]string{
		{"bench", "match", "--corpus", corpus},
		{"bench", "match", "--corpus", corpus, "--queries", q, "--qrels", r, "--engines", "nope"},
		{"bench", "match", "--corpus", filepath.Join(dir, "missing"), "--queries", q, "--qrels", r},
		{"bench", "match", "--corpus", corpus, "--queries", r, "--qrels", r},
	} {
		if code, out := runCLI(t, "sqlite:x.db", args...); code == 0 {
			t.Errorf("%v accepted: %s", args, out)
		}
	}
}
