package textnorm

import (
	"slices"
	"testing"
)

// TestSortKey: names sort by pinyin (then tone), Latin text among them by
// its letters, whatever their code points say.
func TestSortKey(t *testing.T) {
	names := []string{"沈阳新松机器人自动化股份有限公司", "鞍钢集团有限公司", "北方重工集团有限公司", "东北大学", "先进制造技术开发", "西安交通大学", "ABB（中国）有限公司", "中国科学院金属研究所"}
	want := []string{"ABB（中国）有限公司", "鞍钢集团有限公司", "北方重工集团有限公司", "东北大学", "沈阳新松机器人自动化股份有限公司", "西安交通大学", "先进制造技术开发", "中国科学院金属研究所"}
	got := slices.Clone(names)
	slices.SortFunc(got, func(a, b string) int {
		ka, kb := SortKey(a), SortKey(b)
		switch {
		case ka < kb:
			return -1
		case ka > kb:
			return 1
		}
		return 0
	})
	if !slices.Equal(got, want) {
		t.Fatalf("sorted %v\nwant   %v", got, want)
	}
	if k := SortKey("沈阳 Robot"); k != "shen3 yang2 robot" {
		t.Fatalf("SortKey = %q", k)
	}
}
