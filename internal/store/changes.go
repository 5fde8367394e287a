package store

import (
	"bytes"
	"context"
	"database/sql/driver"
	"encoding/json"
	"fmt"
	"time"

	"github.com/google/uuid"

	"github.com/samverkan/samverkan/internal/samverkan"
)

// changeRow is one revision: one write of one record, appended in the writing transaction
// with the record as it stood afterwards. Rows from before history was kept (migration
// 00006) have no EventType and no State.
type changeRow struct {
	Seq              int64 `gorm:"primaryKey;autoIncrement:false"` // set by flushChanges, in commit order
	Kind             string
	EntityID         string
	MunicipalityCode string
	PoliceAreaID     string
	ListID           *string // an activity's list: its agreement or promise period
	Op               string
	EventType        *string
	EventID          *uuid.UUID
	Public           bool
	At               time.Time
	ActorTokenID     string
	ActorName        string
	ActorRole        string
	ActorOrgType     string
	ActorOrgID       string
	State            rawJSON
	Diff             rawJSON
	// Status is the status a lifecycle step moved to; it names the event.
	Status string `gorm:"-"`
	// DeliveryID is the id a ping's delivery is to have, so the caller can follow it.
	DeliveryID uuid.UUID `gorm:"-"`
}

func (changeRow) TableName() string { return "changes" }

// rawJSON is JSON kept as it was written: json on PostgreSQL, TEXT on SQLite.
type rawJSON []byte

func (r rawJSON) Value() (driver.Value, error) {
	if r == nil {
		return nil, nil
	}
	return string(r), nil
}

func (r *rawJSON) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*r = nil
	case []byte:
		*r = bytes.Clone(v)
	case string:
		*r = rawJSON(v)
	default:
		return fmt.Errorf("store: cannot read %T as JSON", src)
	}
	return nil
}

// change says which record a write touched.
type change struct {
	kind, id string
	parties  samverkan.Parties
	list     *uuid.UUID // an activity's list
	public   bool
}

// record notes a revision of the transaction's: the record after the write (nil for a
// deletion, whose revision keeps the record as it was). The transaction logs it, and moves
// the data version, when it ends (Tx), so the version moves when, and only when, the write
// commits.
func (s *Store) record(ctx context.Context, c change, op samverkan.Op, status string, state any) error {
	row := changeRow{Kind: c.kind, EntityID: c.id, MunicipalityCode: c.parties.MunicipalityCode, PoliceAreaID: c.parties.PoliceAreaID,
		Op: string(op), Public: c.public, Status: status}
	if c.list != nil {
		l := c.list.String()
		row.ListID = &l
	}
	if state != nil {
		b, err := json.Marshal(state)
		if err != nil {
			return err
		}
		row.State = b
	}
	if s.pending == nil {
		// Outside a transaction the revision could neither be atomic with the write nor take
		// its place in commit order: every write goes through Tx.
		return samverkan.Errorf(samverkan.EInternal, "A %s was written outside a transaction.", c.kind)
	}
	*s.pending = append(*s.pending, row)
	return nil
}

// flushChanges moves the data version past the transaction's revisions, completes them (the
// instant, the actor, what changed since the record's previous revision, the event type)
// and writes them, with the webhook deliveries they call for.
func (s *Store) flushChanges(ctx context.Context) error {
	changes := *s.pending
	*s.pending = nil
	if len(changes) == 0 {
		return nil
	}
	v, err := s.bump(ctx, len(changes))
	if err != nil {
		return err
	}
	before, err := s.statesBefore(ctx, changes)
	if err != nil {
		return err
	}
	first := v.Seq - int64(len(changes)) + 1
	for i := range changes {
		c := &changes[i]
		id := uuid.Must(uuid.NewV7())
		c.Seq, c.At, c.EventID = first+int64(i), v.At, &id
		c.ActorTokenID, c.ActorName, c.ActorRole = s.actor.TokenID, s.actor.Name, string(s.actor.Role)
		c.ActorOrgType, c.ActorOrgID = string(s.actor.OrgType), s.actor.OrgID
		key := c.Kind + "/" + c.EntityID
		prev := before[key]
		diff := []samverkan.PatchOp{}
		switch samverkan.Op(c.Op) {
		case samverkan.OpDelete:
			c.State = prev
			delete(before, key)
		case samverkan.OpUpdate, samverkan.OpTransition, samverkan.OpPublish:
			if prev != nil && c.State != nil {
				if diff, err = samverkan.Diff(prev, c.State); err != nil {
					return err
				}
			}
			fallthrough
		default:
			before[key] = c.State
		}
		if c.Diff, err = json.Marshal(diff); err != nil {
			return err
		}
		t := samverkan.EventType(c.Kind, samverkan.Op(c.Op), c.Status, diff)
		c.EventType = &t
	}
	if err := createInBatches(ctx, s, changes); err != nil {
		return err
	}
	return s.enqueueDeliveries(ctx, changes)
}

