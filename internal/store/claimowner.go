package store

import (
	"context"
	"crypto/rand"
	"encoding/binary"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/stdlib"
	"gorm.io/gorm"

	"github.com/samverkan/samverkan/internal/samverkan"
)

// claimOwner is this process's identity in the idempotency keys it claims (see ClaimKey), and
// the lock that shows it is alive: a random number, and
//
//   - on PostgreSQL, a session-level advisory lock on that number, held by a connection of
//     its own (outside the pool, so that it never takes a request's place), which the
//     server drops when the process dies: a killed process's sockets are closed by the
//     kernel, and the server ends the session and frees its locks at once;
//   - on SQLite, an exclusive flock on the file <database>-instances/<number>, which the
//     kernel frees when the process dies. A dead owner's file is removed by whoever finds it
//     unlocked.
//
// It starts with the first claim, so that commands which claim nothing (migrate, token,
// import) take no lock, and ends with the store.
type claimOwner struct {
	mu     sync.Mutex
	id     int64 // 0 until started
	closed bool

	// PostgreSQL: the lock's connection, whether it holds the lock, and the keep-alive.
	pgConfig *pgx.ConnConfig
	pg       *pgx.Conn
	held     bool
	stop     chan struct{}
	done     chan struct{}

	// SQLite: the locked file, and the directory of the owners' files ("" when owners cannot
	// be checked: a database in memory, or a platform without flock).
	dir  string
	file *os.File
}

// ownerKeepAlive is how often the lock's connection is checked: often enough that no
// firewall drops it as idle, and that a lost connection is locked again soon.
const ownerKeepAlive = 30 * time.Second

// own is the number claims of this process carry; 0 before the first claim.
func (o *claimOwner) own() int64 {
	if o == nil {
		return 0
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.id
}

// ensure starts the owner if need be, checks that it still holds its lock, and returns its
// number.
func (o *claimOwner) ensure(ctx context.Context, s *Store) (int64, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.closed {
		return 0, errors.New("store: closed")
	}
	switch s.dialect {
	case Postgres:
		if o.pg != nil && o.held {
			return o.id, nil // keepAlive checks the connection; a claim costs no round trip
		}
		ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		if err := o.lockPostgres(ctx, s); err != nil {
			return 0, err
		}
		if !o.held {
			// The previous session still holds the lock, but it will free it without warning:
			// a claim made now could be taken for dead while it runs.
			return 0, samverkan.Errorf(samverkan.EUnavailable, "The server is taking its lock for idempotency keys again; send the request again in a moment.")
		}
	case SQLite:
		if o.id == 0 {
			if err := o.lockSQLite(ctx, s); err != nil {
				return 0, err
			}
		}
	}
	return o.id, nil
}

func randomOwner() int64 {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return int64(binary.BigEndian.Uint64(b[:])>>1) | 1 // positive and never 0
}

// lockPostgres makes sure that the lock's connection is up and holds the lock; o.mu is held.
func (o *claimOwner) lockPostgres(ctx context.Context, s *Store) error {
	if o.pg != nil {
		if err := o.pg.Ping(ctx); err != nil {
			_ = o.pg.Close(ctx)
			o.pg, o.held = nil, false
		} else if o.held {
			return nil
		}
	}
	if o.pgConfig == nil {
		// The lock's connection is made as the pool's are: take their configuration.
		sqlDB, err := s.db.DB()
		if err != nil {
			return err
		}
		conn, err := sqlDB.Conn(ctx)
		if err != nil {
			return err
		}
		err = conn.Raw(func(dc any) error {
			c, ok := dc.(*stdlib.Conn)
			if !ok {
				return fmt.Errorf("store: a PostgreSQL connection of type %T", dc)
			}
			o.pgConfig = c.Conn().Config()
			return nil
		})
		conn.Close()
		if err != nil {
			return err
		}
	}
	if o.pg == nil {
		c, err := pgx.ConnectConfig(ctx, o.pgConfig.Copy())
		if err != nil {
			return err
		}
		// A session that idles is this connection's purpose (PostgreSQL 14 and later can end
		// idle sessions; older ones know no such setting).
		_, _ = c.Exec(ctx, "SET idle_session_timeout = 0")
		o.pg = c
	}
	first := o.id == 0
	for range 8 {
		if first {
			o.id = randomOwner()
		}
		if err := o.pg.QueryRow(ctx, "SELECT pg_try_advisory_lock($1)", o.id).Scan(&o.held); err != nil {
			return err
		}
		if o.held {
			break
		}
		if !first {
			// The lock is still held by this process's previous session, which the server has
			// not seen end yet (a connection lost in the network): it still shows the claims
			// alive. It is taken again on the next check.
			return nil
		}
	}
	if !o.held {
		return errors.New("store: found no free advisory lock for the idempotency claims")
	}
	if o.stop == nil {
		o.stop, o.done = make(chan struct{}), make(chan struct{})
		go o.keepAlive(s, o.stop, o.done)
	}
	return nil
}

func (o *claimOwner) keepAlive(s *Store, stop <-chan struct{}, done chan<- struct{}) {
	defer close(done)
	tick := time.NewTicker(ownerKeepAlive)
	defer tick.Stop()
	for {
		select {
		case <-stop:
			return
		case <-tick.C:
			o.mu.Lock()
			if !o.closed {
				ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
				_ = o.lockPostgres(ctx, s) // a failure is tried again at the next tick or claim
				cancel()
			}
			o.mu.Unlock()
		}
	}
}

// lockSQLite creates and locks this process's file; o.mu is held.
func (o *claimOwner) lockSQLite(ctx context.Context, s *Store) error {
	var file string
	if err := s.db.WithContext(ctx).Raw("SELECT file FROM pragma_database_list WHERE name = 'main'").Scan(&file).Error; err != nil {
		return err
	}
	if file == "" || !canFlock {
		o.id = randomOwner()
		return nil
	}
	if real, err := filepath.EvalSymlinks(file); err == nil {
		file = real // one directory for the database however its path is spelled
	}
	dir := file + "-instances"
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return fmt.Errorf("store: create %s: %w", dir, err)
	}
	for range 8 {
		id := randomOwner()
		f, err := lockFile(filepath.Join(dir, strconv.FormatInt(id, 10)), true)
		if errors.Is(err, errLocked) || errors.Is(err, errRemoved) {
			continue
		}
		if err != nil {
			return fmt.Errorf("store: lock this server's file in %s: %w", dir, err)
		}
		o.id, o.dir, o.file = id, dir, f
		o.sweep()
		return nil
	}
	return fmt.Errorf("store: found no free file to lock in %s", dir)
}

