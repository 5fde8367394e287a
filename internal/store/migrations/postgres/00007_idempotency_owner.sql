-- +goose Up
-- The server process that claimed a key and is running its request: the key of the
-- session-level advisory lock it holds while it lives. A claim whose owner's lock is free
-- was left by a process that died and is taken over at once. Claims made before this
-- migration (and by servers of an older version) have none: they wait out the ten minutes.
ALTER TABLE idempotency_keys ADD COLUMN owner bigint;

-- +goose Down
ALTER TABLE idempotency_keys DROP COLUMN owner;
