package web_test

import (
	"os"
	"testing"

	"kechuang/internal/testutil"
)

// TestMain removes the demo city the tests copy (testutil.Copy) when they end.
func TestMain(m *testing.M) { os.Exit(testutil.Main(m)) }
