package domain

// Region is a GB/T 2260 administrative division.
type Region struct {
	Code   string `json:"code"`
	Name   string `json:"name"`
	Parent string `json:"parent_code"`
}

// Chain is one of the city's key industrial chains.
type Chain struct {
	Code string `json:"code"`
	Name string `json:"name"`
}
