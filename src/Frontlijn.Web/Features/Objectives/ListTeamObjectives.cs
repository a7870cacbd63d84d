using Frontlijn.Web.Features.AccessLog;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Mediator;

namespace Frontlijn.Web.Features.Objectives;

/// <summary>GET /teams/{id}/objectives: every objective of the team with its monthly progress (Check).</summary>
public static class ListTeamObjectives
{
    public sealed record Query(Guid TeamId) : IQuery<Result>;

    public sealed record Result(IReadOnlyList<TeamObjective> Items);

    internal const string ListSql = """
        SELECT id, team_id, metric, target, from_on, to_on, created_at
        FROM team_objectives WHERE team_id = @teamId
        ORDER BY from_on, created_at, id
        """;

    internal sealed class Handler(DbSession db, ObjectiveAccess access, ObjectiveProgress progress, AccessLogWriter log)
        : IQueryHandler<Query, Result>
    {
        public async ValueTask<Result> Handle(Query query, CancellationToken ct)
        {
            await access.EnsureAsync(query.TeamId, ct);
            var items = new List<TeamObjective>();
            foreach (var r in await db.QueryAsync<ObjectiveRow>(ListSql, new { query.TeamId }, ct))
            {
                items.Add(new TeamObjective(r.Id, r.TeamId, r.Metric, r.Target, r.FromOn, r.ToOn,
                    ObjectiveMetrics.HigherIsBetter(r.Metric), r.CreatedAt,
                    await progress.ProgressAsync(r.TeamId, r.Metric, r.Target, r.FromOn, r.ToOn, ct)));
            }
            // Aggregates over the team's households, like the team report: logged as a read of the team's figures.
            await log.WriteAsync("read", "team-objectives", query.TeamId, null, ct);
            return new Result(items);
        }
    }

    public static void Map(RouteGroupBuilder api) => api
        .MapGet("/teams/{id:guid}/objectives", async (Guid id, IMediator mediator, CancellationToken ct) =>
            TypedResults.Ok(await mediator.Send(new Query(id), ct)))
        .RequireAuthorization(Policies.TeamLeadOrAdmin)
        .WithName("listTeamObjectives")
        .WithSummary("Teamdoelen met de voortgang per maand (teamleider van het team, of beheerder)")
        .WithTags("Rapportages");
}
