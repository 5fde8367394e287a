package samverkan

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base32"
	"strings"
)

// TokenPrefix marks Samverkan secrets so that secret scanners and people recognise them.
const TokenPrefix = "smv_"

// HashToken is how a secret is stored and looked up. The secret carries 256 random bits, so a
// fast hash is enough: there is nothing to brute-force that a slow hash would protect.
func HashToken(secret string) []byte {
	sum := sha256.Sum256([]byte(secret))
	return sum[:]
}

// NewTokenSpec says what a new token may do.
type NewTokenSpec struct {
	Name    string
	Role    Role
	OrgType OrgType
	OrgID   string
}

// CreateToken makes a token and returns its secret, which is shown once and never stored.
func (s *Service) CreateToken(ctx context.Context, spec NewTokenSpec) (string, *Token, error) {
	var p Problems
	if strings.TrimSpace(spec.Name) == "" {
		p.Add("/name", "a token needs a name that says who uses it")
	}
	switch spec.Role {
	case RoleAdmin:
		if spec.OrgType != "" || spec.OrgID != "" {
			p.Add("/organization", "an admin token is for the whole system and names no organization")
		}
	case RoleEditor:
		switch spec.OrgType {
		case OrgMunicipality:
			if _, err := s.store.Municipality(ctx, spec.OrgID); err != nil {
				p.AddUnprocessable("/organization", "no municipality has the code %q", spec.OrgID)
			}
		case OrgPoliceArea:
			if _, err := s.store.PoliceArea(ctx, spec.OrgID); err != nil {
				p.AddUnprocessable("/organization", "no police area has the id %q", spec.OrgID)
			}
		default:
			p.Add("/organization", "an editor token belongs to one municipality or police area")
		}
	default:
		p.Add("/role", "must be editor or admin")
	}
	if err := p.Err(); err != nil {
		return "", nil, err
	}
	raw := make([]byte, 32)
	if _, err := rand.Read(raw); err != nil {
		return "", nil, err
	}
	secret := TokenPrefix + strings.ToLower(base32.StdEncoding.WithPadding(base32.NoPadding).EncodeToString(raw))
	t := &Token{ID: newID().String(), Name: spec.Name, Role: spec.Role, OrgType: spec.OrgType, OrgID: spec.OrgID,
		Hash: HashToken(secret), CreatedAt: s.now().UTC()}
	if err := s.store.CreateToken(ctx, t); err != nil {
		return "", nil, err
	}
	return secret, t, nil
}

// Authenticate turns a presented secret into the principal it stands for. Unknown and revoked
// secrets are the same EUnauthorized, so that a caller learns nothing about which it was.
func (s *Service) Authenticate(ctx context.Context, secret string) (*Principal, error) {
	unauthorized := Errorf(EUnauthorized, "The bearer token is unknown or revoked.")
	if !strings.HasPrefix(secret, TokenPrefix) {
		return nil, unauthorized
	}
	t, err := s.store.TokenByHash(ctx, HashToken(secret))
	if ErrorCode(err) == ENotFound {
		return nil, unauthorized
	}
	if err != nil {
		return nil, err
	}
	if t.RevokedAt != nil {
		return nil, unauthorized
	}
	return &Principal{TokenID: t.ID, TokenName: t.Name, Role: t.Role, OrgType: t.OrgType, OrgID: t.OrgID}, nil
}

func (s *Service) ListTokens(ctx context.Context) ([]Token, error) { return s.store.ListTokens(ctx) }

func (s *Service) RevokeToken(ctx context.Context, id string) error {
	return s.store.RevokeToken(ctx, id)
}
