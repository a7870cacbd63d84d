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
/// Visits (achter de voordeur) at the building: the own team's visits in full (day, reason, result; never the
/// household a visit was linked to), other teams' visits only as a count, for the same reason as their households.
/// </summary>
public static class AddressOverview
{
    public sealed record Query(string? PostalCode, string? HouseNumber, string? HouseNumberSuffix) : IQuery<Overview>;

    /// <summary><c>visits</c> and <c>otherTeamsVisits</c> were added after the first version (fields only added).</summary>
    public sealed record Overview(
        string PostalCode, int HouseNumber, string? HouseNumberSuffix, IReadOnlyList<HouseholdAtAddress> Households,
        int OtherTeamsHouseholds, IReadOnlyList<VisitAtAddress> Visits, int OtherTeamsVisits);

    /// <summary><c>atAddress</c>: the exact address asked for (same suffix); otherwise elsewhere in the building.</summary>
    public sealed record HouseholdAtAddress(
        Guid HouseholdId, string? FamilyName, string Street, int HouseNumber, string? HouseNumberSuffix, string PostalCode,
        string City, bool AtAddress, string Status, DateOnly RegisteredOn, DateOnly? ClosedOn, string? ClosureReason,
        IReadOnlyList<SignalAtAddress> Signals, CoachRef? Coach);

    /// <summary>
    /// A visit of the own team at the building. <c>result</c> null: not yet recorded; <c>signalId</c>: the signal a
    /// concern raised (it also shows under its household's signals when that household is the own team's).
    /// </summary>
    public sealed record VisitAtAddress(
        Guid VisitId, string Street, int HouseNumber, string? HouseNumberSuffix, bool AtAddress, DateOnly PlannedOn,
        string Reason, string? Result, DateTimeOffset? RecordedAt, Guid? SignalId);

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

    // The coaches of the own team's households in the building; the handler takes the open assignment, else the last
    // one (the coach the household had when it was closed).
    internal const string CoachesSql = """
        SELECT a.household_id, a.coach_id, u.display_name, a.from_at, a.to_at
        FROM coach_assignments a
        JOIN households h ON h.id = a.household_id
        JOIN users u ON u.id = a.coach_id
        WHERE h.postal_code = @postalCode AND h.house_number = @houseNumber AND h.team_id = @teamId
        """;

    // Every visit at the building, any team; the handler shows the own team's and only counts the others.
    internal const string VisitsSql = """
        SELECT v.id, v.team_id, v.household_id, v.street, v.house_number, v.house_number_suffix, v.planned_on, v.reason,
               v.result, v.outcome_at, v.signal_id
        FROM visits v
        WHERE v.postal_code = @postalCode AND v.house_number = @houseNumber
        ORDER BY v.planned_on DESC, v.house_number_suffix, v.id
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

    internal sealed record CoachRow
    {
        public Guid HouseholdId { get; init; }
        public Guid CoachId { get; init; }
        public string DisplayName { get; init; } = "";
        public DateTimeOffset FromAt { get; init; }
        public DateTimeOffset? ToAt { get; init; }
    }

    internal sealed record VisitRow
    {
        public Guid Id { get; init; }
        public Guid TeamId { get; init; }
        public Guid? HouseholdId { get; init; }
        public string Street { get; init; } = "";
        public int HouseNumber { get; init; }
        public string HouseNumberSuffix { get; init; } = "";
        public DateOnly PlannedOn { get; init; }
        public string Reason { get; init; } = "";
        public string? Result { get; init; }
        public DateTimeOffset? OutcomeAt { get; init; }
        public Guid? SignalId { get; init; }
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
            var coaches = own.Count == 0
                ? []
                : (await db.QueryAsync<CoachRow>(CoachesSql, new { postalCode, houseNumber, teamId }, ct))
                    .GroupBy(c => c.HouseholdId)
                    .ToDictionary(g => g.Key, g => g.OrderBy(c => c.ToAt is null ? 1 : 0).ThenBy(c => c.FromAt).Last());
            var visits = (await db.QueryAsync<VisitRow>(VisitsSql, new { postalCode, houseNumber }, ct)).ToList();
            var ownVisits = visits.Where(v => v.TeamId == teamId).ToList();
            // One access-log row per household shown; the other teams' households are not shown, only counted.
            await log.WriteListedAsync("read", ObjectType, own.Select(r => ((Guid?)r.Id, (Guid?)r.Id)).ToList(), ct);
            // A shown visit linked to a household is a read about that household (as listing visits is), even when
            // the household itself is another team's and stays hidden: the visit is the own team's record.
            await log.WriteListedAsync("read", "visit",
                ownVisits.Where(v => v.HouseholdId is not null).Select(v => ((Guid?)v.Id, v.HouseholdId)).ToList(), ct);
            var households = own.Select(r => new HouseholdAtAddress(
                r.Id, r.FamilyName, r.Street, r.HouseNumber, r.HouseNumberSuffix.Length == 0 ? null : r.HouseNumberSuffix,
                r.PostalCode, r.City, string.Equals(r.HouseNumberSuffix, suffix, StringComparison.OrdinalIgnoreCase), r.Status,
                WorkingDays.LocalDate(r.CreatedAt), r.ClosedAt is { } c ? WorkingDays.LocalDate(c) : null, r.ClosureReason,
                signals.Where(s => s.HouseholdId == r.Id)
                    .Select(s => new SignalAtAddress(s.Id, s.CreatedAt, s.Status,
                        s.Domains.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
                    .ToList(),
                coaches.TryGetValue(r.Id, out var coach) ? new CoachRef(coach.CoachId, coach.DisplayName) : null)).ToList();
            var shownVisits = ownVisits.Select(v => new VisitAtAddress(
                v.Id, v.Street, v.HouseNumber, v.HouseNumberSuffix.Length == 0 ? null : v.HouseNumberSuffix,
                string.Equals(v.HouseNumberSuffix, suffix, StringComparison.OrdinalIgnoreCase), v.PlannedOn, v.Reason, v.Result,
                v.OutcomeAt is { } at ? WorkingDays.InAmsterdam(at) : null, v.SignalId)).ToList();
            return new Overview(postalCode, houseNumber, suffix.Length == 0 ? null : suffix, households, rows.Count - own.Count,
                shownVisits, visits.Count - ownVisits.Count);
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
