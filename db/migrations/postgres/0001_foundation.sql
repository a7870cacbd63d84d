-- Foundation: the organisation structure (neighbourhoods, teams, organisations with services, users).
CREATE TABLE neighbourhoods (
    id           uuid        NOT NULL PRIMARY KEY,
    code         text        NOT NULL,
    name         text        NOT NULL,
    municipality text        NOT NULL,
    created_at   timestamptz NOT NULL
);
CREATE UNIQUE INDEX ux_neighbourhoods_code ON neighbourhoods (code);

CREATE TABLE neighbourhood_postal_codes (
    neighbourhood_id uuid NOT NULL REFERENCES neighbourhoods (id),
    postal_code      text NOT NULL,
    PRIMARY KEY (neighbourhood_id, postal_code)
);
CREATE INDEX ix_neighbourhood_postal_codes_postal_code ON neighbourhood_postal_codes (postal_code);

CREATE TABLE teams (
    id         uuid        NOT NULL PRIMARY KEY,
    name       text        NOT NULL,
    created_at timestamptz NOT NULL
);
CREATE UNIQUE INDEX ux_teams_name ON teams (name);

CREATE TABLE team_neighbourhoods (
    team_id          uuid NOT NULL REFERENCES teams (id),
    neighbourhood_id uuid NOT NULL REFERENCES neighbourhoods (id),
    PRIMARY KEY (team_id, neighbourhood_id)
);
CREATE INDEX ix_team_neighbourhoods_neighbourhood ON team_neighbourhoods (neighbourhood_id);

CREATE TABLE organisations (
    id             uuid        NOT NULL PRIMARY KEY,
    name           text        NOT NULL,
    kind           text        NOT NULL,
    webhook_url    text        NULL,
    webhook_secret text        NULL,
    created_at     timestamptz NOT NULL
);
CREATE UNIQUE INDEX ux_organisations_name ON organisations (name);

CREATE TABLE organisation_services (
    id                   uuid    NOT NULL PRIMARY KEY,
    organisation_id      uuid    NOT NULL REFERENCES organisations (id),
    code                 text    NOT NULL,
    name                 text    NOT NULL,
    response_days        integer NOT NULL CHECK (response_days BETWEEN 1 AND 60),
    urgent_response_days integer NOT NULL CHECK (urgent_response_days BETWEEN 1 AND 60)
);
CREATE UNIQUE INDEX ux_organisation_services_code ON organisation_services (organisation_id, code);

CREATE TABLE users (
    id              uuid        NOT NULL PRIMARY KEY,
    username        text        NOT NULL,
    display_name    text        NOT NULL,
    role            text        NOT NULL CHECK (role IN ('coach', 'back-office', 'team-lead', 'admin')),
    team_id         uuid        NULL REFERENCES teams (id),
    organisation_id uuid        NULL REFERENCES organisations (id),
    max_caseload    integer     NOT NULL DEFAULT 20,
    created_at      timestamptz NOT NULL,
    CHECK (role NOT IN ('coach', 'team-lead') OR team_id IS NOT NULL),
    CHECK (role <> 'back-office' OR organisation_id IS NOT NULL)
);
CREATE UNIQUE INDEX ux_users_username ON users (username);
CREATE INDEX ix_users_team ON users (team_id);
CREATE INDEX ix_users_organisation ON users (organisation_id);
