package match

import (
	"math"
	"time"
)

// The structured features (issue 11 item 3). A feature reads the
// structured side of a candidate (DocMeta, through a lookup the caller
// supplies) against the structured side of what the query is for
// (Profile: the need a firm posted, or the achievement a unit filed). Its
// value, times Config.Features[name], is added to the text score of the
// best Config.Rerank candidates and listed among the hit's reasons. The
// package stays pure: the service maps records to DocMeta and Profile.
//
// The default weights (DefaultFeatureWeights) are set by hand against the
// text scores' scale (a good text match scores ~10–40): matchbench has no
// structured fields, so they cannot be tuned there.

// Feature names (the keys of Config.Features).
const (
	FeatureChain        = "chain"        // same industrial chain
	FeatureDiscipline   = "discipline"   // the achievement's discipline is typical of the need's chain
	FeatureMaturity     = "maturity"     // the achievement is as mature as the need wants
	FeatureLocality     = "locality"     // the candidate's unit is in the city
	FeatureRecency      = "recency"      // recently published
	FeatureAvailability = "availability" // not already transferred exclusively (negative when it is)
)

// DefaultFeatureWeights are the feature weights used when the
// configuration names none.
func DefaultFeatureWeights() map[string]float64 {
	return map[string]float64{
		FeatureChain: 3, FeatureDiscipline: 2, FeatureMaturity: 4, FeatureLocality: 1.5,
		FeatureRecency: 1, FeatureAvailability: 10,
	}
}

// DocMeta is the structured side of one document.
type DocMeta struct {
	Chain      string    // industrial chain code ("" none)
	Discipline string    // 学科 (achievements; "" for needs)
	Stage      int       // maturity stage rank, 1 lab … 4 industrial: an achievement's own, a need's wanted (0 unknown/any)
	TRL        int       // 1–9 (achievements; 0 unknown)
	Local      bool      // the owning unit is in the city
	Published  time.Time // first published (zero: unknown)
	Available  bool      // not transferred exclusively (a need: open)
}

// Lookup returns the structured side of a document of the index searched.
type Lookup func(id string) (DocMeta, bool)

// Profile is the structured side of what the query is for.
type Profile struct {
	Chain      string
	Discipline string // the query's achievement's discipline ("" for a need)
	Stage      int    // a need: the stage wanted; an achievement: its own stage (0 unknown/any)
	TRL        int    // an achievement's own TRL (0 for a need)
	ForNeed    bool   // the query is a need and the documents achievements (else the reverse)
	Now        time.Time
	// DisciplineFit is the share (0–1) of the chain's achievements that are
	// of the discipline, counted from the records (nil: no discipline feature).
	DisciplineFit func(chain, discipline string) float64
}

// RecencyHalfLife is the age at which the recency feature halves.
const RecencyHalfLife = 365 * 24 * time.Hour

// Features returns the structured features of a query made for p over the
// documents look describes.
func Features(p Profile, look Lookup) []Feature {
	mk := func(name string, v func(p *Profile, m DocMeta) float64) Feature {
		return feature{name: name, p: &p, look: look, value: v}
	}
	return []Feature{
		mk(FeatureChain, chainValue), mk(FeatureDiscipline, disciplineValue), mk(FeatureMaturity, maturityValue),
		mk(FeatureLocality, localityValue), mk(FeatureRecency, recencyValue), mk(FeatureAvailability, availabilityValue),
	}
}

type feature struct {
	name  string
	p     *Profile
	look  Lookup
	value func(p *Profile, m DocMeta) float64
}

func (f feature) Name() string { return f.name }

func (f feature) Value(_ string, id string) float64 {
	m, ok := f.look(id)
	if !ok {
		return 0
	}
	return f.value(f.p, m)
}

// chainValue is 1 when the query's and the document's chains agree.
func chainValue(p *Profile, m DocMeta) float64 {
	if p.Chain != "" && p.Chain == m.Chain {
		return 1
	}
	return 0
}

// disciplineValue is how typical the achievement's discipline is of the
// need's chain (the share of that chain's achievements in it): an
// achievement of another chain but of the chain's usual discipline still
// fits.
func disciplineValue(p *Profile, m DocMeta) float64 {
	if p.DisciplineFit == nil {
		return 0
	}
	chain, disc := p.Chain, m.Discipline
	if !p.ForNeed { // the documents are needs: their chain, the query's discipline
		chain, disc = m.Chain, p.Discipline
	}
	if chain == "" || disc == "" {
		return 0
	}
	return clamp01(p.DisciplineFit(chain, disc))
}

// StageOfTRL is the maturity stage a TRL corresponds to (1–3 lab, 4–5
// small, 6–7 pilot, 8–9 industrial; 0 unknown).
func StageOfTRL(trl int) int {
	switch {
	case trl <= 0:
		return 0
	case trl <= 3:
		return 1
	case trl <= 5:
		return 2
	case trl <= 7:
		return 3
	}
	return 4
}

// maturityValue is how well the achievement's maturity meets the stage
// the need wants: 1 at or beyond it, half a point less for each stage
// short; an achievement's stage is the lower of its declared stage and
// its TRL's (a "中试" claim with TRL 3 counts as 实验室). A need wanting
// any stage gives 0 to all.
func maturityValue(p *Profile, m DocMeta) float64 {
	want, have := p.Stage, achievedStage(m.Stage, m.TRL)
	if !p.ForNeed {
		want, have = m.Stage, achievedStage(p.Stage, p.TRL)
	}
	if want == 0 || have == 0 {
		return 0
	}
	if have >= want {
		return 1
	}
	return clamp01(1 - 0.5*float64(want-have))
}

func achievedStage(stage, trl int) int {
	t := StageOfTRL(trl)
	switch {
	case stage == 0:
		return t
	case t == 0:
		return stage
	}
	return min(stage, t)
}

func localityValue(_ *Profile, m DocMeta) float64 {
	if m.Local {
		return 1
	}
	return 0
}

// recencyValue halves every RecencyHalfLife since publication.
func recencyValue(p *Profile, m DocMeta) float64 {
	if m.Published.IsZero() || p.Now.IsZero() {
		return 0
	}
	age := p.Now.Sub(m.Published)
	if age < 0 {
		age = 0
	}
	return math.Exp2(-float64(age) / float64(RecencyHalfLife))
}

// availabilityValue is −1 for a document no longer available (an
// achievement already transferred exclusively), else 0: the feature only
// demotes.
func availabilityValue(_ *Profile, m DocMeta) float64 {
	if m.Available {
		return 0
	}
	return -1
}

func clamp01(v float64) float64 { return math.Max(0, math.Min(1, v)) }
