-- The back office assigns a request to a colleague of the addressed organisation (issue 10, inbox; a contract
-- extension: PUT /api/v1/requests/{id}/assignee). NULL = nobody in particular: the whole back office sees it.
ALTER TABLE requests ADD assignee_id uniqueidentifier NULL REFERENCES users (id), assigned_at datetimeoffset(7) NULL;
GO
-- "Aan mij toegewezen" in the inbox.
CREATE INDEX ix_requests_organisation_assignee ON requests (organisation_id, assignee_id);
