package store

import (
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"time"
)

// jsonCol stores a value list as JSON: jsonb on PostgreSQL, TEXT on SQLite. Lists such as
// signatories or partners are read and written whole and never filtered on.
type jsonCol[T any] struct{ V T }

func (c jsonCol[T]) Value() (driver.Value, error) {
	b, err := json.Marshal(c.V)
	if err != nil {
		return nil, err
	}
	if string(b) == "null" {
		return nil, nil
	}
	return string(b), nil
}

func (c *jsonCol[T]) Scan(src any) error {
	var zero T
	c.V = zero
	switch v := src.(type) {
	case nil:
		return nil
	case []byte:
		return json.Unmarshal(v, &c.V)
	case string:
		return json.Unmarshal([]byte(v), &c.V)
	}
	return fmt.Errorf("store: cannot read %T as JSON", src)
}

// listCol stores a list that is never null: an empty list is written as [].
type listCol[T any] struct{ V []T }

func (c listCol[T]) Value() (driver.Value, error) {
	if c.V == nil {
		return "[]", nil
	}
	b, err := json.Marshal(c.V)
	return string(b), err
}

func (c *listCol[T]) Scan(src any) error {
	var j jsonCol[[]T]
	if err := j.Scan(src); err != nil {
		return err
	}
	c.V = j.V
	return nil
}

// date is a calendar day written as YYYY-MM-DD on both databases, so that keyset cursors and
// year filters compare the same text with the same text.
type date struct {
	T     time.Time
	Valid bool
}

func dateOf(t *time.Time) date {
	if t == nil {
		return date{}
	}
	return date{T: *t, Valid: true}
}

func dayOf(t time.Time) date { return date{T: t, Valid: true} }

func (d date) ptr() *time.Time {
	if !d.Valid {
		return nil
	}
	t := d.T
	return &t
}

func (d date) Value() (driver.Value, error) {
	if !d.Valid {
		return nil, nil
	}
	return d.T.Format(time.DateOnly), nil
}

func (d *date) Scan(src any) error {
	*d = date{}
	var s string
	switch v := src.(type) {
	case nil:
		return nil
	case time.Time:
		d.T, d.Valid = time.Date(v.Year(), v.Month(), v.Day(), 0, 0, 0, 0, time.UTC), true
		return nil
	case string:
		s = v
	case []byte:
		s = string(v)
	default:
		return fmt.Errorf("store: cannot read %T as a date", src)
	}
	if len(s) < 10 {
		return fmt.Errorf("store: %q is not a date", s)
	}
	t, err := time.Parse(time.DateOnly, s[:10])
	if err != nil {
		return err
	}
	d.T, d.Valid = t, true
	return nil
}
