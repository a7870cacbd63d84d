-- Report 1's per-household summary (issue 12; Features/Reports/HouseholdSummary.cs, docs/notes/summary.md): one row per
-- household with its scope columns and, from its involvements, the period-independent figures and the few ends that
-- tell whether a period's figures follow from the row exactly. Every writer keeps it in its own transaction; the
-- INSERT at the end is the backfill for the households that exist already, word for word HouseholdSummary.RebuildAllSql.
CREATE TABLE household_summaries (
    household_id         TEXT    NOT NULL PRIMARY KEY REFERENCES households (id),
    team_id              TEXT    NOT NULL,
    neighbourhood_id     TEXT    NOT NULL,
    status               TEXT    NOT NULL,
    created_at           TEXT    NOT NULL,
    closed_at            TEXT    NULL,
    providers_at_intake  INTEGER NOT NULL,
    providers_open       INTEGER NOT NULL,
    providers_closed     INTEGER NOT NULL,
    provider_end_1       TEXT    NULL,
    provider_end_2       TEXT    NULL,
    provider_end_min     TEXT    NULL,
    professionals_open   INTEGER NOT NULL,
    professionals_closed INTEGER NOT NULL,
    professional_end_1   TEXT    NULL,
    professional_end_2   TEXT    NULL,
    professional_end_min TEXT    NULL,
    latest_since         TEXT    NULL,
    latest_end           TEXT    NULL
);
-- The team lead's report reads one team's rows.
CREATE INDEX ix_household_summaries_team ON household_summaries (team_id);
INSERT INTO household_summaries (household_id, team_id, neighbourhood_id, status, created_at, closed_at, providers_at_intake,
providers_open, providers_closed, provider_end_1, provider_end_2, provider_end_min,
professionals_open, professionals_closed, professional_end_1, professional_end_2,
professional_end_min, latest_since, latest_end)
SELECT h.id AS household_id, h.team_id, h.neighbourhood_id, h.status, h.created_at, h.closed_at,
       COALESCE(p.at_intake, 0) AS providers_at_intake, COALESCE(p.open_count, 0) AS providers_open,
       COALESCE(p.closed_count, 0) AS providers_closed, p.end_1 AS provider_end_1, p.end_2 AS provider_end_2,
       p.end_min AS provider_end_min,
       COALESCE(q.open_count, 0) AS professionals_open, COALESCE(q.closed_count, 0) AS professionals_closed,
       q.end_1 AS professional_end_1, q.end_2 AS professional_end_2, q.end_min AS professional_end_min,
       v.latest_since, v.latest_end
FROM households h
LEFT JOIN (
    SELECT household_id, SUM(at_intake) AS at_intake,
           SUM(CASE WHEN last_end IS NULL THEN 1 ELSE 0 END) AS open_count,
           SUM(CASE WHEN last_end IS NULL THEN 0 ELSE 1 END) AS closed_count,
           MAX(CASE WHEN closed_rank = 1 THEN last_end END) AS end_1,
           MAX(CASE WHEN closed_rank = 2 THEN last_end END) AS end_2,
           MIN(last_end) AS end_min
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
