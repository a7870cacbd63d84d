-- Team objectives (issue 14, Plan-Do-Check-Act): a team lead sets a target for one of the report metrics over a
-- period; progress is computed per month from the report queries, never stored. The alerts table makes the daily
-- "behind" notification idempotent: one row per objective and month, its primary key decides who sends it.
CREATE TABLE team_objectives (
    id         uuid NOT NULL PRIMARY KEY,
    team_id    uuid NOT NULL REFERENCES teams (id),
    metric     text NOT NULL,
    target     double precision NOT NULL,
    from_on    date NOT NULL,
    to_on      date NOT NULL,
    created_by uuid NOT NULL REFERENCES users (id),
    created_at timestamptz NOT NULL
);
CREATE INDEX ix_team_objectives_team ON team_objectives (team_id);
CREATE INDEX ix_team_objectives_period ON team_objectives (to_on);

CREATE TABLE team_objective_alerts (
    objective_id uuid NOT NULL REFERENCES team_objectives (id),
    month_on     date NOT NULL,
    created_at   timestamptz NOT NULL,
    PRIMARY KEY (objective_id, month_on)
);
