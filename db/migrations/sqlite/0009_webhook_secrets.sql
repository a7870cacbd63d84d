-- Webhook secrets, encrypted at rest and rotatable (second round, SPEC "Webhooks").
-- protected_secret is the Data Protection payload (purpose "Frontlijn.Webhooks.Secret.v1") of the whsec_ secret: the
-- database never holds the plaintext. Every row without removed_at signs each delivery (Standard Webhooks: one
-- space-separated "v1,<sig>" per active secret), so a receiver can switch secrets without losing a single event.
CREATE TABLE webhook_secrets (
    id               TEXT NOT NULL PRIMARY KEY,
    organisation_id  TEXT NOT NULL REFERENCES organisations (id),
    protected_secret TEXT NOT NULL,
    created_at       TEXT NOT NULL,
    removed_at       TEXT NULL
);
CREATE INDEX ix_webhook_secrets_organisation_active ON webhook_secrets (organisation_id) WHERE removed_at IS NULL;
-- organisations.webhook_secret (plaintext, before this migration) is emptied at start-up: the service protects each
-- value and moves it here (WebhookSecretStore.ProtectPlaintextSecretsAsync); SQL alone cannot encrypt with the key ring.
