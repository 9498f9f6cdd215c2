package httpapi

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"net/http"
	"sort"
)

// The OpenAPI document is kept as one fragment per module under openapi/
// (base.json holds the head, the shared parameters, responses and the
// problem schemas). Each fragment is a partial OpenAPI object; New merges
// them once. We keep hand-written fragments rather than generating the
// schemas from the Go types: the Chinese descriptions, enums and formats
// are the document's substance, and openapi_test.go pairs every schema with
// its Go type field by field, so the two cannot drift apart silently.
// A module adds its part by adding openapi/<module>.json.

//go:embed openapi/*.json
var openapiFS embed.FS

// fragment is one file's partial document. A head member may appear in one
// fragment only; paths, path methods, components and tags are merged, and
// the same one defined twice is an error.
type fragment struct {
	OpenAPI    json.RawMessage                       `json:"openapi,omitempty"`
	Info       json.RawMessage                       `json:"info,omitempty"`
	Servers    json.RawMessage                       `json:"servers,omitempty"`
	Security   json.RawMessage                       `json:"security,omitempty"`
	Tags       []json.RawMessage                     `json:"tags,omitempty"`
	Paths      map[string]map[string]json.RawMessage `json:"paths,omitempty"`
	Components map[string]map[string]json.RawMessage `json:"components,omitempty"`
}

// OpenAPIDocument merges the embedded fragments into the served document.
func OpenAPIDocument() ([]byte, error) {
	names, err := fs.Glob(openapiFS, "openapi/*.json")
	if err != nil {
		return nil, err
	}
	parts := map[string][]byte{}
	for _, n := range names {
		if parts[n], err = openapiFS.ReadFile(n); err != nil {
			return nil, err
		}
	}
	return mergeOpenAPI(parts)
}

// mergeOpenAPI merges the named fragments, in name order.
func mergeOpenAPI(parts map[string][]byte) ([]byte, error) {
	names := make([]string, 0, len(parts))
	for n := range parts {
		names = append(names, n)
	}
	sort.Strings(names)
	doc := fragment{Paths: map[string]map[string]json.RawMessage{}, Components: map[string]map[string]json.RawMessage{}}
	owner := map[string]string{} // what was defined → the fragment that defined it
	for _, n := range names {
		var f fragment
		dec := json.NewDecoder(bytes.NewReader(parts[n]))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&f); err != nil {
			return nil, fmt.Errorf("openapi fragment %s: %w", n, err)
		}
		if err := doc.add(f, n, owner); err != nil {
			return nil, err
		}
	}
	if doc.OpenAPI == nil || doc.Info == nil {
		return nil, fmt.Errorf("openapi: no fragment gives the openapi version and info")
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func (doc *fragment) add(f fragment, from string, owner map[string]string) error {
	claim := func(what string) error {
		if prev, ok := owner[what]; ok {
			return fmt.Errorf("openapi: %s is defined by both %s and %s", what, prev, from)
		}
		owner[what] = from
		return nil
	}
	for _, head := range []struct {
		name     string
		dst, src *json.RawMessage
	}{{"openapi", &doc.OpenAPI, &f.OpenAPI}, {"info", &doc.Info, &f.Info}, {"servers", &doc.Servers, &f.Servers}, {"security", &doc.Security, &f.Security}} {
		if *head.src == nil {
			continue
		}
		if err := claim(head.name); err != nil {
			return err
		}
		*head.dst = *head.src
	}
	for _, t := range f.Tags {
		var tag struct{ Name string }
		if err := json.Unmarshal(t, &tag); err != nil || tag.Name == "" {
			return fmt.Errorf("openapi fragment %s: a tag without a name", from)
		}
		if err := claim("tag " + tag.Name); err != nil {
			return err
		}
		doc.Tags = append(doc.Tags, t)
	}
	if err := mergeTwoLevels(doc.Paths, f.Paths, "paths", claim); err != nil {
		return err
	}
	return mergeTwoLevels(doc.Components, f.Components, "components", claim)
}

// mergeTwoLevels adds src's members to dst, two levels deep (path → method,
// or component kind → name), claiming each leaf.
func mergeTwoLevels(dst, src map[string]map[string]json.RawMessage, at string, claim func(string) error) error {
	for k, inner := range src {
		if dst[k] == nil {
			dst[k] = map[string]json.RawMessage{}
		}
		for k2, v := range inner {
			if err := claim(at + "/" + k + "/" + k2); err != nil {
				return err
			}
			dst[k][k2] = v
		}
	}
	return nil
}

func (a *API) serveOpenAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Write(a.openapi)
}
