-- +goose Up
-- Generated from ../postgres/00001_init.sql by the types mapping in ../README.md; keep them in step.
CREATE TABLE police_areas (
    id            text PRIMARY KEY,
    name          text NOT NULL,
    police_region text NOT NULL DEFAULT '',
    version       bigint NOT NULL,
    created_at    DATETIME NOT NULL,
    updated_at    DATETIME NOT NULL
);

CREATE TABLE municipalities (
    code           text PRIMARY KEY,
    name           text NOT NULL,
    county         text NOT NULL DEFAULT '',
    police_area_id text REFERENCES police_areas (id),
    version        bigint NOT NULL,
    created_at     DATETIME NOT NULL,
    updated_at     DATETIME NOT NULL
);
CREATE INDEX municipalities_police_area ON municipalities (police_area_id, code);
CREATE INDEX municipalities_county ON municipalities (county, code);

CREATE TABLE forums (
    id                TEXT PRIMARY KEY,
    municipality_code text NOT NULL REFERENCES municipalities (code),
    police_area_id    text REFERENCES police_areas (id),
    code              text NOT NULL,
    name              text NOT NULL,
    level             text NOT NULL DEFAULT '',
    scope             text NOT NULL DEFAULT '',
    description       text NOT NULL DEFAULT '',
    participants      TEXT NOT NULL DEFAULT '[]',
    cadence           text NOT NULL DEFAULT '',
    external_ref      text UNIQUE,
    version           bigint NOT NULL,
    created_at        DATETIME NOT NULL,
    updated_at        DATETIME NOT NULL
);
CREATE INDEX forums_order ON forums (municipality_code, code, id);
CREATE INDEX forums_police_area ON forums (police_area_id);

CREATE TABLE meetings (
    id         TEXT PRIMARY KEY,
    forum_id   TEXT NOT NULL REFERENCES forums (id),
    held_on    DATE NOT NULL,
    title      text NOT NULL DEFAULT '',
    summary    text NOT NULL DEFAULT '',
    version    bigint NOT NULL,
    created_at DATETIME NOT NULL,
    updated_at DATETIME NOT NULL
);
CREATE INDEX meetings_order ON meetings (forum_id, held_on DESC, id DESC);

CREATE TABLE agreements (
    id                TEXT PRIMARY KEY,
    municipality_code text NOT NULL REFERENCES municipalities (code),
    police_area_id    text NOT NULL REFERENCES police_areas (id),
    title             text NOT NULL,
    valid_from        DATE NOT NULL,
    valid_to          DATE NOT NULL,
    purpose           text NOT NULL DEFAULT '',
    goal              text NOT NULL DEFAULT '',
    cooperation_model text NOT NULL DEFAULT '',
    data_sources      TEXT NOT NULL DEFAULT '[]',
    signatories       TEXT NOT NULL DEFAULT '[]',
    signed_place      text NOT NULL DEFAULT '',
    signed_on         DATE,
    adoption          TEXT,
    documents         TEXT NOT NULL DEFAULT '[]',
    replaces_id       TEXT REFERENCES agreements (id),
    external_ref      text UNIQUE,
    status            text NOT NULL,
    version           bigint NOT NULL,
    created_at        DATETIME NOT NULL,
    updated_at        DATETIME NOT NULL,
    CHECK (valid_to >= valid_from)
);
CREATE INDEX agreements_municipality ON agreements (municipality_code, id DESC);
CREATE INDEX agreements_police_area ON agreements (police_area_id, id DESC);
CREATE INDEX agreements_status ON agreements (status, id DESC);

CREATE TABLE agreement_forums (
    agreement_id TEXT NOT NULL REFERENCES agreements (id) ON DELETE CASCADE,
    forum_id     TEXT NOT NULL REFERENCES forums (id),
    position     integer NOT NULL,
    PRIMARY KEY (agreement_id, forum_id)
);
CREATE INDEX agreement_forums_forum ON agreement_forums (forum_id);

CREATE TABLE priority_areas (
    id           TEXT PRIMARY KEY,
    agreement_id TEXT NOT NULL REFERENCES agreements (id) ON DELETE CASCADE,
    position     integer NOT NULL,
    title        text NOT NULL,
    description  text NOT NULL DEFAULT '',
    external_ref text UNIQUE
);
CREATE INDEX priority_areas_agreement ON priority_areas (agreement_id, position);

CREATE TABLE promise_periods (
    id                TEXT PRIMARY KEY,
    municipality_code text NOT NULL REFERENCES municipalities (code),
    police_area_id    text NOT NULL REFERENCES police_areas (id),
    agreement_id      TEXT REFERENCES agreements (id),
    title             text NOT NULL,
    start_year        integer NOT NULL,
    end_year          integer NOT NULL,
    summary           text NOT NULL DEFAULT '',
    signed_on         DATE,
    signatories       TEXT NOT NULL DEFAULT '[]',
    documents         TEXT NOT NULL DEFAULT '[]',
    external_ref      text UNIQUE,
    status            text NOT NULL,
    published_at      DATETIME,
    version           bigint NOT NULL,
    created_at        DATETIME NOT NULL,
    updated_at        DATETIME NOT NULL,
    CHECK (end_year >= start_year)
);
CREATE INDEX promise_periods_order ON promise_periods (start_year DESC, id DESC);
CREATE INDEX promise_periods_municipality ON promise_periods (municipality_code, start_year DESC, id DESC);
CREATE INDEX promise_periods_police_area ON promise_periods (police_area_id, start_year DESC, id DESC);
CREATE INDEX promise_periods_agreement ON promise_periods (agreement_id);

