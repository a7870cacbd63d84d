-- Requests (verzoeken) and their outbound webhooks.

-- Durable webhook outbox: one row per CloudEvent per addressed organisation, written in the same transaction as the
-- change it announces, delivered after commit by a job that claims rows with locked_until (safe on several nodes).
CREATE TABLE webhook_outbox (
    id               uuid        NOT NULL PRIMARY KEY,
    organisation_id  uuid        NOT NULL REFERENCES organisations (id),
    type             text        NOT NULL,
    subject          text        NOT NULL,
    payload          text        NOT NULL,
    status           text        NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts         integer     NOT NULL DEFAULT 0,
    created_at       timestamptz NOT NULL,
    retry_until      timestamptz NOT NULL,
    next_attempt_at  timestamptz NOT NULL,
    locked_until     timestamptz NULL,
    last_attempt_at  timestamptz NULL,
    last_status_code integer     NULL,
    last_error       text        NULL,
    delivered_at     timestamptz NULL,
    failed_at        timestamptz NULL
);
CREATE INDEX ix_webhook_outbox_due ON webhook_outbox (status, next_attempt_at);
CREATE INDEX ix_webhook_outbox_organisation ON webhook_outbox (organisation_id, created_at);
