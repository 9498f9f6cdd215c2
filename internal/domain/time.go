package domain

import "time"

// The China calendar: DateOf (clock.go) gives the date of an instant; the
// helpers here give the other views of it the pages and rules need.

// ChinaTZ is China Standard Time (UTC+8, no daylight saving). Registration
// dates, the 30-day clock, "this year" and every date shown to a user are
// local dates in China, whatever the server's own time zone: a server in UTC
// must not file a contract accepted at 07:00 Beijing time on the day before.
var ChinaTZ = time.FixedZone("CST", 8*3600)

// DaysAgo returns the date in China n days before the instant now, as
// YYYY-MM-DD (calendar days, so month ends and leap days count right).
func DaysAgo(now time.Time, n int) string {
	return now.In(ChinaTZ).AddDate(0, 0, -n).Format(time.DateOnly)
}

// ChinaYear returns the year in China at the instant now.
func ChinaYear(now time.Time) int { return now.In(ChinaTZ).Year() }

// ChinaMidnight returns the date in China at the instant now as midnight
// UTC of that calendar date, so that date differences are whole days.
func ChinaMidnight(now time.Time) time.Time {
	d := now.In(ChinaTZ)
	return time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC)
}

// FormatDateTime renders an instant as China's wall-clock time to the
// minute ("2006-01-02 15:04"), as pages show times.
func FormatDateTime(t time.Time) string { return t.In(ChinaTZ).Format("2006-01-02 15:04") }
