-- Outside the building (issue 13, SPEC "Outside the building"): e-mail, reply links for organisations without
-- Frontlijn accounts, meetings per household. See the SQLite file for the comments on each table.
ALTER TABLE organisations ADD reply_by_link int NOT NULL DEFAULT 0;
GO
ALTER TABLE organisations ADD functional_email nvarchar(320) NULL;
GO
ALTER TABLE users ADD email nvarchar(320) NULL;
GO
ALTER TABLE users ADD digest_seq int NOT NULL DEFAULT 0;
GO
ALTER TABLE access_log ADD actor_organisation_id uniqueidentifier NULL;
GO
CREATE TABLE reply_links (
    id              uniqueidentifier NOT NULL PRIMARY KEY,
    request_id      uniqueidentifier NOT NULL REFERENCES requests (id),
    organisation_id uniqueidentifier NOT NULL REFERENCES organisations (id),
    email           nvarchar(320) NOT NULL,
    token_hash      nvarchar(100) NULL,
    created_at      datetimeoffset(7) NOT NULL,
    claimed_at      datetimeoffset(7) NULL,
    mail_sent_at    datetimeoffset(7) NULL,
    first_opened_at datetimeoffset(7) NULL,
    last_used_at    datetimeoffset(7) NULL,
    use_count       int NOT NULL DEFAULT 0,
    spent_at        datetimeoffset(7) NULL,
    revoked_at      datetimeoffset(7) NULL,
    revoked_by      uniqueidentifier NULL REFERENCES users (id)
);
GO
CREATE UNIQUE INDEX ux_reply_links_request ON reply_links (request_id);
GO
CREATE INDEX ix_reply_links_pending ON reply_links (mail_sent_at);
GO
CREATE TABLE meetings (
    id                uniqueidentifier NOT NULL PRIMARY KEY,
    household_id      uniqueidentifier NOT NULL REFERENCES households (id),
    meeting_on        date NOT NULL,
    kind              nvarchar(100) NOT NULL CHECK (kind IN ('round-table', 'case-consultation', 'home-visit', 'other')),
    duration_minutes  int NOT NULL CHECK (duration_minutes BETWEEN 1 AND 1440),
    household_present int NOT NULL,
    recorded_by       uniqueidentifier NOT NULL REFERENCES users (id),
    recorded_at       datetimeoffset(7) NOT NULL
);
GO
CREATE INDEX ix_meetings_household ON meetings (household_id, meeting_on);
GO
CREATE TABLE meeting_participants (
    id              uniqueidentifier NOT NULL PRIMARY KEY,
    meeting_id      uniqueidentifier NOT NULL REFERENCES meetings (id),
    position        int NOT NULL,
    organisation_id uniqueidentifier NULL REFERENCES organisations (id),
    user_id         uniqueidentifier NULL REFERENCES users (id),
    name            nvarchar(200) NULL
);
GO
CREATE INDEX ix_meeting_participants_meeting ON meeting_participants (meeting_id);
