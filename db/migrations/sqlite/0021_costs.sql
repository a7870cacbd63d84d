-- Costs (issue 14, geldstromen): a service may carry a tariff, in euro cents (integers: no rounding drift in SQLite),
-- per answered request or per started month of involvement. The request keeps the tariff in force when it was sent,
-- just as it keeps its due date: a new tariff applies to requests sent afterwards only (docs/features/costs.md).
ALTER TABLE organisation_services ADD COLUMN tariff_cents INTEGER NULL;
ALTER TABLE organisation_services ADD COLUMN tariff_per TEXT NULL CHECK (tariff_per IN ('request', 'month'));
ALTER TABLE requests ADD COLUMN tariff_cents INTEGER NULL;
ALTER TABLE requests ADD COLUMN tariff_per TEXT NULL CHECK (tariff_per IN ('request', 'month'));
