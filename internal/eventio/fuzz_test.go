package eventio

import "testing"

// FuzzDecode: arbitrary bytes, as CSV or xlsx, never panic; every problem
// names a row (≥ 0) and says something; a row without problems passes the
// domain's validation. Run: go test ./internal/eventio -fuzz FuzzDecode.
func FuzzDecode(f *testing.F) {
	codec.Seed(f, sample(),
		"活动名称,活动类型,活动日期,活动地点,报名名额\n甲,路演,2022-02-30,乙,-1\n",
		"活动名称,活动类型,活动日期,活动地点,报名名额,产业链\n甲,other,44927,乙,6.0,ic\n")
	f.Fuzz(codec.Fuzz)
}
