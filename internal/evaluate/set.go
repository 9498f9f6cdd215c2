// Package evaluate is the evaluation engine of every scored process
// (achievement evaluation, 揭榜挂帅 answers, and next pilot bases, platforms
// and talent): versioned indicator sets read from data files, the expert
// pool, panel rules as data, conflicts of interest, independent scoring
// forms, exact aggregation, the 公示 window with objections, and the
// structured feedback to the applicant.
//
// The package is pure: no store, no clock of its own (callers pass the
// instant from the injected clock), no floats. Scores are integer tenths of
// a point (875 = 87.5); weights are integers per mille; every aggregate is
// computed exactly (math/big rationals) and rounded once, half up, to a
// tenth. The workflow record is domain.Evaluation and its table
// domain.EvaluationFlow; the functions of case.go move it.
package evaluate

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"maps"
	"regexp"
	"slices"
	"strconv"
	"time"

	"go.yaml.in/yaml/v3"

	"kechuang/internal/domain"
)

// MaxSetBytes bounds one indicator-set file (the default set is about 8 KB).
const MaxSetBytes = 256 << 10

// Bounds of what a set may say (data, so a typo cannot ask for a 900-member
// panel or a year-long 公示).
const (
	maxIndicators   = 20
	maxItems        = 60
	maxItemScore    = 1000 // points; scores are tenths, so at most 10,000 tenths
	maxPanelSize    = 25
	maxPublicity    = 90
	PermilleTotal   = 1000 // weights of a level sum to exactly this
	ScoreScale      = 100  // totals and indicator scores are on a 100-point scale
	scaleTenths     = ScoreScale * 10
	defaultTrimFrom = 5
)

// Set is one version of an indicator set.
type Set struct {
	ID      string `yaml:"id"`
	Version int    `yaml:"version"`
	Name    string `yaml:"name"`
	// Basis names the standard and its version (report field 依据标准).
	Basis string `yaml:"basis"`
	// EffectiveFrom (YYYY-MM-DD, China) is the first day cases may open
	// with this version.
	EffectiveFrom string `yaml:"effective_from"`
	// Notes says where the set's assumptions come from.
	Notes string `yaml:"notes,omitempty"`
	// PublicityDays is the 公示 window in calendar days counting the day it
	// opens; 0 means no 公示 (the result is final when publicised).
	PublicityDays int         `yaml:"publicity_days"`
	Aggregation   Aggregation `yaml:"aggregation"`
	Panel         PanelRules  `yaml:"panel"`
	// Grades are the conclusion bands, highest first; the last starts at 0.
	Grades      []Grade      `yaml:"grades,omitempty"`
	Indicators  []Indicator  `yaml:"indicators"`
	ResultTypes []ResultType `yaml:"result_types"`
}

// Indicator is a first-level indicator.
type Indicator struct {
	Code  string `yaml:"code"`
	Name  string `yaml:"name"`
	Guide string `yaml:"guide"`
}

// ResultType is one kind of result (基础研究, 应用研究, 技术开发和产业化
// …) with its first-level weights and its second-level items.
type ResultType struct {
	Code string `yaml:"code"`
	Name string `yaml:"name"`
	// Weights of the first-level indicators, per mille, summing to 1000.
	Weights map[string]int `yaml:"weights"`
	Items   []Item         `yaml:"items"`
	// Assumption marks weights that no rule fixes ([A] in the rules file).
	Assumption bool `yaml:"assumption,omitempty"`
}

// Item is a second-level item: what an expert scores.
type Item struct {
	Code      string `yaml:"code"`
	Indicator string `yaml:"indicator"`
	Name      string `yaml:"name"`
	// Weight within its indicator, per mille; an indicator's items sum to 1000.
	Weight int `yaml:"weight"`
	// Min and Max are the guide's range in whole points; a score is given
	// in tenths within [Min*10, Max*10].
	Min   int    `yaml:"min"`
	Max   int    `yaml:"max"`
	Guide string `yaml:"guide"`
	// Assumption marks an item or weight the rules file marks [A].
	Assumption bool `yaml:"assumption,omitempty"`
}

