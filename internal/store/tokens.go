package store

import (
	"context"
	"time"

	"github.com/samverkan/samverkan/internal/samverkan"
)

func (s *Store) CreateToken(ctx context.Context, t *samverkan.Token) error {
	r := tokenRow{ID: t.ID, Name: t.Name, Role: string(t.Role), OrgType: string(t.OrgType), OrgID: t.OrgID, Hash: t.Hash, CreatedAt: t.CreatedAt}
	return translate(s.q(ctx).Create(&r).Error)
}

func (s *Store) TokenByHash(ctx context.Context, hash []byte) (*samverkan.Token, error) {
	var r tokenRow
	if err := s.q(ctx).Where("hash = ?", hash).Take(&r).Error; err != nil {
		return nil, s.missing(err, "token", "(hash)")
	}
	t := toToken(r)
	return &t, nil
}

func toToken(r tokenRow) samverkan.Token {
	return samverkan.Token{ID: r.ID, Name: r.Name, Role: samverkan.Role(r.Role), OrgType: samverkan.OrgType(r.OrgType), OrgID: r.OrgID,
		Hash: r.Hash, CreatedAt: r.CreatedAt, RevokedAt: r.RevokedAt}
}

func (s *Store) ListTokens(ctx context.Context) ([]samverkan.Token, error) {
	var rows []tokenRow
	if err := s.q(ctx).Order("created_at, id").Find(&rows).Error; err != nil {
		return nil, translate(err)
	}
	return mapSlice(rows, toToken), nil
}

func (s *Store) RevokeToken(ctx context.Context, id string) error {
	res := s.q(ctx).Model(&tokenRow{}).Where("id = ? AND revoked_at IS NULL", id).Update("revoked_at", time.Now().UTC())
	if res.Error != nil {
		return translate(res.Error)
	}
	if res.RowsAffected == 0 {
		return samverkan.Errorf(samverkan.ENotFound, "No active token with the id %s.", id)
	}
	return nil
}
