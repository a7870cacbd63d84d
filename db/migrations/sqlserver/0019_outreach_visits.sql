-- Outreach visits (achter de voordeur, issue 14 item 1). See the SQLite file for the comments.
CREATE TABLE visits (
    id                  uniqueidentifier  NOT NULL PRIMARY KEY,
    team_id             uniqueidentifier  NOT NULL REFERENCES teams (id),
    household_id        uniqueidentifier  NULL REFERENCES households (id),
    street              nvarchar(200)     NOT NULL,
    house_number        int               NOT NULL,
    house_number_suffix nvarchar(10)      NOT NULL DEFAULT '',
    postal_code         nvarchar(6)       NOT NULL,
    city                nvarchar(200)     NOT NULL,
    planned_on          date              NOT NULL,
    reason              nvarchar(2000)    NOT NULL,
    planned_by          uniqueidentifier  NOT NULL REFERENCES users (id),
    planned_at          datetimeoffset(7) NOT NULL,
    result              nvarchar(20)      NULL CHECK (result IN ('no-answer', 'talked', 'concern', 'no-concern')),
    note                nvarchar(4000)    NULL,
    outcome_by          uniqueidentifier  NULL REFERENCES users (id),
    outcome_at          datetimeoffset(7) NULL,
    signal_id           uniqueidentifier  NULL REFERENCES signals (id)
);
GO
CREATE INDEX ix_visits_team_day ON visits (team_id, planned_on);
GO
CREATE INDEX ix_visits_household ON visits (household_id);
GO
