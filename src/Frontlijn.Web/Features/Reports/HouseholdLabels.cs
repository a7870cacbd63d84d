using Frontlijn.Web.Features.Households;
using Frontlijn.Web.Infrastructure.Data;

namespace Frontlijn.Web.Features.Reports;

/// <summary>How a person recognises a household in a CSV: family name (of the head, else any current member), address,
/// neighbourhood and coach, next to the id.</summary>
public sealed record HouseholdLabel(Guid Id, string FamilyName, string Address, string Neighbourhood, string? Coach);

/// <summary>
/// The labels of the households a report lists, for its CSV only (the JSON keeps its ids; the page links them). Only
/// called after the report's own scope check (the team lead's own team) and access logging, for the same households.
/// </summary>
public sealed class HouseholdLabels(DbSession db)
{
    private const string Select = """
        SELECT h.id, h.street, h.house_number, h.house_number_suffix, h.postal_code, h.city, n.name AS neighbourhood_name,
               u.display_name AS coach_display_name,
               COALESCE((SELECT MIN(m.family_name) FROM household_members m
                         WHERE m.household_id = h.id AND m.departed_on IS NULL AND m.role = 'head'),
                        (SELECT MIN(m.family_name) FROM household_members m
                         WHERE m.household_id = h.id AND m.departed_on IS NULL)) AS family_name
        FROM households h
        JOIN neighbourhoods n ON n.id = h.neighbourhood_id
        LEFT JOIN coach_assignments a ON a.household_id = h.id AND a.to_at IS NULL
        LEFT JOIN users u ON u.id = a.coach_id
        """;

    internal const string TeamSql = Select + "\nWHERE h.team_id = @teamId";
    internal const string HouseholdSql = Select + "\nWHERE h.id = @householdId";

    internal sealed record Row
    {
        public Guid Id { get; init; }
        public string Street { get; init; } = "";
        public int HouseNumber { get; init; }
        public string HouseNumberSuffix { get; init; } = "";
        public string PostalCode { get; init; } = "";
        public string City { get; init; } = "";
        public string NeighbourhoodName { get; init; } = "";
        public string? CoachDisplayName { get; init; }
        public string? FamilyName { get; init; }

        public HouseholdLabel Label => new(Id, FamilyName ?? "",
            Pages.Ui.Address(new Address(Street, HouseNumber, HouseNumberSuffix.Length == 0 ? null : HouseNumberSuffix, PostalCode, City)),
            NeighbourhoodName, CoachDisplayName);
    }

    public async Task<IReadOnlyDictionary<Guid, HouseholdLabel>> ForTeamAsync(Guid teamId, CancellationToken ct) =>
        (await db.QueryAsync<Row>(TeamSql, new { teamId }, ct)).ToDictionary(r => r.Id, r => r.Label);

    public async Task<HouseholdLabel?> ForHouseholdAsync(Guid householdId, CancellationToken ct) =>
        (await db.QueryAsync<Row>(HouseholdSql, new { householdId }, ct)).Select(r => r.Label).FirstOrDefault();
}
