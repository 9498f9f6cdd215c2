// Package anchor keeps what protects the audit chain outside the database:
// the key of its HMAC (key.go) and the append-only file of anchors, each
// the chain head at a moment (this file). Whoever can write the database
// can neither compute a keyed hash without the key nor rewrite an anchor,
// so `kechuang audit verify` catches a rewritten row or a truncated tail
// even when the hashes and the head in the database were recomputed.
package anchor

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"kechuang/internal/domain"
)

// Location is where a database's key and anchor file live.
type Location struct {
	Dir        string // the data directory
	KeyFile    string // shared by the databases of Dir
	AnchorFile string // one per database
}

// KeyFileName is the key file's name in the data directory.
const KeyFileName = "audit.key"

var unsafeName = regexp.MustCompile(`[^A-Za-z0-9_.-]`)

// Locate places the files of the database at databaseURL: beside the file
// for SQLite (kechuang.db → kechuang.db.audit-anchors), in dataDir for
// PostgreSQL, named after the database.
func Locate(databaseURL, dataDir string) Location {
	if p, ok := strings.CutPrefix(databaseURL, "sqlite:"); ok {
		p = strings.TrimPrefix(p, "//")
		dir := filepath.Dir(p)
		return Location{Dir: dir, KeyFile: filepath.Join(dir, KeyFileName), AnchorFile: p + ".audit-anchors"}
	}
	name := "postgres"
	if u, err := url.Parse(databaseURL); err == nil && strings.Trim(u.Path, "/") != "" {
		name = unsafeName.ReplaceAllString(strings.Trim(u.Path, "/"), "_")
	}
	return Location{Dir: dataDir, KeyFile: filepath.Join(dataDir, KeyFileName), AnchorFile: filepath.Join(dataDir, name+".audit-anchors")}
}

// File is an append-only file of anchors, one JSON object a line.
type File struct{ path string }

// NewFile returns the anchor file at path; it is created on first Append.
func NewFile(path string) *File { return &File{path: path} }

// Path is the file's path.
func (f *File) Path() string { return f.path }

// Append adds an anchor and syncs it to disk before returning, so an
// anchor reported in the log is on disk too. The file is created 0600.
func (f *File) Append(a domain.AuditAnchor) error {
	line, err := json.Marshal(a)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(f.path), 0o700); err != nil {
		return fmt.Errorf("anchor: %w", err)
	}
	w, err := os.OpenFile(f.path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return fmt.Errorf("anchor: %w", err)
	}
	// One write of the whole line: O_APPEND keeps concurrent writers'
	// lines whole.
	_, err = w.Write(append(line, '\n'))
	if err == nil {
		err = w.Sync()
	}
	if cerr := w.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return fmt.Errorf("anchor: write %s: %w", f.path, err)
	}
	return nil
}

// Read returns every anchor, oldest first; none when the file does not
// exist. A last line without its newline is a write cut short by a crash
// and is skipped; any other line that does not parse is an error naming
// it, since an anchor file is never edited.
func (f *File) Read() ([]domain.AuditAnchor, error) {
	b, err := os.ReadFile(f.path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	} else if err != nil {
		return nil, fmt.Errorf("anchor: %w", err)
	}
	if i := bytes.LastIndexByte(b, '\n'); i < len(b)-1 {
		b = b[:i+1]
	}
	var out []domain.AuditAnchor
	sc := bufio.NewScanner(bytes.NewReader(b))
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		if len(bytes.TrimSpace(sc.Bytes())) == 0 {
			continue
		}
		var a domain.AuditAnchor
		if err := json.Unmarshal(sc.Bytes(), &a); err != nil || a.Seq <= 0 || a.Hash == "" {
			return nil, fmt.Errorf("anchor: %s line %d is not an anchor", f.path, n)
		}
		out = append(out, a)
	}
	return out, sc.Err()
}
