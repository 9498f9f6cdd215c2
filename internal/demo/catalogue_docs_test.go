package demo

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"kechuang/internal/domain"
	"kechuang/internal/search"
	"kechuang/internal/store"
)

// TestCatalogueDocsAreTheStoresDocs: the documents a load stores from the
// per-process cache of segmented texts are the ones the store computes for
// each achievement (store.AchievementDoc), for texts across the pool, each
// with its IP numbers (none, patents, software), taken first fresh and
// then from the cache; and for texts of an unusual shape.
func TestCatalogueDocsAreTheStoresDocs(t *testing.T) {
	texts, err := catalogueTexts()
	if err != nil {
		t.Fatal(err)
	}
	var idx []int
	for i := 0; i < len(texts); i += 97 {
		idx = append(idx, i)
	}
	idx = append(idx, len(texts)+idx[1]) // a later year's reuse of a text wraps around the pool
	fresh, err := CatalogueDocs(idx)
	if err != nil {
		t.Fatal(err)
	}
	cached, err := CatalogueDocs(idx)
	if err != nil {
		t.Fatal(err)
	}
	g := &gen{rng: rand.New(rand.NewPCG(1, 2))}
	unit := &orgRef{id: 7, name: "东北大学"}
	ips := 0
	for n, i := range idx {
		x := g.achievement(textAt(texts, i), unit, "2024-05-06")
		ips += len(x.IP)
		want := store.AchievementDoc(x)
		for _, d := range []search.Doc{fresh[n], cached[n]} {
			if got := achievementDoc(d, x); !sameDoc(got, want) {
				t.Fatalf("text %d %q: cached doc\n%v\nwant\n%v", i, x.Title, got, want)
			}
		}
		if n > 0 && n%5 == 0 { // the cached document is the text's, whatever the IP numbers
			x.IP = nil
			if got := achievementDoc(cached[n], x); !sameDoc(got, store.AchievementDoc(x)) {
				t.Fatalf("text %d without IP: %v", i, got)
			}
		}
	}
	if ips == 0 {
		t.Fatal("no sample achievement has IP numbers: the test checks nothing of them")
	}
	for _, c := range []catalogueText{
		{Title: "ＡＢＣ深度学习Lidar", Abstract: "摘要。Ｈｅｌｌｏ\u3000世界 ﾊﾞｲｵ", Keywords: nil},
		{Title: "标题", Abstract: "", Keywords: []string{"a", "", "关键词"}},
		{Title: "Café\u0301", Abstract: "\u0301开头的组合符号", Keywords: []string{"  "}},
	} {
		x := &domain.Achievement{Title: c.Title, Abstract: c.Abstract, Keywords: c.Keywords,
			IP: []domain.IPRight{{Type: "invention", Number: "ZL202310123456.X"}, {Type: "software", Number: "2023SR0123456"}}}
		d := search.NewDoc(c.Title, strings.Join(c.Keywords, " "), c.Abstract)
		if got, want := achievementDoc(d, x), store.AchievementDoc(x); !sameDoc(got, want) {
			t.Errorf("%q: %v, want %v", c.Title, got, want)
		}
	}
}

func sameDoc(a, b search.Doc) bool {
	return slices.Equal(a.Title, b.Title) && slices.Equal(a.Body, b.Body)
}
