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

// record appends a change. It runs in the same transaction as the write it describes, so the
// data version moves exactly when the data does.
func (s *Store) record(ctx context.Context, kind, id, municipality, op string, public bool) error {
	return translate(s.q(ctx).Create(&changeRow{Kind: kind, EntityID: id, MunicipalityCode: municipality, Op: op, Public: public,
		At: time.Now().UTC()}).Error)
}

func (s *Store) DataVersion(ctx context.Context) (samverkan.DataVersion, error) {
	var rows []changeRow
	if err := s.q(ctx).Order("seq DESC").Limit(1).Find(&rows).Error; err != nil {
		return samverkan.DataVersion{}, translate(err)
	}
	if len(rows) == 0 {
		return samverkan.DataVersion{}, nil
	}
	return samverkan.DataVersion{Seq: rows[0].Seq, At: rows[0].At}, nil
}

var deletionOrders = map[string]order[changeRow]{"": {keyset{name: "deletions", cols: []string{"seq"}},
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
