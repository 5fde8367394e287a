package store

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"

	"gorm.io/gorm"

	"github.com/samverkan/samverkan/internal/samverkan"
)

// keyset pages through a list by its sort key instead of OFFSET: each page starts after the
// key of the last row of the page before, so a page costs the same wherever it is.
type keyset struct {
	name  string   // guards against a cursor of one list being used on another
	cols  []string // the sort key, ending in a unique column
	kinds string   // one letter per column: u uuid, i integer, s text, d date, t timestamp
	desc  bool
}

type cursorBody struct {
	List string `json:"l"`
	Key  []any  `json:"k"`
}

// apply restricts q to the rows after the cursor, orders it and fetches one extra row to
// learn whether another page follows.
func (k keyset) apply(q *gorm.DB, page samverkan.PageRequest) (*gorm.DB, error) {
	dir, cmp := " ASC", ">"
	if k.desc {
		dir, cmp = " DESC", "<"
	}
	if page.Cursor != "" {
		key, err := k.decode(page.Cursor)
		if err != nil {
			return nil, err
		}
		q = q.Where("("+strings.Join(k.cols, ", ")+") "+cmp+" ("+strings.Repeat("?, ", len(k.cols)-1)+"?)", key...)
	}
	for _, c := range k.cols {
		q = q.Order(c + dir)
	}
	return q.Limit(page.Limit + 1), nil
}

func (k keyset) decode(cursor string) ([]any, error) {
	bad := &samverkan.Error{Code: samverkan.EInvalid, Message: "The cursor is not one this list handed out.",
		Fields: []samverkan.FieldError{{Parameter: "cursor", Detail: "is not a cursor of this list; use nextCursor from the previous page"}}}
	raw, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil {
		return nil, bad
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var body cursorBody
	if err := dec.Decode(&body); err != nil || body.List != k.name || len(body.Key) != len(k.cols) {
		return nil, bad
	}
	// Each value must be of its column's kind: a cursor is opaque, but it comes from outside,
	// and a text where the database expects a uuid would otherwise fail in the database.
	for i, v := range body.Key {
		var ok bool
		if body.Key[i], ok = k.value(k.kinds[i], v); !ok {
			return nil, bad
		}
	}
	return body.Key, nil
}

func (k keyset) value(kind byte, v any) (any, bool) {
	if kind == 'i' {
		n, ok := v.(json.Number)
		if !ok {
			return nil, false
		}
		i, err := n.Int64()
		return i, err == nil
	}
	s, ok := v.(string)
	if !ok || !utf8.ValidString(s) {
		return nil, false
	}
	switch kind {
	case 'u':
		_, err := uuid.Parse(s)
		return s, err == nil
	case 'd':
		_, err := time.Parse(time.DateOnly, s)
		return s, err == nil
	case 't':
		// Timestamps travel as RFC 3339 text and are compared as times, so that each driver
		// writes the parameter the way it wrote the column.
		t, err := time.Parse(time.RFC3339Nano, s)
		return t, err == nil
	}
	return s, true
}

func (k keyset) encode(key ...any) string {
	b, _ := json.Marshal(cursorBody{List: k.name, Key: key})
	return base64.RawURLEncoding.EncodeToString(b)
}

// paginate trims the extra row fetched by apply and returns the cursor of the next page.
func paginate[R any](rows []R, limit int, k keyset, key func(R) []any) ([]R, string) {
	if len(rows) <= limit {
		return rows, ""
	}
	rows = rows[:limit]
	return rows, k.encode(key(rows[len(rows)-1])...)
}

// order is one documented sort of a list: its keyset and how to read the key of a row.
type order[R any] struct {
	keyset
	key func(R) []any
}

// pick returns the order a request names; the contract only lets documented names through.
func pick[R any](orders map[string]order[R], sort string) (order[R], error) {
	o, ok := orders[sort]
	if !ok {
		return o, &samverkan.Error{Code: samverkan.EInvalid, Message: "This list cannot be sorted that way.",
			Fields: []samverkan.FieldError{{Parameter: "sort", Detail: "is not one of this list's orders"}}}
	}
	return o, nil
}

// byUpdated adds the incremental-sync orders to a list's natural one.
func byUpdated[R any](name string, natural order[R], updated func(R) (time.Time, string)) map[string]order[R] {
	key := func(r R) []any {
		t, id := updated(r)
		return []any{t.UTC().Format(time.RFC3339Nano), id}
	}
	return map[string]order[R]{
		"":                        natural,
		samverkan.SortUpdatedAsc:  {keyset{name: name + "+updated", cols: []string{"updated_at", "id"}, kinds: "tu"}, key},
		samverkan.SortUpdatedDesc: {keyset{name: name + "-updated", cols: []string{"updated_at", "id"}, kinds: "tu", desc: true}, key},
	}
}

// list runs q in the order the page asks for and returns the page's rows and next cursor.
func list[R any](q *gorm.DB, orders map[string]order[R], page samverkan.PageRequest) ([]R, string, error) {
	o, err := pick(orders, page.Sort)
	if err != nil {
		return nil, "", err
	}
	var rows []R
	if err := find(q, o.keyset, page, &rows); err != nil {
		return nil, "", err
	}
	rows, next := paginate(rows, page.Limit, o.keyset, o.key)
	return rows, next, nil
}
