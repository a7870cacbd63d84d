-- Identity and sessions (second round, SPEC "Identity, sessions and roles").
-- An OIDC user is identified by the token's issuer and subject, never by preferred_username (an identity provider may
-- let people change that). Both stay NULL until the admin binds the user (or Auth:BindByUsername binds it at the first
-- sign-in); one (issuer, subject) belongs to at most one user.
ALTER TABLE users ADD COLUMN external_issuer  text        NULL;
ALTER TABLE users ADD COLUMN external_subject text        NULL;
-- Deactivation instead of deletion: a user who leaves stays in every history (assignments, access log).
ALTER TABLE users ADD COLUMN deactivated_at   timestamptz NULL;
CREATE UNIQUE INDEX ux_users_external_identity ON users (external_issuer, external_subject)
    WHERE external_subject IS NOT NULL;

-- Server-side sessions: the cookie carries only the session id, so signing out or deactivating a user ends the
-- session here and every node refuses the cookie at once (ASVS V3.3). last_seen_at drives the idle timeout,
-- expires_at is the absolute limit.
CREATE TABLE auth_sessions (
    id           uuid        NOT NULL PRIMARY KEY,
    user_id      uuid        NOT NULL REFERENCES users (id),
    created_at   timestamptz NOT NULL,
    last_seen_at timestamptz NOT NULL,
    expires_at   timestamptz NOT NULL,
    ended_at     timestamptz NULL,
    ended_reason text        NULL
);
CREATE INDEX ix_auth_sessions_user_open ON auth_sessions (user_id) WHERE ended_at IS NULL;

-- ASP.NET Core Data Protection key ring, shared by every node (cookies, antiforgery tokens and encrypted secrets made
-- on one node are read on another and survive a restart). The XML is stored as the key encryptor wrote it: encrypted.
CREATE TABLE data_protection_keys (
    friendly_name text        NOT NULL PRIMARY KEY,
    xml           text        NOT NULL,
    created_at    timestamptz NOT NULL
);
