-- +goose Up
-- Same as ../postgres/00002_changes_and_sync.sql; see ../README.md for the type mapping.
CREATE TABLE changes (
    seq               INTEGER PRIMARY KEY AUTOINCREMENT,
    kind              text NOT NULL,
    entity_id         text NOT NULL,
    municipality_code text NOT NULL DEFAULT '',
    op                text NOT NULL,
    public            boolean NOT NULL,
    at                DATETIME NOT NULL
);
CREATE INDEX changes_deletions ON changes (op, at, seq) WHERE op = 'delete';

CREATE INDEX agreements_updated ON agreements (updated_at, id);
CREATE INDEX promise_periods_updated ON promise_periods (updated_at, id);
CREATE INDEX activities_updated ON activities (updated_at, id);
CREATE INDEX forums_updated ON forums (updated_at, id);
CREATE INDEX follow_ups_updated ON follow_ups (updated_at, id);
CREATE INDEX activities_responsible ON activities (responsible_party, list_id, position, id);

-- +goose Down
DROP INDEX activities_responsible;
DROP INDEX follow_ups_updated;
DROP INDEX forums_updated;
DROP INDEX activities_updated;
DROP INDEX promise_periods_updated;
DROP INDEX agreements_updated;
DROP TABLE changes;
