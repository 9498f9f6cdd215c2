package enterpriseio

import "testing"

// FuzzDecode: arbitrary bytes, as CSV or xlsx, never panic; every problem
// names a row (≥ 0) and says something; a row without problems passes the
// domain's validation. Run: go test ./internal/enterpriseio -fuzz FuzzDecode.
func FuzzDecode(f *testing.F) {
	codec.Seed(f, sample(),
		"统一社会信用代码,企业名称,所在区县,成立日期\n91210100MA0Y6KJG4M,甲,浑南区,2016-02-30\n",
		"统一社会信用代码,企业名称,所在区县,成立日期,产业链\n91210100ma0y6kjg4m,甲,210102,42000,ic\n")
	f.Fuzz(codec.Fuzz)
}

// FuzzDecodeFacts: the same for the facts sheet: a row without problems
// is facts the rule engine's parser accepts.
func FuzzDecodeFacts(f *testing.F) {
	facts.Seed(f, factsSample(f),
		"统一社会信用代码,评价日期,职工总数,资产总额（元）\n91210100MA0Y6KJG4M,2023-05-20,-1,1.005\n",
		"统一社会信用代码,评价日期,第2个会计年度 会计年度,第2个会计年度 销售收入（元）\n91210100MA0Y6KJG4M,2023-05-20,2022,100\n")
	f.Fuzz(facts.Fuzz)
}
