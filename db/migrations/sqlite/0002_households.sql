-- Households (issue 3): households with members, coach assignments (one open per household, enforced here),
-- signals and their triage, the notification inbox and the access log (NEN 7513).
-- SQLite stores uuids, dates and timestamps as canonical TEXT (see DapperTypeHandlers).

-- The inbox cursor is a per-recipient sequence kept on the user row. Bumping it takes the recipient's row lock until
-- commit, so a recipient's notifications become visible in cursor order: a reader that has seen cursor n can never
-- later find a newly committed row below n. A global identity would not give that (ids are handed out at insert,
-- rows become visible at commit, in another order), and `after=` would then silently skip rows.
ALTER TABLE users ADD COLUMN notification_seq INTEGER NOT NULL DEFAULT 0;

CREATE TABLE households (
    id                  TEXT              NOT NULL PRIMARY KEY,
    neighbourhood_id    TEXT              NOT NULL REFERENCES neighbourhoods (id),
    team_id             TEXT              NOT NULL REFERENCES teams (id),
    street              TEXT              NOT NULL,
    house_number        INTEGER           NOT NULL CHECK (house_number BETWEEN 1 AND 99999),
    -- '' when there is none: NULLs in a unique index compare differently per database.
    house_number_suffix TEXT              NOT NULL DEFAULT '',
    postal_code         TEXT              NOT NULL, -- normalised: 8925AB
    city                TEXT              NOT NULL,
    status              TEXT              NOT NULL CHECK (status IN ('registered', 'active', 'closing', 'closed')),
    closure_reason      TEXT              NULL,
    registered_by       TEXT              NOT NULL REFERENCES users (id),
    created_at          TEXT              NOT NULL,
    closed_at           TEXT              NULL,
    version             INTEGER           NOT NULL DEFAULT 1,
    CHECK ((status = 'closed' AND closed_at IS NOT NULL) OR (status <> 'closed' AND closed_at IS NULL))
);
-- One open household per address: signals and registrations must find the existing one, never create a second.
CREATE UNIQUE INDEX ux_households_open_address
    ON households (postal_code, house_number, house_number_suffix) WHERE closed_at IS NULL;
CREATE INDEX ix_households_team_status ON households (team_id, status);

CREATE TABLE household_members (
    id                  TEXT              NOT NULL PRIMARY KEY,
    household_id        TEXT              NOT NULL REFERENCES households (id),
    given_name          TEXT              NULL,
    family_name         TEXT              NOT NULL,
    family_name_key     TEXT              NOT NULL, -- lower-case, trimmed: matching must not depend on the collation
    date_of_birth       TEXT              NULL,
    role                TEXT              NOT NULL CHECK (role IN ('head', 'partner', 'child', 'other')),
    bsn_hash            TEXT              NULL,     -- HMAC-SHA256 (Security:BsnHashKey); the BSN itself is never stored
    bsn_last4           TEXT              NULL,
    created_at          TEXT              NOT NULL
);
CREATE INDEX ix_household_members_household ON household_members (household_id);
CREATE INDEX ix_household_members_bsn_hash ON household_members (bsn_hash);
CREATE INDEX ix_household_members_name_dob ON household_members (family_name_key, date_of_birth);

CREATE TABLE coach_assignments (
    id                  TEXT              NOT NULL PRIMARY KEY,
    household_id        TEXT              NOT NULL REFERENCES households (id),
    coach_id            TEXT              NOT NULL REFERENCES users (id),
    from_at             TEXT              NOT NULL,
    to_at               TEXT              NULL,
    reason              TEXT              NOT NULL,
    end_reason          TEXT              NULL,
    assigned_by         TEXT              NOT NULL REFERENCES users (id),
    CHECK (to_at IS NULL OR to_at >= from_at)
);
-- The invariant "one household, one coach": at most one open assignment per household, whatever the code does.
CREATE UNIQUE INDEX ux_coach_assignments_one_open ON coach_assignments (household_id) WHERE to_at IS NULL;
CREATE INDEX ix_coach_assignments_open_by_coach ON coach_assignments (coach_id) WHERE to_at IS NULL;
CREATE INDEX ix_coach_assignments_history ON coach_assignments (household_id, from_at);

CREATE TABLE signals (
    id                  TEXT              NOT NULL PRIMARY KEY,
    sender_id           TEXT              NOT NULL REFERENCES users (id),
    created_at          TEXT              NOT NULL,
    concern             TEXT              NOT NULL,
    domains             TEXT              NOT NULL DEFAULT '', -- comma-separated ZRM domain codes
    street              TEXT              NOT NULL,
    house_number        INTEGER           NOT NULL,
    house_number_suffix TEXT              NOT NULL DEFAULT '',
    postal_code         TEXT              NOT NULL,
    city                TEXT              NOT NULL,
    matched             INTEGER           NOT NULL CHECK (matched IN (0, 1)),
    household_id        TEXT              NULL REFERENCES households (id),
    team_id             TEXT              NULL REFERENCES teams (id), -- NULL: the shared queue every team lead sees
    coach_id            TEXT              NULL REFERENCES users (id), -- the contact it was routed to
    status              TEXT              NOT NULL CHECK (status IN ('routed', 'untriaged', 'triaged')),
    triaged_by          TEXT              NULL REFERENCES users (id),
    triaged_at          TEXT              NULL
);
CREATE INDEX ix_signals_queue ON signals (status, team_id, created_at);
CREATE INDEX ix_signals_household ON signals (household_id);

CREATE TABLE signal_members (
    id                  TEXT              NOT NULL PRIMARY KEY,
    signal_id           TEXT              NOT NULL REFERENCES signals (id),
    sort_order          INTEGER           NOT NULL,
    given_name          TEXT              NULL,
    family_name         TEXT              NOT NULL,
    date_of_birth       TEXT              NULL,
    role                TEXT              NULL,
    bsn_hash            TEXT              NULL,
    bsn_last4           TEXT              NULL
);
CREATE INDEX ix_signal_members_signal ON signal_members (signal_id);

CREATE TABLE notifications (
    id                  TEXT              NOT NULL PRIMARY KEY,
    recipient_id        TEXT              NOT NULL REFERENCES users (id),
    seq                 INTEGER           NOT NULL, -- the inbox cursor, per recipient (see users.notification_seq)
    type                TEXT              NOT NULL,
    title               TEXT              NOT NULL,
    household_id        TEXT              NULL REFERENCES households (id),
    request_id          TEXT              NULL,     -- the requests table arrives with its own migration
    created_at          TEXT              NOT NULL,
    read_at             TEXT              NULL
);
CREATE UNIQUE INDEX ux_notifications_recipient_seq ON notifications (recipient_id, seq);

-- No foreign key to households: the log must outlive what it logs (erasure under the GDPR keeps the audit trail).
CREATE TABLE access_log (
    id                  TEXT              NOT NULL PRIMARY KEY,
    occurred_at         TEXT              NOT NULL,
    actor_id            TEXT              NULL REFERENCES users (id),
    on_behalf_of        TEXT              NULL REFERENCES users (id),
    action              TEXT              NOT NULL,
    object_type         TEXT              NOT NULL,
    object_id           TEXT              NULL,
    household_id        TEXT              NULL,
    result              TEXT              NOT NULL CHECK (result IN ('success', 'denied')),
    origin              TEXT              NOT NULL
);
CREATE INDEX ix_access_log_household ON access_log (household_id, occurred_at);
