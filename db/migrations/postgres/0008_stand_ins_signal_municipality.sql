-- Stand-ins (waarneming, SPEC "Identity, sessions and roles") and the municipality of a signal in the shared queue.
-- A stand-in acts on the households of one coach during [from_at, until_at) unless ended earlier (ended_at); a row is
-- never deleted, so the access log's on_behalf_of stays explainable.
CREATE TABLE stand_ins (
    id          uuid        NOT NULL PRIMARY KEY,
    coach_id    uuid        NOT NULL REFERENCES users (id),
    stand_in_id uuid        NOT NULL REFERENCES users (id),
    from_at     timestamptz NOT NULL,
    until_at    timestamptz NOT NULL,
    ended_at    timestamptz NULL,
    created_by  uuid        NOT NULL REFERENCES users (id),
    created_at  timestamptz NOT NULL,
    ended_by    uuid        NULL REFERENCES users (id),
    CHECK (until_at > from_at),
    CHECK (stand_in_id <> coach_id)
);
CREATE INDEX ix_stand_ins_stand_in ON stand_ins (stand_in_id, coach_id);
CREATE INDEX ix_stand_ins_coach ON stand_ins (coach_id);

-- The municipality a signal in the shared queue belongs to (its address's city matched against
-- neighbourhoods.municipality); NULL when it matched none, then every team lead sees it.
ALTER TABLE signals ADD COLUMN municipality text NULL;
CREATE INDEX ix_signals_shared_queue ON signals (status, municipality) WHERE team_id IS NULL;
