-- Report 1 (providers per household) reads, per household in scope, every involvement's since, ended_at, provider and
-- professional. A covering index answers that from the index alone (no key lookup per row); measured on SQLite and
-- PostgreSQL (docs/PERFORMANCE.md). Its key (household_id, ended_at) is the old one, so it replaces
-- ix_involvements_household.
DROP INDEX ix_involvements_household ON involvements;
CREATE INDEX ix_involvements_household ON involvements (household_id, ended_at)
    INCLUDE (since, organisation_id, provider_key, professional_id, professional_name);
