using Frontlijn.Web.Features.Households;
using Frontlijn.Web.Features.Signals;
using System.Text.Json.Serialization;

namespace Frontlijn.Web.Features.Visits;

/// <summary>
/// An outreach visit (achter de voordeur): a coach or team lead rings at an address, planned for a day, for a reason.
/// It belongs to the team whose neighbourhood covers the address's PC4 (as a signal's triage does), else to the
/// planner's team. <c>outcome</c> is null until the visit was recorded; a <c>concern</c> raised a signal.
/// </summary>
public sealed record Visit(
    Guid Id, Guid TeamId, Address Address, DateOnly PlannedOn, string Reason, CoachRef PlannedBy, DateTimeOffset PlannedAt,
    VisitOutcome? Outcome);

/// <summary><c>signalId</c>/<c>routedTo</c> only for a <c>concern</c>; <c>routedTo</c> only in the answer to the recording itself.</summary>
public sealed record VisitOutcome(
    string Result, string? Note, CoachRef RecordedBy, DateTimeOffset RecordedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Guid? SignalId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] SubmitSignal.RoutedTo? RoutedTo = null);

public static class VisitResults
{
    public const string NoAnswer = "no-answer";
    public const string Talked = "talked";
    public const string Concern = "concern";
    public const string NoConcern = "no-concern";

    public static readonly IReadOnlyList<string> All = [NoAnswer, Talked, Concern, NoConcern];

    public static string Label(string result) => result switch
    {
        NoAnswer => "Niet thuis / niet opengedaan",
        Talked => "Gesproken",
        Concern => "Zorg: signaal gemeld",
        _ => "Geen zorg",
    };
}

/// <summary>The visit row and the SQL every use case reads it with.</summary>
internal sealed record VisitRow
{
    public Guid Id { get; init; }
    public Guid TeamId { get; init; }
    public Guid? HouseholdId { get; init; }
    public string Street { get; init; } = "";
    public int HouseNumber { get; init; }
    public string HouseNumberSuffix { get; init; } = "";
    public string PostalCode { get; init; } = "";
    public string City { get; init; } = "";
    public DateOnly PlannedOn { get; init; }
    public string Reason { get; init; } = "";
    public Guid PlannedBy { get; init; }
    public string PlannedByName { get; init; } = "";
    public DateTimeOffset PlannedAt { get; init; }
    public string? Result { get; init; }
    public string? Note { get; init; }
    public Guid? OutcomeBy { get; init; }
    public string? OutcomeByName { get; init; }
    public DateTimeOffset? OutcomeAt { get; init; }
    public Guid? SignalId { get; init; }

    internal const string Select = """
        SELECT v.id, v.team_id, v.household_id, v.street, v.house_number, v.house_number_suffix, v.postal_code, v.city,
               v.planned_on, v.reason, v.planned_by, p.display_name AS planned_by_name, v.planned_at, v.result, v.note,
               v.outcome_by, o.display_name AS outcome_by_name, v.outcome_at, v.signal_id
        FROM visits v
        JOIN users p ON p.id = v.planned_by
        LEFT JOIN users o ON o.id = v.outcome_by
        """;

    internal const string FindSql = Select + "\nWHERE v.id = @id";

    public Visit ToVisit(SubmitSignal.RoutedTo? routedTo = null) => new(
        Id, TeamId, new Address(Street, HouseNumber, HouseNumberSuffix.Length == 0 ? null : HouseNumberSuffix, PostalCode, City),
        PlannedOn, Reason, new CoachRef(PlannedBy, PlannedByName), Requests.WorkingDays.InAmsterdam(PlannedAt),
        Result is null ? null : new VisitOutcome(Result, Note, new CoachRef(OutcomeBy!.Value, OutcomeByName ?? ""),
            Requests.WorkingDays.InAmsterdam(OutcomeAt!.Value), SignalId, routedTo));
}

public static class VisitsEndpoints
{
    public static RouteGroupBuilder MapVisits(this RouteGroupBuilder api)
    {
        PlanVisit.Map(api);
        ListVisits.Map(api);
        GetVisit.Map(api);
        RecordVisitOutcome.Map(api);
        return api;
    }
}
