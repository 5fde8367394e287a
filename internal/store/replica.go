package store

import (
	"context"
	"database/sql"
	"log/slog"
	"sync/atomic"
	"time"

	"gorm.io/gorm"
)

// replicaHealth sends reads to the read replica while it answers and to the primary while it
// does not, so that a replica that is down degrades nothing but the primary's load. It is
// the read replicas' policy (dbresolver), with the replica first and the primary second.
type replicaHealth struct {
	db   *sql.DB
	up   atomic.Bool
	stop chan struct{}
	done chan struct{}
}

func (h *replicaHealth) Resolve(pools []gorm.ConnPool) gorm.ConnPool {
	if h.up.Load() {
		return pools[0]
	}
	return pools[1]
}

// watch pings the replica every 2 seconds until stopped, and logs when it goes and returns.
func (h *replicaHealth) watch() {
	defer close(h.done)
	t := time.NewTicker(2 * time.Second)
	defer t.Stop()
	for {
		h.check()
		select {
		case <-h.stop:
			return
		case <-t.C:
		}
	}
}

func (h *replicaHealth) check() {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	err := h.db.PingContext(ctx)
	switch {
	case err != nil && h.up.CompareAndSwap(true, false):
		slog.Warn("the read replica does not answer; reads go to the primary", "error", err.Error())
	case err == nil && h.up.CompareAndSwap(false, true):
		slog.Info("the read replica answers; anonymous reads go to it")
	}
}

func (h *replicaHealth) close() {
	close(h.stop)
	<-h.done
}
