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

// DefaultSet is the id of the default achievement set: version 1 the five
// values of 国办发〔2021〕26号 (from 2021-08-02), version 2 the five
// first-level indicators of GB/T 44731-2024 (from 2024-10-26).
const DefaultSet = "achievement"

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
