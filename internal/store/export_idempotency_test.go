package store

import (
	"context"
	"time"
)

// KillClaimOwner ends this store's claim owner as a killed process's ends: its lock is freed
// and nothing is cleaned up (the SQLite file stays). On PostgreSQL it returns once the server
// has ended the lock's session, which it does a moment after the connection closes.
func (s *Store) KillClaimOwner() {
	id := s.owner.own()
	s.owner.close(true)
	if s.dialect != Postgres || id == 0 {
		return
	}
	for range 250 {
		if alive, err := s.owner.alive(context.Background(), s.db, s.dialect, id); err != nil || !alive {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
}
