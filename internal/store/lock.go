package store

import (
	"context"

	"github.com/google/uuid"
)

// LockFollowUp holds a follow-up's row until the transaction ends, so that a change decided on
// the state read after it cannot meet a concurrent one. SQLite has one writer at a time already.
func (s *Store) LockFollowUp(ctx context.Context, id uuid.UUID) error {
	if s.dialect != Postgres {
		return nil
	}
	return translate(s.q(ctx).Exec("SELECT 1 FROM follow_ups WHERE id = ? FOR UPDATE", id).Error)
}
