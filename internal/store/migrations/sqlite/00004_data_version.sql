-- +goose Up
-- Same as ../postgres/00004_data_version.sql.
CREATE TABLE data_version (
    id    integer PRIMARY KEY CHECK (id = 1),
    seq   bigint NOT NULL,
    at    DATETIME NOT NULL,
    epoch text NOT NULL
);
INSERT INTO data_version (id, seq, at, epoch)
SELECT 1, COALESCE(MAX(seq), 0), COALESCE(MAX(at), strftime('%Y-%m-%d %H:%M:%f+00:00', 'now')), lower(hex(randomblob(16))) FROM changes;

-- +goose Down
DROP TABLE data_version;
