package match

import (
	_ "embed"
	"strings"
)

//go:embed stopwords.txt
var stopText string

var stopSet = func() map[string]bool {
	m := map[string]bool{}
	for _, line := range strings.Split(stopText, "\n") {
		if w := strings.TrimSpace(line); w != "" && !strings.HasPrefix(w, "#") {
			m[w] = true
		}
	}
	return m
}()

func isStop(w string) bool { return stopSet[w] }
