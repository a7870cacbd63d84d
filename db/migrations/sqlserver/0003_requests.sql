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

-- The escalation contact of an organisation: the first to hear of an overdue request (then the coach's team lead).
-- A table of its own rather than a column on organisations: users already reference organisations, and a reference
-- back would make the two tables a cycle that no insert or delete order can satisfy.
CREATE TABLE organisation_escalation_contacts (
    organisation_id uniqueidentifier NOT NULL PRIMARY KEY REFERENCES organisations (id),
    user_id         uniqueidentifier NOT NULL REFERENCES users (id)
);

-- Consent (toestemming) of a household for sharing with one organisation for one purpose (a service code of it).
CREATE TABLE consents (
    id                 uniqueidentifier NOT NULL PRIMARY KEY,
    household_id       uniqueidentifier NOT NULL REFERENCES households (id),
    organisation_id    uniqueidentifier NOT NULL REFERENCES organisations (id),
    purpose            nvarchar(100) NOT NULL,
    given_by_member_id uniqueidentifier NOT NULL REFERENCES household_members (id),
    given_on           date NOT NULL,
    valid_until        date NOT NULL,
    withdrawn_on       date NULL,
    recorded_by        uniqueidentifier NOT NULL REFERENCES users (id),
    created_at         datetimeoffset(7) NOT NULL,
    withdrawn_by       uniqueidentifier NULL REFERENCES users (id),
    CHECK (valid_until >= given_on)
);
CREATE INDEX ix_consents_household ON consents (household_id, organisation_id);

-- A request from the coach to a service of an organisation. version is the optimistic-concurrency token (+1 per change).
-- reminded_at, overdue_at and escalation_level record what the deadline sweeps did, so they never do it twice.
CREATE TABLE requests (
    id                       uniqueidentifier NOT NULL PRIMARY KEY,
    household_id             uniqueidentifier NOT NULL REFERENCES households (id),
    organisation_id          uniqueidentifier NOT NULL REFERENCES organisations (id),
    service_code             nvarchar(100) NOT NULL,
    question                 nvarchar(max) NOT NULL,
    urgency                  nvarchar(100) NOT NULL CHECK (urgency IN ('normal', 'urgent')),
    legal_basis              nvarchar(100) NULL,
    consent_id               uniqueidentifier NULL REFERENCES consents (id),
    sent_by                  uniqueidentifier NOT NULL REFERENCES users (id),
    status                   nvarchar(100) NOT NULL
                             CHECK (status IN ('sent', 'acknowledged', 'suspended', 'answered', 'declined', 'withdrawn')),
    status_before_suspension nvarchar(100) NULL,
    version                  int NOT NULL,
    sent_at                  datetimeoffset(7) NOT NULL,
    due_at                   datetimeoffset(7) NOT NULL,
    suspended_at             datetimeoffset(7) NULL,
    answer                   nvarchar(max) NULL,
    decline_reason_code      nvarchar(100) NULL,
    closed_at                datetimeoffset(7) NULL,
    updated_at               datetimeoffset(7) NOT NULL,
    reminded_at              datetimeoffset(7) NULL,
    overdue_at               datetimeoffset(7) NULL,
    escalation_level         int NOT NULL DEFAULT 0 CHECK (escalation_level BETWEEN 0 AND 2),
    escalated_at             datetimeoffset(7) NULL,
    CHECK (consent_id IS NOT NULL OR legal_basis IS NOT NULL)
);
CREATE INDEX ix_requests_organisation ON requests (organisation_id, status);
CREATE INDEX ix_requests_household ON requests (household_id, sent_at);
CREATE INDEX ix_requests_open_due ON requests (status, due_at);

-- The life cycle, one row per version: 'sent' is version 1; change_kind is the verb that was applied.
CREATE TABLE request_status_changes (
    id          uniqueidentifier NOT NULL PRIMARY KEY,
    request_id  uniqueidentifier NOT NULL REFERENCES requests (id),
    version     int NOT NULL,
    change_kind nvarchar(100) NOT NULL,
    from_status nvarchar(100) NULL,
    to_status   nvarchar(100) NOT NULL,
    note        nvarchar(max) NULL,
    reason_code nvarchar(100) NULL,
    due_at      datetimeoffset(7) NOT NULL,
    changed_by  uniqueidentifier NULL REFERENCES users (id),
    changed_at  datetimeoffset(7) NOT NULL
);
CREATE UNIQUE INDEX ux_request_status_changes_version ON request_status_changes (request_id, version);

-- The clarification thread between the coach and the addressed organisation.
CREATE TABLE request_messages (
    id          uniqueidentifier NOT NULL PRIMARY KEY,
    request_id  uniqueidentifier NOT NULL REFERENCES requests (id),
    author_id   uniqueidentifier NOT NULL REFERENCES users (id),
    body        nvarchar(max) NOT NULL,
    created_at  datetimeoffset(7) NOT NULL
);
CREATE INDEX ix_request_messages_request ON request_messages (request_id, created_at);

-- Involvement (betrokkenheid): organisation X / professional Y is involved with a household since a date, never why.
-- Minimal here (recorded when a back office handles a request); manual registration and ending belong to issue 5.
CREATE TABLE involvements (
    id               uniqueidentifier NOT NULL PRIMARY KEY,
    household_id     uniqueidentifier NOT NULL REFERENCES households (id),
    organisation_id  uniqueidentifier NULL REFERENCES organisations (id),
    professional_id  uniqueidentifier NULL REFERENCES users (id),
    source           nvarchar(100) NOT NULL CHECK (source IN ('request', 'manual')),
    since            datetimeoffset(7) NOT NULL,
    last_activity_at datetimeoffset(7) NOT NULL,
    ended_at         datetimeoffset(7) NULL,
    end_reason       nvarchar(100) NULL
);
CREATE INDEX ix_involvements_household ON involvements (household_id, ended_at);
CREATE UNIQUE INDEX ux_involvements_open_professional
    ON involvements (household_id, organisation_id, professional_id) WHERE ended_at IS NULL AND professional_id IS NOT NULL;
