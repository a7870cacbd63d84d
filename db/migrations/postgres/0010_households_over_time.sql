-- Households over time (issue 10, part 2): the household's own status history. Closure (both steps) and reopening
-- each add a row, so a reopened household keeps why and when it was closed before (households.closure_reason only
-- holds the current closure).
CREATE TABLE household_status_changes (
    id           uuid        NOT NULL PRIMARY KEY,
    household_id uuid        NOT NULL REFERENCES households (id),
    from_status  text        NOT NULL,
    to_status    text        NOT NULL,
    reason       text        NOT NULL,
    changed_by   uuid        NOT NULL REFERENCES users (id),
    changed_at   timestamptz NOT NULL
);
CREATE INDEX ix_household_status_changes_household ON household_status_changes (household_id, changed_at);

-- A member who left the household (SPEC: "kept in the history, no longer counted"): the row stays, with the date and
-- why; departed members are not offered for consents and not counted as members.
ALTER TABLE household_members ADD COLUMN departed_on date NULL;
ALTER TABLE household_members ADD COLUMN departure_reason text NULL;
