package city

import (
	"fmt"
	"regexp"
	"strconv"

	"go.yaml.in/yaml/v3"
)

// fieldPaths maps each line of a file to the path of the fields on it
// (districts[2].kind), so that decoding errors, which the library reports
// by line only, name the field too. A line holding several fields (a flow
// mapping such as a district's) maps to what they share (districts[2]).
func fieldPaths(root *yaml.Node) map[int]string {
	out := map[int]string{}
	add := func(line int, path string) {
		if prev, ok := out[line]; ok {
			path = commonPath(prev, path)
		}
		out[line] = path
	}
	var walk func(n *yaml.Node, path string)
	walk = func(n *yaml.Node, path string) {
		switch n.Kind {
		case yaml.DocumentNode:
			for _, c := range n.Content {
				walk(c, path)
			}
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				k := n.Content[i]
				p := k.Value
				if path != "" {
					p = path + "." + k.Value
				}
				add(k.Line, p)
				walk(n.Content[i+1], p)
			}
		case yaml.SequenceNode:
			for i, c := range n.Content {
				walk(c, fmt.Sprintf("%s[%d]", path, i+1))
			}
		case yaml.ScalarNode:
			if path != "" {
				add(n.Line, path)
			}
		}
	}
	walk(root, "")
	return out
}

// commonPath is the longest path both a and b lie under.
func commonPath(a, b string) string {
	n := 0
	for n < len(a) && n < len(b) && a[n] == b[n] {
		n++
	}
	boundary := func(s string) bool { return n == len(s) || s[n] == '.' || s[n] == '[' }
	if boundary(a) && boundary(b) {
		return a[:n]
	}
	for n > 0 && a[n-1] != '.' && a[n-1] != '[' {
		n--
	}
	if n > 0 && a[n-1] == '[' {
		n-- // cut "districts[" back to "districts"
	} else if n > 0 {
		n-- // and "bureau." to "bureau"
	}
	return a[:n]
}

var linePrefix = regexp.MustCompile(`^line (\d+): `)

// withPath adds the field's path to a "line N: …" message.
func withPath(msg string, paths map[int]string) string {
	m := linePrefix.FindStringSubmatch(msg)
	if m == nil {
		return msg
	}
	line, _ := strconv.Atoi(m[1])
	if p := paths[line]; p != "" {
		return fmt.Sprintf("line %d（%s）: %s", line, p, msg[len(m[0]):])
	}
	return msg
}
