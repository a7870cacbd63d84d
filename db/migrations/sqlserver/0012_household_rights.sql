-- The household's rights (issue 11, SPEC "The household's rights (AVG / GDPR)"): erasure after the retention period,
-- legal holds that block it, and an access log that the service cannot change.

-- Erasure keeps the household row as the anonymous record the reports count (team, neighbourhood, status, dates);
-- erased_at marks it, erasure_run_id is the claim of the sweep run that erased it (a conditional UPDATE claims the
-- rows, so two nodes never erase the same household twice), and the rule it was erased under is kept with it.
ALTER TABLE households ADD erased_at datetimeoffset(7) NULL;
ALTER TABLE households ADD erasure_run_id uniqueidentifier NULL;
ALTER TABLE households ADD retention_domain nvarchar(100) NULL;
ALTER TABLE households ADD retention_years int NULL;
GO
CREATE INDEX ix_households_retention ON households (closed_at) WHERE erased_at IS NULL AND closed_at IS NOT NULL;
CREATE INDEX ix_households_erasure_run ON households (erasure_run_id) WHERE erasure_run_id IS NOT NULL;

-- A legal hold (AVG art. 17(3)(b)/(e)) blocks erasure while until_on has not passed. Rows are never deleted.
CREATE TABLE legal_holds (
    id           uniqueidentifier  NOT NULL PRIMARY KEY,
    household_id uniqueidentifier  NOT NULL REFERENCES households (id),
    reason       nvarchar(1000)    NOT NULL,
    until_on     date              NOT NULL,
    placed_by    uniqueidentifier  NOT NULL REFERENCES users (id),
    placed_at    datetimeoffset(7) NOT NULL
);
CREATE INDEX ix_legal_holds_household ON legal_holds (household_id, until_on);
GO

-- Append-only access log (NEN 7513 / BIO 8.15.01): UPDATE is always refused; DELETE only for rows older than the
-- session context value frontlijn.retention_before, which the retention sweep sets (sp_set_session_context) in the
-- transaction of its DELETE and clears again before commit. The AFTER trigger rolls the statement back with THROW.
CREATE TRIGGER tr_access_log_append_only ON access_log AFTER UPDATE, DELETE
AS
BEGIN
    SET NOCOUNT ON;
    IF EXISTS (SELECT 1 FROM inserted)
        THROW 51000, 'access_log is append-only: UPDATE refused', 1;
    DECLARE @cutoff datetimeoffset(7) =
        TRY_CONVERT(datetimeoffset(7), CONVERT(nvarchar(40), SESSION_CONTEXT(N'frontlijn.retention_before')));
    IF @cutoff IS NULL OR EXISTS (SELECT 1 FROM deleted WHERE occurred_at >= @cutoff)
        THROW 51000, 'access_log is append-only: DELETE refused', 1;
END;
