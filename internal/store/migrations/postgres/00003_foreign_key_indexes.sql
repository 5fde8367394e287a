-- +goose Up
-- Foreign keys without an index make every cascade, check and "activities of this list"
-- query scan the whole table; the national dataset has 14,500 activities.
CREATE INDEX activities_agreement ON activities (agreement_id);
CREATE INDEX activities_promise_period ON activities (promise_period_id);
CREATE INDEX follow_ups_meeting ON follow_ups (meeting_id);
CREATE INDEX changes_entity ON changes (kind, entity_id);

-- +goose Down
DROP INDEX changes_entity;
DROP INDEX follow_ups_meeting;
DROP INDEX activities_promise_period;
DROP INDEX activities_agreement;
