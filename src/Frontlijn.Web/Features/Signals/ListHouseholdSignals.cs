using Frontlijn.Web.Features.Households;
using Frontlijn.Web.Infrastructure.Data;
using Mediator;

namespace Frontlijn.Web.Features.Signals;

/// <summary>
/// The signals linked to one household, oldest first, for its timeline: who sent it, when, routed or triaged, and the
/// concern. Need-to-know as for the household itself (its coach and team lead; 404 for everyone else).
/// </summary>
public static class ListHouseholdSignals
{
    public sealed record Query(Guid HouseholdId) : IQuery<IReadOnlyList<HouseholdSignal>>;

    public sealed record HouseholdSignal(
        Guid Id, string Status, DateTimeOffset CreatedAt, string Concern, IReadOnlyList<string> Domains, CoachRef Sender);

    internal const string SignalsSql = """
        SELECT s.id, s.status, s.created_at, s.concern, s.domains, s.sender_id, u.display_name AS sender_display_name
        FROM signals s
        JOIN users u ON u.id = s.sender_id
        WHERE s.household_id = @householdId
        ORDER BY s.created_at, s.id
        """;

    internal sealed record Row
    {
        public Guid Id { get; init; }
        public string Status { get; init; } = "";
        public DateTimeOffset CreatedAt { get; init; }
        public string Concern { get; init; } = "";
        public string Domains { get; init; } = "";
        public Guid SenderId { get; init; }
        public string SenderDisplayName { get; init; } = "";
    }

    internal sealed class Handler(DbSession db, HouseholdAccess access) : IQueryHandler<Query, IReadOnlyList<HouseholdSignal>>
    {
        public async ValueTask<IReadOnlyList<HouseholdSignal>> Handle(Query query, CancellationToken ct)
        {
            await access.ReadAsync(query.HouseholdId, "signal", ct);
            return (await db.QueryAsync<Row>(SignalsSql, new { query.HouseholdId }, ct))
                .Select(r => new HouseholdSignal(r.Id, r.Status, r.CreatedAt, r.Concern,
                    r.Domains.Split(',', StringSplitOptions.RemoveEmptyEntries), new CoachRef(r.SenderId, r.SenderDisplayName)))
                .ToList();
        }
    }
}
