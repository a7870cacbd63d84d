-- Costs (issue 14, geldstromen): a service may carry a tariff, in euro cents, per answered request or per started
-- month of involvement. The request keeps the tariff in force when it was sent, just as it keeps its due date: a new
-- tariff applies to requests sent afterwards only (docs/features/costs.md).
ALTER TABLE organisation_services ADD tariff_cents bigint NULL, tariff_per nvarchar(10) NULL CHECK (tariff_per IN ('request', 'month'));
GO
ALTER TABLE requests ADD tariff_cents bigint NULL, tariff_per nvarchar(10) NULL CHECK (tariff_per IN ('request', 'month'));
