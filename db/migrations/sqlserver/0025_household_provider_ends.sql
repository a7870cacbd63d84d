-- Report 1's closed providers' and professionals' last ends (issue 12; Features/Reports/HouseholdSummary.cs,
-- docs/features/performance-work.md "report"): one row per closed provider (kind 1: organisation by id, outside
-- provider by key) and per closed professional (kind 2: by account, by name) of a household, with the last end of its
-- involvements. The report counts the ends after a period's start from it, so every household whose involvements all
-- started before the period's end is answered from the summary exactly. Kept by HouseholdSummary.RefreshAsync in every
-- writer's transaction; the INSERT at the end is the backfill, word for word HouseholdSummary.RebuildAllEndsSql.
CREATE TABLE household_provider_ends (
    household_id uniqueidentifier  NOT NULL REFERENCES households (id),
    kind         smallint          NOT NULL,
    last_end     datetimeoffset(7) NOT NULL
);
GO
-- The refresh deletes and re-inserts one household's rows; the report counts one household's ends after a moment.
CREATE INDEX ix_household_provider_ends_household ON household_provider_ends (household_id, kind, last_end);
GO
-- The report's other branch (households with an involvement starting at or after the period's end: past periods only)
-- is found from this index instead of a second full scan of the summaries; for a period ending today it is empty.
CREATE INDEX ix_household_summaries_latest_since ON household_summaries (latest_since);
GO
INSERT INTO household_provider_ends (household_id, kind, last_end)
SELECT i.household_id, 1 AS kind, MAX(i.ended_at) AS last_end
FROM involvements i
WHERE i.organisation_id IS NOT NULL AND 1 = 1
GROUP BY i.household_id, i.organisation_id
HAVING COUNT(i.ended_at) = COUNT(*)
UNION ALL
SELECT i.household_id, 1 AS kind, MAX(i.ended_at) AS last_end
FROM involvements i
WHERE i.provider_key IS NOT NULL AND 1 = 1
GROUP BY i.household_id, i.provider_key
HAVING COUNT(i.ended_at) = COUNT(*)
UNION ALL
SELECT i.household_id, 2 AS kind, MAX(i.ended_at) AS last_end
FROM involvements i
WHERE i.professional_id IS NOT NULL AND 1 = 1
GROUP BY i.household_id, i.professional_id
HAVING COUNT(i.ended_at) = COUNT(*)
UNION ALL
SELECT i.household_id, 2 AS kind, MAX(i.ended_at) AS last_end
FROM involvements i
WHERE i.professional_name IS NOT NULL AND 1 = 1
GROUP BY i.household_id, i.professional_name
HAVING COUNT(i.ended_at) = COUNT(*);
