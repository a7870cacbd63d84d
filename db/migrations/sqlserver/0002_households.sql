-- Households (issue 3): households with members, coach assignments (one open per household, enforced here),
-- signals and their triage, the notification inbox and the access log (NEN 7513).

-- The inbox cursor is a per-recipient sequence kept on the user row. Bumping it takes the recipient's row lock until
-- commit, so a recipient's notifications become visible in cursor order: a reader that has seen cursor n can never
-- later find a newly committed row below n. A global identity would not give that (ids are handed out at insert,
-- rows become visible at commit, in another order), and `after=` would then silently skip rows.
ALTER TABLE users ADD notification_seq bigint NOT NULL CONSTRAINT df_users_notification_seq DEFAULT 0;

CREATE TABLE households (
    id                  uniqueidentifier  NOT NULL PRIMARY KEY,
    neighbourhood_id    uniqueidentifier  NOT NULL REFERENCES neighbourhoods (id),
    team_id             uniqueidentifier  NOT NULL REFERENCES teams (id),
    street              nvarchar(200)     NOT NULL,
    house_number        int               NOT NULL CHECK (house_number BETWEEN 1 AND 99999),
    -- '' when there is none: NULLs in a unique index compare differently per database.
    house_number_suffix nvarchar(10)      NOT NULL DEFAULT '',
    postal_code         nvarchar(6)       NOT NULL, -- normalised: 8925AB
    city                nvarchar(200)     NOT NULL,
    status              nvarchar(20)      NOT NULL CHECK (status IN ('registered', 'active', 'closing', 'closed')),
    closure_reason      nvarchar(1000)    NULL,
    registered_by       uniqueidentifier  NOT NULL REFERENCES users (id),
    created_at          datetimeoffset(7) NOT NULL,
    closed_at           datetimeoffset(7) NULL,
    version             int               NOT NULL DEFAULT 1,
    CHECK ((status = 'closed' AND closed_at IS NOT NULL) OR (status <> 'closed' AND closed_at IS NULL))
);
-- One open household per address: signals and registrations must find the existing one, never create a second.
CREATE UNIQUE INDEX ux_households_open_address
    ON households (postal_code, house_number, house_number_suffix) WHERE closed_at IS NULL;
CREATE INDEX ix_households_team_status ON households (team_id, status);

CREATE TABLE household_members (
    id                  uniqueidentifier  NOT NULL PRIMARY KEY,
    household_id        uniqueidentifier  NOT NULL REFERENCES households (id),
    given_name          nvarchar(200)     NULL,
    family_name         nvarchar(200)     NOT NULL,
    family_name_key     nvarchar(200)     NOT NULL, -- lower-case, trimmed: matching must not depend on the collation
    date_of_birth       date              NULL,
    role                nvarchar(20)      NOT NULL CHECK (role IN ('head', 'partner', 'child', 'other')),
    bsn_hash            nvarchar(64)      NULL,     -- HMAC-SHA256 (Security:BsnHashKey); the BSN itself is never stored
    bsn_last4           nvarchar(4)       NULL,
    created_at          datetimeoffset(7) NOT NULL
);
CREATE INDEX ix_household_members_household ON household_members (household_id);
CREATE INDEX ix_household_members_bsn_hash ON household_members (bsn_hash);
CREATE INDEX ix_household_members_name_dob ON household_members (family_name_key, date_of_birth);

CREATE TABLE coach_assignments (
    id                  uniqueidentifier  NOT NULL PRIMARY KEY,
    household_id        uniqueidentifier  NOT NULL REFERENCES households (id),
    coach_id            uniqueidentifier  NOT NULL REFERENCES users (id),
    from_at             datetimeoffset(7) NOT NULL,
    to_at               datetimeoffset(7) NULL,
    reason              nvarchar(1000)    NOT NULL,
    end_reason          nvarchar(1000)    NULL,
    assigned_by         uniqueidentifier  NOT NULL REFERENCES users (id),
    CHECK (to_at IS NULL OR to_at >= from_at)
);
-- The invariant "one household, one coach": at most one open assignment per household, whatever the code does.
CREATE UNIQUE INDEX ux_coach_assignments_one_open ON coach_assignments (household_id) WHERE to_at IS NULL;
CREATE INDEX ix_coach_assignments_open_by_coach ON coach_assignments (coach_id) WHERE to_at IS NULL;
CREATE INDEX ix_coach_assignments_history ON coach_assignments (household_id, from_at);

