package workday

import (
	"bufio"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// MaxFileBytes bounds an arrangement file (a year is a few dozen lines).
const MaxFileBytes = 64 << 10

// MaxDays bounds the days of one file.
const MaxDays = 2000

// LineError is a refused line of an arrangement file.
type LineError struct {
	Line int
	Msg  string // Chinese, formatted with Arg
	Arg  string
}

func (e *LineError) Error() string { return fmt.Sprintf("第%d行："+e.Msg, e.Line, e.Arg) }

// Parse reads an arrangement: one day a line, "YYYY-MM-DD holiday|workday
// [name]" (休 and 班 are accepted for holiday and workday); blank lines
// and lines starting with # are ignored. A holiday on a weekend is
// accepted (it changes nothing), a make-up working day must be a weekend
// day, and a date may appear once. Years 2000–2099.
func Parse(r io.Reader) ([]Day, error) {
	b, err := io.ReadAll(io.LimitReader(r, MaxFileBytes+1))
	if err != nil {
		return nil, err
	}
	if len(b) > MaxFileBytes {
		return nil, &LineError{Line: 0, Msg: "文件超过%s", Arg: "64 KB"}
	}
	if !utf8.Valid(b) {
		return nil, &LineError{Line: 0, Msg: "文件不是 UTF-8 文本%s", Arg: ""}
	}
	var out []Day
	seen := map[string]bool{}
	sc := bufio.NewScanner(strings.NewReader(string(b)))
	sc.Buffer(make([]byte, 0, 4096), MaxFileBytes+1)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(strings.TrimPrefix(sc.Text(), "\ufeff"))
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Fields(line)
		if len(f) < 2 {
			return nil, &LineError{Line: n, Msg: "应为“日期 holiday|workday 名称”：%s", Arg: clip(line)}
		}
		t, err := time.Parse(time.DateOnly, f[0])
		if err != nil || t.Year() < 2000 || t.Year() > 2099 {
			return nil, &LineError{Line: n, Msg: "日期“%s”无效（YYYY-MM-DD，2000–2099年）", Arg: clip(f[0])}
		}
		var work bool
		switch f[1] {
		case "holiday", "休":
		case "workday", "班":
			work = true
		default:
			return nil, &LineError{Line: n, Msg: "类型“%s”无效，应为 holiday（休）或 workday（班）", Arg: clip(f[1])}
		}
		if work && weekday(t) {
			return nil, &LineError{Line: n, Msg: "调休上班日 %s 不是周末", Arg: f[0]}
		}
		if seen[f[0]] {
			return nil, &LineError{Line: n, Msg: "日期 %s 重复", Arg: f[0]}
		}
		seen[f[0]] = true
		if len(out) >= MaxDays {
			return nil, &LineError{Line: n, Msg: "天数超过%s", Arg: fmt.Sprint(MaxDays)}
		}
		name := strings.Map(func(r rune) rune {
			if unicode.IsPrint(r) {
				return r
			}
			return -1
		}, strings.Join(f[2:], " "))
		if utf8.RuneCountInString(name) > 40 {
			name = string([]rune(name)[:40])
		}
		out = append(out, Day{Date: f[0], Work: work, Name: name})
	}
	if len(out) == 0 {
		return nil, &LineError{Line: 0, Msg: "文件中没有日期%s", Arg: ""}
	}
	return out, nil
}

func clip(s string) string {
	if utf8.RuneCountInString(s) > 30 {
		return string([]rune(s)[:30]) + "…"
	}
	return s
}

// Years lists the years a set of days covers, ascending.
func Years(days []Day) []int {
	seen := map[int]bool{}
	var out []int
	for _, d := range days {
		if len(d.Date) >= 4 {
			var y int
			fmt.Sscanf(d.Date[:4], "%d", &y)
			if !seen[y] {
				seen[y] = true
				out = append(out, y)
			}
		}
	}
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && out[j] < out[j-1]; j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}
