-- Households (issue 3): households with members, coach assignments (one open per household, enforced here),
-- signals and their triage, the notification inbox and the access log (NEN 7513).

-- The inbox cursor is a per-recipient sequence kept on the user row. Bumping it takes the recipient's row lock until
-- commit, so a recipient's notifications become visible in cursor order: a reader that has seen cursor n can never
-- later find a newly committed row below n. A global identity would not give that (ids are handed out at insert,
-- rows become visible at commit, in another order), and `after=` would then silently skip rows.
ALTER TABLE users ADD COLUMN notification_seq bigint NOT NULL DEFAULT 0;

CREATE TABLE households (
    id                  uuid              NOT NULL PRIMARY KEY,
    neighbourhood_id    uuid              NOT NULL REFERENCES neighbourhoods (id),
    team_id             uuid              NOT NULL REFERENCES teams (id),
    street              text              NOT NULL,
    house_number        integer           NOT NULL CHECK (house_number BETWEEN 1 AND 99999),
    -- '' when there is none: NULLs in a unique index compare differently per database.
    house_number_suffix text              NOT NULL DEFAULT '',
    postal_code         text              NOT NULL, -- normalised: 8925AB
    city                text              NOT NULL,
    status              text              NOT NULL CHECK (status IN ('registered', 'active', 'closing', 'closed')),
    closure_reason      text              NULL,
    registered_by       uuid              NOT NULL REFERENCES users (id),
    created_at          timestamptz       NOT NULL,
    closed_at           timestamptz       NULL,
    version             integer           NOT NULL DEFAULT 1,
    CHECK ((status = 'closed' AND closed_at IS NOT NULL) OR (status <> 'closed' AND closed_at IS NULL))
);
-- One open household per address: signals and registrations must find the existing one, never create a second.
CREATE UNIQUE INDEX ux_households_open_address
    ON households (postal_code, house_number, house_number_suffix) WHERE closed_at IS NULL;
CREATE INDEX ix_households_team_status ON households (team_id, status);

CREATE TABLE household_members (
    id                  uuid              NOT NULL PRIMARY KEY,
    household_id        uuid              NOT NULL REFERENCES households (id),
    given_name          text              NULL,
    family_name         text              NOT NULL,
    family_name_key     text              NOT NULL, -- lower-case, trimmed: matching must not depend on the collation
    date_of_birth       date              NULL,
    role                text              NOT NULL CHECK (role IN ('head', 'partner', 'child', 'other')),
    bsn_hash            text              NULL,     -- HMAC-SHA256 (Security:BsnHashKey); the BSN itself is never stored
    bsn_last4           text              NULL,
    created_at          timestamptz       NOT NULL
);
CREATE INDEX ix_household_members_household ON household_members (household_id);
CREATE INDEX ix_household_members_bsn_hash ON household_members (bsn_hash);
CREATE INDEX ix_household_members_name_dob ON household_members (family_name_key, date_of_birth);

CREATE TABLE coach_assignments (
    id                  uuid              NOT NULL PRIMARY KEY,
    household_id        uuid              NOT NULL REFERENCES households (id),
    coach_id            uuid              NOT NULL REFERENCES users (id),
    from_at             timestamptz       NOT NULL,
    to_at               timestamptz       NULL,
    reason              text              NOT NULL,
    end_reason          text              NULL,
    assigned_by         uuid              NOT NULL REFERENCES users (id),
    CHECK (to_at IS NULL OR to_at >= from_at)
);
-- The invariant "one household, one coach": at most one open assignment per household, whatever the code does.
CREATE UNIQUE INDEX ux_coach_assignments_one_open ON coach_assignments (household_id) WHERE to_at IS NULL;
CREATE INDEX ix_coach_assignments_open_by_coach ON coach_assignments (coach_id) WHERE to_at IS NULL;
CREATE INDEX ix_coach_assignments_history ON coach_assignments (household_id, from_at);

CREATE TABLE signals (
    id                  uuid              NOT NULL PRIMARY KEY,
    sender_id           uuid              NOT NULL REFERENCES users (id),
    created_at          timestamptz       NOT NULL,
    concern             text              NOT NULL,
    domains             text              NOT NULL DEFAULT '', -- comma-separated ZRM domain codes
    street              text              NOT NULL,
    house_number        integer           NOT NULL,
    house_number_suffix text              NOT NULL DEFAULT '',
    postal_code         text              NOT NULL,
    city                text              NOT NULL,
    matched             integer           NOT NULL CHECK (matched IN (0, 1)),
    household_id        uuid              NULL REFERENCES households (id),
    team_id             uuid              NULL REFERENCES teams (id), -- NULL: the shared queue every team lead sees
    coach_id            uuid              NULL REFERENCES users (id), -- the contact it was routed to
    status              text              NOT NULL CHECK (status IN ('routed', 'untriaged', 'triaged')),
    triaged_by          uuid              NULL REFERENCES users (id),
    triaged_at          timestamptz       NULL
);
CREATE INDEX ix_signals_queue ON signals (status, team_id, created_at);
CREATE INDEX ix_signals_household ON signals (household_id);

CREATE TABLE signal_members (
    id                  uuid              NOT NULL PRIMARY KEY,
    signal_id           uuid              NOT NULL REFERENCES signals (id),
    sort_order          integer           NOT NULL,
    given_name          text              NULL,
    family_name         text              NOT NULL,
    date_of_birth       date              NULL,
    role                text              NULL,
    bsn_hash            text              NULL,
    bsn_last4           text              NULL
);
CREATE INDEX ix_signal_members_signal ON signal_members (signal_id);

CREATE TABLE notifications (
    id                  uuid              NOT NULL PRIMARY KEY,
    recipient_id        uuid              NOT NULL REFERENCES users (id),
    seq                 bigint            NOT NULL, -- the inbox cursor, per recipient (see users.notification_seq)
    type                text              NOT NULL,
    title               text              NOT NULL,
    household_id        uuid              NULL REFERENCES households (id),
    request_id          uuid              NULL,     -- the requests table arrives with its own migration
    created_at          timestamptz       NOT NULL,
    read_at             timestamptz       NULL
);
CREATE UNIQUE INDEX ux_notifications_recipient_seq ON notifications (recipient_id, seq);

-- No foreign key to households: the log must outlive what it logs (erasure under the GDPR keeps the audit trail).
CREATE TABLE access_log (
    id                  uuid              NOT NULL PRIMARY KEY,
    occurred_at         timestamptz       NOT NULL,
    actor_id            uuid              NULL REFERENCES users (id),
    on_behalf_of        uuid              NULL REFERENCES users (id),
    action              text              NOT NULL,
    object_type         text              NOT NULL,
    object_id           uuid              NULL,
    household_id        uuid              NULL,
    result              text              NOT NULL CHECK (result IN ('success', 'denied')),
    origin              text              NOT NULL
);
CREATE INDEX ix_access_log_household ON access_log (household_id, occurred_at);
