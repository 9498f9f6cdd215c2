package service

import "context"

// RegisteredYears lists the years that have registered contracts, oldest
// first: the year box of the contract list offers them (walkthrough 21).
// Which years hold registrations is public (the statistics page shows
// every year's figures), so no actor is needed.
func (s *Contracts) RegisteredYears(ctx context.Context) ([]int, error) {
	return s.store.RegisteredYears(ctx)
}
