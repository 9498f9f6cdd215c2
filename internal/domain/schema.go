package domain

import (
	"fmt"
	"strings"
)

// UnknownMigrationsError reports that the database records migrations this
// program does not have: a newer (or a different) build migrated it, and
// this one must neither serve nor migrate that schema. The store returns
// it; the CLI and /readyz tell the operator which versions they are.
type UnknownMigrationsError struct {
	Versions []string
}

func (e *UnknownMigrationsError) Error() string {
	return fmt.Sprintf("the database has migrations this program does not know (%s): "+
		"it was migrated by a newer version; run that version or restore a backup", strings.Join(e.Versions, ", "))
}
