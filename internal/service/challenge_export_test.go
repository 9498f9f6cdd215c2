package service

import (
	"context"

	"kechuang/internal/domain"
)

// ChainFigures exposes the chain registry's merged figures to the tests
// (the public endpoint is the chain module's).
func (s *Service) ChainFigures(ctx context.Context, year int, chain string) (domain.ChainFigures, error) {
	return s.core.chainFigures(ctx, year, chain)
}
