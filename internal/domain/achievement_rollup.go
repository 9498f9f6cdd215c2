package domain

// AchievementRollupRow is one cell of the achievement rollup: the number
// of achievements first published in Year (0: never published) on an
// industrial chain in a status. The chain's achievements_published figure
// sums a year's cells; `kechuang stats check` compares the cells with a
// GROUP BY over the records.
type AchievementRollupRow struct {
	Year      int    `json:"year"`
	ChainCode string `json:"chain_code"`
	Status    string `json:"status"`
	N         int64  `json:"n"`
}
