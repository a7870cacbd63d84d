-- Outcomes (issue 5): involvements entered by hand, the family plan, ZRM assessments and outcome sign-off.

-- A coach may register a provider outside Frontlijn (no organisation row): it is named, and counted once per
-- normalised name. A professional outside Frontlijn is named too. Never why: there is no reason column on purpose.
ALTER TABLE involvements ADD provider_name nvarchar(200) NULL;
ALTER TABLE involvements ADD provider_key nvarchar(200) NULL;
ALTER TABLE involvements ADD professional_name nvarchar(200) NULL;
ALTER TABLE involvements ADD recorded_by uniqueidentifier NULL REFERENCES users (id);
CREATE INDEX ix_involvements_open_activity ON involvements (ended_at, last_activity_at);

-- At most one open threshold alert per household: the coach and team lead hear once that a household passed the
-- number of concurrent organisations, and again only after it dropped below and passed it anew.
CREATE TABLE involvement_alerts (
    id            uniqueidentifier NOT NULL PRIMARY KEY,
    household_id  uniqueidentifier NOT NULL REFERENCES households (id),
    organisations int NOT NULL,
    raised_at     datetimeoffset(7) NOT NULL,
    cleared_at    datetimeoffset(7) NULL
);
CREATE UNIQUE INDEX ux_involvement_alerts_open ON involvement_alerts (household_id) WHERE cleared_at IS NULL;

-- One plan per household (één plan): when it is reviewed next, and which review date the reminder was sent for.
CREATE TABLE family_plans (
    household_id        uniqueidentifier NOT NULL PRIMARY KEY REFERENCES households (id),
    review_on           date NOT NULL,
    last_reviewed_at    datetimeoffset(7) NULL,
    reminded_for_review date NULL,
    created_at          datetimeoffset(7) NOT NULL,
    updated_at          datetimeoffset(7) NOT NULL
);
CREATE INDEX ix_family_plans_review ON family_plans (review_on);

CREATE TABLE plan_goals (
    id           uniqueidentifier NOT NULL PRIMARY KEY,
    household_id uniqueidentifier NOT NULL REFERENCES households (id),
    domain       nvarchar(200) NOT NULL CHECK (domain IN ('financien', 'werk-opleiding', 'tijdsbesteding', 'huisvesting', 'huiselijke-relaties', 'geestelijke-gezondheid', 'lichamelijke-gezondheid', 'middelengebruik', 'basale-adl', 'instrumentele-adl', 'sociaal-netwerk', 'maatschappelijke-participatie', 'justitie')),
    description  nvarchar(max) NOT NULL,
    status       nvarchar(200) NOT NULL CHECK (status IN ('open', 'achieved', 'dropped')),
    created_by   uniqueidentifier NOT NULL REFERENCES users (id),
    created_at   datetimeoffset(7) NOT NULL,
    closed_on    date NULL
);
CREATE INDEX ix_plan_goals_household ON plan_goals (household_id, created_at);

CREATE TABLE plan_actions (
    id                    uniqueidentifier NOT NULL PRIMARY KEY,
    goal_id               uniqueidentifier NOT NULL REFERENCES plan_goals (id),
    household_id          uniqueidentifier NOT NULL REFERENCES households (id),
    description           nvarchar(max) NOT NULL,
    owner_kind            nvarchar(200) NOT NULL CHECK (owner_kind IN ('coach', 'organisation')),
    owner_organisation_id uniqueidentifier NULL REFERENCES organisations (id),
    due_on                date NOT NULL,
    done_on               date NULL,
    created_by            uniqueidentifier NOT NULL REFERENCES users (id),
    created_at            datetimeoffset(7) NOT NULL,
    CHECK (owner_kind = 'coach' OR owner_organisation_id IS NOT NULL)
);
CREATE INDEX ix_plan_actions_goal ON plan_actions (goal_id);

-- ZRM 2017 (Zelfredzaamheid-Matrix): codes and scores only; the criteria text is GGD Amsterdam's.
CREATE TABLE assessments (
    id                 uniqueidentifier NOT NULL PRIMARY KEY,
    household_id       uniqueidentifier NOT NULL REFERENCES households (id),
    member_id          uniqueidentifier NOT NULL REFERENCES household_members (id),
    phase              nvarchar(200) NOT NULL CHECK (phase IN ('intake', 'evaluation', 'closure')),
    assessed_on        date NOT NULL,
    assessor_id        uniqueidentifier NOT NULL REFERENCES users (id),
    instrument_version nvarchar(200) NOT NULL,
    created_at         datetimeoffset(7) NOT NULL
);
CREATE INDEX ix_assessments_household ON assessments (household_id, member_id, assessed_on);

CREATE TABLE assessment_scores (
    assessment_id uniqueidentifier NOT NULL REFERENCES assessments (id),
    domain        nvarchar(200) NOT NULL CHECK (domain IN ('financien', 'werk-opleiding', 'tijdsbesteding', 'huisvesting', 'huiselijke-relaties', 'geestelijke-gezondheid', 'lichamelijke-gezondheid', 'middelengebruik', 'basale-adl', 'instrumentele-adl', 'sociaal-netwerk', 'maatschappelijke-participatie', 'justitie')),
    score         int NOT NULL CHECK (score BETWEEN 1 AND 5),
    PRIMARY KEY (assessment_id, domain)
);

-- The team lead's sign-off of a household outcome report (who, when); the latest one counts.
CREATE TABLE outcome_signoffs (
    id           uniqueidentifier NOT NULL PRIMARY KEY,
    household_id uniqueidentifier NOT NULL REFERENCES households (id),
    signed_by    uniqueidentifier NOT NULL REFERENCES users (id),
    signed_at    datetimeoffset(7) NOT NULL,
    note         nvarchar(max) NULL
);
CREATE INDEX ix_outcome_signoffs_household ON outcome_signoffs (household_id, signed_at);
