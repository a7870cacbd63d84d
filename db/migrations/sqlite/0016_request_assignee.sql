-- The back office assigns a request to a colleague of the addressed organisation (issue 10, inbox; a contract
-- extension: PUT /api/v1/requests/{id}/assignee). NULL = nobody in particular: the whole back office sees it.
ALTER TABLE requests ADD COLUMN assignee_id TEXT NULL REFERENCES users (id);
ALTER TABLE requests ADD COLUMN assigned_at TEXT NULL;
-- "Aan mij toegewezen" in the inbox.
CREATE INDEX ix_requests_organisation_assignee ON requests (organisation_id, assignee_id);
