//go:build !unix

package testutil

import "errors"

// canLock: without a file lock the fixtures are shared within a test
// binary only (SharedAcross and CopyAcross are Shared and Copy).
const canLock = false

func lockFile(string) (func(), error) { return nil, errors.New("no file lock on this system") }
