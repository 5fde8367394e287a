-- +goose Up
-- Same as ../postgres/00007_idempotency_owner.sql. On SQLite the owner is the server
-- process that holds the lock on the file of that number in the database's -instances
-- directory while it lives.
ALTER TABLE idempotency_keys ADD COLUMN owner bigint;

-- +goose Down
ALTER TABLE idempotency_keys DROP COLUMN owner;
