package service

import (
	"context"

	"kechuang/internal/domain"
)

// ChainFiguresForTest is the merged chain figures of a year (every
// registered source).
func ChainFiguresForTest(s *Service, year int, chain string) (domain.ChainFigures, error) {
	return s.core.chainFigures(context.Background(), year, chain)
}

// ChainLinksForTest is every source's timeline steps of ref.
func ChainLinksForTest(s *Service, ref domain.ChainRef) ([]domain.ChainLink, error) {
	return s.core.chainLinks(context.Background(), ref)
}
