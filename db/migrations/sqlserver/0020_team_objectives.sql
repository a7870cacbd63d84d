-- Team objectives (issue 14, Plan-Do-Check-Act): a team lead sets a target for one of the report metrics over a
-- period; progress is computed per month from the report queries, never stored. The alerts table makes the daily
-- "behind" notification idempotent: one row per objective and month, its primary key decides who sends it.
CREATE TABLE team_objectives (
    id         uniqueidentifier NOT NULL PRIMARY KEY,
    team_id    uniqueidentifier NOT NULL REFERENCES teams (id),
    metric     nvarchar(64) NOT NULL,
    target     float NOT NULL,
    from_on    date NOT NULL,
    to_on      date NOT NULL,
    created_by uniqueidentifier NOT NULL REFERENCES users (id),
    created_at datetimeoffset(7) NOT NULL
);
CREATE INDEX ix_team_objectives_team ON team_objectives (team_id);
CREATE INDEX ix_team_objectives_period ON team_objectives (to_on);

CREATE TABLE team_objective_alerts (
    objective_id uniqueidentifier NOT NULL REFERENCES team_objectives (id),
    month_on     date NOT NULL,
    created_at   datetimeoffset(7) NOT NULL,
    PRIMARY KEY (objective_id, month_on)
);
