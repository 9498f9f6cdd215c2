// Package workday is the working-day calendar of the registry's clock under
// the 2026 regime: the State Council's public holidays and make-up working
// days (调休上班) from github.com/6tail/lunar-go (pinned, see
// shared/data/HOLIDAYS.md), over which a year's arrangement loaded by the
// bureau as data (Parse, kechuang calendar load) takes precedence. The
// committed file china_2021_2026.txt, built once from an independent
// source, checks the library day by day (TestLibraryMatchesFixture), so a
// version bump cannot silently change past years.
package workday

import (
	"time"

	"github.com/6tail/lunar-go/HolidayUtil"
)

// Day is one day of an arrangement: a public holiday (Work false) or a
// make-up working day on a weekend (Work true).
type Day struct {
	Date string // YYYY-MM-DD
	Work bool
	Name string
}

// Calendar answers whether a day is a working day. The zero value uses the
// library alone.
type Calendar struct {
	days  map[string]Day // loaded days
	years map[int]bool   // years whose arrangement was loaded: the library is not asked
}

// New returns the calendar of the library with the loaded arrangement
// over it: for every year that appears in loaded, the loaded days alone
// say which weekdays are holidays and which weekend days are worked.
func New(loaded []Day) *Calendar {
	c := &Calendar{days: map[string]Day{}, years: map[int]bool{}}
	for _, d := range loaded {
		t, err := time.Parse(time.DateOnly, d.Date)
		if err != nil {
			continue
		}
		c.days[d.Date] = d
		c.years[t.Year()] = true
	}
	return c
}

// IsWorkday reports whether the date (in its own calendar, time ignored)
// is a working day.
func (c *Calendar) IsWorkday(t time.Time) bool {
	key := t.Format(time.DateOnly)
	if c != nil && c.years[t.Year()] {
		if d, ok := c.days[key]; ok {
			return d.Work
		}
		return weekday(t)
	}
	if h := HolidayUtil.GetHoliday(key); h != nil && h.GetDay() == key {
		return h.IsWork()
	}
	return weekday(t)
}

func weekday(t time.Time) bool { return t.Weekday() != time.Saturday && t.Weekday() != time.Sunday }

// AddWorkdays returns the n-th working day after t (n ≥ 1; t itself never
// counts). n ≤ 0 returns t.
func (c *Calendar) AddWorkdays(t time.Time, n int) time.Time {
	for n > 0 {
		t = t.AddDate(0, 0, 1)
		if c.IsWorkday(t) {
			n--
		}
	}
	return t
}

// Source says where a year's arrangement comes from: "loaded" (the
// bureau's data), "library" (lunar-go; 2021–2026 checked against an
// independent source) or "unconfirmed" (library data no other source
// confirms, after 2026).
func (c *Calendar) Source(year int) string {
	switch {
	case c != nil && c.years[year]:
		return "loaded"
	case year >= 2021 && year <= 2026:
		return "library"
	}
	return "unconfirmed"
}
