package bench

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"kechuang/internal/match"
)

// MatchQuery is one need of a relevance benchmark (matchbench's
// queries.jsonl).
type MatchQuery struct {
	QID     string `json:"qid"`
	Need    string `json:"need"`
	Breadth string `json:"breadth"`
}

// Qrels are graded judgments: qid → doc id → grade (0–3).
type Qrels map[string]map[string]int

const maxLine = 16 << 20 // a JSON line longer than this is refused

// ReadCorpus reads documents from JSON Lines (id, title, abstract,
// keywords; other members ignored). A line that is not a document is
// refused with its number; blank lines are skipped; a repeated id is
// refused.
func ReadCorpus(r io.Reader, name string, seen map[string]bool) ([]match.Doc, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), maxLine)
	var out []match.Doc
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		var d match.Doc
		if err := json.Unmarshal([]byte(line), &d); err != nil {
			return nil, fmt.Errorf("语料 %s 第 %d 行不是有效的 JSON 文档：%v", name, n, err)
		}
		if strings.TrimSpace(d.ID) == "" {
			return nil, fmt.Errorf("语料 %s 第 %d 行缺少 id", name, n)
		}
		if seen[d.ID] {
			return nil, fmt.Errorf("语料 %s 第 %d 行的 id %q 重复", name, n, d.ID)
		}
		seen[d.ID] = true
		out = append(out, d)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("读取语料 %s 失败：%v", name, err)
	}
	return out, nil
}

// LoadCorpus reads a JSON Lines file, or every .jsonl file of a folder in
// name order.
func LoadCorpus(path string) ([]match.Doc, error) {
	st, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("--corpus：%v", err)
	}
	files := []string{path}
	if st.IsDir() {
		files, err = filepath.Glob(filepath.Join(path, "*.jsonl"))
		if err != nil {
			return nil, err
		}
		slices.Sort(files)
		if len(files) == 0 {
			return nil, fmt.Errorf("--corpus：目录 %s 中没有 .jsonl 文件", path)
		}
	}
	seen := map[string]bool{}
	var out []match.Doc
	for _, f := range files {
		fh, err := os.Open(f)
		if err != nil {
			return nil, fmt.Errorf("--corpus：%v", err)
		}
		docs, err := ReadCorpus(fh, filepath.Base(f), seen)
		fh.Close()
		if err != nil {
			return nil, err
		}
		out = append(out, docs...)
	}
	return out, nil
}

// ReadQueries reads needs as JSON Lines (qid, need, breadth).
func ReadQueries(r io.Reader) ([]MatchQuery, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), maxLine)
	var out []MatchQuery
	seen := map[string]bool{}
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		var q MatchQuery
		if err := json.Unmarshal([]byte(line), &q); err != nil {
			return nil, fmt.Errorf("需求文件第 %d 行不是有效的 JSON：%v", n, err)
		}
		if strings.TrimSpace(q.QID) == "" || strings.TrimSpace(q.Need) == "" {
			return nil, fmt.Errorf("需求文件第 %d 行缺少 qid 或 need", n)
		}
		if seen[q.QID] {
			return nil, fmt.Errorf("需求文件第 %d 行的 qid %q 重复", n, q.QID)
		}
		seen[q.QID] = true
		out = append(out, q)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("读取需求文件失败：%v", err)
	}
	return out, nil
}

// ReadQrels reads TREC judgments: "qid iter doc_id grade" per line (white
// space separated), grade an integer 0–3.
func ReadQrels(r io.Reader) (Qrels, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), maxLine)
	out := Qrels{}
	for n := 1; sc.Scan(); n++ {
		fs := strings.Fields(sc.Text())
		if len(fs) == 0 || strings.HasPrefix(fs[0], "#") {
			continue
		}
		if len(fs) != 4 {
			return nil, fmt.Errorf("评判文件第 %d 行应有 4 列（qid 0 doc_id grade），实际 %d 列", n, len(fs))
		}
		g, err := strconv.Atoi(fs[3])
		if err != nil || g < 0 || g > 3 {
			return nil, fmt.Errorf("评判文件第 %d 行的等级 %q 应为 0 到 3 的整数", n, fs[3])
		}
		if out[fs[0]] == nil {
			out[fs[0]] = map[string]int{}
		}
		out[fs[0]][fs[2]] = g
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("读取评判文件失败：%v", err)
	}
	return out, nil
}

// NDCG is nDCG@k with exponential graded gains (2^grade − 1: a 3 is worth
// seven 1s; matchbench's README figures are computed so) and log2(rank+1)
// discounts; the ideal ranking is every judged document
// of the query by grade. Unjudged documents gain nothing. A query with no
// relevant judgment scores 0.
func NDCG(ranked []string, judged map[string]int, k int) float64 {
	var dcg float64
	for i, id := range ranked[:min(k, len(ranked))] {
		dcg += gain(judged[id]) / math.Log2(float64(i+2))
	}
	grades := make([]int, 0, len(judged))
	for _, g := range judged {
		grades = append(grades, g)
	}
	slices.Sort(grades)
	slices.Reverse(grades)
	var ideal float64
	for i, g := range grades[:min(k, len(grades))] {
		ideal += gain(g) / math.Log2(float64(i+2))
	}
	if ideal == 0 {
		return 0
	}
	return dcg / ideal
}

func gain(grade int) float64 { return math.Exp2(float64(grade)) - 1 }

// Judged is the share of the top k that is judged (any grade).
func Judged(ranked []string, judged map[string]int, k int) float64 {
	n := 0
	for _, id := range ranked[:min(k, len(ranked))] {
		if _, ok := judged[id]; ok {
			n++
		}
	}
	return float64(n) / float64(k)
}

// Recall is the share of the relevant (grade ≥ 1) documents in the top k.
func Recall(ranked []string, judged map[string]int, k int) float64 {
	rel := 0
	for _, g := range judged {
		if g > 0 {
			rel++
		}
	}
	if rel == 0 {
		return 0
	}
	n := 0
	for _, id := range ranked[:min(k, len(ranked))] {
		if judged[id] > 0 {
			n++
		}
	}
	return float64(n) / float64(rel)
}

// MRR is the reciprocal rank of the first relevant (grade ≥ 1) document
// in the top k, 0 if none.
func MRR(ranked []string, judged map[string]int, k int) float64 {
	for i, id := range ranked[:min(k, len(ranked))] {
		if judged[id] > 0 {
			return 1 / float64(i+1)
		}
	}
	return 0
}
