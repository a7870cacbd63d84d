-- Foundation: the organisation structure (neighbourhoods, teams, organisations with services, users).
-- SQLite stores uuids, dates and timestamps as canonical TEXT (see DapperTypeHandlers).
CREATE TABLE neighbourhoods (
    id           TEXT NOT NULL PRIMARY KEY,
    code         TEXT NOT NULL,
    name         TEXT NOT NULL,
    municipality TEXT NOT NULL,
    created_at   TEXT NOT NULL
);
CREATE UNIQUE INDEX ux_neighbourhoods_code ON neighbourhoods (code);

CREATE TABLE neighbourhood_postal_codes (
    neighbourhood_id TEXT NOT NULL REFERENCES neighbourhoods (id),
    postal_code      TEXT NOT NULL,
    PRIMARY KEY (neighbourhood_id, postal_code)
);
CREATE INDEX ix_neighbourhood_postal_codes_postal_code ON neighbourhood_postal_codes (postal_code);

CREATE TABLE teams (
    id         TEXT NOT NULL PRIMARY KEY,
    name       TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE UNIQUE INDEX ux_teams_name ON teams (name);

CREATE TABLE team_neighbourhoods (
    team_id          TEXT NOT NULL REFERENCES teams (id),
    neighbourhood_id TEXT NOT NULL REFERENCES neighbourhoods (id),
    PRIMARY KEY (team_id, neighbourhood_id)
);
CREATE INDEX ix_team_neighbourhoods_neighbourhood ON team_neighbourhoods (neighbourhood_id);

CREATE TABLE organisations (
    id             TEXT NOT NULL PRIMARY KEY,
    name           TEXT NOT NULL,
    kind           TEXT NOT NULL,
    webhook_url    TEXT NULL,
    webhook_secret TEXT NULL,
    created_at     TEXT NOT NULL
);
CREATE UNIQUE INDEX ux_organisations_name ON organisations (name);

CREATE TABLE organisation_services (
    id                   TEXT NOT NULL PRIMARY KEY,
    organisation_id      TEXT NOT NULL REFERENCES organisations (id),
    code                 TEXT NOT NULL,
    name                 TEXT NOT NULL,
    response_days        INTEGER NOT NULL CHECK (response_days BETWEEN 1 AND 60),
    urgent_response_days INTEGER NOT NULL CHECK (urgent_response_days BETWEEN 1 AND 60)
);
CREATE UNIQUE INDEX ux_organisation_services_code ON organisation_services (organisation_id, code);

CREATE TABLE users (
    id              TEXT NOT NULL PRIMARY KEY,
    username        TEXT NOT NULL,
    display_name    TEXT NOT NULL,
    role            TEXT NOT NULL CHECK (role IN ('coach', 'back-office', 'team-lead', 'admin')),
    team_id         TEXT NULL REFERENCES teams (id),
    organisation_id TEXT NULL REFERENCES organisations (id),
    max_caseload    INTEGER NOT NULL DEFAULT 20,
    created_at      TEXT NOT NULL,
    -- coaches and team leads belong to a team, back-office users to an organisation
    CHECK (role NOT IN ('coach', 'team-lead') OR team_id IS NOT NULL),
    CHECK (role <> 'back-office' OR organisation_id IS NOT NULL)
);
CREATE UNIQUE INDEX ux_users_username ON users (username);
CREATE INDEX ix_users_team ON users (team_id);
CREATE INDEX ix_users_organisation ON users (organisation_id);
