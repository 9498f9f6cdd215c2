package service

import (
	"fmt"
	"sync"

	"kechuang/internal/rules"
)

// ruleLibrary is the one rule library of a service, shared by the stateless
// assessments (POST /api/v1/assessments, /assess) and the registry's
// assessments and batch runs: the built-in rule sets, or the bureau's
// directory (KECHUANG_RULES_DIR), reread within a second of an edit.
type ruleLibrary struct {
	mu  sync.Mutex
	lib *rules.Library
	err error
}

// UseRules makes the service assess with the rule files of dir ("" the
// built-in ones). A directory that does not load is refused and the rules
// in force stay.
func (s *Service) UseRules(dir string) error {
	lib, err := rules.NewLibrary(dir)
	if err != nil {
		return fmt.Errorf("规则文件无法载入: %w", err)
	}
	s.core.rules.mu.Lock()
	defer s.core.rules.mu.Unlock()
	s.core.rules.lib, s.core.rules.err = lib, nil
	return nil
}

// RulesStatus is where the rule sets in force come from, and what went
// wrong at the last reread (for the bureau's pages).
func (s *Service) RulesStatus() (rules.LibraryStatus, error) {
	lib, err := s.core.ruleLib()
	if err != nil {
		return rules.LibraryStatus{}, err
	}
	return lib.Status(), nil
}

func (c *core) ruleLib() (*rules.Library, error) {
	c.rules.mu.Lock()
	defer c.rules.mu.Unlock()
	if c.rules.lib == nil && c.rules.err == nil {
		c.rules.lib, c.rules.err = rules.NewLibrary("")
	}
	return c.rules.lib, c.rules.err
}

// ruleSets is the snapshot of the rule sets in force.
func (c *core) ruleSets() (*rules.Snapshot, error) {
	lib, err := c.ruleLib()
	if err != nil {
		return nil, fmt.Errorf("规则文件无法载入: %w", err)
	}
	return lib.Current(), nil
}
