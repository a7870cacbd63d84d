using Frontlijn.Web.Features.Requests;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;

namespace Frontlijn.Web.Features.AccessLog;

/// <summary>
/// The NEN 7513 log of one household, newest first: for the team lead of its team and for the admin (who answers
/// requests for it). Everyone else gets 404. Reading the log is itself logged. <c>from</c>/<c>to</c> (Amsterdam calendar
/// dates, both inclusive) narrow it to a period; each row names the actor, their role and organisation, and for a
/// stand-in the coach they acted for (<c>onBehalfOf</c>).
/// </summary>
public static class GetAccessLog
{
    public sealed record Query(Guid HouseholdId, WebConventions.Paging Paging, DateOnly? From = null, DateOnly? To = null)
        : IQuery<PagedResult<AccessLogEntry>>;

    public sealed record AccessLogEntry(
        Guid Id, DateTimeOffset OccurredAt, Guid? ActorId, string? ActorDisplayName, Guid? OnBehalfOf, string Action,
        string ObjectType, Guid? ObjectId, string Result, string Origin, string? ActorRole = null,
        string? ActorOrganisationName = null, string? OnBehalfOfDisplayName = null);

    /// <summary>Both bounds are always set (an open bound is a far date), so no dialect has to type a NULL parameter.</summary>
    private static readonly DateTimeOffset Earliest = new(1970, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Latest = new(3000, 1, 1, 0, 0, 0, TimeSpan.Zero);

    public static void Validate(DateOnly? from, DateOnly? to)
    {
        if (from is { } f && to is { } t && f > t)
        {
            throw new FluentValidation.ValidationException([new("to", "De einddatum ligt op of na de begindatum.")]);
        }
    }

    internal const string HouseholdTeamSql = "SELECT team_id FROM households WHERE id = @householdId";

    internal const string CountSql = """
        SELECT COUNT(*) FROM access_log
        WHERE household_id = @householdId AND occurred_at >= @periodStart AND occurred_at < @periodEnd
        """;

    internal const string PageSql = """
        SELECT l.id, l.occurred_at, l.actor_id, u.display_name AS actor_display_name, u.role AS actor_role,
               o.name AS actor_organisation_name, l.on_behalf_of, b.display_name AS on_behalf_of_display_name, l.action,
               l.object_type, l.object_id, l.result, l.origin
        FROM access_log l
        LEFT JOIN users u ON u.id = l.actor_id
        LEFT JOIN organisations o ON o.id = u.organisation_id
        LEFT JOIN users b ON b.id = l.on_behalf_of
        WHERE l.household_id = @householdId AND l.occurred_at >= @periodStart AND l.occurred_at < @periodEnd
        ORDER BY l.occurred_at DESC, l.id DESC
        {page}
        """;

    internal sealed record HouseholdRow
    {
        public Guid TeamId { get; init; }
    }

    internal sealed record Row
    {
        public Guid Id { get; init; }
        public DateTimeOffset OccurredAt { get; init; }
        public Guid? ActorId { get; init; }
        public string? ActorDisplayName { get; init; }
        public string? ActorRole { get; init; }
        public string? ActorOrganisationName { get; init; }
        public Guid? OnBehalfOf { get; init; }
        public string? OnBehalfOfDisplayName { get; init; }
        public string Action { get; init; } = "";
        public string ObjectType { get; init; } = "";
        public Guid? ObjectId { get; init; }
        public string Result { get; init; } = "";
        public string Origin { get; init; } = "";
    }

    internal sealed class Handler(DbSession db, CurrentUser user, AccessLogWriter log) : IQueryHandler<Query, PagedResult<AccessLogEntry>>
    {
        public async ValueTask<PagedResult<AccessLogEntry>> Handle(Query query, CancellationToken ct)
        {
            var teamId = (await db.QuerySingleOrDefaultAsync<HouseholdRow>(HouseholdTeamSql, new { query.HouseholdId }, ct))?.TeamId;
            var allowed = teamId is not null &&
                          (user.IsInRole(Roles.Admin) || (user.IsInRole(Roles.TeamLead) && user.TeamId == teamId));
            if (!allowed)
            {
                if (teamId is not null)
                {
                    await log.WriteAsync("read", "access-log", query.HouseholdId, query.HouseholdId, ct, AccessLogWriter.Denied);
                }
                throw ProblemException.NotFound("Dit huishouden");
            }
            Validate(query.From, query.To);
            var periodStart = query.From is { } from ? WorkingDays.StartOfDay(from) : Earliest;
            var periodEnd = query.To is { } to ? WorkingDays.StartOfDay(to.AddDays(1)) : Latest;
            var total = await db.ExecuteScalarAsync<int>(CountSql, new { query.HouseholdId, periodStart, periodEnd }, ct);
            var items = (await db.QueryAsync<Row>(PageSql, new
            {
                query.HouseholdId, periodStart, periodEnd, offset = query.Paging.Offset, limit = query.Paging.Limit,
            }, ct)).Select(r => new AccessLogEntry(r.Id, r.OccurredAt, r.ActorId, r.ActorDisplayName, r.OnBehalfOf, r.Action,
                r.ObjectType, r.ObjectId, r.Result, r.Origin, r.ActorRole, r.ActorOrganisationName, r.OnBehalfOfDisplayName)).ToList();
            // Logged after reading, so the page shows what was there before this look at it.
            await log.WriteAsync("read", "access-log", query.HouseholdId, query.HouseholdId, ct);
            return new PagedResult<AccessLogEntry>(items, query.Paging.Page, query.Paging.PageSize, total);
        }
    }

    public static void Map(RouteGroupBuilder api) => api
        .MapGet("/households/{id:guid}/access-log", async (Guid id, int? page, int? pageSize, DateOnly? from, DateOnly? to,
            IMediator mediator, CancellationToken ct) =>
            TypedResults.Ok(await mediator.Send(new Query(id, WebConventions.ReadPaging(page, pageSize), from, to), ct)))
        .RequireAuthorization(Policies.TeamLeadOrAdmin)
        .WithName("getAccessLog")
        .WithSummary("Toegangslog (NEN 7513) van een huishouden, nieuwste eerst (teamleider van het team, beheerder)")
        .WithTags("Huishoudens");
}
