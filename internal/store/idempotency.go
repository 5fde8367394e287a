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
}

func (idempotencyRow) TableName() string { return "idempotency_keys" }

func (s *Store) ClaimKey(ctx context.Context, tokenID, key string, hash []byte, now, expiredBefore, abandonedBefore time.Time) (*samverkan.StoredAnswer, error) {
	var prior *samverkan.StoredAnswer
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := tx.Where("created_at < ?", expiredBefore).Delete(&idempotencyRow{}).Error; err != nil {
			return err
		}
		var rows []idempotencyRow
		if err := tx.Where("token_id = ? AND key = ?", tokenID, key).Find(&rows).Error; err != nil {
			return err
		}
		if len(rows) == 1 {
			r := rows[0]
			if r.Status == 0 && r.CreatedAt.Before(abandonedBefore) {
				// Take over the abandoned claim only if no other retry did first.
				res := tx.Model(&idempotencyRow{}).Where("token_id = ? AND key = ? AND status = 0 AND created_at = ?", tokenID, key, r.CreatedAt).
					Updates(map[string]any{"request_hash": hash, "created_at": now})
				if res.Error == nil && res.RowsAffected == 0 {
					prior = &samverkan.StoredAnswer{Hash: hash, Status: 0, CreatedAt: now}
				}
				return res.Error
			}
			prior = &samverkan.StoredAnswer{Hash: r.RequestHash, Status: r.Status, Body: r.Body, CreatedAt: r.CreatedAt}
			return nil
		}
		return tx.Create(&idempotencyRow{TokenID: tokenID, Key: key, RequestHash: hash, CreatedAt: now}).Error
	})
	if errors.Is(translate(err), gorm.ErrDuplicatedKey) || samverkan.ErrorCode(translate(err)) == samverkan.EConflict {
		// Another request claimed the key between our read and our insert: it is running.
		return &samverkan.StoredAnswer{Hash: hash, Status: 0, CreatedAt: now}, nil
	}
	return prior, translate(err)
}

func (s *Store) CompleteKey(ctx context.Context, tokenID, key string, status int, body []byte) error {
	return translate(s.q(ctx).Model(&idempotencyRow{}).Where("token_id = ? AND key = ?", tokenID, key).
		Updates(map[string]any{"status": status, "body": body}).Error)
}

func (s *Store) ReleaseKey(ctx context.Context, tokenID, key string) error {
	return translate(s.q(ctx).Where("token_id = ? AND key = ? AND status = 0", tokenID, key).Delete(&idempotencyRow{}).Error)
}
