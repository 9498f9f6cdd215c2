package httpapi

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"kechuang/internal/domain"
)

// contractStats serves the public statistics: the service's cached answer,
// encoded once per year and statistics version, with an ETag so that a
// client that has the current answer gets a bodiless 304.
func (a *API) contractStats(w http.ResponseWriter, r *http.Request) error {
	ys := r.URL.Query().Get("year")
	year, err := strconv.Atoi(ys)
	if ys == "" {
		year, err = domain.ChinaYear(a.Svc.Now()), nil
	}
	if err != nil {
		return domain.FieldErrorf("year", "年份应为四位数字")
	}
	st, v, err := a.Svc.Contracts.StatsVersioned(r.Context(), year)
	if err != nil {
		return err
	}
	b, err := a.statsBodies.get(year, v, st, func() ([]byte, error) { return marshalStats(st) })
	if err != nil {
		return err
	}
	h := w.Header()
	// no-cache: clients and proxies may keep the answer but must ask again
	// (a cheap 304) each time, so none shows counts older than a registration.
	h.Set("Cache-Control", "public, no-cache")
	h.Set("ETag", b.etag)
	if etagMatch(r.Header.Get("If-None-Match"), b.etag) {
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	h.Set("Content-Type", "application/json; charset=utf-8")
	h.Set("Content-Length", strconv.Itoa(len(b.body)))
	w.WriteHeader(http.StatusOK)
	w.Write(b.body)
	return nil
}

// statsBodyCache keeps the encoded answer of each year at the statistics
// version it was encoded at. The zero value is ready to use.
type statsBodyCache struct {
	mu sync.Mutex
	m  map[int]*statsBody
}

type statsBody struct {
	version int64
	src     any // the answer encoded: the service may hand a new one at the same version (the year ended)
	body    []byte
	etag    string
}

func (c *statsBodyCache) get(year int, version int64, src any, encode func() ([]byte, error)) (*statsBody, error) {
	c.mu.Lock()
	b := c.m[year]
	c.mu.Unlock()
	if b != nil && b.version == version && b.src == src {
		return b, nil
	}
	body, err := encode()
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(body)
	b = &statsBody{version: version, src: src, body: body, etag: `"` + hex.EncodeToString(sum[:12]) + `"`}
	c.mu.Lock()
	if c.m == nil {
		c.m = map[int]*statsBody{}
	}
	if old := c.m[year]; old == nil || old.version <= version {
		c.m[year] = b
	}
	c.mu.Unlock()
	return b, nil
}

// etagMatch reports whether an If-None-Match header names etag (RFC 9110
// weak comparison: a W/ prefix is ignored; "*" matches).
func etagMatch(header, etag string) bool {
	for _, tok := range strings.Split(header, ",") {
		tok = strings.TrimSpace(tok)
		if tok == "*" || tok == etag || tok == "W/"+etag {
			return true
		}
	}
	return false
}

// marshalStats encodes as httpx.JSON does (HTML escaping off, a final
// newline), so the cached body is the one an uncached answer would carry.
func marshalStats(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
