-- Requests (verzoeken) and their outbound webhooks.

-- Durable webhook outbox: one row per CloudEvent per addressed organisation, written in the same transaction as the
-- change it announces, delivered after commit by a job that claims rows with locked_until (safe on several nodes).
CREATE TABLE webhook_outbox (
    id               uniqueidentifier  NOT NULL PRIMARY KEY,
    organisation_id  uniqueidentifier  NOT NULL REFERENCES organisations (id),
    type             nvarchar(200)     NOT NULL,
    subject          nvarchar(100)     NOT NULL,
    payload          nvarchar(max)     NOT NULL,
    status           nvarchar(20)      NOT NULL CHECK (status IN ('pending', 'delivered', 'failed')),
    attempts         int               NOT NULL DEFAULT 0,
    created_at       datetimeoffset(7) NOT NULL,
    retry_until      datetimeoffset(7) NOT NULL,
    next_attempt_at  datetimeoffset(7) NOT NULL,
    locked_until     datetimeoffset(7) NULL,
    last_attempt_at  datetimeoffset(7) NULL,
    last_status_code int               NULL,
    last_error       nvarchar(1000)    NULL,
    delivered_at     datetimeoffset(7) NULL,
    failed_at        datetimeoffset(7) NULL
);
CREATE INDEX ix_webhook_outbox_due ON webhook_outbox (status, next_attempt_at);
CREATE INDEX ix_webhook_outbox_organisation ON webhook_outbox (organisation_id, created_at);
