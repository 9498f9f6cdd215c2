// Package gb2260 is the national table of administrative divisions (GB/T
// 2260 codes with their names and parents) as data: the Ministry of Civil
// Affairs' list as of 2024-12-31, compiled by the project yescallop/areacodes
// (CC0 1.0, see LICENSE beside this file and the README's credits), embedded,
// and a parser for a newer table in the same format that a bureau loads with
// `kechuang regions load`.
//
// The format is one unit per line, "code name": a six-digit code, one space
// (or tab), the name. Blank lines and lines starting with # are skipped.
// Province-level units end in 0000, prefecture-level units in 00; the parent
// of a county-level code XXYYZZ is XXYY00 when that line exists, otherwise
// the province XX0000 (counties directly under a province, and the
// districts of the four municipalities).
//
// The package is pure (no store, no service): the service copies a table into
// the database's regions, and every check reads the database.
package gb2260

import (
	"bufio"
	_ "embed"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"kechuang/internal/domain"
)

// Level is a division's place in the hierarchy.
type Level int

// The three levels of GB/T 2260.
const (
	Province   Level = 1 // 省级：省、自治区、直辖市、特别行政区
	Prefecture Level = 2 // 地级：地级市、地区、自治州、盟
	County     Level = 3 // 县级：市辖区、县、县级市、自治县、旗……
)

// Division is one line of the table with its parent resolved.
type Division struct {
	Code   string
	Name   string
	Parent string // "" for a province
	Level  Level
}

// Region is the division as the domain's region (code, name, parent).
func (d Division) Region() domain.Region {
	return domain.Region{Code: d.Code, Name: d.Name, Parent: d.Parent, Level: domain.RegionLevel(d.Level)}
}

// Regions returns every division as the domain's region, in table order,
// each with its full name from the province down ("江苏省 苏州市 昆山市").
func (t *Table) Regions() []domain.Region {
	out := make([]domain.Region, len(t.list))
	byCode := func(code string) (domain.Region, bool) {
		d, ok := t.Lookup(code)
		return d.Region(), ok
	}
	for i, d := range t.list {
		out[i] = d.Region()
		out[i].FullName = domain.FullRegionName(out[i], byCode)
	}
	return out
}

// Table is a parsed, validated table. It is read-only after Parse.
type Table struct {
	Version string // the edition, e.g. "2024-12-31"
	list    []Division
	byCode  map[string]int
}

// MaxLines bounds a table a bureau loads (the national list has about 3,200
// lines; a later one will not have ten times as many).
const MaxLines = 50_000

// maxName bounds a division's name in characters.
const maxName = 40

// Parse reads a table. It refuses, naming the line, a code that is not six
// digits, a missing or overlong name, a duplicate code, a county or
// prefecture whose province is absent, and a table with no province.
func Parse(r io.Reader, version string) (*Table, error) {
	t := &Table{Version: version, byCode: map[string]int{}}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), 4096)
	n := 0
	for sc.Scan() {
		n++
		if n > MaxLines {
			return nil, fmt.Errorf("第 %d 行：行政区划表超过 %d 行", n, MaxLines)
		}
		line := strings.TrimSpace(strings.TrimPrefix(sc.Text(), "\ufeff"))
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		code, name, ok := strings.Cut(line, " ")
		if !ok {
			code, name, ok = strings.Cut(line, "\t")
		}
		name = strings.TrimSpace(name)
		if !ok || name == "" {
			return nil, fmt.Errorf("第 %d 行：应为“六位代码 名称”，实为 %q", n, clip(line))
		}
		if !isCode(code) {
			return nil, fmt.Errorf("第 %d 行：行政区划代码 %q 不是六位数字（或以 00 开头）", n, clip(code))
		}
		if !utf8.ValidString(name) || utf8.RuneCountInString(name) > maxName || strings.ContainsFunc(name, isControl) {
			return nil, fmt.Errorf("第 %d 行：名称 %q 无效（最多 %d 个字符，不含控制字符）", n, clip(name), maxName)
		}
		if _, dup := t.byCode[code]; dup {
			return nil, fmt.Errorf("第 %d 行：代码 %s 重复", n, code)
		}
		t.byCode[code] = len(t.list)
		t.list = append(t.list, Division{Code: code, Name: name, Level: levelOf(code)})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("第 %d 行之后：%w", n, err)
	}
	for i := range t.list {
		d := &t.list[i]
		switch d.Level {
		case Prefecture:
			d.Parent = d.Code[:2] + "0000"
		case County:
			if _, ok := t.byCode[d.Code[:4]+"00"]; ok {
				d.Parent = d.Code[:4] + "00"
			} else {
				d.Parent = d.Code[:2] + "0000"
			}
		}
		if d.Parent != "" {
			if _, ok := t.byCode[d.Parent]; !ok {
				return nil, fmt.Errorf("代码 %s（%s）的上级 %s 不在表中", d.Code, d.Name, d.Parent)
			}
		}
	}
	if !slices.ContainsFunc(t.list, func(d Division) bool { return d.Level == Province }) {
		return nil, fmt.Errorf("行政区划表为空或没有省级单位")
	}
	return t, nil
}

func isCode(s string) bool {
	if len(s) != 6 || s[:2] == "00" {
		return false
	}
	for i := 0; i < 6; i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func levelOf(code string) Level {
	switch {
	case code[2:] == "0000":
		return Province
	case code[4:] == "00":
		return Prefecture
	}
	return County
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) }

func clip(s string) string {
	if utf8.RuneCountInString(s) > 20 {
		return string([]rune(s)[:20]) + "…"
	}
	return s
}

// Len is the number of divisions.
func (t *Table) Len() int { return len(t.list) }

// All returns every division in table order (parents before children in the
// official list). The slice is a copy.
func (t *Table) All() []Division { return slices.Clone(t.list) }

// Lookup finds a division by code.
func (t *Table) Lookup(code string) (Division, bool) {
	i, ok := t.byCode[code]
	if !ok {
		return Division{}, false
	}
	return t.list[i], true
}

// Children lists the divisions whose parent is code, in table order.
func (t *Table) Children(code string) []Division {
	var out []Division
	for _, d := range t.list {
		if d.Parent == code {
			out = append(out, d)
		}
	}
	return out
}

// IsMunicipality reports whether code is one of the province-level cities
// whose districts sit directly under it (北京、天津、上海、重庆).
func IsMunicipality(code string) bool { return domain.IsMunicipality(code) }

// CityOf returns the city a county-level division belongs to: its
// prefecture, or the municipality for a municipality's districts. A
// prefecture or municipality is its own city; any other province has none.
func (t *Table) CityOf(code string) (Division, bool) {
	d, ok := t.Lookup(code)
	if !ok {
		return Division{}, false
	}
	switch {
	case d.Level == Prefecture, d.Level == Province && IsMunicipality(d.Code):
		return d, true
	case d.Level == County:
		p, _ := t.Lookup(d.Parent)
		if p.Level == Prefecture || IsMunicipality(p.Code) {
			return p, true
		}
	}
	return Division{}, false
}

//go:embed 2024.txt
var table2024 string

// EmbeddedVersion is the edition of the embedded table.
const EmbeddedVersion = "2024-12-31"

// Default returns the embedded national table, parsed once and shared (a
// Table is read-only; the tests check the embedded file parses).
var Default = sync.OnceValue(func() *Table {
	t, err := Parse(strings.NewReader(table2024), EmbeddedVersion)
	if err != nil {
		panic(fmt.Sprintf("gb2260: embedded table: %v", err))
	}
	return t
})
