package city

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"kechuang/internal/domain"
)

// Year bounds of a target; outside them a year is surely a typo.
const (
	MinTargetYear = 1990
	MaxTargetYear = 2100
)

var (
	sixDigits = regexp.MustCompile(`^[0-9]{6}$`)
	chainCode = regexp.MustCompile(`^[a-z][a-z0-9_]{0,39}$`)
)

// problems collects every validation failure of a file, each naming its
// field by path (list positions count from 1, as a person reads the file).
type problems []domain.FieldError

func (p *problems) add(field, format string, args ...any) {
	*p = append(*p, domain.FieldError{Field: field, Message: fmt.Sprintf(format, args...)})
}

func (p problems) err() error {
	if len(p) == 0 {
		return nil
	}
	msgs := make([]string, len(p))
	for i, f := range p {
		msgs[i] = f.Field + "：" + f.Message
	}
	return &domain.Error{Code: domain.EINVALID, Fields: p,
		Message: fmt.Sprintf("城市文件有 %d 处错误：%s", len(p), strings.Join(msgs, "；"))}
}

// Validate checks a city: GB/T 2260 codes of six digits, the districts
// under the city, unique codes, the bureau and the registry in the city,
// chain codes usable as identifiers, known target metrics within bounds.
// The error is a *domain.Error (EINVALID) listing every problem.
func (c *City) Validate() error {
	var p problems
	c.checkCity(&p)
	c.checkDistricts(&p)
	c.checkOrg(&p, "bureau", c.Bureau)
	c.checkOrg(&p, "registry", c.Registry)
	c.checkChains(&p)
	c.checkTargets(&p)
	return p.err()
}

func (c *City) checkCity(p *problems) {
	if strings.TrimSpace(c.Name) == "" {
		p.add("name", "城市名称不能为空")
	}
	if !sixDigits.MatchString(c.Code) {
		p.add("code", "城市代码 %q 应为六位数字（GB/T 2260）", c.Code)
	} else if !domain.IsMunicipality(c.Code) && (c.Code[4:] != "00" || c.Code[2:4] == "00") {
		p.add("code", "城市代码 %q 应为地级市代码（形如 210100，末两位为 00，中间两位不为 00）或直辖市代码（110000、120000、310000、500000）", c.Code)
	}
	if c.Province == nil {
		return
	}
	if domain.IsMunicipality(c.Code) {
		p.add("province", "直辖市 %s 没有上级省份，请删去 province", c.Code)
		return
	}
	if strings.TrimSpace(c.Province.Name) == "" {
		p.add("province.name", "省份名称不能为空")
	}
	if !sixDigits.MatchString(c.Province.Code) || c.Province.Code[2:] != "0000" {
		p.add("province.code", "省份代码 %q 应为六位数字且末四位为 0000", c.Province.Code)
	} else if len(c.Code) >= 2 && c.Province.Code[:2] != c.Code[:2] {
		p.add("province.code", "省份代码 %q 与城市代码 %q 的前两位不同", c.Province.Code, c.Code)
	}
}

func (c *City) checkDistricts(p *problems) {
	// No districts is allowed: a few prefecture-level cities have no
	// county-level divisions (441900 东莞市, 442000 中山市, 460400 儋州市,
	// 620200 嘉峪关市).
	seenCode, seenName := map[string]int{}, map[string]int{}
	for i, d := range c.Districts {
		f := fmt.Sprintf("districts[%d]", i+1)
		switch {
		case !sixDigits.MatchString(d.Code):
			p.add(f+".code", "区县代码 %q 应为六位数字", d.Code)
		case sixDigits.MatchString(c.Code) && (!domain.IsLocal(c.Code, d.Code) || d.Code[4:] == "00"):
			p.add(f+".code", "区县代码 %q 不在城市 %s 之下（应以 %s 开头，末两位不为 00）", d.Code, c.Code, localPrefix(c.Code))
		case seenCode[d.Code] > 0:
			p.add(f+".code", "区县代码 %q 与第 %d 项重复", d.Code, seenCode[d.Code])
		}
		seenCode[d.Code] = i + 1
		if strings.TrimSpace(d.Name) == "" {
			p.add(f+".name", "区县名称不能为空")
		} else if seenName[d.Name] > 0 {
			p.add(f+".name", "区县名称 %q 与第 %d 项重复", d.Name, seenName[d.Name])
		}
		seenName[d.Name] = i + 1
		if d.Kind.Label() == "" {
			p.add(f+".kind", "区县类型 %q 未知（可选：%s）", d.Kind, kindList())
		}
	}
}

