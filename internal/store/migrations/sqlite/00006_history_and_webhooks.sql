-- +goose Up
-- Same as ../postgres/00006_history_and_webhooks.sql; see ../README.md for the type mapping.
-- The change log becomes the history: each row is one revision of one record, with who made
-- it (the token's id, name, role and organization; never its secret), the record as it stood
-- afterwards (before, for a deletion) and the fields that changed as a JSON Patch. Rows written
-- before this migration have no event_type; they still serve /v1/deletions, and `migrate`
-- records a baseline revision of every record that has no state yet. json, not jsonb: the
-- text is kept as written, so what was recorded is what is served.
ALTER TABLE changes ADD COLUMN police_area_id text NOT NULL DEFAULT '';
ALTER TABLE changes ADD COLUMN list_id text;
ALTER TABLE changes ADD COLUMN event_type text;
-- The event's id, given when it is written: stable across backups and restores, so that
-- webhook receivers can de-duplicate by it.
ALTER TABLE changes ADD COLUMN event_id TEXT;
ALTER TABLE changes ADD COLUMN actor_token_id text NOT NULL DEFAULT '';
ALTER TABLE changes ADD COLUMN actor_name text NOT NULL DEFAULT '';
ALTER TABLE changes ADD COLUMN actor_role text NOT NULL DEFAULT '';
ALTER TABLE changes ADD COLUMN actor_org_type text NOT NULL DEFAULT '';
ALTER TABLE changes ADD COLUMN actor_org_id text NOT NULL DEFAULT '';
ALTER TABLE changes ADD COLUMN state TEXT;
ALTER TABLE changes ADD COLUMN diff TEXT;

-- A record's revisions, newest first, and its state at an instant.
DROP INDEX changes_entity;
CREATE INDEX changes_entity ON changes (kind, entity_id, seq);
-- An activity list as it stood at an instant.
CREATE INDEX changes_list ON changes (list_id, seq) WHERE list_id IS NOT NULL;
-- The audit trail by organization (by token, it walks back from the newest).
CREATE INDEX changes_actor_org ON changes (actor_org_type, actor_org_id, seq);

-- Webhooks belong to an organization (none: an admin's, for the whole system). The secret
-- signs deliveries, so it is kept as is; the previous one signs too for a day after a
-- rotation.
CREATE TABLE webhooks (
    id                    TEXT PRIMARY KEY,
    org_type              text NOT NULL DEFAULT '',
    org_id                text NOT NULL DEFAULT '',
    url                   text NOT NULL,
    description           text NOT NULL DEFAULT '',
    event_types           TEXT NOT NULL,
    municipality_codes    TEXT NOT NULL DEFAULT '[]',
    active                boolean NOT NULL,
    secret                text NOT NULL,
    previous_secret       text NOT NULL DEFAULT '',
    previous_secret_until DATETIME,
    created_by            text NOT NULL DEFAULT '',
    -- A failing endpoint is paused, with back-off, instead of holding up every worker.
    failure_streak        integer NOT NULL DEFAULT 0,
    paused_until          DATETIME,
    version               bigint NOT NULL,
    created_at            DATETIME NOT NULL,
    updated_at            DATETIME NOT NULL
);
CREATE INDEX webhooks_org ON webhooks (org_type, org_id, id);

-- The transactional outbox: a delivery is written in the transaction of the change it
-- carries, and a worker sends it. One resource's deliveries to one webhook go in order
-- (resource_key), so a pending one holds back the later ones. A lease marks a delivery a
-- worker is sending; if that worker dies, the lease runs out and another one sends it, and
-- the lease token keeps the first from recording an attempt it no longer owns. A delivery
-- is retried until give_up_at (a manual retry moves it).
CREATE TABLE webhook_deliveries (
    id              TEXT PRIMARY KEY,
    webhook_id      TEXT NOT NULL REFERENCES webhooks (id) ON DELETE CASCADE,
    seq             bigint NOT NULL REFERENCES changes (seq),
    resource_key    text NOT NULL,
    state           text NOT NULL,
    attempt_count   integer NOT NULL DEFAULT 0,
    next_attempt_at DATETIME,
    lease_until     DATETIME,
    lease_token     TEXT,
    give_up_at      DATETIME NOT NULL,
    delivered_at    DATETIME,
    created_at      DATETIME NOT NULL,
    UNIQUE (webhook_id, seq)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_attempt_at) WHERE state = 'pending';
CREATE INDEX webhook_deliveries_resource ON webhook_deliveries (webhook_id, resource_key, seq) WHERE state = 'pending';
CREATE INDEX webhook_deliveries_seq ON webhook_deliveries (seq);

CREATE TABLE webhook_attempts (
    delivery_id TEXT NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
    number      integer NOT NULL,
    at          DATETIME NOT NULL,
    status_code integer,
    error       text NOT NULL DEFAULT '',
    duration_ms integer NOT NULL,
    PRIMARY KEY (delivery_id, number)
);

-- +goose Down
DROP TABLE webhook_attempts;
DROP TABLE webhook_deliveries;
DROP TABLE webhooks;
DROP INDEX changes_actor_org;
DROP INDEX changes_list;
DROP INDEX changes_entity;
CREATE INDEX changes_entity ON changes (kind, entity_id);
ALTER TABLE changes DROP COLUMN diff;
ALTER TABLE changes DROP COLUMN state;
ALTER TABLE changes DROP COLUMN actor_org_id;
ALTER TABLE changes DROP COLUMN actor_org_type;
ALTER TABLE changes DROP COLUMN actor_role;
ALTER TABLE changes DROP COLUMN actor_name;
ALTER TABLE changes DROP COLUMN actor_token_id;
ALTER TABLE changes DROP COLUMN event_id;
ALTER TABLE changes DROP COLUMN event_type;
ALTER TABLE changes DROP COLUMN list_id;
ALTER TABLE changes DROP COLUMN police_area_id;
