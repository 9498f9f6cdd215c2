package domain

import "testing"

func TestPctChange(t *testing.T) {
	cases := []struct {
		cur, prev int64
		want      string
	}{
		{3942800000000, 3270900000000, "20.54"}, // Shenyang 2022: 394.28亿 vs 327.09亿
		{100, 100, "0.00"},
		{50, 100, "-50.00"},
		{1, 3, "-66.67"},
		{200005, 100000, "100.01"}, // 100.005 rounds half up
		{8416, 7000, "20.23"},
	}
	for _, c := range cases {
		got := PctChange(c.cur, c.prev)
		if got == nil || string(*got) != c.want {
			t.Errorf("PctChange(%d,%d) = %v, want %s", c.cur, c.prev, got, c.want)
		}
	}
	if PctChange(5, 0) != nil {
		t.Error("PctChange with prev 0 should be nil")
	}
	if got := Pct(500, 1000); string(*got) != "50.00" {
		t.Errorf("Pct = %s", *got)
	}
}

func TestFormatYi(t *testing.T) {
	if got := FormatYi(3942800000000); got != "394.28亿元" {
		t.Errorf("FormatYi = %s", got)
	}
	if got := FormatYuan(123456789); got != "1,234,567.89元" {
		t.Errorf("FormatYuan = %s", got)
	}
}
