-- The household's rights (issue 11, SPEC "The household's rights (AVG / GDPR)"): erasure after the retention period,
-- legal holds that block it, and an access log that the service cannot change.

-- Erasure keeps the household row as the anonymous record the reports count (team, neighbourhood, status, dates);
-- erased_at marks it, erasure_run_id is the claim of the sweep run that erased it (a conditional UPDATE claims the
-- rows, so two nodes never erase the same household twice), and the rule it was erased under is kept with it.
ALTER TABLE households ADD COLUMN erased_at        TEXT    NULL;
ALTER TABLE households ADD COLUMN erasure_run_id   TEXT    NULL;
ALTER TABLE households ADD COLUMN retention_domain TEXT    NULL;
ALTER TABLE households ADD COLUMN retention_years  INTEGER NULL;
CREATE INDEX ix_households_retention ON households (closed_at) WHERE erased_at IS NULL AND closed_at IS NOT NULL;
CREATE INDEX ix_households_erasure_run ON households (erasure_run_id) WHERE erasure_run_id IS NOT NULL;

-- A legal hold (AVG art. 17(3)(b)/(e)) blocks erasure while until_on has not passed. Rows are never deleted.
CREATE TABLE legal_holds (
    id           TEXT NOT NULL PRIMARY KEY,
    household_id TEXT NOT NULL REFERENCES households (id),
    reason       TEXT NOT NULL,
    until_on     TEXT NOT NULL,
    placed_by    TEXT NOT NULL REFERENCES users (id),
    placed_at    TEXT NOT NULL
);
CREATE INDEX ix_legal_holds_household ON legal_holds (household_id, until_on);

-- Append-only access log (NEN 7513 / BIO 8.15.01): UPDATE is always refused; DELETE only for rows older than the
-- cut-off that the retention sweep writes into this one-row guard in the same transaction as its DELETE (and clears
-- again before commit). Without a cut-off (NULL) nothing is older than '' and every DELETE is refused; a deleted
-- guard row refuses every DELETE too.
CREATE TABLE access_log_retention_guard (
    id            INTEGER NOT NULL PRIMARY KEY CHECK (id = 1),
    delete_before TEXT    NULL
);
INSERT INTO access_log_retention_guard (id, delete_before) VALUES (1, NULL);

CREATE TRIGGER tr_access_log_no_update BEFORE UPDATE ON access_log
BEGIN
    SELECT RAISE(ABORT, 'access_log is append-only: UPDATE refused');
END;

CREATE TRIGGER tr_access_log_no_delete BEFORE DELETE ON access_log
WHEN NOT (OLD.occurred_at < COALESCE((SELECT delete_before FROM access_log_retention_guard WHERE id = 1), ''))
BEGIN
    SELECT RAISE(ABORT, 'access_log is append-only: DELETE refused');
END;
