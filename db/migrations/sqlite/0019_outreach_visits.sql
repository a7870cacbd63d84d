-- Outreach visits (achter de voordeur, issue 14 item 1, SPEC "The seed's other practices"): a visit to an address,
-- planned by a coach or team lead, and its outcome. A concern raises a signal (signal_id), routed like any other.
-- team_id: the team whose neighbourhood covers the address's PC4, else the planner's team.
-- household_id: the one open household at the address when the visit was planned (NULL: none, or ambiguous), so that
-- every read and change is access-logged against it.
CREATE TABLE visits (
    id                  TEXT    NOT NULL PRIMARY KEY,
    team_id             TEXT    NOT NULL REFERENCES teams (id),
    household_id        TEXT    NULL REFERENCES households (id),
    street              TEXT    NOT NULL,
    house_number        INTEGER NOT NULL,
    house_number_suffix TEXT    NOT NULL DEFAULT '',
    postal_code         TEXT    NOT NULL,
    city                TEXT    NOT NULL,
    planned_on          TEXT    NOT NULL,
    reason              TEXT    NOT NULL,
    planned_by          TEXT    NOT NULL REFERENCES users (id),
    planned_at          TEXT    NOT NULL,
    result              TEXT    NULL CHECK (result IN ('no-answer', 'talked', 'concern', 'no-concern')),
    note                TEXT    NULL,
    outcome_by          TEXT    NULL REFERENCES users (id),
    outcome_at          TEXT    NULL,
    signal_id           TEXT    NULL REFERENCES signals (id)
);
CREATE INDEX ix_visits_team_day ON visits (team_id, planned_on);
CREATE INDEX ix_visits_household ON visits (household_id);
