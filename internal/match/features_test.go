package match

import (
	"testing"
	"time"
)

func TestFeatureValues(t *testing.T) {
	now := time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)
	docs := map[string]DocMeta{
		"pilot":  {Chain: "c1", Discipline: "材料", Stage: 3, TRL: 6, Local: true, Published: now.Add(-RecencyHalfLife), Available: true},
		"lab":    {Chain: "c2", Discipline: "化学", Stage: 1, TRL: 2, Published: now, Available: true},
		"claim":  {Chain: "c1", Discipline: "材料", Stage: 3, TRL: 3, Available: true}, // claims 中试 at TRL 3
		"sold":   {Chain: "c1", Stage: 4, TRL: 9, Available: false},
		"nostat": {},
	}
	look := func(id string) (DocMeta, bool) { m, ok := docs[id]; return m, ok }
	fit := func(chain, disc string) float64 {
		if chain == "c1" && disc == "材料" {
			return 0.75
		}
		return 0
	}
	p := Profile{Chain: "c1", Stage: 3, ForNeed: true, Now: now, DisciplineFit: fit}
	want := map[string]map[string]float64{
		"pilot":  {FeatureChain: 1, FeatureDiscipline: 0.75, FeatureMaturity: 1, FeatureLocality: 1, FeatureRecency: 0.5, FeatureAvailability: 0},
		"lab":    {FeatureChain: 0, FeatureDiscipline: 0, FeatureMaturity: 0, FeatureLocality: 0, FeatureRecency: 1, FeatureAvailability: 0},
		"claim":  {FeatureChain: 1, FeatureDiscipline: 0.75, FeatureMaturity: 0, FeatureLocality: 0, FeatureRecency: 0, FeatureAvailability: 0},
		"sold":   {FeatureChain: 1, FeatureMaturity: 1, FeatureAvailability: -1},
		"nostat": {FeatureChain: 0, FeatureMaturity: 0, FeatureAvailability: -1},
		"absent": {FeatureChain: 0, FeatureAvailability: 0},
	}
	fs := Features(p, look)
	if len(fs) != 6 {
		t.Fatalf("%d features", len(fs))
	}
	for id, vals := range want {
		for _, f := range fs {
			v, ok := vals[f.Name()]
			if !ok {
				continue
			}
			if got := f.Value("", id); got < v-1e-9 || got > v+1e-9 {
				t.Errorf("%s of %s = %g, want %g", f.Name(), id, got, v)
			}
		}
	}
	// Small (2 stages short of 中试 by TRL 4–5) is half a stage's worth:
	// one stage short gives 0.5.
	if got := maturityValue(&p, DocMeta{Stage: 2, TRL: 5}); got != 0.5 {
		t.Errorf("one stage short = %g", got)
	}
	// A need wanting any stage ranks none by maturity.
	if got := maturityValue(&Profile{ForNeed: true}, docs["pilot"]); got != 0 {
		t.Errorf("any stage = %g", got)
	}
	// The reverse query (an achievement's features over needs): the need's
	// wanted stage against the achievement's, the need's chain with the
	// achievement's discipline.
	rp := Profile{Chain: "c1", Discipline: "材料", Stage: 2, TRL: 4, DisciplineFit: fit}
	if got := maturityValue(&rp, DocMeta{Stage: 3}); got != 0.5 {
		t.Errorf("reverse maturity = %g", got)
	}
	if got := disciplineValue(&rp, DocMeta{Chain: "c1"}); got != 0.75 {
		t.Errorf("reverse discipline = %g", got)
	}
	for trl, st := range map[int]int{0: 0, 1: 1, 3: 1, 4: 2, 5: 2, 6: 3, 7: 3, 8: 4, 9: 4} {
		if StageOfTRL(trl) != st {
			t.Errorf("StageOfTRL(%d) = %d", trl, StageOfTRL(trl))
		}
	}
}

// The features re-rank: with equal text, the mature, local, available
// achievement of the need's chain comes first, and its reasons list each
// feature's contribution summing to the score.
func TestFeaturesRerank(t *testing.T) {
	cfg := DefaultConfig()
	cfg.Features = DefaultFeatureWeights()
	ix := New(cfg, Analyzer{})
	text := "高性能镁合金板材异步轧制工艺，控制轧制速比与温度，提升板材强度与成形性能。"
	for _, id := range []string{"a", "b", "c"} {
		ix.Add(Doc{ID: id, Title: "镁合金板材轧制技术", Keywords: []string{"镁合金"}, Abstract: text})
	}
	meta := map[string]DocMeta{
		"a": {Chain: "c2", Stage: 1, TRL: 2, Available: true},
		"b": {Chain: "c1", Stage: 3, TRL: 7, Local: true, Available: true},
		"c": {Chain: "c1", Stage: 4, TRL: 9, Local: true, Available: false},
	}
	fs := Features(Profile{Chain: "c1", Stage: 3, ForNeed: true}, func(id string) (DocMeta, bool) { m, ok := meta[id]; return m, ok })
	hits := ix.SearchOpts("镁合金板材轧制", 3, Options{Features: fs})
	if len(hits) != 3 || hits[0].ID != "b" || hits[2].ID != "c" {
		t.Fatalf("order %+v", hits)
	}
	sum, feats := 0.0, 0
	for _, r := range hits[0].Reasons {
		sum += r.Contribution
		if r.Origin == FromFeature {
			feats++
		}
	}
	if feats != 6 || sum < hits[0].Score-1e-6 || sum > hits[0].Score+1e-6 {
		t.Errorf("reasons: %d features, sum %g, score %g", feats, sum, hits[0].Score)
	}
}
