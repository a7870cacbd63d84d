using System.Globalization;
using FluentValidation;
using Frontlijn.Web.Features.AccessLog;
using Frontlijn.Web.Features.Households;
using Frontlijn.Web.Features.Requests;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;

namespace Frontlijn.Web.Features.Addresses;

/// <summary>
/// The address view (pandbrigade, issue 14): the households at an address and in the same building (same postal code
/// and house number, any suffix), open and closed, with their signals. Need-to-know: the team lead sees the households
/// of their own team in full; those of other teams only as a count (no id, no suffix, no status), so the view tells
/// that another team is involved in the building without telling anything about that household.
/// Visits are not part of this view yet (the visits table is built in parallel; see the feature doc).
/// </summary>
public static class AddressOverview
{
    public sealed record Query(string? PostalCode, string? HouseNumber, string? HouseNumberSuffix) : IQuery<Overview>;

    public sealed record Overview(
        string PostalCode, int HouseNumber, string? HouseNumberSuffix, IReadOnlyList<HouseholdAtAddress> Households,
        int OtherTeamsHouseholds);

    /// <summary><c>atAddress</c>: the exact address asked for (same suffix); otherwise elsewhere in the building.</summary>
    public sealed record HouseholdAtAddress(
        Guid HouseholdId, string? FamilyName, string Street, int HouseNumber, string? HouseNumberSuffix, string PostalCode,
        string City, bool AtAddress, string Status, DateOnly RegisteredOn, DateOnly? ClosedOn, string? ClosureReason,
        IReadOnlyList<SignalAtAddress> Signals);

    public sealed record SignalAtAddress(Guid SignalId, DateTimeOffset CreatedAt, string Status, IReadOnlyList<string> Domains);

    /// <summary>The access log's object type of a household shown in the address view (object id: the household).</summary>
    public const string ObjectType = "address-overview";

    // Every household in the building, any team; the handler keeps the own team's rows and counts the others.
    internal const string HouseholdsSql = """
        SELECT h.id, h.team_id, h.street, h.house_number, h.house_number_suffix, h.postal_code, h.city, h.status,
               h.closure_reason, h.created_at, h.closed_at,
               COALESCE((SELECT MIN(m.family_name) FROM household_members m
                         WHERE m.household_id = h.id AND m.departed_on IS NULL AND m.role = 'head'),
                        (SELECT MIN(m.family_name) FROM household_members m WHERE m.household_id = h.id)) AS family_name
        FROM households h
        WHERE h.postal_code = @postalCode AND h.house_number = @houseNumber
        ORDER BY h.house_number_suffix, h.created_at, h.id
        """;

    // Only the signals of the own team's households in the building (never another team's).
    internal const string SignalsSql = """
        SELECT s.id, s.household_id, s.created_at, s.status, s.domains
        FROM signals s
        JOIN households h ON h.id = s.household_id
        WHERE h.postal_code = @postalCode AND h.house_number = @houseNumber AND h.team_id = @teamId
        ORDER BY s.created_at, s.id
        """;

    internal sealed record HouseholdRow
    {
        public Guid Id { get; init; }
        public Guid TeamId { get; init; }
        public string Street { get; init; } = "";
        public int HouseNumber { get; init; }
        public string HouseNumberSuffix { get; init; } = "";
        public string PostalCode { get; init; } = "";
        public string City { get; init; } = "";
        public string Status { get; init; } = "";
        public string? ClosureReason { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
        public DateTimeOffset? ClosedAt { get; init; }
        public string? FamilyName { get; init; }
    }

    internal sealed record SignalRow
    {
        public Guid Id { get; init; }
        public Guid HouseholdId { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
        public string Status { get; init; } = "";
        public string Domains { get; init; } = "";
    }

    internal static (string PostalCode, int HouseNumber, string Suffix) Validate(Query query)
    {
        var errors = new List<FluentValidation.Results.ValidationFailure>();
        if (!PostalCodes.IsValid(query.PostalCode)) errors.Add(new("postalCode", "Vul een postcode in zoals 1234 AB."));
        var numberOk = int.TryParse(query.HouseNumber, NumberStyles.None, CultureInfo.InvariantCulture, out var number)
            && number is >= 1 and <= 99999;
        if (!numberOk) errors.Add(new("houseNumber", "Vul een huisnummer in van 1 tot en met 99999."));
        var suffix = (query.HouseNumberSuffix ?? "").Trim().ToUpperInvariant();
        if (suffix.Length > 10) errors.Add(new("houseNumberSuffix", "Een toevoeging is hoogstens 10 tekens."));
        if (errors.Count > 0) throw new ValidationException(errors);
        return (PostalCodes.Normalise(query.PostalCode), number, suffix);
    }

    internal sealed class Handler(DbSession db, CurrentUser user, AccessLogWriter log) : IQueryHandler<Query, Overview>
    {
        public async ValueTask<Overview> Handle(Query query, CancellationToken ct)
        {
            var (postalCode, houseNumber, suffix) = Validate(query);
            if (user.TeamId is not { } teamId) throw ProblemException.Forbidden("Het adresoverzicht is voor teamleiders.");
            var rows = (await db.QueryAsync<HouseholdRow>(HouseholdsSql, new { postalCode, houseNumber }, ct)).ToList();
            var own = rows.Where(r => r.TeamId == teamId).ToList();
            var signals = own.Count == 0
                ? []
                : (await db.QueryAsync<SignalRow>(SignalsSql, new { postalCode, houseNumber, teamId }, ct)).ToList();
            // One access-log row per household shown; the other teams' households are not shown, only counted.
            await log.WriteListedAsync("read", ObjectType, own.Select(r => ((Guid?)r.Id, (Guid?)r.Id)).ToList(), ct);
            var households = own.Select(r => new HouseholdAtAddress(
                r.Id, r.FamilyName, r.Street, r.HouseNumber, r.HouseNumberSuffix.Length == 0 ? null : r.HouseNumberSuffix,
                r.PostalCode, r.City, string.Equals(r.HouseNumberSuffix, suffix, StringComparison.OrdinalIgnoreCase), r.Status,
                WorkingDays.LocalDate(r.CreatedAt), r.ClosedAt is { } c ? WorkingDays.LocalDate(c) : null, r.ClosureReason,
                signals.Where(s => s.HouseholdId == r.Id)
                    .Select(s => new SignalAtAddress(s.Id, s.CreatedAt, s.Status,
                        s.Domains.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
                    .ToList())).ToList();
            return new Overview(postalCode, houseNumber, suffix.Length == 0 ? null : suffix, households, rows.Count - own.Count);
        }
    }

    public static void Map(RouteGroupBuilder api) => api
        .MapGet("/address-overview", async (string? postalCode, string? houseNumber, string? houseNumberSuffix,
            IMediator mediator, CancellationToken ct) =>
            Results.Ok(await mediator.Send(new Query(postalCode, houseNumber, houseNumberSuffix), ct)))
        .RequireAuthorization(Policies.TeamLead)
        .Produces<Overview>(contentType: "application/json")
        .WithName("getAddressOverview")
        .WithSummary("Adresoverzicht: huishoudens op een adres en in hetzelfde pand, nu en eerder")
        .WithTags("Adressen");
}
