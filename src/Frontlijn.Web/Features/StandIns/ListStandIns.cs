using Frontlijn.Web.Features.Requests;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;

namespace Frontlijn.Web.Features.StandIns;

/// <summary>
/// The running and planned stand-ins of the team lead's own team (the stand-in page); what is over or ended is history
/// and not listed. Dates as the PUT takes them: <c>from</c> and <c>until</c> both included.
/// </summary>
public static class ListStandIns
{
    public sealed record Query : IQuery<IReadOnlyList<Item>>;

    public sealed record Item(Guid Id, Guid CoachId, string CoachDisplayName, Guid StandInId, string StandInDisplayName,
        DateOnly From, DateOnly Until, bool Running);

    internal const string Sql = """
        SELECT s.id, s.coach_id, c.display_name AS coach_display_name, s.stand_in_id, w.display_name AS stand_in_display_name,
               s.from_at, s.until_at
        FROM stand_ins s
        JOIN users c ON c.id = s.coach_id
        JOIN users w ON w.id = s.stand_in_id
        WHERE c.team_id = @teamId AND s.ended_at IS NULL AND s.until_at > @now
        ORDER BY s.from_at, c.display_name, s.id
        """;

    internal sealed record Row
    {
        public Guid Id { get; init; }
        public Guid CoachId { get; init; }
        public string CoachDisplayName { get; init; } = "";
        public Guid StandInId { get; init; }
        public string StandInDisplayName { get; init; } = "";
        public DateTimeOffset FromAt { get; init; }
        public DateTimeOffset UntilAt { get; init; }
    }

    internal sealed class Handler(DbSession db, CurrentUser user, TimeProvider time) : IQueryHandler<Query, IReadOnlyList<Item>>
    {
        public async ValueTask<IReadOnlyList<Item>> Handle(Query query, CancellationToken ct)
        {
            if (!user.IsInRole(Roles.TeamLead)) throw ProblemException.Forbidden("Waarneming is voor teamleiders.");
            var teamId = StandInRules.TeamOfLead(user);
            var now = time.GetUtcNow();
            return (await db.QueryAsync<Row>(Sql, new { teamId, now }, ct))
                .Select(r => new Item(r.Id, r.CoachId, r.CoachDisplayName, r.StandInId, r.StandInDisplayName,
                    WorkingDays.LocalDate(r.FromAt), WorkingDays.LocalDate(r.UntilAt).AddDays(-1), r.FromAt <= now))
                .ToList();
        }
    }
}
