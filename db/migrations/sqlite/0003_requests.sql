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

-- The escalation contact of an organisation: the first to hear of an overdue request (then the coach's team lead).
-- A table of its own rather than a column on organisations: users already reference organisations, and a reference
-- back would make the two tables a cycle that no insert or delete order can satisfy.
CREATE TABLE organisation_escalation_contacts (
    organisation_id TEXT NOT NULL PRIMARY KEY REFERENCES organisations (id),
    user_id         TEXT NOT NULL REFERENCES users (id)
);

-- Consent (toestemming) of a household for sharing with one organisation for one purpose (a service code of it).
CREATE TABLE consents (
    id                 TEXT NOT NULL PRIMARY KEY,
    household_id       TEXT NOT NULL REFERENCES households (id),
    organisation_id    TEXT NOT NULL REFERENCES organisations (id),
    purpose            TEXT NOT NULL,
    given_by_member_id TEXT NOT NULL REFERENCES household_members (id),
    given_on           TEXT NOT NULL,
    valid_until        TEXT NOT NULL,
    withdrawn_on       TEXT NULL,
    recorded_by        TEXT NOT NULL REFERENCES users (id),
    created_at         TEXT NOT NULL,
    withdrawn_by       TEXT NULL REFERENCES users (id),
    CHECK (valid_until >= given_on)
);
CREATE INDEX ix_consents_household ON consents (household_id, organisation_id);

-- A request from the coach to a service of an organisation. version is the optimistic-concurrency token (+1 per change).
-- reminded_at, overdue_at and escalation_level record what the deadline sweeps did, so they never do it twice.
CREATE TABLE requests (
    id                       TEXT NOT NULL PRIMARY KEY,
    household_id             TEXT NOT NULL REFERENCES households (id),
    organisation_id          TEXT NOT NULL REFERENCES organisations (id),
    service_code             TEXT NOT NULL,
    question                 TEXT NOT NULL,
    urgency                  TEXT NOT NULL CHECK (urgency IN ('normal', 'urgent')),
    legal_basis              TEXT NULL,
    consent_id               TEXT NULL REFERENCES consents (id),
    sent_by                  TEXT NOT NULL REFERENCES users (id),
    status                   TEXT NOT NULL
                             CHECK (status IN ('sent', 'acknowledged', 'suspended', 'answered', 'declined', 'withdrawn')),
    status_before_suspension TEXT NULL,
    version                  INTEGER NOT NULL,
    sent_at                  TEXT NOT NULL,
    due_at                   TEXT NOT NULL,
    suspended_at             TEXT NULL,
    answer                   TEXT NULL,
    decline_reason_code      TEXT NULL,
    closed_at                TEXT NULL,
    updated_at               TEXT NOT NULL,
    reminded_at              TEXT NULL,
    overdue_at               TEXT NULL,
    escalation_level         INTEGER NOT NULL DEFAULT 0 CHECK (escalation_level BETWEEN 0 AND 2),
    escalated_at             TEXT NULL,
    CHECK (consent_id IS NOT NULL OR legal_basis IS NOT NULL)
);
CREATE INDEX ix_requests_organisation ON requests (organisation_id, status);
CREATE INDEX ix_requests_household ON requests (household_id, sent_at);
CREATE INDEX ix_requests_open_due ON requests (status, due_at);

-- The life cycle, one row per version: 'sent' is version 1; change_kind is the verb that was applied.
CREATE TABLE request_status_changes (
    id          TEXT NOT NULL PRIMARY KEY,
    request_id  TEXT NOT NULL REFERENCES requests (id),
    version     INTEGER NOT NULL,
    change_kind TEXT NOT NULL,
    from_status TEXT NULL,
    to_status   TEXT NOT NULL,
    note        TEXT NULL,
    reason_code TEXT NULL,
    due_at      TEXT NOT NULL,
    changed_by  TEXT NULL REFERENCES users (id),
    changed_at  TEXT NOT NULL
);
CREATE UNIQUE INDEX ux_request_status_changes_version ON request_status_changes (request_id, version);

-- The clarification thread between the coach and the addressed organisation.
CREATE TABLE request_messages (
    id          TEXT NOT NULL PRIMARY KEY,
    request_id  TEXT NOT NULL REFERENCES requests (id),
    author_id   TEXT NOT NULL REFERENCES users (id),
    body        TEXT NOT NULL,
    created_at  TEXT NOT NULL
);
CREATE INDEX ix_request_messages_request ON request_messages (request_id, created_at);

-- Involvement (betrokkenheid): organisation X / professional Y is involved with a household since a date, never why.
-- Minimal here (recorded when a back office handles a request); manual registration and ending belong to issue 5.
CREATE TABLE involvements (
    id               TEXT NOT NULL PRIMARY KEY,
    household_id     TEXT NOT NULL REFERENCES households (id),
    organisation_id  TEXT NULL REFERENCES organisations (id),
    professional_id  TEXT NULL REFERENCES users (id),
    source           TEXT NOT NULL CHECK (source IN ('request', 'manual')),
    since            TEXT NOT NULL,
    last_activity_at TEXT NOT NULL,
    ended_at         TEXT NULL,
    end_reason       TEXT NULL
);
CREATE INDEX ix_involvements_household ON involvements (household_id, ended_at);
CREATE UNIQUE INDEX ux_involvements_open_professional
    ON involvements (household_id, organisation_id, professional_id) WHERE ended_at IS NULL AND professional_id IS NOT NULL;
