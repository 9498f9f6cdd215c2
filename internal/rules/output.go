package rules

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
)

// SelectSets resolves a rules argument: one id, a comma list, or "all"
// (every set, by id). An unknown id is an error naming the ones there are.
func SelectSets(sets map[string]*Set, ids string) ([]*Set, error) {
	var names []string
	for id := range sets {
		names = append(names, id)
	}
	sort.Strings(names)
	if strings.TrimSpace(ids) == "" {
		return nil, &InputError{Field: "rules", Msg: "请指定规则集 id（逗号分隔，或 all）；可用：" + strings.Join(names, "、")}
	}
	if strings.TrimSpace(ids) == "all" {
		out := make([]*Set, 0, len(names))
		for _, n := range names {
			out = append(out, sets[n])
		}
		return out, nil
	}
	var out []*Set
	for _, id := range strings.Split(ids, ",") {
		s, ok := sets[strings.TrimSpace(id)]
		if !ok {
			return nil, &InputError{Field: "rules", Msg: fmt.Sprintf("没有规则集 %q（可用：%s）", strings.TrimSpace(id), strings.Join(names, "、"))}
		}
		out = append(out, s)
	}
	return out, nil
}

// AssessAll assesses every firm under every chosen set: the results set by
// set, firm by firm. A bad fact is an *InputError naming the firm (Row,
// 1-based, when there are several) and the field.
func AssessAll(chosen []*Set, firms []Facts) ([]*Result, error) {
	out := make([]*Result, 0, len(chosen)*len(firms))
	for _, s := range chosen {
		a := NewAssessor(s)
		for i := range firms {
			r, err := a.Assess(&firms[i])
			if err != nil {
				var ie *InputError
				if errors.As(err, &ie) && len(firms) > 1 && ie.Row == 0 {
					ie.Row = i + 1
				}
				return nil, fmt.Errorf("%s: %w", s.ID, err)
			}
			out = append(out, r)
		}
	}
	return out, nil
}

// WriteJSON writes the results as `kechuang assess --format json` prints
// them and POST /api/v1/assessments answers (one encoder for both): a lone
// object when one firm (a JSON object) was assessed under one set, else an
// array; indented, HTML not escaped.
func WriteJSON(w io.Writer, results []*Result, single bool) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if single && len(results) == 1 {
		return enc.Encode(results[0])
	}
	if results == nil {
		results = []*Result{}
	}
	return enc.Encode(results)
}