func kindList() string {
	ks := make([]string, 0, len(kindLabels))
	for k, l := range kindLabels {
		ks = append(ks, string(k)+" "+l)
	}
	sort.Strings(ks)
	return strings.Join(ks, "、")
}

// checkOrg requires the bureau and the registry to sit in the city itself
// or one of its listed districts.
func (c *City) checkOrg(p *problems, field string, o Org) {
	if strings.TrimSpace(o.Name) == "" {
		p.add(field+".name", "名称不能为空")
	}
	if _, ok := c.District(o.Code); o.Code != c.Code && !ok {
		p.add(field+".code", "地区代码 %q 应为城市代码 %s 或所列区县之一", o.Code, c.Code)
	}
}

func (c *City) checkChains(p *problems) {
	seenCode, seenSort := map[string]int{}, map[int]int{}
	for i, ch := range c.Chains {
		f := fmt.Sprintf("chains[%d]", i+1)
		if !chainCode.MatchString(ch.Code) {
			p.add(f+".code", "产业链代码 %q 应为小写字母开头的字母、数字或下划线（至多 40 个）", ch.Code)
		} else if seenCode[ch.Code] > 0 {
			p.add(f+".code", "产业链代码 %q 与第 %d 项重复", ch.Code, seenCode[ch.Code])
		}
		seenCode[ch.Code] = i + 1
		if strings.TrimSpace(ch.Name) == "" {
			p.add(f+".name", "产业链名称不能为空")
		}
		if ch.Sort < 1 {
			p.add(f+".sort", "排序 %d 应为正整数", ch.Sort)
		} else if seenSort[ch.Sort] > 0 {
			p.add(f+".sort", "排序 %d 与第 %d 项重复", ch.Sort, seenSort[ch.Sort])
		}
		seenSort[ch.Sort] = i + 1
	}
}

func (c *City) checkTargets(p *problems) {
	years := make([]int, 0, len(c.Targets))
	for y := range c.Targets {
		years = append(years, y)
	}
	sort.Ints(years) // maps have no order; report problems in a stable one
	for _, y := range years {
		if y < MinTargetYear || y > MaxTargetYear {
			p.add(fmt.Sprintf("targets.%d", y), "年份应在 %d–%d 之间", MinTargetYear, MaxTargetYear)
		}
		metrics := make([]string, 0, len(c.Targets[y]))
		for m := range c.Targets[y] {
			metrics = append(metrics, m)
		}
		sort.Strings(metrics)
		for _, code := range metrics {
			checkTarget(p, fmt.Sprintf("targets.%d.%s", y, code), code, c.Targets[y][code])
		}
	}
}

func checkTarget(p *problems, field, code string, v int64) {
	m, ok := MetricByCode(code)
	switch {
	case !ok:
		p.add(field, "未知的指标 %q（可选：%s）", code, metricList())
	case v < 0:
		p.add(field, "%s目标不能为负数", m.Label)
	case m.Max > 0 && v > m.Max:
		p.add(field, "%s目标 %d 超过上限 %d（单位：%s）", m.Label, v, m.Max, m.Unit)
	}
}

func metricList() string {
	codes := make([]string, len(Metrics))
	for i, m := range Metrics {
		codes[i] = m.Code
	}
	return strings.Join(codes, "、")
}

// localPrefix is the digits the city's districts start with (domain.IsLocal):
// two for a municipality, four for a prefecture-level city.
func localPrefix(code string) string {
	if domain.IsMunicipality(code) {
		return code[:2]
	}
	return code[:4]
}
