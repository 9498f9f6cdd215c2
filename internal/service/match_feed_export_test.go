package service

// MatchFeed is the feed of the matching indexes, for the tests.
type MatchFeed = matchFeed

// MatchFeedOf returns the services' feed (not started: a query or Sync
// builds it).
func MatchFeedOf(s *Service) *MatchFeed { return s.core.feed }
