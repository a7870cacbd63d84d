using Frontlijn.Web.Features.AccessLog;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;

namespace Frontlijn.Web.Features.Visits;

/// <summary>
/// One visit, for the phone page that records its outcome (and for any client that opens a visit from the list).
/// Who may see it is exactly who may record its outcome (<see cref="RecordVisitOutcome"/>): a coach or team lead of the
/// visit's team, or its planner; anyone else gets 404, logged as a refused read when the visit is at a household's
/// address. A read at such an address is logged as <c>read visit</c>. Like the list, the answer has no household id
/// and, for a concern, only the signal's id: where the signal went is told once, to the one who recorded it.
/// </summary>
public static class GetVisit
{
    public sealed record Query(Guid VisitId) : IQuery<Visit>;

    internal sealed class Handler(DbSession db, CurrentUser user, AccessLogWriter log) : IQueryHandler<Query, Visit>
    {
        public async ValueTask<Visit> Handle(Query query, CancellationToken ct)
        {
            var visit = await db.QuerySingleOrDefaultAsync<VisitRow>(VisitRow.FindSql, new { id = query.VisitId }, ct);
            if (visit is null || (visit.TeamId != user.TeamId && visit.PlannedBy != user.Id))
            {
                if (visit?.HouseholdId is { } h) await log.WriteAsync("read", "visit", visit.Id, h, ct, AccessLogWriter.Denied);
                throw ProblemException.NotFound("Bezoek");
            }
            await log.WriteAsync("read", "visit", visit.Id, visit.HouseholdId, ct);
            return visit.ToVisit();
        }
    }

    public static void Map(RouteGroupBuilder api) => api
        .MapGet("/visits/{id:guid}", async (Guid id, IMediator mediator, CancellationToken ct) =>
            TypedResults.Ok(await mediator.Send(new Query(id), ct)))
        .RequireAuthorization(Policies.CoachOrTeamLead)
        .WithName("getVisit")
        .WithSummary("Eén bezoek achter de voordeur (bezoeker, team)")
        .WithTags("Bezoeken");
}
