-- Identity and sessions (second round, SPEC "Identity, sessions and roles").
-- An OIDC user is identified by the token's issuer and subject, never by preferred_username (an identity provider may
-- let people change that). Both stay NULL until the admin binds the user (or Auth:BindByUsername binds it at the first
-- sign-in); one (issuer, subject) belongs to at most one user.
ALTER TABLE users ADD external_issuer  nvarchar(400)     NULL,
                      external_subject nvarchar(400)     NULL,
                      -- Deactivation instead of deletion: a user who leaves stays in every history.
                      deactivated_at   datetimeoffset(7) NULL;
GO
CREATE UNIQUE INDEX ux_users_external_identity ON users (external_issuer, external_subject)
    WHERE external_subject IS NOT NULL;

-- Server-side sessions: the cookie carries only the session id, so signing out or deactivating a user ends the
-- session here and every node refuses the cookie at once (ASVS V3.3). last_seen_at drives the idle timeout,
-- expires_at is the absolute limit.
CREATE TABLE auth_sessions (
    id           uniqueidentifier  NOT NULL PRIMARY KEY,
    user_id      uniqueidentifier  NOT NULL REFERENCES users (id),
    created_at   datetimeoffset(7) NOT NULL,
    last_seen_at datetimeoffset(7) NOT NULL,
    expires_at   datetimeoffset(7) NOT NULL,
    ended_at     datetimeoffset(7) NULL,
    ended_reason nvarchar(50)      NULL
);
CREATE INDEX ix_auth_sessions_user_open ON auth_sessions (user_id) WHERE ended_at IS NULL;

-- ASP.NET Core Data Protection key ring, shared by every node (cookies, antiforgery tokens and encrypted secrets made
-- on one node are read on another and survive a restart). The XML is stored as the key encryptor wrote it: encrypted.
CREATE TABLE data_protection_keys (
    friendly_name nvarchar(200)     NOT NULL PRIMARY KEY,
    xml           nvarchar(max)     NOT NULL,
    created_at    datetimeoffset(7) NOT NULL
);
