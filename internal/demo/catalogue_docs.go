package demo

import (
	"runtime"
	"strings"
	"sync"

	"kechuang/internal/domain"
	"kechuang/internal/search"
)

// catalogueDocs holds the index tokens of the catalogue texts already
// segmented in this process, by position in catalogueTexts. Segmenting is
// most of a load's time (~3.5 ms a text), and every load of the process
// (serve's resumed load, the tests that load the city many times, the chain
// benchmark) takes its texts from the same pool: each text is segmented
// once. The tokens depend on the text only (search.NewDoc is a pure
// function of it), so a cached document is the one a fresh segmentation
// gives.
var catalogueDocs = struct {
	sync.Mutex
	docs map[int]search.Doc
}{docs: map[int]search.Doc{}}

// CatalogueDocs returns search.NewDoc(title, keywords, abstract) of the
// catalogue texts at positions idx (modulo the pool), segmenting those not
// yet segmented in this process on every CPU. The documents are shared:
// callers must not modify them.
func CatalogueDocs(idx []int) ([]search.Doc, error) {
	texts, err := catalogueTexts()
	if err != nil {
		return nil, err
	}
	out := make([]search.Doc, len(idx))
	var missing []int // positions in idx
	catalogueDocs.Lock()
	for i, k := range idx {
		if d, ok := catalogueDocs.docs[k%len(texts)]; ok {
			out[i] = d
		} else {
			missing = append(missing, i)
		}
	}
	catalogueDocs.Unlock()
	var wg sync.WaitGroup
	next := make(chan int)
	for range min(runtime.GOMAXPROCS(0), len(missing)) {
		wg.Go(func() {
			for i := range next {
				t := texts[idx[i]%len(texts)]
				out[i] = search.NewDoc(t.Title, strings.Join(t.Keywords, " "), t.Abstract)
			}
		})
	}
	for _, i := range missing {
		next <- i
	}
	close(next)
	wg.Wait()
	catalogueDocs.Lock()
	for _, i := range missing {
		catalogueDocs.docs[idx[i]%len(texts)] = out[i]
	}
	catalogueDocs.Unlock()
	return out, nil
}

// achievementDoc is store.AchievementDoc(x) for an achievement drawn from
// a catalogue text whose document is text: the text's tokens, then those
// of x's IP numbers. Each IP number is a run of its own in the body
// (search.BodyTokens splits at the separators, which textnorm.Key keeps as
// one space), so its tokens follow the text's unchanged.
func achievementDoc(text search.Doc, x *domain.Achievement) search.Doc {
	if len(x.IP) == 0 {
		return text
	}
	ips := make([]string, len(x.IP))
	for i, ip := range x.IP {
		ips[i] = ip.Number
	}
	body := append(text.Body[:len(text.Body):len(text.Body)], search.BodyTokens(strings.Join(ips, " \n "))...)
	return search.Doc{Title: text.Title, Body: body}
}
