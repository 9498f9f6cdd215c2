package evaluate

import (
	"bytes"
	"embed"
	"fmt"
	"io/fs"
	"path"
)

//go:embed sets/*.yaml
var builtinFS embed.FS

// DefaultSet is the id of the default achievement set (GB/T 44731-2024).
const DefaultSet = "achievement-gbt44731"

// LoadDir loads every *.yaml set of a directory into a catalogue; the
// first bad file stops it, named.
func LoadDir(fsys fs.FS, dir string) (*Catalogue, error) {
	names, err := fs.Glob(fsys, path.Join(dir, "*.yaml"))
	if err != nil {
		return nil, err
	}
	var sets []*Set
	for _, n := range names {
		data, err := fs.ReadFile(fsys, n)
		if err != nil {
			return nil, err
		}
		s, err := Parse(bytes.NewReader(data))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", n, err)
		}
		sets = append(sets, s)
	}
	return NewCatalogue(sets...)
}

// Builtin returns the sets shipped with the program (sets/*.yaml).
func Builtin() (*Catalogue, error) { return LoadDir(builtinFS, "sets") }
