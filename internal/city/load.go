package city

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"go.yaml.in/yaml/v3"
)

// MaxFileBytes bounds a city file; Shenyang's is about 3 KB, and the
// largest city (a few dozen districts, chains and years) stays far below.
const MaxFileBytes = 1 << 20

// Load reads and validates a city file. Decoding is strict: an unknown or
// misspelt field, a duplicate key, a value of the wrong type or a second
// YAML document is an error naming its line and field; validation then
// lists every problem at once (see Validate).
func Load(r io.Reader) (*City, error) {
	data, err := io.ReadAll(io.LimitReader(r, MaxFileBytes+1))
	if err != nil {
		return nil, fmt.Errorf("城市文件：读取失败：%w", err)
	}
	if len(data) > MaxFileBytes {
		return nil, fmt.Errorf("城市文件超过 %d 字节", MaxFileBytes)
	}
	c, err := decode(data)
	if err != nil {
		return nil, err
	}
	c.fillDefaults()
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return c, nil
}

func decode(data []byte) (*City, error) {
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, fmt.Errorf("城市文件：%s", yamlMessage(err, nil))
	}
	paths := fieldPaths(&root)
	if err := noFractions(&root, paths); err != nil {
		return nil, err
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	var c City
	if err := dec.Decode(&c); errors.Is(err, io.EOF) {
		return nil, errors.New("城市文件为空")
	} else if err != nil {
		return nil, fmt.Errorf("城市文件：%s", yamlMessage(err, paths))
	}
	var extra any
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return nil, errors.New("城市文件只能有一个 YAML 文档（发现了第二个 ---）")
	}
	return &c, nil
}

// noFractions refuses every non-integer number: the format has none (money
// is in fen, rates in basis points), and the library would otherwise
// truncate 10.5 to 10 in an integer field. An integer too large for int64
// also resolves as a float, so it is refused here too.
func noFractions(n *yaml.Node, paths map[int]string) error {
	if n.Kind == yaml.ScalarNode && n.Tag == "!!float" {
		msg := fmt.Sprintf("line %d: %q 不是整数（金额以分、比率以万分之一为单位，均为 int64 范围内的整数）", n.Line, n.Value)
		return fmt.Errorf("城市文件：%s", withPath(msg, paths))
	}
	for _, c := range n.Content {
		if err := noFractions(c, paths); err != nil {
			return err
		}
	}
	return nil
}

// yamlMessage shortens the library's messages ("yaml: unmarshal errors:\n
// line 3: field nmae not found in type city.City") to one line per problem
// and speaks of the file, not of Go types.
func yamlMessage(err error, paths map[int]string) string {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	msg = strings.TrimPrefix(msg, "unmarshal errors:\n")
	var lines []string
	for _, l := range strings.Split(msg, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, withPath(l, paths))
		}
	}
	r := strings.NewReplacer(" in type city.City", "", " in type city.District", " (districts)",
		" in type city.Chain", " (chains)", " in type city.Org", " (bureau/registry)", " in type city.Province", " (province)")
	return r.Replace(strings.Join(lines, "；"))
}

// fillDefaults gives chains without a sort their position (1-based), an
// absent target table an empty one, and drops years without targets, so
// that "chains: []" and no chains, or "2023: {}" and no 2023, are one city.
func (c *City) fillDefaults() {
	if len(c.Chains) == 0 {
		c.Chains = nil
	}
	for i := range c.Chains {
		if c.Chains[i].Sort == 0 {
			c.Chains[i].Sort = i + 1
		}
	}
	if c.Targets == nil {
		c.Targets = map[int]map[string]int64{}
	}
	for y, m := range c.Targets {
		if len(m) == 0 {
			delete(c.Targets, y)
		}
	}
}

// Write encodes c in the city file format, for `kechuang city export` and
// round trips: Load(Write(c)) gives c back.
func Write(w io.Writer, c *City) error {
	enc := yaml.NewEncoder(w)
	enc.SetIndent(2)
	if err := enc.Encode(c); err != nil {
		return fmt.Errorf("城市文件：写出失败：%w", err)
	}
	return enc.Close()
}