// Grade is a conclusion band: totals from MinTenths up get Label.
type Grade struct {
	MinTenths int64  `yaml:"min_tenths"`
	Label     string `yaml:"label"`
}

// Method is how the experts' scores are combined.
type Method string

const (
	// Trimmed drops one highest and one lowest score when there are at
	// least TrimFrom scores, then takes the mean; with fewer it is Mean.
	Trimmed Method = "trimmed"
	Mean    Method = "mean"
	// Median is the middle score, or the mean of the two middle ones.
	Median Method = "median"
)

// Aggregation configures the combination of scores.
type Aggregation struct {
	Method Method `yaml:"method"`
	// TrimFrom is the fewest scores at which Trimmed drops the extremes
	// (default 5).
	TrimFrom int `yaml:"trim_from,omitempty"`
}

// ResultType returns the set's result type code.
func (s *Set) ResultType(code string) (*ResultType, bool) {
	for i := range s.ResultTypes {
		if s.ResultTypes[i].Code == code {
			return &s.ResultTypes[i], true
		}
	}
	return nil, false
}

// Indicator returns the first-level indicator code.
func (s *Set) Indicator(code string) (*Indicator, bool) {
	for i := range s.Indicators {
		if s.Indicators[i].Code == code {
			return &s.Indicators[i], true
		}
	}
	return nil, false
}

// Grade returns the label of the band a total (tenths) falls in, or "".
func (s *Set) Grade(tenths int64) string {
	for _, g := range s.Grades {
		if tenths >= g.MinTenths {
			return g.Label
		}
	}
	return ""
}

// Key is "id@version", the set's identity.
func (s *Set) Key() string { return s.ID + "@" + strconv.Itoa(s.Version) }

// Parse reads and validates one set file. Decoding is strict: an unknown
// field, a duplicate key, a fraction (weights and scores are integers),
// a value of the wrong type or a second document is refused; validation
// then names every problem at once.
func Parse(r io.Reader) (*Set, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxSetBytes+1))
	if err != nil {
		return nil, domain.Errorf(domain.EINVALID, "指标体系文件读取失败：%s", err.Error())
	}
	if len(data) > MaxSetBytes {
		return nil, domain.Errorf(domain.ETOOLARGE, "指标体系文件超过 %d 字节", MaxSetBytes)
	}
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, domain.Errorf(domain.EINVALID, "指标体系文件格式错误：%s", err.Error())
	}
	if err := noFractions(&root); err != nil {
		return nil, err
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var s Set
	if err := dec.Decode(&s); errors.Is(err, io.EOF) {
		return nil, domain.Errorf(domain.EINVALID, "指标体系文件为空")
	} else if err != nil {
		return nil, domain.Errorf(domain.EINVALID, "指标体系文件格式错误：%s", err.Error())
	}
	var extra any
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return nil, domain.Errorf(domain.EINVALID, "指标体系文件只能有一个 YAML 文档")
	}
	if s.Aggregation.Method == Trimmed && s.Aggregation.TrimFrom == 0 {
		s.Aggregation.TrimFrom = defaultTrimFrom
	}
	if err := s.Validate(); err != nil {
		return nil, err
	}
	return &s, nil
}

// noFractions refuses every non-integer number, before the decoder would
// truncate 333.5 to 333 in an integer weight.
func noFractions(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode && n.Tag == "!!float" {
		return domain.FieldErrorf(fmt.Sprintf("line %d", n.Line), "“%s”不是整数：权重以千分之一、分值以整分为单位", n.Value)
	}
	for _, c := range n.Content {
		if err := noFractions(c); err != nil {
			return err
		}
	}
	return nil
}

var codeRE = regexp.MustCompile(`^[a-z][a-z0-9_-]{0,47}$`)

