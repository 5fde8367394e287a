package store

import "context"

// SlowQuery runs a statement that lasts until ctx ends, an endless recursive count on SQLite
// and a minute's sleep on PostgreSQL, and returns its error as the store's methods do.
func (s *Store) SlowQuery(ctx context.Context) error {
	q := "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT count(*) FROM n"
	if s.dialect == Postgres {
		q = "SELECT pg_sleep(60)"
	}
	return translate(s.db.WithContext(ctx).Exec(q).Error)
}
