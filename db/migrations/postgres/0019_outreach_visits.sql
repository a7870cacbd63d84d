-- Outreach visits (achter de voordeur, issue 14 item 1). See the SQLite file for the comments.
CREATE TABLE visits (
    id                  uuid        NOT NULL PRIMARY KEY,
    team_id             uuid        NOT NULL REFERENCES teams (id),
    household_id        uuid        NULL REFERENCES households (id),
    street              text        NOT NULL,
    house_number        integer     NOT NULL,
    house_number_suffix text        NOT NULL DEFAULT '',
    postal_code         text        NOT NULL,
    city                text        NOT NULL,
    planned_on          date        NOT NULL,
    reason              text        NOT NULL,
    planned_by          uuid        NOT NULL REFERENCES users (id),
    planned_at          timestamptz NOT NULL,
    result              text        NULL CHECK (result IN ('no-answer', 'talked', 'concern', 'no-concern')),
    note                text        NULL,
    outcome_by          uuid        NULL REFERENCES users (id),
    outcome_at          timestamptz NULL,
    signal_id           uuid        NULL REFERENCES signals (id)
);
CREATE INDEX ix_visits_team_day ON visits (team_id, planned_on);
CREATE INDEX ix_visits_household ON visits (household_id);
