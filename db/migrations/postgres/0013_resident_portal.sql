-- The resident portal (issue 11, items 4-5; SPEC "Identity, sessions and roles", role resident, and "The household's
-- rights"). A resident is a household member aged 16 or older, not a Frontlijn user: nothing here references users.

-- A resident's server-side session, like auth_sessions for staff (sign-out, idle and absolute limits end it on every
-- node at once). member_id is who signed in; the household is read through the member on every request, so a member
-- who leaves the household (departed_on) loses the portal at once.
CREATE TABLE resident_sessions (
    id           uuid        NOT NULL PRIMARY KEY,
    member_id    uuid        NOT NULL REFERENCES household_members (id),
    created_at   timestamptz NOT NULL,
    last_seen_at timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    ended_at     timestamptz NULL,
    ended_reason text        NULL
);
CREATE INDEX ix_resident_sessions_member_open ON resident_sessions (member_id) WHERE ended_at IS NULL;

-- NEN 7513: the actor of a resident's own reads and changes. No foreign key: the access log outlives the member's
-- personal data (retention erases members, the log is kept Retention:AccessLogYears).
ALTER TABLE access_log ADD COLUMN actor_member_id uuid NULL;

-- A consent the household withdrew itself (through the portal) names the member who did; withdrawn_by stays NULL then.
ALTER TABLE consents ADD COLUMN withdrawn_by_member_id uuid NULL REFERENCES household_members (id);

-- The household's voice in the family plan (1Gezin1Plan): its own notes on a goal ...
CREATE TABLE plan_goal_notes (
    id           uuid        NOT NULL PRIMARY KEY,
    household_id uuid        NOT NULL REFERENCES households (id),
    goal_id      uuid        NOT NULL REFERENCES plan_goals (id),
    member_id    uuid        NOT NULL REFERENCES household_members (id),
    text         text        NOT NULL,
    created_at   timestamptz NOT NULL
);
CREATE INDEX ix_plan_goal_notes_household ON plan_goal_notes (household_id, created_at);

-- ... and whether each resident agrees with the plan (one row per member, changed in place; the access log keeps
-- every change).
CREATE TABLE plan_agreements (
    household_id uuid        NOT NULL REFERENCES households (id),
    member_id    uuid        NOT NULL REFERENCES household_members (id),
    agrees       boolean     NOT NULL,
    recorded_at  timestamptz NOT NULL,
    PRIMARY KEY (household_id, member_id)
);

-- How a resident reaches their one contact (SPEC: "the coach name and how to reach them"): the coach's work phone
-- and e-mail, shown in the portal. NULL: the portal shows Residents:ContactPhone (the team's general number) instead.
ALTER TABLE users ADD COLUMN work_phone text NULL;
ALTER TABLE users ADD COLUMN work_email text NULL;