// statesBefore reads the latest recorded state of every record the changes update or
// delete, keyed kind/id, in one statement per kind and 500 records.
func (s *Store) statesBefore(ctx context.Context, changes []changeRow) (map[string]rawJSON, error) {
	out := map[string]rawJSON{}
	seen := map[string]bool{}
	want := map[string][]string{}
	for _, c := range changes {
		key := c.Kind + "/" + c.EntityID
		if seen[key] {
			continue // its state before is the one recorded earlier in this transaction
		}
		seen[key] = true
		if op := samverkan.Op(c.Op); op != samverkan.OpCreate && op != samverkan.OpBaseline {
			want[c.Kind] = append(want[c.Kind], c.EntityID)
		}
	}
	for kind, ids := range want {
		for start := 0; start < len(ids); start += batchSize {
			batch := ids[start:min(start+batchSize, len(ids))]
			latest := s.q(ctx).Model(&changeRow{}).Select("MAX(seq)").
				Where("kind = ? AND entity_id IN ? AND state IS NOT NULL", kind, batch).Group("entity_id")
			var rows []changeRow
			if err := s.q(ctx).Select("kind", "entity_id", "state").Where("seq IN (?)", latest).Find(&rows).Error; err != nil {
				return nil, translate(err)
			}
			for _, r := range rows {
				out[r.Kind+"/"+r.EntityID] = r.State
			}
		}
	}
	return out, nil
}

// bump advances the data version by n and returns it. The row lock it takes is held to
// commit, so numbers are taken in commit order (see migration 00004), and the instant moves
// forward with them even when a clock does not, so that "as of" an instant is exact. On
// PostgreSQL the instant is the database's clock, the same for every replica of the API.
func (s *Store) bump(ctx context.Context, n int) (samverkan.DataVersion, error) {
	var r dataVersionRow
	if s.dialect == Postgres {
		err := s.q(ctx).Raw(`UPDATE data_version SET seq = seq + ?, at = GREATEST(date_trunc('microseconds', clock_timestamp()), at + interval '1 microsecond')
			WHERE id = 1 RETURNING seq, at, epoch`, n).Scan(&r).Error
		return samverkan.DataVersion{Seq: r.Seq, At: r.At.UTC(), Epoch: r.Epoch}, translate(err)
	}
	if err := s.q(ctx).Raw("UPDATE data_version SET seq = seq + ? WHERE id = 1 RETURNING seq, at, epoch", n).Scan(&r).Error; err != nil {
		return samverkan.DataVersion{}, translate(err)
	}
	at := time.Now().UTC().Truncate(time.Microsecond) // as PostgreSQL keeps it
	if !at.After(r.At) {
		at = r.At.UTC().Add(time.Microsecond)
	}
	if err := s.q(ctx).Exec("UPDATE data_version SET at = ? WHERE id = 1", at).Error; err != nil {
		return samverkan.DataVersion{}, translate(err)
	}
	return samverkan.DataVersion{Seq: r.Seq, At: at, Epoch: r.Epoch}, nil
}

// lockVersion takes the data version's row lock now rather than at the end of the
// transaction, for a write that must order itself before rows it locks (SQLite writes one
// transaction at a time and needs none).
func (s *Store) lockVersion(ctx context.Context) error {
	if s.dialect != Postgres {
		return nil
	}
	return translate(s.q(ctx).Exec("SELECT 1 FROM data_version WHERE id = 1 FOR UPDATE").Error)
}

type dataVersionRow struct {
	Seq   int64
	At    time.Time
	Epoch string
}

func (dataVersionRow) TableName() string { return "data_version" }

// CommittedVersion is the data version on the primary database, whatever a replica has seen.
func (s *Store) CommittedVersion(ctx context.Context) (samverkan.DataVersion, error) {
	return s.DataVersion(Primary(ctx))
}

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
	q := s.q(ctx).Model(&changeRow{}).Where("op = ?", string(samverkan.OpDelete))
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
