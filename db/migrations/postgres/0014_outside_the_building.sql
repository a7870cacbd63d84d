-- Outside the building (issue 13, SPEC "Outside the building"): e-mail, reply links for organisations without
-- Frontlijn accounts, meetings per household.

-- An organisation without accounts answers through a link mailed to its functional address.
ALTER TABLE organisations ADD COLUMN reply_by_link integer NOT NULL DEFAULT 0;
ALTER TABLE organisations ADD COLUMN functional_email text NULL;

-- Where the digest goes, and up to which inbox cursor (notifications.seq) a digest was already sent: a digest is
-- claimed by a conditional UPDATE of digest_seq, so two nodes never send the same one.
ALTER TABLE users ADD COLUMN email text NULL;
ALTER TABLE users ADD COLUMN digest_seq integer NOT NULL DEFAULT 0;

-- Who acted when no user did: the organisation answering through its reply link (NEN 7513: the actor is named).
ALTER TABLE access_log ADD COLUMN actor_organisation_id uuid NULL;

-- One link per request. Only a SHA-256 hash of the token is kept; the token itself is only in the mail.
-- token_hash is NULL until the mail is being sent (the sender issues the token), mail_sent_at NULL until it went out.
CREATE TABLE reply_links (
    id              uuid NOT NULL PRIMARY KEY,
    request_id uuid NOT NULL REFERENCES requests (id),
    organisation_id uuid NOT NULL REFERENCES organisations (id),
    email           text NOT NULL,
    token_hash      text NULL,
    created_at timestamptz NOT NULL,
    claimed_at timestamptz NULL,
    mail_sent_at timestamptz NULL,
    first_opened_at timestamptz NULL,
    last_used_at timestamptz NULL,
    use_count       integer NOT NULL DEFAULT 0,
    spent_at timestamptz NULL,
    revoked_at timestamptz NULL,
    revoked_by uuid NULL REFERENCES users (id)
);
CREATE UNIQUE INDEX ux_reply_links_request ON reply_links (request_id);
CREATE INDEX ix_reply_links_pending ON reply_links (mail_sent_at);

CREATE TABLE meetings (
    id                uuid NOT NULL PRIMARY KEY,
    household_id uuid NOT NULL REFERENCES households (id),
    meeting_on        date NOT NULL,
    kind              text NOT NULL CHECK (kind IN ('round-table', 'case-consultation', 'home-visit', 'other')),
    duration_minutes  integer NOT NULL CHECK (duration_minutes BETWEEN 1 AND 1440),
    household_present integer NOT NULL,
    recorded_by uuid NOT NULL REFERENCES users (id),
    recorded_at timestamptz NOT NULL
);
CREATE INDEX ix_meetings_household ON meetings (household_id, meeting_on);

CREATE TABLE meeting_participants (
    id              uuid NOT NULL PRIMARY KEY,
    meeting_id uuid NOT NULL REFERENCES meetings (id),
    position        integer NOT NULL,
    organisation_id uuid NULL REFERENCES organisations (id),
    user_id uuid NULL REFERENCES users (id),
    name            text NULL
);
CREATE INDEX ix_meeting_participants_meeting ON meeting_participants (meeting_id);
