package store

import "gorm.io/gorm"

// MarkReplica marks the read replica up or down, as its health check does.
func (s *Store) MarkReplica(up bool) { s.health.up.Store(up) }

// AfterQueryOn runs fn after each query that reads table.
func (s *Store) AfterQueryOn(table string, fn func()) error {
	return s.db.Callback().Query().After("gorm:query").Register("test:after-"+table, func(db *gorm.DB) {
		if db.Statement.Table == table {
			fn()
		}
	})
}
