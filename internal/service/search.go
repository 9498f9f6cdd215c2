package service

import "context"

// Reindex rebuilds the catalogue's full-text index (achievements and
// needs) where it was built by an older tokeniser than internal/search's,
// or everywhere when force; it returns the rows written. Serve runs it at
// start; `kechuang search reindex` on demand.
func (s *Service) Reindex(ctx context.Context, force bool) (int, error) {
	return s.core.store.Reindex(ctx, force, 500)
}
