-- +goose Up
-- Answers to requests sent with an Idempotency-Key, per token, so that a retried import
-- returns the first answer instead of importing twice. Kept 24 hours.
CREATE TABLE idempotency_keys (
    token_id     text NOT NULL,
    key          text NOT NULL,
    request_hash BLOB NOT NULL,
    status       integer NOT NULL,
    body         BLOB,
    created_at   DATETIME NOT NULL,
    PRIMARY KEY (token_id, key)
);
CREATE INDEX idempotency_keys_created ON idempotency_keys (created_at);

-- +goose Down
DROP TABLE idempotency_keys;
