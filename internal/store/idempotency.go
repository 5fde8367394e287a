package store

import (
	"context"
	"errors"
	"time"

	"gorm.io/gorm"

	"github.com/samverkan/samverkan/internal/samverkan"
)

type idempotencyRow struct {
	TokenID     string `gorm:"primaryKey"`
	Key         string `gorm:"primaryKey"`
	RequestHash []byte
	Status      int
	Body        []byte
	CreatedAt   time.Time `gorm:"autoCreateTime:false"`
	// Owner is the process running the request (see claimOwner); nil in claims made before
	// owners were recorded.
	Owner *int64
}

func (idempotencyRow) TableName() string { return "idempotency_keys" }

// ClaimKey claims a key for a request of this process, or returns what the key holds.
//
// A claim without its answer (status 0) belongs to the process that made it: its owner,
// this store's claimOwner, which proves that it lives by holding a lock that the operating
// system or PostgreSQL frees when the process dies. On PostgreSQL that is a session-level
// advisory lock on the owner's number, held by a connection of the owner's own, which the
// server drops (and with it the lock) when the process is killed; on SQLite it is an
// exclusive lock on the file of that number in the database's -instances directory. A claim
// is taken over by a retry:
//
//   - at once when its owner is dead: another process than this one, whose lock is free. A
//     process that died mid-request commits nothing more (its transactions end with its
//     connections); one killed between an import's commit and keeping its answer has its
//     retry run again, which finds the records unchanged;
//   - whatever its owner, once it is older than abandonedBefore: the fallback for an owner
//     that lives but hangs, for claims made before owners were recorded, and for platforms
//     where SQLite's owners cannot be checked (no flock).
//
// Otherwise the request is still running and the retry is told so.
func (s *Store) ClaimKey(ctx context.Context, tokenID, key string, hash []byte, now, expiredBefore, abandonedBefore time.Time) (*samverkan.StoredAnswer, error) {
	if s.owner == nil {
		return nil, errors.New("store: idempotency keys are claimed outside transactions")
	}
	me, err := s.owner.ensure(ctx, s)
	if err != nil {
		return nil, translate(err)
	}
	var prior *samverkan.StoredAnswer
	err = s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Where("created_at < ?", expiredBefore).Delete(&idempotencyRow{}).Error; err != nil {
			return err
		}
		var rows []idempotencyRow
		if err := tx.Where("token_id = ? AND key = ?", tokenID, key).Find(&rows).Error; err != nil {
			return err
		}
		if len(rows) == 1 {
			r := rows[0]
			abandoned := r.Status == 0 && r.CreatedAt.Before(abandonedBefore)
			if r.Status == 0 && !abandoned && r.Owner != nil && *r.Owner != me {
				alive, err := s.owner.alive(ctx, tx, s.dialect, *r.Owner)
				if err != nil {
					return err
				}
				abandoned = !alive
			}
			if abandoned {
				// Take over the abandoned claim only if no other retry did first.
				res := tx.Model(&idempotencyRow{}).Where("token_id = ? AND key = ? AND status = 0 AND created_at = ?", tokenID, key, r.CreatedAt).
					Updates(map[string]any{"request_hash": hash, "created_at": now, "owner": me})
				if res.Error == nil && res.RowsAffected == 0 {
					prior = &samverkan.StoredAnswer{Hash: hash, Status: 0, CreatedAt: now}
				}
				return res.Error
			}
			prior = &samverkan.StoredAnswer{Hash: r.RequestHash, Status: r.Status, Body: r.Body, CreatedAt: r.CreatedAt}
			return nil
		}
		return tx.Create(&idempotencyRow{TokenID: tokenID, Key: key, RequestHash: hash, CreatedAt: now, Owner: &me}).Error
	})
	if errors.Is(translate(err), gorm.ErrDuplicatedKey) || samverkan.ErrorCode(translate(err)) == samverkan.EConflict {
		// Another request claimed the key between our read and our insert: it is running.
		return &samverkan.StoredAnswer{Hash: hash, Status: 0, CreatedAt: now}, nil
	}
	return prior, translate(err)
}

// CompleteKey keeps the answer of a request of this process. A claim that was taken over
// (this process was taken for dead, or hung past the fallback) is another request's now and
// is left alone.
func (s *Store) CompleteKey(ctx context.Context, tokenID, key string, status int, body []byte) error {
	return translate(s.q(ctx).Model(&idempotencyRow{}).Where("token_id = ? AND key = ? AND status = 0 AND owner = ?", tokenID, key, s.owner.own()).
		Updates(map[string]any{"status": status, "body": body}).Error)
}

// ReleaseKey forgets a claim of this process whose request failed; a claim taken over is left
// alone, as in CompleteKey.
func (s *Store) ReleaseKey(ctx context.Context, tokenID, key string) error {
	return translate(s.q(ctx).Where("token_id = ? AND key = ? AND status = 0 AND owner = ?", tokenID, key, s.owner.own()).Delete(&idempotencyRow{}).Error)
}