// sweep removes the files of owners that died, whose claims may never be retried.
func (o *claimOwner) sweep() {
	entries, err := os.ReadDir(o.dir)
	if err != nil {
		return
	}
	for i, e := range entries {
		if i == 1000 {
			return // the rest another time
		}
		if id, err := strconv.ParseInt(e.Name(), 10, 64); err == nil && id != o.id {
			o.fileAlive(id)
		}
	}
}

// fileAlive tells whether the owner's file is locked, and removes it when it is not.
func (o *claimOwner) fileAlive(owner int64) bool {
	path := filepath.Join(o.dir, strconv.FormatInt(owner, 10))
	f, err := lockFile(path, false)
	switch {
	case errors.Is(err, errLocked):
		return true
	case errors.Is(err, fs.ErrNotExist), errors.Is(err, errRemoved):
		return false
	case err != nil:
		return true // cannot tell: the claim waits out the fallback
	}
	_ = os.Remove(path)
	f.Close()
	return false
}

// alive tells whether another process's claim is still its own.
func (o *claimOwner) alive(ctx context.Context, tx *gorm.DB, dialect Dialect, owner int64) (bool, error) {
	if dialect == SQLite {
		o.mu.Lock()
		defer o.mu.Unlock()
		if o.dir == "" {
			return true, nil
		}
		return o.fileAlive(owner), nil
	}
	// pg_locks shows a bigint advisory key as its high half (classid) and low half (objid),
	// with objsubid 1. Reading it takes no lock, and holds for any session, this one too.
	var held bool
	err := tx.WithContext(ctx).Raw(`SELECT EXISTS (SELECT 1 FROM pg_locks
		WHERE locktype = 'advisory' AND granted AND objsubid = 1
		  AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
		  AND classid::bigint * 4294967296 + objid::bigint = ?)`, owner).Scan(&held).Error
	return held, err
}

// close releases the lock; with forget, as a killed process would: the SQLite file stays.
func (o *claimOwner) close(forget bool) {
	if o == nil {
		return
	}
	o.mu.Lock()
	o.closed = true
	stop, done := o.stop, o.done
	o.stop = nil
	o.mu.Unlock()
	if stop != nil {
		close(stop)
		<-done
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.pg != nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		_ = o.pg.Close(ctx)
		cancel()
		o.pg = nil
	}
	if o.file != nil {
		if !forget {
			_ = os.Remove(o.file.Name())
		}
		o.file.Close()
		o.file = nil
	}
}
