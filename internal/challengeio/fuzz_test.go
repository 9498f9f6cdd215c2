package challengeio

import "testing"

// FuzzDecode: arbitrary bytes, as CSV or xlsx, never panic; every problem
// names a row (≥ 0) and says something; a row without problems passes the
// domain's validation. Run: go test ./internal/challengeio -fuzz FuzzDecode.
func FuzzDecode(f *testing.F) {
	codec.Seed(f, sample(),
		"榜单名称,技术指标,揭榜截止日期\n甲,\"强度|||；|\",2022-02-30\n",
		"榜单名称,榜额（元）,政府出资（元）,来源需求编号\n甲,5,1e3,-1\n")
	f.Fuzz(codec.Fuzz)
}
