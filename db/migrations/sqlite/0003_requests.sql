-- Requests (verzoeken) and their outbound webhooks.
-- SQLite stores uuids, dates and timestamps as canonical TEXT (see DapperTypeHandlers).

-- Durable webhook outbox: one row per CloudEvent per addressed organisation, written in the same transaction as the
-- change it announces, delivered after commit by a job that claims rows with locked_until (safe on several nodes).
CREATE TABLE webhook_outbox (
    id               TEXT    NOT NULL PRIMARY KEY,
    organisation_id  TEXT    NOT NULL REFERENCES organisations (id),
    type             TEXT    NOT NULL,
    subject          TEXT    NOT NULL,
    payload          TEXT    NOT NULL,
    status           TEXT    NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts         INTEGER NOT NULL DEFAULT 0,
    created_at       TEXT    NOT NULL,
    retry_until      TEXT    NOT NULL,
    next_attempt_at  TEXT    NOT NULL,
    locked_until     TEXT    NULL,
    last_attempt_at  TEXT    NULL,
    last_status_code INTEGER NULL,
    last_error       TEXT    NULL,
    delivered_at     TEXT    NULL,
    failed_at        TEXT    NULL
);
CREATE INDEX ix_webhook_outbox_due ON webhook_outbox (status, next_attempt_at);
CREATE INDEX ix_webhook_outbox_organisation ON webhook_outbox (organisation_id, created_at);
