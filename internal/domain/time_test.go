package domain

import (
	"testing"
	"time"
)

func TestDateOfIsChinasDate(t *testing.T) {
	tests := []struct {
		name string
		at   time.Time
		want string
	}{
		{"UTCEveningIsNextDayInChina", time.Date(2024, 2, 28, 16, 0, 0, 0, time.UTC), "2024-02-29"},
		{"JustBeforeChinaMidnight", time.Date(2024, 2, 28, 15, 59, 59, 0, time.UTC), "2024-02-28"},
		{"YearEnd", time.Date(2023, 12, 31, 16, 30, 0, 0, time.UTC), "2024-01-01"},
		{"OtherZoneSameInstant", time.Date(2024, 1, 1, 3, 0, 0, 0, time.FixedZone("EST", -5*3600)), "2024-01-01"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := DateOf(tt.at); got != tt.want {
				t.Fatalf("DateOf(%v) = %s, want %s", tt.at, got, tt.want)
			}
		})
	}
	if got := ChinaYear(time.Date(2023, 12, 31, 16, 0, 0, 0, time.UTC)); got != 2024 {
		t.Errorf("ChinaYear = %d, want 2024", got)
	}
	if got := DaysAgo(time.Date(2024, 3, 30, 16, 0, 0, 0, time.UTC), 30); got != "2024-03-01" {
		t.Errorf("DaysAgo = %s, want 2024-03-01", got)
	}
	if got := FormatDateTime(time.Date(2024, 3, 30, 16, 5, 0, 0, time.UTC)); got != "2024-03-31 00:05" {
		t.Errorf("FormatDateTime = %s", got)
	}
}
