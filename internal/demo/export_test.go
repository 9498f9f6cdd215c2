package demo

// SetInFlightHook makes the in-progress filings call hook before each
// action (nil: none), for the tests that stop a load part-way.
func SetInFlightHook(hook func(n int) error) { inFlightHook = hook }
