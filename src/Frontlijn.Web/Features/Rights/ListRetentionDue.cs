using Frontlijn.Web.Features.AccessLog;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;

namespace Frontlijn.Web.Features.Rights;

/// <summary>
/// <c>GET /api/v1/retention/due?withinDays=</c> (admin): the households whose personal data the nightly sweep erases
/// now or within <c>withinDays</c> (default 30, at most 3650), oldest closure first, held ones listed with their hold —
/// so the admin sees it before it happens and can place a legal hold. Ids, team, dates and the rule only: no names, no
/// address. Each listed household is access-logged (list retention).
/// </summary>
public static class ListRetentionDue
{
    public sealed record Query(int WithinDays, WebConventions.Paging Paging) : IQuery<PagedResult<DueHousehold>>;

    /// <param name="Due">Erasable now (the next sweep erases it unless it is held).</param>
    public sealed record DueHousehold(
        Guid HouseholdId, Guid TeamId, string TeamName, DateTimeOffset ClosedAt, string RetentionDomain, int RetentionYears,
        DateTimeOffset ErasableFrom, bool Due, RetentionCandidates.HeldBy? LegalHold);

    internal sealed class Handler(RetentionCandidates candidates, AccessLogWriter log, TimeProvider time)
        : IQueryHandler<Query, PagedResult<DueHousehold>>
    {
        public async ValueTask<PagedResult<DueHousehold>> Handle(Query query, CancellationToken ct)
        {
            var now = time.GetUtcNow();
            var all = await candidates.FindAsync(now, now.AddDays(query.WithinDays), includeHeld: true, limit: null, ct);
            var page = all.Skip(query.Paging.Offset).Take(query.Paging.Limit)
                .Select(c => new DueHousehold(c.HouseholdId, c.TeamId, c.TeamName, c.ClosedAt, c.Domain, c.Years, c.ErasableFrom,
                    c.ErasableFrom <= now, c.LegalHold))
                .ToList();
            await log.WriteListedAsync("list", "retention", page.Select(d => ((Guid?)d.HouseholdId, (Guid?)d.HouseholdId)).ToList(), ct);
            return new PagedResult<DueHousehold>(page, query.Paging.Page, query.Paging.PageSize, all.Count);
        }
    }

    public static Query Read(int? withinDays, int? page, int? pageSize)
    {
        if (withinDays is < 0 or > 3650)
        {
            throw new FluentValidation.ValidationException(
                [new FluentValidation.Results.ValidationFailure("withinDays", "withinDays ligt tussen 0 en 3650.")]);
        }
        return new Query(withinDays ?? 30, WebConventions.ReadPaging(page, pageSize));
    }

    public static void Map(RouteGroupBuilder api) => api
        .MapGet("/retention/due", async (int? withinDays, int? page, int? pageSize, IMediator mediator, CancellationToken ct) =>
            TypedResults.Ok(await mediator.Send(Read(withinDays, page, pageSize), ct)))
        .RequireAuthorization(Policies.Admin)
        .WithName("listRetentionDue")
        .WithSummary("Huishoudens waarvan de bewaartermijn nu of binnenkort afloopt (beheerder)")
        .WithTags("Bewaartermijnen");
}