// Validate names every problem of the set.
func (s *Set) Validate() error {
	var v domain.Validator
	v.Check(codeRE.MatchString(s.ID), "id", "指标体系编号应为小写字母开头的字母、数字、-、_（至多 48 个字符）")
	v.Check(s.Version >= 1, "version", "版本号应为正整数")
	v.Check(s.Name != "", "name", "请填写指标体系名称")
	v.Check(s.Basis != "", "basis", "请填写依据标准")
	if _, err := time.Parse(time.DateOnly, s.EffectiveFrom); err != nil {
		v.Add("effective_from", "生效日期应为 YYYY-MM-DD 格式的日期")
	}
	v.Check(s.PublicityDays >= 0 && s.PublicityDays <= maxPublicity, "publicity_days", "公示期应在 0–%d 天之间", maxPublicity)
	switch s.Aggregation.Method {
	case Mean, Median:
		v.Check(s.Aggregation.TrimFrom == 0, "aggregation.trim_from", "只有去掉最高分和最低分的方法（trimmed）才有 trim_from")
	case Trimmed:
		v.Check(s.Aggregation.TrimFrom >= 3 && s.Aggregation.TrimFrom <= maxPanelSize, "aggregation.trim_from",
			"去掉最高分和最低分的最少评分数应在 3–%d 之间", maxPanelSize)
	default:
		v.Add("aggregation.method", "汇总方法应为 trimmed、mean 或 median")
	}
	s.Panel.validate(&v)
	s.validateGrades(&v)
	indicators := map[string]bool{}
	v.Check(len(s.Indicators) >= 1 && len(s.Indicators) <= maxIndicators, "indicators", "一级指标应有 1–%d 项", maxIndicators)
	for i, in := range s.Indicators {
		f := fmt.Sprintf("indicators[%d]", i)
		v.Check(codeRE.MatchString(in.Code), f+".code", "指标代码应为小写字母开头的字母、数字、-、_")
		v.Check(!indicators[in.Code], f+".code", "一级指标代码“%s”重复", in.Code)
		v.Check(in.Name != "", f+".name", "请填写指标名称")
		v.Check(in.Guide != "", f+".guide", "请填写评分指引")
		indicators[in.Code] = true
	}
	v.Check(len(s.ResultTypes) >= 1, "result_types", "至少应有一种成果类型")
	types := map[string]bool{}
	for i := range s.ResultTypes {
		rt := &s.ResultTypes[i]
		f := fmt.Sprintf("result_types[%d]", i)
		v.Check(codeRE.MatchString(rt.Code), f+".code", "成果类型代码应为小写字母开头的字母、数字、-、_")
		v.Check(!types[rt.Code], f+".code", "成果类型代码“%s”重复", rt.Code)
		types[rt.Code] = true
		v.Check(rt.Name != "", f+".name", "请填写成果类型名称")
		rt.validate(&v, f, s.Indicators, indicators)
	}
	return v.Err()
}

func (rt *ResultType) validate(v *domain.Validator, f string, order []Indicator, known map[string]bool) {
	sum := 0
	for _, code := range slices.Sorted(maps.Keys(rt.Weights)) {
		w := rt.Weights[code]
		v.Check(known[code], f+".weights."+code, "权重中的指标“%s”不是本体系的一级指标", code)
		v.Check(w >= 0 && w <= PermilleTotal, f+".weights."+code, "权重应在 0–1000（千分之一）之间")
		if w >= 0 && w <= PermilleTotal {
			sum += w
		}
	}
	for _, in := range order {
		_, ok := rt.Weights[in.Code]
		v.Check(ok, f+".weights."+in.Code, "缺少一级指标“%s”的权重（不计分请写 0）", in.Code)
	}
	v.Check(sum == PermilleTotal, f+".weights", "一级指标权重之和为 %d，应恰为 1000（千分之一）", sum)
	v.Check(len(rt.Items) >= 1 && len(rt.Items) <= maxItems, f+".items", "二级指标应有 1–%d 项", maxItems)
	codes := map[string]bool{}
	itemSum := map[string]int{}
	for j, it := range rt.Items {
		g := fmt.Sprintf("%s.items[%d]", f, j)
		v.Check(codeRE.MatchString(it.Code), g+".code", "指标代码应为小写字母开头的字母、数字、-、_")
		v.Check(!codes[it.Code], g+".code", "二级指标代码“%s”重复", it.Code)
		codes[it.Code] = true
		v.Check(known[it.Indicator], g+".indicator", "二级指标所属的一级指标“%s”不存在", it.Indicator)
		v.Check(it.Name != "", g+".name", "请填写指标名称")
		v.Check(it.Guide != "", g+".guide", "请填写评分指引")
		v.Check(it.Weight > 0 && it.Weight <= PermilleTotal, g+".weight", "二级指标权重应在 1–1000（千分之一）之间")
		if it.Weight > 0 && it.Weight <= PermilleTotal {
			itemSum[it.Indicator] += it.Weight
		}
		v.Check(it.Min >= 0 && it.Max > it.Min && it.Max <= maxItemScore, g+".max", "分值范围应满足 0 ≤ 最低分 < 最高分 ≤ %d", maxItemScore)
	}
	for _, in := range order {
		if rt.Weights[in.Code] == 0 {
			v.Check(itemSum[in.Code] == 0, f+".items", "一级指标“%s”权重为 0，不应有二级指标", in.Code)
			continue
		}
		v.Check(itemSum[in.Code] == PermilleTotal, f+".items", "一级指标“%s”的二级指标权重之和为 %d，应恰为 1000（千分之一）", in.Code, itemSum[in.Code])
	}
}

