-- Report 1 (providers per household) reads, per household in scope, every involvement's since, ended_at, provider and
-- professional. A covering index lets PostgreSQL answer that with an index-only scan (no heap visit per row), and makes
-- the one-team report a nested loop over the team's households instead of a scan of all involvements
-- (docs/PERFORMANCE.md). Its key (household_id, ended_at) is the old one, so it replaces ix_involvements_household.
DROP INDEX ix_involvements_household;
CREATE INDEX ix_involvements_household ON involvements (household_id, ended_at)
    INCLUDE (since, organisation_id, provider_key, professional_id, professional_name);
