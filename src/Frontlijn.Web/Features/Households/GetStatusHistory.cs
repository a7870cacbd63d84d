using Frontlijn.Web.Features.Requests;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Mediator;

namespace Frontlijn.Web.Features.Households;

/// <summary>
/// <c>GET /api/v1/households/{id}/status-history</c>: the household's own status changes (closing, closed, reopened),
/// oldest first, as <c>household_status_changes</c> keeps them (migration 0010). Same need-to-know as the household and
/// its coach history (coaches and team leads of its team; another team 404), and every read is access-logged as
/// <c>status-history</c>. Shaped like a request's <c>status-changes</c>: <c>{items}</c>.
/// </summary>
public static class GetStatusHistory
{
    public sealed record Query(Guid HouseholdId) : IQuery<History>;

    public sealed record History(IReadOnlyList<StatusChange> Items);

    /// <summary>One step; <c>changedBy</c> names who did it (a coach or a team lead of the team).</summary>
    public sealed record StatusChange(
        Guid Id, string FromStatus, string ToStatus, string Reason, StatusChanger ChangedBy, DateTimeOffset ChangedAt);

    public sealed record StatusChanger(Guid Id, string DisplayName);

    // Ids are UUIDv7 of the same instant, so they break ties between two changes in one transaction-second.
    internal const string HistorySql = """
        SELECT c.id, c.from_status, c.to_status, c.reason, c.changed_by, u.display_name AS changed_by_name, c.changed_at
        FROM household_status_changes c
        JOIN users u ON u.id = c.changed_by
        WHERE c.household_id = @householdId
        ORDER BY c.changed_at, c.id
        """;

    internal sealed record Row
    {
        public Guid Id { get; init; }
        public string FromStatus { get; init; } = "";
        public string ToStatus { get; init; } = "";
        public string Reason { get; init; } = "";
        public Guid ChangedBy { get; init; }
        public string ChangedByName { get; init; } = "";
        public DateTimeOffset ChangedAt { get; init; }
    }

    internal sealed class Handler(DbSession db, HouseholdAccess access) : IQueryHandler<Query, History>
    {
        public async ValueTask<History> Handle(Query query, CancellationToken ct)
        {
            await access.ReadAsync(query.HouseholdId, "status-history", ct);
            var rows = await db.QueryAsync<Row>(HistorySql, new { query.HouseholdId }, ct);
            return new History(rows.Select(r => new StatusChange(r.Id, r.FromStatus, r.ToStatus, r.Reason,
                new StatusChanger(r.ChangedBy, r.ChangedByName), WorkingDays.InAmsterdam(r.ChangedAt))).ToList());
        }
    }

    public static void Map(RouteGroupBuilder api) => api
        .MapGet("/households/{id:guid}/status-history", async (Guid id, IMediator mediator, CancellationToken ct) =>
            TypedResults.Ok(await mediator.Send(new Query(id), ct)))
        .RequireAuthorization(Policies.CoachOrTeamLead)
        .WithName("getHouseholdStatusHistory")
        .WithSummary("Statusgeschiedenis van een huishouden (afsluitfase, afgesloten, heropend), oudste eerst")
        .WithTags("Huishoudens");
}
