-- Foundation: the organisation structure (neighbourhoods, teams, organisations with services, users).
CREATE TABLE neighbourhoods (
    id           uniqueidentifier  NOT NULL PRIMARY KEY,
    code         nvarchar(50)      NOT NULL,
    name         nvarchar(200)     NOT NULL,
    municipality nvarchar(200)     NOT NULL,
    created_at   datetimeoffset(7) NOT NULL
);
CREATE UNIQUE INDEX ux_neighbourhoods_code ON neighbourhoods (code);

CREATE TABLE neighbourhood_postal_codes (
    neighbourhood_id uniqueidentifier NOT NULL REFERENCES neighbourhoods (id),
    postal_code      nchar(4)         NOT NULL,
    PRIMARY KEY (neighbourhood_id, postal_code)
);
CREATE INDEX ix_neighbourhood_postal_codes_postal_code ON neighbourhood_postal_codes (postal_code);

CREATE TABLE teams (
    id         uniqueidentifier  NOT NULL PRIMARY KEY,
    name       nvarchar(200)     NOT NULL,
    created_at datetimeoffset(7) NOT NULL
);
CREATE UNIQUE INDEX ux_teams_name ON teams (name);

CREATE TABLE team_neighbourhoods (
    team_id          uniqueidentifier NOT NULL REFERENCES teams (id),
    neighbourhood_id uniqueidentifier NOT NULL REFERENCES neighbourhoods (id),
    PRIMARY KEY (team_id, neighbourhood_id)
);
CREATE INDEX ix_team_neighbourhoods_neighbourhood ON team_neighbourhoods (neighbourhood_id);

CREATE TABLE organisations (
    id             uniqueidentifier  NOT NULL PRIMARY KEY,
    name           nvarchar(200)     NOT NULL,
    kind           nvarchar(100)     NOT NULL,
    webhook_url    nvarchar(2000)    NULL,
    webhook_secret nvarchar(200)     NULL,
    created_at     datetimeoffset(7) NOT NULL
);
CREATE UNIQUE INDEX ux_organisations_name ON organisations (name);

CREATE TABLE organisation_services (
    id                   uniqueidentifier NOT NULL PRIMARY KEY,
    organisation_id      uniqueidentifier NOT NULL REFERENCES organisations (id),
    code                 nvarchar(100)    NOT NULL,
    name                 nvarchar(200)    NOT NULL,
    response_days        int              NOT NULL CHECK (response_days BETWEEN 1 AND 60),
    urgent_response_days int              NOT NULL CHECK (urgent_response_days BETWEEN 1 AND 60)
);
CREATE UNIQUE INDEX ux_organisation_services_code ON organisation_services (organisation_id, code);

CREATE TABLE users (
    id              uniqueidentifier  NOT NULL PRIMARY KEY,
    username        nvarchar(100)     NOT NULL,
    display_name    nvarchar(200)     NOT NULL,
    role            nvarchar(20)      NOT NULL CHECK (role IN ('coach', 'back-office', 'team-lead', 'admin')),
    team_id         uniqueidentifier  NULL REFERENCES teams (id),
    organisation_id uniqueidentifier  NULL REFERENCES organisations (id),
    max_caseload    int               NOT NULL DEFAULT 20,
    created_at      datetimeoffset(7) NOT NULL,
    CHECK (role NOT IN ('coach', 'team-lead') OR team_id IS NOT NULL),
    CHECK (role <> 'back-office' OR organisation_id IS NOT NULL)
);
CREATE UNIQUE INDEX ux_users_username ON users (username);
CREATE INDEX ix_users_team ON users (team_id);
CREATE INDEX ix_users_organisation ON users (organisation_id);
