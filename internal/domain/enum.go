package domain

import "fmt"

// Item is one code of an Enum with its zh-CN label. The label is also the
// message id the pages translate at render time, so label texts are data:
// change one only together with the message catalogue.
type Item[T ~string] struct {
	Code  T      `json:"code"`
	Label string `json:"label"`
}

// Enum is a fixed code→label table (statuses, kinds, roles, fields,
// grounds …): lookups by code or label, and the codes in declaration
// order, which is the order the forms and exports show them in. An Enum
// is immutable once built.
type Enum[T ~string] struct {
	items   []Item[T]
	byCode  map[T]int
	byLabel map[string]int
}

// NewEnum builds an Enum from items in display order. A duplicate code or
// label is a programming error in a table literal, so it panics when the
// package is loaded, before any request is served.
func NewEnum[T ~string](items ...Item[T]) *Enum[T] {
	e := &Enum[T]{items: items, byCode: make(map[T]int, len(items)), byLabel: make(map[string]int, len(items))}
	for i, it := range items {
		if _, dup := e.byCode[it.Code]; dup {
			panic(fmt.Sprintf("domain: enum: duplicate code %q", it.Code))
		}
		if _, dup := e.byLabel[it.Label]; dup {
			panic(fmt.Sprintf("domain: enum: duplicate label %q", it.Label))
		}
		e.byCode[it.Code], e.byLabel[it.Label] = i, i
	}
	return e
}

// Label returns the label of code, or the code itself when it is unknown
// (old data keeps a readable value rather than a blank).
func (e *Enum[T]) Label(code T) string {
	if i, ok := e.byCode[code]; ok {
		return e.items[i].Label
	}
	return string(code)
}

// Valid reports whether code is in the table.
func (e *Enum[T]) Valid(code T) bool {
	_, ok := e.byCode[code]
	return ok
}

// Code returns the code whose label is label (imports read labels).
func (e *Enum[T]) Code(label string) (T, bool) {
	if i, ok := e.byLabel[label]; ok {
		return e.items[i].Code, true
	}
	var zero T
	return zero, false
}

// All returns the items in declaration order; the slice is a copy.
func (e *Enum[T]) All() []Item[T] { return append([]Item[T](nil), e.items...) }

// Codes returns the codes in declaration order.
func (e *Enum[T]) Codes() []T {
	out := make([]T, len(e.items))
	for i, it := range e.items {
		out[i] = it.Code
	}
	return out
}

// Len is the number of codes.
func (e *Enum[T]) Len() int { return len(e.items) }
