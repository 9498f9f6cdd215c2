package domain

// RollupRow is one cell of the contract statistics: registered contracts of
// one month, grouped by one dimension.
type RollupRow struct {
	Year, Month int
	Dim, Key    string
	N           int64
	TurnoverFen int64
	TechFen     int64
}