CREATE TABLE signals (
    id                  uniqueidentifier  NOT NULL PRIMARY KEY,
    sender_id           uniqueidentifier  NOT NULL REFERENCES users (id),
    created_at          datetimeoffset(7) NOT NULL,
    concern             nvarchar(4000)    NOT NULL,
    domains             nvarchar(1000)    NOT NULL DEFAULT '', -- comma-separated ZRM domain codes
    street              nvarchar(200)     NOT NULL,
    house_number        int               NOT NULL,
    house_number_suffix nvarchar(10)      NOT NULL DEFAULT '',
    postal_code         nvarchar(6)       NOT NULL,
    city                nvarchar(200)     NOT NULL,
    matched             int               NOT NULL CHECK (matched IN (0, 1)),
    household_id        uniqueidentifier  NULL REFERENCES households (id),
    team_id             uniqueidentifier  NULL REFERENCES teams (id), -- NULL: the shared queue every team lead sees
    coach_id            uniqueidentifier  NULL REFERENCES users (id), -- the contact it was routed to
    status              nvarchar(20)      NOT NULL CHECK (status IN ('routed', 'untriaged', 'triaged')),
    triaged_by          uniqueidentifier  NULL REFERENCES users (id),
    triaged_at          datetimeoffset(7) NULL
);
CREATE INDEX ix_signals_queue ON signals (status, team_id, created_at);
CREATE INDEX ix_signals_household ON signals (household_id);

CREATE TABLE signal_members (
    id                  uniqueidentifier  NOT NULL PRIMARY KEY,
    signal_id           uniqueidentifier  NOT NULL REFERENCES signals (id),
    sort_order          int               NOT NULL,
    given_name          nvarchar(200)     NULL,
    family_name         nvarchar(200)     NOT NULL,
    date_of_birth       date              NULL,
    role                nvarchar(20)      NULL,
    bsn_hash            nvarchar(64)      NULL,
    bsn_last4           nvarchar(4)       NULL
);
CREATE INDEX ix_signal_members_signal ON signal_members (signal_id);

CREATE TABLE notifications (
    id                  uniqueidentifier  NOT NULL PRIMARY KEY,
    recipient_id        uniqueidentifier  NOT NULL REFERENCES users (id),
    seq                 bigint            NOT NULL, -- the inbox cursor, per recipient (see users.notification_seq)
    type                nvarchar(200)     NOT NULL,
    title               nvarchar(500)     NOT NULL,
    household_id        uniqueidentifier  NULL REFERENCES households (id),
    request_id          uniqueidentifier  NULL,     -- the requests table arrives with its own migration
    created_at          datetimeoffset(7) NOT NULL,
    read_at             datetimeoffset(7) NULL
);
CREATE UNIQUE INDEX ux_notifications_recipient_seq ON notifications (recipient_id, seq);

-- No foreign key to households: the log must outlive what it logs (erasure under the GDPR keeps the audit trail).
CREATE TABLE access_log (
    id                  uniqueidentifier  NOT NULL PRIMARY KEY,
    occurred_at         datetimeoffset(7) NOT NULL,
    actor_id            uniqueidentifier  NULL REFERENCES users (id),
    on_behalf_of        uniqueidentifier  NULL REFERENCES users (id),
    action              nvarchar(50)      NOT NULL,
    object_type         nvarchar(50)      NOT NULL,
    object_id           uniqueidentifier  NULL,
    household_id        uniqueidentifier  NULL,
    result              nvarchar(20)      NOT NULL CHECK (result IN ('success', 'denied')),
    origin              nvarchar(100)     NOT NULL
);
CREATE INDEX ix_access_log_household ON access_log (household_id, occurred_at);
