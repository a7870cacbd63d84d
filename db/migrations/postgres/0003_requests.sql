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

-- The escalation contact of an organisation: the first to hear of an overdue request (then the coach's team lead).
-- A table of its own rather than a column on organisations: users already reference organisations, and a reference
-- back would make the two tables a cycle that no insert or delete order can satisfy.
CREATE TABLE organisation_escalation_contacts (
    organisation_id uuid NOT NULL PRIMARY KEY REFERENCES organisations (id),
    user_id         uuid NOT NULL REFERENCES users (id)
);

-- Consent (toestemming) of a household for sharing with one organisation for one purpose (a service code of it).
CREATE TABLE consents (
    id                 uuid NOT NULL PRIMARY KEY,
    household_id       uuid NOT NULL REFERENCES households (id),
    organisation_id    uuid NOT NULL REFERENCES organisations (id),
    purpose            text NOT NULL,
    given_by_member_id uuid NOT NULL REFERENCES household_members (id),
    given_on           date NOT NULL,
    valid_until        date NOT NULL,
    withdrawn_on       date NULL,
    recorded_by        uuid NOT NULL REFERENCES users (id),
    created_at         timestamptz NOT NULL,
    withdrawn_by       uuid NULL REFERENCES users (id),
    CHECK (valid_until >= given_on)
);
CREATE INDEX ix_consents_household ON consents (household_id, organisation_id);

-- A request from the coach to a service of an organisation. version is the optimistic-concurrency token (+1 per change).
-- reminded_at, overdue_at and escalation_level record what the deadline sweeps did, so they never do it twice.
CREATE TABLE requests (
    id                       uuid NOT NULL PRIMARY KEY,
    household_id             uuid NOT NULL REFERENCES households (id),
    organisation_id          uuid NOT NULL REFERENCES organisations (id),
    service_code             text NOT NULL,
    question                 text NOT NULL,
    urgency                  text NOT NULL CHECK (urgency IN ('normal', 'urgent')),
    legal_basis              text NULL,
    consent_id               uuid NULL REFERENCES consents (id),
    sent_by                  uuid NOT NULL REFERENCES users (id),
    status                   text NOT NULL
                             CHECK (status IN ('sent', 'acknowledged', 'suspended', 'answered', 'declined', 'withdrawn')),
    status_before_suspension text NULL,
    version                  integer NOT NULL,
    sent_at                  timestamptz NOT NULL,
    due_at                   timestamptz NOT NULL,
    suspended_at             timestamptz NULL,
    answer                   text NULL,
    decline_reason_code      text NULL,
    closed_at                timestamptz NULL,
    updated_at               timestamptz NOT NULL,
    reminded_at              timestamptz NULL,
    overdue_at               timestamptz NULL,
    escalation_level         integer NOT NULL DEFAULT 0 CHECK (escalation_level BETWEEN 0 AND 2),
    escalated_at             timestamptz NULL,
    CHECK (consent_id IS NOT NULL OR legal_basis IS NOT NULL)
);
CREATE INDEX ix_requests_organisation ON requests (organisation_id, status);
CREATE INDEX ix_requests_household ON requests (household_id, sent_at);
CREATE INDEX ix_requests_open_due ON requests (status, due_at);

-- The life cycle, one row per version: 'sent' is version 1; change_kind is the verb that was applied.
CREATE TABLE request_status_changes (
    id          uuid NOT NULL PRIMARY KEY,
    request_id  uuid NOT NULL REFERENCES requests (id),
    version     integer NOT NULL,
    change_kind text NOT NULL,
    from_status text NULL,
    to_status   text NOT NULL,
    note        text NULL,
    reason_code text NULL,
    due_at      timestamptz NOT NULL,
    changed_by  uuid NULL REFERENCES users (id),
    changed_at  timestamptz NOT NULL
);
CREATE UNIQUE INDEX ux_request_status_changes_version ON request_status_changes (request_id, version);

-- The clarification thread between the coach and the addressed organisation.
CREATE TABLE request_messages (
    id          uuid NOT NULL PRIMARY KEY,
    request_id  uuid NOT NULL REFERENCES requests (id),
    author_id   uuid NOT NULL REFERENCES users (id),
    body        text NOT NULL,
    created_at  timestamptz NOT NULL
);
CREATE INDEX ix_request_messages_request ON request_messages (request_id, created_at);

-- Involvement (betrokkenheid): organisation X / professional Y is involved with a household since a date, never why.
-- Minimal here (recorded when a back office handles a request); manual registration and ending belong to issue 5.
CREATE TABLE involvements (
    id               uuid NOT NULL PRIMARY KEY,
    household_id     uuid NOT NULL REFERENCES households (id),
    organisation_id  uuid NULL REFERENCES organisations (id),
    professional_id  uuid NULL REFERENCES users (id),
    source           text NOT NULL CHECK (source IN ('request', 'manual')),
    since            timestamptz NOT NULL,
    last_activity_at timestamptz NOT NULL,
    ended_at         timestamptz NULL,
    end_reason       text NULL
);
CREATE INDEX ix_involvements_household ON involvements (household_id, ended_at);
CREATE UNIQUE INDEX ux_involvements_open_professional
    ON involvements (household_id, organisation_id, professional_id) WHERE ended_at IS NULL AND professional_id IS NOT NULL;
