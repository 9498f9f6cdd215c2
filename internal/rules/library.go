package rules

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"
)

// Library is the rule sets a running server assesses with: the embedded
// ones, or those of a directory (KECHUANG_RULES_DIR) reread when its files
// change. The bureau edits a band or an amount in a rule file and the next
// assessment uses it: no rebuild, no restart.
//
// A directory that fails to load (a file that is not valid JSON, an
// expression that does not compile, a file whose id is not its name) keeps
// the sets in force and reports why (Status); a reload whose own cases fail
// is used, and the failures are reported beside it, since a bureau that
// changes a band changes what its cases expect too.
type Library struct {
	dir   string
	every time.Duration
	now   func() time.Time

	mu      sync.Mutex
	snap    *Snapshot
	sig     string    // the directory's names, sizes and times at the last read
	checked time.Time // the last look at the directory
	loadErr error     // the last read that failed; nil once one succeeds
}

// Snapshot is one loaded state of the library; it never changes, so an
// assessment run holds one and is not disturbed by a reload midway.
type Snapshot struct {
	Sets     map[string]*Set
	Hashes   map[string]string // id → SHA-256 of the rule file's bytes (hex)
	Cases    []CaseReport      // each set's own cases run against it
	LoadedAt time.Time
	Dir      string // "" for the embedded sets
}

// LibraryStatus describes the library for the bureau's page.
type LibraryStatus struct {
	Dir          string    // "" : the built-in rule sets
	LoadedAt     time.Time // when the sets in force were read
	LoadError    string    // the last reread that failed (the sets in force are older)
	CaseFailures []CaseFailure
}

// NewLibrary reads dir ("" for the embedded rule sets). A first read that
// fails is an error: a server does not start without its rules.
func NewLibrary(dir string) (*Library, error) {
	l := &Library{dir: dir, every: time.Second, now: time.Now}
	if dir != "" {
		if st, err := os.Stat(dir); err != nil || !st.IsDir() {
			return nil, fmt.Errorf("规则目录 %s 不存在或不是目录 (KECHUANG_RULES_DIR: no such directory)", dir)
		}
	}
	sig, err := l.signature()
	if err != nil {
		return nil, err
	}
	snap, err := l.read()
	if err != nil {
		return nil, err
	}
	l.snap, l.sig, l.checked = snap, sig, l.now()
	return l, nil
}

// Current returns the sets in force, rereading the directory first when a
// file in it changed (looked at no more than once a second).
func (l *Library) Current() *Snapshot {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.dir == "" || l.now().Sub(l.checked) < l.every {
		return l.snap
	}
	l.checked = l.now()
	sig, err := l.signature()
	if err != nil {
		l.loadErr = err
		return l.snap
	}
	if sig == l.sig {
		return l.snap
	}
	snap, err := l.read()
	l.sig = sig // a broken file is reported once per change, not reread every second
	if err != nil {
		l.loadErr = err
		return l.snap
	}
	l.snap, l.loadErr = snap, nil
	return l.snap
}

// Set returns the rule set id in force, or nil.
func (l *Library) Set(id string) *Set { return l.Current().Sets[id] }

// Status reports where the sets come from and what went wrong.
func (l *Library) Status() LibraryStatus {
	snap := l.Current()
	l.mu.Lock()
	defer l.mu.Unlock()
	st := LibraryStatus{Dir: l.dir, LoadedAt: snap.LoadedAt}
	if l.loadErr != nil {
		st.LoadError = l.loadErr.Error()
	}
	for _, r := range snap.Cases {
		st.CaseFailures = append(st.CaseFailures, r.Failures...)
	}
	return st
}

// IDs are the ids of the sets in force, sorted.
func (s *Snapshot) IDs() []string {
	ids := make([]string, 0, len(s.Sets))
	for id := range s.Sets {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

func (l *Library) fsys() fs.FS {
	if l.dir == "" {
		return Embedded()
	}
	return os.DirFS(filepath.Clean(l.dir))
}

// read loads every rule file, hashes it and runs its cases.
func (l *Library) read() (*Snapshot, error) {
	fsys := l.fsys()
	sets, err := LoadDir(fsys)
	if err != nil {
		return nil, err
	}
	hashes := make(map[string]string, len(sets))
	for id := range sets {
		b, err := fs.ReadFile(fsys, id+".json")
		if err != nil {
			return nil, err
		}
		sum := sha256.Sum256(b)
		hashes[id] = hex.EncodeToString(sum[:])
	}
	cases, err := RunCases(fsys, sets)
	if err != nil { // a cases file that cannot be read as cases: reported, the sets still load
		cases = []CaseReport{{RuleSet: "(cases)", Failures: []CaseFailure{{Case: "(file)", Problems: []string{err.Error()}}}}}
	}
	return &Snapshot{Sets: sets, Hashes: hashes, Cases: cases, LoadedAt: l.now(), Dir: l.dir}, nil
}

// signature is the directory's rule files with their sizes and
// modification times: a change to any of them (or one added or removed)
// changes it.
func (l *Library) signature() (string, error) {
	if l.dir == "" {
		return "", nil
	}
	entries, err := os.ReadDir(l.dir)
	if err != nil {
		return "", fmt.Errorf("规则目录 %s：%v", l.dir, err)
	}
	var b strings.Builder
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".json") {
			continue
		}
		info, err := e.Info()
		if err != nil {
			continue // removed while listed: the next look sees it gone
		}
		fmt.Fprintf(&b, "%s\x00%d\x00%d\n", e.Name(), info.Size(), info.ModTime().UnixNano())
	}
	return b.String(), nil
}
