package demo

import (
	"fmt"
	"time"

	"kechuang/internal/domain"
)

// Year is one year of the demo's registered contracts: the count and the
// turnover (合同成交额, fen) of the whole year as planned, and the last
// registration date generated. A year still running (the current one)
// keeps only the contracts drawn up to Through, so its partial figures are
// what the plan's dates give up to that day.
type Year struct {
	Year        int
	Count       int
	TurnoverFen int64
	Through     string
}

// Published are the city's published figures (seed page: 2022 to 22
// December, 8416 contracts, 394.28亿元, +20.54%, so 2021 ≈ 327.09亿元). The
// 2021 count is not published; 7496 is our assumption. The demo reproduces
// them exactly, whatever the day it loads.
var Published = []Year{
	{2021, 7496, 3_270_900_000_000, "2021-12-31"},
	{2022, 8416, 3_942_800_000_000, "2022-12-22"},
}

// path is the demo's assumed course after the published years: 2023 ends
// just short of its published 500亿元 target, later years grow a few per
// cent to about 15% a year. Counts grow more slowly than turnover (the
// average contract gets larger). Beyond the table, 8% turnover and 4%
// count a year.
var path = map[int]struct {
	count int
	fen   int64
}{
	2023: {9_127, 4_963_500_000_000},  // 496.35亿元, +25.89% on 2022 (to 22 Dec)
	2024: {9_584, 5_449_900_000_000},  // +9.80%
	2025: {10_159, 6_082_100_000_000}, // +11.60%
	2026: {10_667, 6_623_400_000_000}, // +8.90%
	2027: {11_200, 7_354_000_000_000}, // +11.03%
	2028: {11_648, 7_868_800_000_000}, // +7.00%
	2029: {12_114, 8_655_600_000_000}, // +10.00%
	2030: {12_599, 9_261_500_000_000}, // +7.00%
}

// FirstYear is the first year the demo registers contracts; the demo
// needs a today after the published years (it refuses an earlier one).
const FirstYear = 2021

// MinToday is the earliest day the demo loads on: after the last published
// year, so that the published figures stay exact.
const MinToday = "2023-03-01"

// Plan returns the demo's years for a load on today (a date in China):
// every year from 2021 to today's year, the current one up to yesterday.
func Plan(today string) ([]Year, error) {
	t, err := domain.ParseDate(today)
	if err != nil {
		return nil, fmt.Errorf("演示城市的日期无效：%q", today)
	}
	if today < MinToday {
		return nil, fmt.Errorf("演示城市只能在 %s 以后载入（%s 之前是已公布的年份）", MinToday, today)
	}
	yesterday := t.AddDate(0, 0, -1).Format(time.DateOnly)
	out := append([]Year(nil), Published...)
	count, fen := Published[len(Published)-1].Count, Published[len(Published)-1].TurnoverFen
	for y := Published[len(Published)-1].Year + 1; y <= t.Year(); y++ {
		if p, ok := path[y]; ok {
			count, fen = p.count, p.fen
		} else {
			count, fen = count*104/100, fen/100*108
		}
		through := fmt.Sprintf("%d-12-31", y)
		if through > yesterday {
			through = yesterday
		}
		if through < fmt.Sprintf("%d-01-01", y) { // today is 1 January: nothing yet this year
			continue
		}
		out = append(out, Year{Year: y, Count: count, TurnoverFen: fen, Through: through})
	}
	return out, nil
}

// springFestival is the first day of the lunar new year (春节), 2021–2035.
// Registrations stop for the week of the holiday and pick up slowly.
var springFestival = map[int]string{
	2021: "2021-02-12", 2022: "2022-02-01", 2023: "2023-01-22", 2024: "2024-02-10", 2025: "2025-01-29",
	2026: "2026-02-17", 2027: "2027-02-06", 2028: "2028-01-26", 2029: "2029-02-13", 2030: "2030-02-03",
	2031: "2031-01-23", 2032: "2032-02-11", 2033: "2033-01-31", 2034: "2034-02-19", 2035: "2035-02-08",
}

// SpringFestival returns the first day of the lunar new year of y (from the
// table; 10 February for a year beyond it).
func SpringFestival(y int) string {
	if d, ok := springFestival[y]; ok {
		return d
	}
	return fmt.Sprintf("%d-02-10", y)
}

// monthWeights spread registrations over the year: a rush in December, and
// the month of the Spring Festival quiet (its weight set by monthsOf).
var monthWeights = [12]int{7, 7, 8, 8, 8, 9, 8, 8, 9, 9, 10, 14}

// monthsOf returns the month weights of y: the Spring Festival's month
// weighs 4, the other of January and February 7.
func monthsOf(y int) [12]int {
	w := monthWeights
	sf, _ := domain.ParseDate(SpringFestival(y))
	w[sf.Month()-1] = 4
	return w
}

// holiday reports whether date falls in the Spring Festival's quiet days
// (from two days before to eight days after the first day).
func holiday(date string, y int) bool {
	sf, _ := domain.ParseDate(SpringFestival(y))
	d, _ := domain.ParseDate(date)
	diff := d.Sub(sf).Hours() / 24
	return diff >= -2 && diff <= 8
}