CREATE TABLE promises (
    id                TEXT PRIMARY KEY,
    promise_period_id TEXT NOT NULL REFERENCES promise_periods (id) ON DELETE CASCADE,
    position          integer NOT NULL,
    text              text NOT NULL,
    external_ref      text UNIQUE
);
CREATE INDEX promises_period ON promises (promise_period_id, position);

CREATE TABLE activities (
    id                TEXT PRIMARY KEY,
    agreement_id      TEXT REFERENCES agreements (id) ON DELETE CASCADE,
    promise_period_id TEXT REFERENCES promise_periods (id) ON DELETE CASCADE,
    list_id           TEXT NOT NULL,
    municipality_code text NOT NULL,
    police_area_id    text NOT NULL,
    public            boolean NOT NULL,
    description       text NOT NULL,
    position          integer NOT NULL,
    responsible_party text NOT NULL DEFAULT '',
    partners          TEXT NOT NULL DEFAULT '[]',
    method            text NOT NULL DEFAULT '',
    recurrence        text NOT NULL DEFAULT '',
    starts_on         DATE,
    ends_on           DATE,
    status            text NOT NULL,
    external_ref      text UNIQUE,
    version           bigint NOT NULL,
    created_at        DATETIME NOT NULL,
    updated_at        DATETIME NOT NULL,
    CHECK ((agreement_id IS NULL) <> (promise_period_id IS NULL))
);
CREATE INDEX activities_order ON activities (list_id, position, id);
CREATE INDEX activities_municipality ON activities (municipality_code, list_id, position, id);
CREATE INDEX activities_police_area ON activities (police_area_id, list_id, position, id);
CREATE INDEX activities_status ON activities (status, list_id, position, id);

CREATE TABLE activity_priority_areas (
    activity_id      TEXT NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    priority_area_id TEXT NOT NULL REFERENCES priority_areas (id),
    PRIMARY KEY (activity_id, priority_area_id)
);
CREATE INDEX activity_priority_areas_area ON activity_priority_areas (priority_area_id);

CREATE TABLE activity_promises (
    activity_id TEXT NOT NULL REFERENCES activities (id) ON DELETE CASCADE,
    promise_id  TEXT NOT NULL REFERENCES promises (id),
    PRIMARY KEY (activity_id, promise_id)
);
CREATE INDEX activity_promises_promise ON activity_promises (promise_id);

CREATE TABLE follow_ups (
    id                  TEXT PRIMARY KEY,
    promise_period_id   TEXT REFERENCES promise_periods (id),
    agreement_id        TEXT REFERENCES agreements (id),
    municipality_code   text NOT NULL,
    police_area_id      text NOT NULL,
    kind                text NOT NULL,
    title               text NOT NULL,
    reported_on         DATE,
    meeting_id          TEXT REFERENCES meetings (id),
    covers_from         DATE,
    covers_to           DATE,
    summary             text NOT NULL DEFAULT '',
    promise_assessments TEXT NOT NULL DEFAULT '[]',
    activity_statuses   TEXT NOT NULL DEFAULT '[]',
    documents           TEXT NOT NULL DEFAULT '[]',
    external_ref        text UNIQUE,
    status              text NOT NULL,
    published_at        DATETIME,
    version             bigint NOT NULL,
    created_at          DATETIME NOT NULL,
    updated_at          DATETIME NOT NULL,
    CHECK ((agreement_id IS NULL) <> (promise_period_id IS NULL))
);
CREATE INDEX follow_ups_order ON follow_ups (id DESC);
CREATE INDEX follow_ups_municipality ON follow_ups (municipality_code, id DESC);
CREATE INDEX follow_ups_police_area ON follow_ups (police_area_id, id DESC);
CREATE INDEX follow_ups_period ON follow_ups (promise_period_id, status, id DESC);
CREATE INDEX follow_ups_agreement ON follow_ups (agreement_id, id DESC);

CREATE TABLE tokens (
    id         text PRIMARY KEY,
    name       text NOT NULL,
    role       text NOT NULL,
    org_type   text NOT NULL DEFAULT '',
    org_id     text NOT NULL DEFAULT '',
    hash       BLOB NOT NULL UNIQUE,
    created_at DATETIME NOT NULL,
    revoked_at DATETIME
);

-- +goose Down
DROP TABLE tokens;
DROP TABLE follow_ups;
DROP TABLE activity_promises;
DROP TABLE activity_priority_areas;
DROP TABLE activities;
DROP TABLE promises;
DROP TABLE promise_periods;
DROP TABLE priority_areas;
DROP TABLE agreement_forums;
DROP TABLE agreements;
DROP TABLE meetings;
DROP TABLE forums;
DROP TABLE municipalities;
DROP TABLE police_areas;
