using Frontlijn.Web.Features.AccessLog;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;

namespace Frontlijn.Web.Features.Residents;

/// <summary>
/// <c>GET /api/v1/me/access-log</c>: who looked at the household's file and when (AVG art. 15, NEN 7513) — date, the
/// organisation or team of the professional, their role, the action and what it was about; the professional's name
/// only where <c>Residents:ShowNames</c> is set (many municipalities name the organisation, not the person). Only
/// professionals' rows: the household's own reads through the portal are not shown back to it. Newest first, paged.
/// </summary>
public static class ListMyAccessLog
{
    public sealed record Query(WebConventions.Paging Paging) : IQuery<PagedResult<MyAccessLogEntry>>;

    /// <param name="Organisation">The professional's organisation (back office); null for a team's member.</param>
    /// <param name="Team">The professional's team (coach, team lead); null for an organisation's.</param>
    /// <param name="Role">coach, team-lead, back-office or admin.</param>
    /// <param name="Professional">The professional's name; only with Residents:ShowNames.</param>
    /// <param name="Result">success or denied (an attempt that was refused).</param>
    public sealed record MyAccessLogEntry(
        DateTimeOffset OccurredAt, string? Organisation, string? Team, string Role, string Action, string ObjectType,
        string Result, string? Professional);

    internal const string CountSql = """
        SELECT COUNT(*) FROM access_log l WHERE l.household_id = @householdId AND l.actor_id IS NOT NULL
        """;

    internal const string PageSql = """
        SELECT l.occurred_at, o.name AS organisation, t.name AS team, u.role, l.action, l.object_type, l.result,
               u.display_name AS professional
        FROM access_log l
        JOIN users u ON u.id = l.actor_id
        LEFT JOIN teams t ON t.id = u.team_id
        LEFT JOIN organisations o ON o.id = u.organisation_id
        WHERE l.household_id = @householdId
        ORDER BY l.occurred_at DESC, l.id DESC
        {page}
        """;

    internal sealed record Row
    {
        public DateTimeOffset OccurredAt { get; init; }
        public string? Organisation { get; init; }
        public string? Team { get; init; }
        public string Role { get; init; } = "";
        public string Action { get; init; } = "";
        public string ObjectType { get; init; } = "";
        public string Result { get; init; } = "";
        public string? Professional { get; init; }
    }

    internal sealed class Handler(DbSession db, ResidentScope resident, ResidentSettings settings, AccessLogWriter log)
        : IQueryHandler<Query, PagedResult<MyAccessLogEntry>>
    {
        public async ValueTask<PagedResult<MyAccessLogEntry>> Handle(Query query, CancellationToken ct)
        {
            var householdId = resident.HouseholdId;
            var total = await db.ExecuteScalarAsync<int>(CountSql, new { householdId }, ct);
            var items = (await db.QueryAsync<Row>(PageSql, new { householdId, offset = query.Paging.Offset, limit = query.Paging.Limit }, ct))
                .Select(r => new MyAccessLogEntry(WorkingDaysInAmsterdam(r.OccurredAt), r.Organisation, r.Team, r.Role, r.Action,
                    r.ObjectType, r.Result, settings.ShowNames ? r.Professional : null))
                .ToList();
            await log.WriteAsync("read", "access-log", householdId, householdId, ct);
            return new PagedResult<MyAccessLogEntry>(items, query.Paging.Page, query.Paging.PageSize, total);
        }

        private static DateTimeOffset WorkingDaysInAmsterdam(DateTimeOffset at) => Requests.WorkingDays.InAmsterdam(at);
    }

    public static void Map(RouteGroupBuilder api) => api
        .MapGet("/me/access-log", async (int? page, int? pageSize, IMediator mediator, CancellationToken ct) =>
            TypedResults.Ok(await mediator.Send(new Query(WebConventions.ReadPaging(page, pageSize)), ct)))
        .RequireAuthorization(Policies.Resident)
        .WithName("listMyAccessLog")
        .WithSummary("Wie keek in ons dossier (bewoner): datum, organisatie of team, rol, handeling; nieuwste eerst")
        .WithTags(ResidentsEndpoints.Tag);
}
