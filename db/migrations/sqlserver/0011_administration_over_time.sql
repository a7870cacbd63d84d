-- Administration over time (second round, SPEC "Administration over time").
-- Deactivation instead of deletion, as for users: requests already sent to an organisation or a service keep
-- pointing at it and keep working; a NULL deactivated_at means active, and only new requests look at it.
ALTER TABLE organisations ADD deactivated_at datetimeoffset(7) NULL;
GO
ALTER TABLE organisation_services ADD deactivated_at datetimeoffset(7) NULL;
