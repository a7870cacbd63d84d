using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Mediator;

namespace Frontlijn.Web.Features.Households;

public static class GetCoachHistory
{
    public sealed record Query(Guid HouseholdId) : IQuery<IReadOnlyList<Assignment>>;

    /// <summary>One coach assignment; <c>to</c> is null while it is open.</summary>
    public sealed record Assignment(
        Guid CoachId, string CoachDisplayName, DateTimeOffset From, DateTimeOffset? To, string Reason, string? EndReason);

    // The open assignment last: with equal start times (a handover in the same instant) it is still the newest.
    internal const string HistorySql = """
        SELECT a.coach_id, u.display_name AS coach_display_name, a.from_at, a.to_at, a.reason, a.end_reason
        FROM coach_assignments a
        JOIN users u ON u.id = a.coach_id
        WHERE a.household_id = @householdId
        ORDER BY a.from_at, CASE WHEN a.to_at IS NULL THEN 1 ELSE 0 END, a.to_at
        """;

    internal sealed record Row
    {
        public Guid CoachId { get; init; }
        public string CoachDisplayName { get; init; } = "";
        public DateTimeOffset FromAt { get; init; }
        public DateTimeOffset? ToAt { get; init; }
        public string Reason { get; init; } = "";
        public string? EndReason { get; init; }
    }

    internal sealed class Handler(DbSession db, HouseholdAccess access) : IQueryHandler<Query, IReadOnlyList<Assignment>>
    {
        public async ValueTask<IReadOnlyList<Assignment>> Handle(Query query, CancellationToken ct)
        {
            await access.ReadAsync(query.HouseholdId, "coach-history", ct);
            return (await db.QueryAsync<Row>(HistorySql, new { query.HouseholdId }, ct))
                .Select(r => new Assignment(r.CoachId, r.CoachDisplayName, r.FromAt, r.ToAt, r.Reason, r.EndReason))
                .ToList();
        }
    }

    public static void Map(RouteGroupBuilder api) => api
        .MapGet("/households/{id:guid}/coach-history", async (Guid id, IMediator mediator, CancellationToken ct) =>
            TypedResults.Ok(await mediator.Send(new Query(id), ct)))
        .RequireAuthorization(Policies.CoachOrTeamLead)
        .WithName("getCoachHistory")
        .WithSummary("Alle coaches van een huishouden, oudste eerst; `to` is leeg zolang de toewijzing loopt")
        .WithTags("Huishoudens");
}
