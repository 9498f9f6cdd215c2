package evaluate_test

import (
	"reflect"
	"strings"
	"testing"

	"kechuang/internal/domain"
	"kechuang/internal/evaluate"
)

// oneItem is a set whose total is the score of its single item (0–100).
func oneItem(m evaluate.Method, trimFrom int) *evaluate.Set {
	return &evaluate.Set{ID: "one", Version: 1, Aggregation: evaluate.Aggregation{Method: m, TrimFrom: trimFrom},
		Indicators: []evaluate.Indicator{{Code: "a", Name: "甲"}},
		ResultTypes: []evaluate.ResultType{{Code: "r", Weights: map[string]int{"a": 1000},
			Items: []evaluate.Item{{Code: "a1", Indicator: "a", Name: "甲一", Weight: 1000, Max: 100}}}}}
}

func forms(tenths ...int64) []evaluate.Form {
	var out []evaluate.Form
	for i, x := range tenths {
		out = append(out, evaluate.Form{Expert: int64(i + 1), Scores: map[string]int64{"a1": x}})
	}
	return out
}

// TestAggregate: the methods at their edges, ties, and rounding.
func TestAggregate(t *testing.T) {
	cases := []struct {
		name    string
		set     *evaluate.Set
		scores  []int64
		want    int64
		dropped []int64
	}{
		{"4 scores: plain mean", oneItem(evaluate.Trimmed, 5), []int64{900, 800, 700, 100}, 625, nil},
		{"5 scores: highest and lowest dropped", oneItem(evaluate.Trimmed, 5), []int64{900, 800, 700, 600, 100}, 700, []int64{5, 1}},
		{"ties: one of each extreme dropped", oneItem(evaluate.Trimmed, 5), []int64{900, 900, 800, 700, 700}, 800, []int64{4, 2}},
		{"all equal", oneItem(evaluate.Trimmed, 5), []int64{800, 800, 800, 800, 800}, 800, []int64{1, 5}},
		{"trim from 7: 6 scores are a mean", oneItem(evaluate.Trimmed, 7), []int64{1000, 0, 500, 500, 500, 500}, 500, nil},
		{"mean never drops", oneItem(evaluate.Mean, 0), []int64{900, 800, 700, 600, 100}, 620, nil},
		{"median odd", oneItem(evaluate.Median, 0), []int64{900, 100, 700, 600, 800}, 700, nil},
		{"median even: mean of the middle two", oneItem(evaluate.Median, 0), []int64{900, 100, 700, 600}, 650, nil},
		// 80.0, 80.0, 80.1 → 80.0333… → 80.0; 80.1, 80.1, 80.0 → 80.0666… → 80.1
		{"rounding down", oneItem(evaluate.Mean, 0), []int64{800, 800, 801}, 800, nil},
		{"rounding up", oneItem(evaluate.Mean, 0), []int64{801, 801, 800}, 801, nil},
		// 80.0 and 80.1 → 80.05 exactly: half up to 80.1
		{"half up", oneItem(evaluate.Mean, 0), []int64{800, 801}, 801, nil},
		{"median half up", oneItem(evaluate.Median, 0), []int64{800, 801}, 801, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, err := c.set.Aggregate("r", forms(c.scores...))
			if err != nil {
				t.Fatal(err)
			}
			if r.TotalTenths != c.want || !reflect.DeepEqual(r.Dropped, c.dropped) {
				t.Errorf("total %s dropped %v, want %s dropped %v", evaluate.FormatTenths(r.TotalTenths), r.Dropped,
					evaluate.FormatTenths(c.want), c.dropped)
			}
			if r.Indicators[0].ScoreTenths != c.want || r.Experts != len(c.scores) {
				t.Errorf("indicator %d, experts %d", r.Indicators[0].ScoreTenths, r.Experts)
			}
		})
	}
}

