-- Outcomes (issue 5): involvements entered by hand, the family plan, ZRM assessments and outcome sign-off.

-- A coach may register a provider outside Frontlijn (no organisation row): it is named, and counted once per
-- normalised name. A professional outside Frontlijn is named too. Never why: there is no reason column on purpose.
ALTER TABLE involvements ADD COLUMN provider_name TEXT NULL;
ALTER TABLE involvements ADD COLUMN provider_key TEXT NULL;
ALTER TABLE involvements ADD COLUMN professional_name TEXT NULL;
ALTER TABLE involvements ADD COLUMN recorded_by TEXT NULL REFERENCES users (id);
CREATE INDEX ix_involvements_open_activity ON involvements (ended_at, last_activity_at);

-- At most one open threshold alert per household: the coach and team lead hear once that a household passed the
-- number of concurrent organisations, and again only after it dropped below and passed it anew.
CREATE TABLE involvement_alerts (
    id            TEXT NOT NULL PRIMARY KEY,
    household_id  TEXT NOT NULL REFERENCES households (id),
    organisations INTEGER NOT NULL,
    raised_at     TEXT NOT NULL,
    cleared_at    TEXT NULL
);
CREATE UNIQUE INDEX ux_involvement_alerts_open ON involvement_alerts (household_id) WHERE cleared_at IS NULL;

-- One plan per household (één plan): when it is reviewed next, and which review date the reminder was sent for.
CREATE TABLE family_plans (
    household_id        TEXT NOT NULL PRIMARY KEY REFERENCES households (id),
    review_on           TEXT NOT NULL,
    last_reviewed_at    TEXT NULL,
    reminded_for_review TEXT NULL,
    created_at          TEXT NOT NULL,
    updated_at          TEXT NOT NULL
);
CREATE INDEX ix_family_plans_review ON family_plans (review_on);

CREATE TABLE plan_goals (
    id           TEXT NOT NULL PRIMARY KEY,
    household_id TEXT NOT NULL REFERENCES households (id),
    domain       TEXT NOT NULL CHECK (domain IN ('financien', 'werk-opleiding', 'tijdsbesteding', 'huisvesting', 'huiselijke-relaties', 'geestelijke-gezondheid', 'lichamelijke-gezondheid', 'middelengebruik', 'basale-adl', 'instrumentele-adl', 'sociaal-netwerk', 'maatschappelijke-participatie', 'justitie')),
    description  TEXT NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('open', 'achieved', 'dropped')),
    created_by   TEXT NOT NULL REFERENCES users (id),
    created_at   TEXT NOT NULL,
    closed_on    TEXT NULL
);
CREATE INDEX ix_plan_goals_household ON plan_goals (household_id, created_at);

CREATE TABLE plan_actions (
    id                    TEXT NOT NULL PRIMARY KEY,
    goal_id               TEXT NOT NULL REFERENCES plan_goals (id),
    household_id          TEXT NOT NULL REFERENCES households (id),
    description           TEXT NOT NULL,
    owner_kind            TEXT NOT NULL CHECK (owner_kind IN ('coach', 'organisation')),
    owner_organisation_id TEXT NULL REFERENCES organisations (id),
    due_on                TEXT NOT NULL,
    done_on               TEXT NULL,
    created_by            TEXT NOT NULL REFERENCES users (id),
    created_at            TEXT NOT NULL,
    CHECK (owner_kind = 'coach' OR owner_organisation_id IS NOT NULL)
);
CREATE INDEX ix_plan_actions_goal ON plan_actions (goal_id);

-- ZRM 2017 (Zelfredzaamheid-Matrix): codes and scores only; the criteria text is GGD Amsterdam's.
CREATE TABLE assessments (
    id                 TEXT NOT NULL PRIMARY KEY,
    household_id       TEXT NOT NULL REFERENCES households (id),
    member_id          TEXT NOT NULL REFERENCES household_members (id),
    phase              TEXT NOT NULL CHECK (phase IN ('intake', 'evaluation', 'closure')),
    assessed_on        TEXT NOT NULL,
    assessor_id        TEXT NOT NULL REFERENCES users (id),
    instrument_version TEXT NOT NULL,
    created_at         TEXT NOT NULL
);
CREATE INDEX ix_assessments_household ON assessments (household_id, member_id, assessed_on);

CREATE TABLE assessment_scores (
    assessment_id TEXT NOT NULL REFERENCES assessments (id),
    domain        TEXT NOT NULL CHECK (domain IN ('financien', 'werk-opleiding', 'tijdsbesteding', 'huisvesting', 'huiselijke-relaties', 'geestelijke-gezondheid', 'lichamelijke-gezondheid', 'middelengebruik', 'basale-adl', 'instrumentele-adl', 'sociaal-netwerk', 'maatschappelijke-participatie', 'justitie')),
    score         INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
    PRIMARY KEY (assessment_id, domain)
);

-- The team lead's sign-off of a household outcome report (who, when); the latest one counts.
CREATE TABLE outcome_signoffs (
    id           TEXT NOT NULL PRIMARY KEY,
    household_id TEXT NOT NULL REFERENCES households (id),
    signed_by    TEXT NOT NULL REFERENCES users (id),
    signed_at    TEXT NOT NULL,
    note         TEXT NULL
);
CREATE INDEX ix_outcome_signoffs_household ON outcome_signoffs (household_id, signed_at);
