-- The household's rights (issue 11, SPEC "The household's rights (AVG / GDPR)"): erasure after the retention period,
-- legal holds that block it, and an access log that the service cannot change.

-- Erasure keeps the household row as the anonymous record the reports count (team, neighbourhood, status, dates);
-- erased_at marks it, erasure_run_id is the claim of the sweep run that erased it (a conditional UPDATE claims the
-- rows, so two nodes never erase the same household twice), and the rule it was erased under is kept with it.
ALTER TABLE households ADD COLUMN erased_at        timestamptz NULL;
ALTER TABLE households ADD COLUMN erasure_run_id   uuid        NULL;
ALTER TABLE households ADD COLUMN retention_domain text        NULL;
ALTER TABLE households ADD COLUMN retention_years  integer     NULL;
CREATE INDEX ix_households_retention ON households (closed_at) WHERE erased_at IS NULL AND closed_at IS NOT NULL;
CREATE INDEX ix_households_erasure_run ON households (erasure_run_id) WHERE erasure_run_id IS NOT NULL;

-- A legal hold (AVG art. 17(3)(b)/(e)) blocks erasure while until_on has not passed. Rows are never deleted.
CREATE TABLE legal_holds (
    id           uuid        NOT NULL PRIMARY KEY,
    household_id uuid        NOT NULL REFERENCES households (id),
    reason       text        NOT NULL,
    until_on     date        NOT NULL,
    placed_by    uuid        NOT NULL REFERENCES users (id),
    placed_at    timestamptz NOT NULL
);
CREATE INDEX ix_legal_holds_household ON legal_holds (household_id, until_on);

-- Append-only access log (NEN 7513 / BIO 8.15.01), enforced with one connection string: UPDATE and TRUNCATE are
-- always refused; DELETE only for rows older than the transaction-local setting frontlijn.retention_before, which the
-- retention sweep sets with set_config(..., true) in the transaction of its DELETE (so it ends with that transaction).
CREATE FUNCTION access_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    cutoff text := current_setting('frontlijn.retention_before', true);
BEGIN
    IF TG_OP = 'DELETE' AND cutoff IS NOT NULL AND cutoff <> '' AND OLD.occurred_at < cutoff::timestamptz THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'access_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER tr_access_log_append_only BEFORE UPDATE OR DELETE ON access_log
    FOR EACH ROW EXECUTE FUNCTION access_log_append_only();

CREATE FUNCTION access_log_no_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'access_log is append-only: TRUNCATE refused' USING ERRCODE = 'insufficient_privilege';
END;
$$;

CREATE TRIGGER tr_access_log_no_truncate BEFORE TRUNCATE ON access_log
    FOR EACH STATEMENT EXECUTE FUNCTION access_log_no_truncate();