func (s *Set) validateGrades(v *domain.Validator) {
	for i, g := range s.Grades {
		f := fmt.Sprintf("grades[%d]", i)
		v.Check(g.Label != "", f+".label", "请填写等级名称")
		v.Check(g.MinTenths >= 0 && g.MinTenths <= scaleTenths, f+".min_tenths", "等级起点应在 0–%d（十分之一分）之间", scaleTenths)
		if i > 0 {
			v.Check(g.MinTenths < s.Grades[i-1].MinTenths, f+".min_tenths", "等级应按起点从高到低排列，且起点不重复")
		}
	}
	if n := len(s.Grades); n > 0 {
		v.Check(s.Grades[n-1].MinTenths == 0, fmt.Sprintf("grades[%d].min_tenths", n-1), "最低等级的起点应为 0")
	}
}

// Catalogue is the loaded sets, every version of every id.
type Catalogue struct{ sets []*Set }

// NewCatalogue checks that no id and version come twice and that a
// newer version of an id takes effect later than the older one.
func NewCatalogue(sets ...*Set) (*Catalogue, error) {
	c := &Catalogue{sets: slices.Clone(sets)}
	slices.SortFunc(c.sets, func(a, b *Set) int {
		if a.ID != b.ID {
			if a.ID < b.ID {
				return -1
			}
			return 1
		}
		return a.Version - b.Version
	})
	for i := 1; i < len(c.sets); i++ {
		a, b := c.sets[i-1], c.sets[i]
		if a.ID != b.ID {
			continue
		}
		if a.Version == b.Version {
			return nil, domain.Errorf(domain.EINVALID, "指标体系 %s 第 %d 版重复", b.ID, b.Version)
		}
		if b.EffectiveFrom <= a.EffectiveFrom {
			return nil, domain.Errorf(domain.EINVALID, "指标体系 %s 第 %d 版的生效日期应晚于第 %d 版", b.ID, b.Version, a.Version)
		}
	}
	return c, nil
}

// Version returns one version of a set (a case keeps the version it opened
// with).
func (c *Catalogue) Version(id string, version int) (*Set, error) {
	for _, s := range c.sets {
		if s.ID == id && s.Version == version {
			return s, nil
		}
	}
	return nil, domain.Errorf(domain.ENOTFOUND, "没有指标体系 %s 第 %d 版", id, version)
}

// InForce returns the version of id in force on date (YYYY-MM-DD, China):
// the latest whose EffectiveFrom is not after date.
func (c *Catalogue) InForce(id, date string) (*Set, error) {
	var found *Set
	for _, s := range c.sets {
		if s.ID == id && s.EffectiveFrom <= date {
			found = s
		}
	}
	if found == nil {
		return nil, domain.Errorf(domain.ENOTFOUND, "%s 没有生效的指标体系 %s", date, id)
	}
	return found, nil
}

// Sets lists every loaded set, by id then version.
func (c *Catalogue) Sets() []*Set { return slices.Clone(c.sets) }
