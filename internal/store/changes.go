package store

import (
	"context"
	"time"

	"github.com/samverkan/samverkan/internal/samverkan"
)

// changeRow is one write, appended in the writing transaction.
type changeRow struct {
	Seq              int64 `gorm:"primaryKey;autoIncrement"`
	Kind             string
	EntityID         string
	MunicipalityCode string
	Op               string
	Public           bool
	At               time.Time
}

func (changeRow) TableName() string { return "changes" }

const (
	opCreate = "create"
	opUpdate = "update"
	opDelete = "delete"
)

// record notes a change of the transaction's; the transaction logs it, and moves the data
// version, when it ends (Tx), so the version moves when, and only when, the write commits.
func (s *Store) record(ctx context.Context, kind, id, municipality, op string, public bool) error {
	c := changeRow{Kind: kind, EntityID: id, MunicipalityCode: municipality, Op: op, Public: public}
	if s.pending == nil { // a write outside a transaction: log it at once, on a copy, as the store is shared
		alone := &Store{db: s.db, dialect: s.dialect, pending: &[]changeRow{c}}
		return alone.flushChanges(ctx)
	}
	*s.pending = append(*s.pending, c)
	return nil
}

// flushChanges moves the data version past the transaction's changes and writes them.
func (s *Store) flushChanges(ctx context.Context) error {
	changes := *s.pending
	*s.pending = nil
	if len(changes) == 0 {
		return nil
	}
	last, at, err := s.bump(ctx, len(changes))
	if err != nil {
		return err
	}
	first := last - int64(len(changes)) + 1
	for i := range changes {
		changes[i].Seq, changes[i].At = first+int64(i), at
	}
	return createInBatches(s.q(ctx), changes)
}

// bump advances the data version by n and returns the last number taken. The row lock it
// takes is held to commit, so numbers are taken in commit order (see migration 00004).
func (s *Store) bump(ctx context.Context, n int) (int64, time.Time, error) {
	at := time.Now().UTC()
	var seq int64
	err := s.q(ctx).Raw("UPDATE data_version SET seq = seq + ?, at = ? WHERE id = 1 RETURNING seq", n, at).Scan(&seq).Error
	return seq, at, translate(err)
}

type dataVersionRow struct {
	Seq   int64
	At    time.Time
	Epoch string
}

func (dataVersionRow) TableName() string { return "data_version" }

func (s *Store) DataVersion(ctx context.Context) (samverkan.DataVersion, error) {
	var r dataVersionRow
	if err := s.q(ctx).Where("id = 1").Take(&r).Error; err != nil {
		return samverkan.DataVersion{}, translate(err)
	}
	return samverkan.DataVersion{Seq: r.Seq, At: r.At, Epoch: r.Epoch}, nil
}

var deletionOrders = map[string]order[changeRow]{"": {keyset{name: "deletions", cols: []string{"seq"}, kinds: "i"},
	func(r changeRow) []any { return []any{r.Seq} }}}

func (s *Store) ListDeletions(ctx context.Context, f samverkan.DeletionFilter) (samverkan.Page[samverkan.Deletion], error) {
	q := s.q(ctx).Model(&changeRow{}).Where("op = ?", opDelete)
	if f.Since != nil {
		q = q.Where("at >= ?", f.Since.UTC())
	}
	if f.Kind != "" {
		q = q.Where("kind = ?", f.Kind)
	}
	if f.PublicOnly {
		q = q.Where("public")
	}
	rows, next, err := list(q, deletionOrders, f.PageRequest)
	if err != nil {
		return samverkan.Page[samverkan.Deletion]{}, err
	}
	return samverkan.Page[samverkan.Deletion]{NextCursor: next, Items: mapSlice(rows, func(r changeRow) samverkan.Deletion {
		return samverkan.Deletion{Kind: r.Kind, ID: r.EntityID, MunicipalityCode: r.MunicipalityCode, DeletedAt: r.At, Seq: r.Seq}
	})}, nil
}
