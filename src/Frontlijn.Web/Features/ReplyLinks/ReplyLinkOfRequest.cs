using Hangfire;
using Frontlijn.Web.Features.AccessLog;
using Frontlijn.Web.Features.Households;
using Frontlijn.Web.Features.Requests;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;

namespace Frontlijn.Web.Features.ReplyLinks;

/// <summary>
/// The reply link of a request as the coach sees it: to which address, whether the mail went out, whether and when
/// it was opened and used, and whether it is still usable. <c>state</c>: <c>pending</c> (not mailed yet, e.g. while
/// <c>Mail:Host</c> is unset), <c>sent</c>, <c>opened</c>, <c>spent</c> (answered or declined through it),
/// <c>revoked</c>, <c>expired</c>.
/// </summary>
public sealed record ReplyLink(
    Guid Id, Guid RequestId, string Email, string State, DateTimeOffset CreatedAt, DateTimeOffset? SentAt,
    DateTimeOffset? FirstOpenedAt, DateTimeOffset? LastUsedAt, int UseCount, DateTimeOffset? SpentAt,
    DateTimeOffset? RevokedAt, DateTimeOffset ExpiresAt);

public static class GetReplyLink
{
    public sealed record Query(Guid RequestId) : IQuery<ReplyLink>;

    internal const string ByRequestSql = """
        SELECT id, request_id, organisation_id, email, token_hash, created_at, mail_sent_at, first_opened_at, last_used_at,
               use_count, spent_at, revoked_at
        FROM reply_links WHERE request_id = @requestId
        """;

    internal static ReplyLink ToLink(ReplyLinkRow l, RequestRow r, ReplyLinkSettings settings, DateTimeOffset now)
    {
        var expiresAt = r.DueAt.AddDays(settings.DaysAfterDue);
        var state = l switch
        {
            { RevokedAt: not null } => "revoked",
            { SpentAt: not null } => "spent",
            _ when now > expiresAt => "expired",
            { FirstOpenedAt: not null } => "opened",
            { MailSentAt: not null } => "sent",
            _ => "pending",
        };
        static DateTimeOffset? Local(DateTimeOffset? t) => t is { } v ? WorkingDays.InAmsterdam(v) : null;
        return new ReplyLink(l.Id, l.RequestId, l.Email, state, WorkingDays.InAmsterdam(l.CreatedAt), Local(l.MailSentAt),
            Local(l.FirstOpenedAt), Local(l.LastUsedAt), l.UseCount, Local(l.SpentAt), Local(l.RevokedAt),
            WorkingDays.InAmsterdam(expiresAt));
    }

    internal sealed class Handler(DbSession db, RequestAccess access, ReplyLinkSettings settings, TimeProvider time)
        : IQueryHandler<Query, ReplyLink>
    {
        public async ValueTask<ReplyLink> Handle(Query query, CancellationToken ct)
        {
            var request = await access.FindAsync(query.RequestId, "reply-link", ct);
            var link = await db.QuerySingleOrDefaultAsync<ReplyLinkRow>(ByRequestSql, new { query.RequestId }, ct)
                       ?? throw new ProblemException(404, "Not Found",
                           "Dit verzoek heeft geen antwoordlink: de organisatie antwoordt met een eigen account.");
            return ToLink(link, request, settings, time.GetUtcNow());
        }
    }

    public static void Map(RouteGroupBuilder api) => api
        .MapGet("/requests/{id:guid}/reply-link", async (Guid id, IMediator mediator, CancellationToken ct) =>
            TypedResults.Ok(await mediator.Send(new Query(id), ct)))
        .RequireAuthorization(Policies.CoachOrTeamLead)
        .WithName("getReplyLink")
        .WithSummary("De antwoordlink van een verzoek: verstuurd, geopend, gebruikt, ingetrokken (coach, teamleider)")
        .WithTags("Antwoordlinks");
}

/// <summary>
/// <c>DELETE /api/v1/requests/{id}/reply-link</c>: the household's coach (or stand-in) or the team lead revokes the
/// link; every later use is refused (410). 409 when there is no usable link to revoke (none, spent, already revoked).
/// The request itself is untouched: it keeps its status, and the coach may withdraw it separately.
/// </summary>
public static class RevokeReplyLink
{
    public sealed record Command(Guid RequestId) : ICommand<ReplyLink>;

    internal const string RevokeSql = """
        UPDATE reply_links SET revoked_at = @now, revoked_by = @userId
        WHERE request_id = @requestId AND revoked_at IS NULL AND spent_at IS NULL
        """;

    internal sealed class Handler(
        DbSession db, RequestAccess access, HouseholdAccess households, CurrentUser user, AccessLogWriter log,
        ReplyLinkSettings settings, TimeProvider time) : ICommandHandler<Command, ReplyLink>
    {
        public async ValueTask<ReplyLink> Handle(Command command, CancellationToken ct)
        {
            var request = await access.FindAsync(command.RequestId, null, ct);
            var household = await households.LockForChangeAsync(request.HouseholdId, ct, "reply-link");
            if (!user.IsInRole(Roles.TeamLead))
            {
                await households.RequireOwnCoachAsync(household, "update", "reply-link",
                    "Alleen de coach van dit huishouden (of diens waarnemer) of de teamleider trekt een antwoordlink in.", ct);
            }
            var now = time.GetUtcNow();
            if (await db.ExecuteAsync(RevokeSql, new { command.RequestId, now, userId = user.Id }, ct) == 0)
            {
                throw ProblemException.Conflict("Dit verzoek heeft geen antwoordlink die nog te gebruiken is (geen, al gebruikt of al ingetrokken).");
            }
            await log.WriteAsync("update", "reply-link", command.RequestId, request.HouseholdId, ct);
            var link = await db.QuerySingleOrDefaultAsync<ReplyLinkRow>(GetReplyLink.ByRequestSql, new { command.RequestId }, ct);
            return GetReplyLink.ToLink(link!, request, settings, now);
        }
    }

    public static void Map(RouteGroupBuilder api) => api
        .MapDelete("/requests/{id:guid}/reply-link", async (Guid id, IMediator mediator, CancellationToken ct) =>
            TypedResults.Ok(await mediator.Send(new Command(id), ct)))
        .RequireAuthorization(Policies.CoachOrTeamLead)
        .WithName("revokeReplyLink")
        .WithSummary("Antwoordlink intrekken (coach van het huishouden, teamleider)")
        .WithTags("Antwoordlinks");
}

public static class ReplyLinksSetup
{
    public static IServiceCollection AddReplyLinks(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddSingleton(ReplyLinkSettings.FromConfiguration(configuration));
        services.AddSingleton<ReplyLinkTokens>();
        services.AddScoped<ReplyLinkResolver>();
        services.AddScoped<ReplyLinkOffer>();
        services.AddScoped<ReplyLinkMailer>();
        return services;
    }

    public static RouteGroupBuilder MapReplyLinks(this RouteGroupBuilder api)
    {
        UseReplyLink.Map(api);
        GetReplyLink.Map(api);
        RevokeReplyLink.Map(api);
        return api;
    }

    public static void ScheduleReplyLinkJobs(this IRecurringJobManager jobs) =>
        jobs.AddOrUpdate<ReplyLinkMailer>(ReplyLinkMailer.RecurringJobId, job => job.RunAsync(CancellationToken.None), Cron.Minutely());
}
