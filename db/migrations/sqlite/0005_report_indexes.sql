-- Report 1 (providers per household) reads, per household in scope, every involvement's since, ended_at, provider and
-- professional. A covering index answers that from the index alone (no lookup of each table row), which halved the
-- municipality-wide report at 100k households (docs/PERFORMANCE.md). Its leading (household_id, ended_at) still serves
-- the open-involvements-per-household lookups, so it replaces ix_involvements_household. SQLite has no INCLUDE: the
-- covered columns are trailing key columns.
DROP INDEX ix_involvements_household;
CREATE INDEX ix_involvements_household ON involvements
    (household_id, ended_at, since, organisation_id, provider_key, professional_id, professional_name);
