-- +goose Up
-- The data version must follow commit order: a sequence hands out numbers at insert time, so
-- a transaction that started earlier could commit a smaller number after a larger one was
-- read, and caches keyed by the newest number would never see its change. One row, updated
-- by every writing transaction, serializes the increments in commit order: a writer holds
-- the row until it commits. The epoch tells databases apart, so that tags of a re-created
-- database never match old ones.
CREATE TABLE data_version (
    id    integer PRIMARY KEY CHECK (id = 1),
    seq   bigint NOT NULL,
    at    timestamptz NOT NULL,
    epoch text NOT NULL
);
INSERT INTO data_version (id, seq, at, epoch)
SELECT 1, COALESCE(MAX(seq), 0), COALESCE(MAX(at), now()), md5(random()::text || clock_timestamp()::text) FROM changes;

-- +goose Down
DROP TABLE data_version;
