-- Report 1 (issue 12; Features/Reports/ProvidersPerHousehold.cs, docs/features/performance-work.md "report2"): the
-- third to sixth latest of a household's closed providers' last ends on its summary row, so that the distribution is
-- settled from the row for every household but those with eight or more closed providers whose ends straddle the
-- period's start (a few thousand of 670,000 at 1M for the default period); those are found from the partial index on
-- the sixth end. The page ordered by providers now is read in the order of the index on providers_open, and the few
-- households with an end at or after the period's end from the index on latest_end.
-- The table is rebuilt: the INSERT at the end is word for word HouseholdSummary.RebuildAllSql (0023 ran the same
-- statement without the four new columns). Kept by HouseholdSummary.RefreshAsync in every writer's transaction.
ALTER TABLE household_summaries ADD COLUMN provider_end_3 timestamptz NULL, ADD COLUMN provider_end_4 timestamptz NULL,
    ADD COLUMN provider_end_5 timestamptz NULL, ADD COLUMN provider_end_6 timestamptz NULL;
-- TRUNCATE rather than DELETE: no million dead rows left behind for VACUUM.
TRUNCATE household_summaries;
-- The page by providers now (descending, then household id): read in this order, stopped after the page.
CREATE INDEX ix_household_summaries_open ON household_summaries (providers_open DESC, household_id);
-- The same for one team (the API's report): the team's rows in that order.
CREATE INDEX ix_household_summaries_team_open ON household_summaries (team_id, providers_open DESC, household_id);
-- Households whose providers now need their ends (an end at or after the period's end: past periods).
CREATE INDEX ix_household_summaries_latest_end ON household_summaries (latest_end);
-- Households whose providers in the period the row cannot settle (eight or more closed, sixth end after the start).
CREATE INDEX ix_household_summaries_end_6 ON household_summaries (provider_end_6) WHERE providers_closed >= 8;
INSERT INTO household_summaries (household_id, team_id, neighbourhood_id, status, created_at, closed_at, providers_at_intake,
providers_open, providers_closed, provider_end_1, provider_end_2, provider_end_min,
professionals_open, professionals_closed, professional_end_1, professional_end_2,
professional_end_min, latest_since, latest_end, provider_end_3, provider_end_4, provider_end_5,
provider_end_6)
SELECT h.id AS household_id, h.team_id, h.neighbourhood_id, h.status, h.created_at, h.closed_at,
       COALESCE(p.at_intake, 0) AS providers_at_intake, COALESCE(p.open_count, 0) AS providers_open,
       COALESCE(p.closed_count, 0) AS providers_closed, p.end_1 AS provider_end_1, p.end_2 AS provider_end_2,
       p.end_min AS provider_end_min,
       COALESCE(q.open_count, 0) AS professionals_open, COALESCE(q.closed_count, 0) AS professionals_closed,
       q.end_1 AS professional_end_1, q.end_2 AS professional_end_2, q.end_min AS professional_end_min,
       v.latest_since, v.latest_end,
       p.end_3 AS provider_end_3, p.end_4 AS provider_end_4, p.end_5 AS provider_end_5, p.end_6 AS provider_end_6
FROM households h
LEFT JOIN (
    SELECT household_id, SUM(at_intake) AS at_intake,
           SUM(CASE WHEN last_end IS NULL THEN 1 ELSE 0 END) AS open_count,
           SUM(CASE WHEN last_end IS NULL THEN 0 ELSE 1 END) AS closed_count,
           MAX(CASE WHEN closed_rank = 1 THEN last_end END) AS end_1,
           MAX(CASE WHEN closed_rank = 2 THEN last_end END) AS end_2,
           MIN(last_end) AS end_min,
           MAX(CASE WHEN closed_rank = 3 THEN last_end END) AS end_3,
           MAX(CASE WHEN closed_rank = 4 THEN last_end END) AS end_4,
           MAX(CASE WHEN closed_rank = 5 THEN last_end END) AS end_5,
           MAX(CASE WHEN closed_rank = 6 THEN last_end END) AS end_6
    FROM (
        SELECT household_id, at_intake, last_end,
               ROW_NUMBER() OVER (PARTITION BY household_id
                                  ORDER BY CASE WHEN last_end IS NULL THEN 1 ELSE 0 END, last_end DESC) AS closed_rank
        FROM (
            SELECT i.household_id,
                   MAX(CASE WHEN i.since <= hi.created_at AND (i.ended_at IS NULL OR i.ended_at > hi.created_at)
                            THEN 1 ELSE 0 END) AS at_intake,
                   CASE WHEN COUNT(i.ended_at) = COUNT(*) THEN MAX(i.ended_at) END AS last_end
            FROM involvements i
            JOIN households hi ON hi.id = i.household_id
            WHERE i.organisation_id IS NOT NULL AND 1 = 1
            GROUP BY i.household_id, i.organisation_id
            UNION ALL
            SELECT i.household_id,
                   MAX(CASE WHEN i.since <= hi.created_at AND (i.ended_at IS NULL OR i.ended_at > hi.created_at)
                            THEN 1 ELSE 0 END) AS at_intake,
                   CASE WHEN COUNT(i.ended_at) = COUNT(*) THEN MAX(i.ended_at) END AS last_end
            FROM involvements i
            JOIN households hi ON hi.id = i.household_id
            WHERE i.provider_key IS NOT NULL AND 1 = 1
            GROUP BY i.household_id, i.provider_key
        ) provider_spans
    ) ranked_providers
    GROUP BY household_id
) p ON p.household_id = h.id
LEFT JOIN (
    SELECT household_id,
           SUM(CASE WHEN last_end IS NULL THEN 1 ELSE 0 END) AS open_count,
           SUM(CASE WHEN last_end IS NULL THEN 0 ELSE 1 END) AS closed_count,
           MAX(CASE WHEN closed_rank = 1 THEN last_end END) AS end_1,
           MAX(CASE WHEN closed_rank = 2 THEN last_end END) AS end_2,
           MIN(last_end) AS end_min
    FROM (
        SELECT household_id, last_end,
               ROW_NUMBER() OVER (PARTITION BY household_id
                                  ORDER BY CASE WHEN last_end IS NULL THEN 1 ELSE 0 END, last_end DESC) AS closed_rank
        FROM (
            SELECT i.household_id, CASE WHEN COUNT(i.ended_at) = COUNT(*) THEN MAX(i.ended_at) END AS last_end
            FROM involvements i
            WHERE i.professional_id IS NOT NULL AND 1 = 1
            GROUP BY i.household_id, i.professional_id
            UNION ALL
            SELECT i.household_id, CASE WHEN COUNT(i.ended_at) = COUNT(*) THEN MAX(i.ended_at) END AS last_end
            FROM involvements i
            WHERE i.professional_name IS NOT NULL AND 1 = 1
            GROUP BY i.household_id, i.professional_name
        ) professional_spans
    ) ranked_professionals
    GROUP BY household_id
) q ON q.household_id = h.id
LEFT JOIN (
    SELECT i.household_id, MAX(i.since) AS latest_since, MAX(i.ended_at) AS latest_end
    FROM involvements i
    WHERE 1 = 1
    GROUP BY i.household_id
) v ON v.household_id = h.id
WHERE 1 = 1;