// TestAggregateWeighted: on the shipped set, weights at both levels and
// items of different ranges combine exactly, and the feedback carries the
// weights and the comments without the experts.
func TestAggregateWeighted(t *testing.T) {
	s := builtin(t)
	full := func(expert int64, tenths int64) evaluate.Form {
		f := evaluate.Form{Expert: expert, Scores: map[string]int64{}, Comments: map[string]string{"technical": "工艺成熟"}}
		rt, _ := s.ResultType("applied")
		for _, it := range rt.Items {
			f.Scores[it.Code] = tenths
		}
		return f
	}
	// Every item 90.0 from one expert, 60.0 from the other: 75.0.
	r, err := s.Aggregate("applied", []evaluate.Form{full(1, 900), full(2, 600)})
	if err != nil {
		t.Fatal(err)
	}
	if r.TotalTenths != 750 || r.Grade != "先进水平" {
		t.Errorf("total %d grade %q", r.TotalTenths, r.Grade)
	}
	// One item off: technical innovation (400 of technical's 1000, technical
	// 300 of 1000) at 0 for expert 1: expert 1's total drops by
	// 90 × 0.4 × 0.3 = 10.8 → (79.2 + 60) / 2 = 69.6.
	f1 := full(1, 900)
	f1.Scores["tech_innovation"] = 0
	f1.Opinion = "保留意见：技术创新度不足"
	r, err = s.Aggregate("applied", []evaluate.Form{f1, full(2, 600)})
	if err != nil {
		t.Fatal(err)
	}
	if r.TotalTenths != 696 {
		t.Errorf("total %s, want 69.6", evaluate.FormatTenths(r.TotalTenths))
	}
	fb := s.Feedback(r)
	if len(fb.Indicators) != 5 || fb.Basis == "" || len(fb.Opinions) != 1 || fb.Opinions[0] != f1.Opinion {
		t.Fatalf("feedback %+v", fb)
	}
	tech := fb.Indicators[1]
	// technical: expert 1 = 0.3×90 + 0.3×90 = 54, expert 2 = 60 → 57.0
	if tech.Code != "technical" || tech.WeightPermille != 300 || tech.ScoreTenths != 570 || len(tech.Comments) != 2 {
		t.Errorf("technical feedback %+v", tech)
	}
}

// TestValidateForm: each problem names the item.
func TestValidateForm(t *testing.T) {
	s, err := evaluate.Parse(strings.NewReader(minimal))
	if err != nil {
		t.Fatal(err)
	}
	good := map[string]int64{"a1": 1000, "b1": 0, "b2": 10}
	cases := []struct {
		name   string
		f      evaluate.Form
		fields []string
	}{
		{"good", evaluate.Form{Scores: good}, nil},
		{"missing item", evaluate.Form{Scores: map[string]int64{"a1": 500, "b1": 5}}, []string{"scores.b2"}},
		{"above the range", evaluate.Form{Scores: map[string]int64{"a1": 1001, "b1": 0, "b2": 10}}, []string{"scores.a1"}},
		{"below the range", evaluate.Form{Scores: map[string]int64{"a1": 0, "b1": -1, "b2": 9}}, []string{"scores.b1", "scores.b2"}},
		{"unknown item", evaluate.Form{Scores: map[string]int64{"a1": 0, "b1": 0, "b2": 10, "zz": 1}}, []string{"scores.zz"}},
		{"unknown indicator comment", evaluate.Form{Scores: good, Comments: map[string]string{"q": "x"}}, []string{"comments.q"}},
		{"comment too long", evaluate.Form{Scores: good, Comments: map[string]string{"a": strings.Repeat("好", evaluate.MaxComment+1)}}, []string{"comments.a"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := s.ValidateForm("r", c.f)
			if c.fields == nil {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			e, ok := err.(*domain.Error)
			if !ok {
				t.Fatalf("error %v", err)
			}
			var got []string
			for _, f := range e.Fields {
				got = append(got, f.Field)
			}
			if !reflect.DeepEqual(got, c.fields) {
				t.Errorf("fields %v, want %v (%v)", got, c.fields, err)
			}
		})
	}
	if err := s.ValidateForm("r", evaluate.Form{Scores: map[string]int64{"a1": 1001, "b1": 0, "b2": 10}}); !strings.Contains(err.Error(), "“甲一”的评分应在 0–100 分之间") {
		t.Errorf("message %v", err)
	}
	if err := s.ValidateForm("nope", evaluate.Form{Scores: good}); err == nil || err.(*domain.Error).Field != "result_type" {
		t.Errorf("unknown result type: %v", err)
	}
	if _, err := s.Aggregate("r", nil); err == nil {
		t.Error("no forms aggregated")
	}
	if _, err := s.Aggregate("r", []evaluate.Form{{Expert: 1, Scores: good}, {Expert: 1, Scores: good}}); err == nil {
		t.Error("two forms of one expert aggregated")
	}
	if _, err := s.Aggregate("r", []evaluate.Form{{Expert: 1, Scores: good}, {Expert: 2, Scores: map[string]int64{}}}); err == nil {
		t.Error("a bad form aggregated")
	}
}

func TestFormatTenths(t *testing.T) {
	for in, want := range map[int64]string{0: "0.0", 5: "0.5", 875: "87.5", 1000: "100.0", -5: "-0.5"} {
		if got := evaluate.FormatTenths(in); got != want {
			t.Errorf("%d: %q, want %q", in, got, want)
		}
	}
}
