package samverkan

import (
	"bytes"
	"context"
	"time"
)

// An Idempotency-Key makes a retried request safe: the first answer is kept and returned
// again to the same token sending the same key with the same request.

// IdempotencyWindow is how long answers are kept.
const IdempotencyWindow = 24 * time.Hour

// idempotencyAbandoned is how long a claimed key may wait for its answer before a retry may
// take it over whatever became of the process running it: the fallback for a process that
// hangs. A claim whose process died (a crash, a kill -9) is taken over at once: the store
// records which process claimed a key and tells whether it still lives.
const idempotencyAbandoned = 10 * time.Minute

// StoredAnswer is the answer kept for a key; Status 0 means the first request is still running.
type StoredAnswer struct {
	Hash      []byte
	Status    int
	Body      []byte
	CreatedAt time.Time
}

// IdempotencyStore keeps answers by token and key.
type IdempotencyStore interface {
	// ClaimKey records a running request of this process for the key, or returns the answer
	// already kept (prior != nil; Status 0 while the request runs). Keys older than
	// expiredBefore are forgotten first. A claim that never got its answer is taken over when
	// the process that made it is dead, and whatever its process once it is older than
	// abandonedBefore.
	ClaimKey(ctx context.Context, tokenID, key string, hash []byte, now, expiredBefore, abandonedBefore time.Time) (prior *StoredAnswer, err error)
	// CompleteKey and ReleaseKey keep the answer of, or forget, this process's claim; a claim
	// another process took over is left alone.
	CompleteKey(ctx context.Context, tokenID, key string, status int, body []byte) error
	ReleaseKey(ctx context.Context, tokenID, key string) error
}

// ClaimIdempotencyKey starts a request under a key. It returns nil when the request should
// run, or the answer to replay.
func (s *Service) ClaimIdempotencyKey(ctx context.Context, p *Principal, key string, hash []byte) (*StoredAnswer, error) {
	now := s.now().UTC()
	prior, err := s.store.ClaimKey(ctx, p.TokenID, key, hash, now, now.Add(-IdempotencyWindow), now.Add(-idempotencyAbandoned))
	switch {
	case err != nil || prior == nil:
		return nil, err
	case !bytes.Equal(prior.Hash, hash):
		return nil, &Error{Code: EUnprocessable, Message: "This Idempotency-Key was used for another request; use a new key for a new request.",
			Fields: []FieldError{{Parameter: "Idempotency-Key", Detail: "names an earlier, different request"}}}
	case prior.Status == 0:
		return nil, &Error{Code: EConflict, Message: "A request with this Idempotency-Key is still running; retry when it has answered.",
			Fields: []FieldError{{Parameter: "Idempotency-Key", Detail: "is in use"}}}
	}
	return prior, nil
}

// CompleteIdempotencyKey keeps the answer of a request that succeeded.
func (s *Service) CompleteIdempotencyKey(ctx context.Context, p *Principal, key string, status int, body []byte) error {
	return s.store.CompleteKey(ctx, p.TokenID, key, status, body)
}

// ReleaseIdempotencyKey forgets a key whose request failed, so that a retry runs again.
func (s *Service) ReleaseIdempotencyKey(ctx context.Context, p *Principal, key string) error {
	return s.store.ReleaseKey(ctx, p.TokenID, key)
}
