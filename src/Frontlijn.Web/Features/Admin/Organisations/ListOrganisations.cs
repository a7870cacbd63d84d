using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;

namespace Frontlijn.Web.Features.Admin.Organisations;

public static class ListOrganisations
{
    public sealed record Query(WebConventions.Paging Paging) : IQuery<PagedResult<Organisation>>;

    internal const string CountSql = "SELECT COUNT(*) FROM organisations";

    internal const string PageSql = """
        SELECT id, name, kind, webhook_url,
               CASE WHEN EXISTS (SELECT 1 FROM webhook_secrets s WHERE s.organisation_id = organisations.id AND s.removed_at IS NULL)
                    THEN 1 ELSE 0 END AS has_webhook_secret,
               deactivated_at,
               (SELECT e.user_id FROM organisation_escalation_contacts e WHERE e.organisation_id = organisations.id) AS escalation_contact_id,
               reply_by_link, functional_email
        FROM organisations
        ORDER BY name, id
        {page}
        """;

    internal const string ServicesSql = """
        SELECT id, organisation_id, code, name, response_days, urgent_response_days, deactivated_at, tariff_cents, tariff_per
        FROM organisation_services
        WHERE organisation_id IN @ids
        ORDER BY code
        """;

    internal sealed record Row
    {
        public Guid Id { get; init; }
        public string Name { get; init; } = "";
        public string Kind { get; init; } = "";
        public string? WebhookUrl { get; init; }
        public int HasWebhookSecret { get; init; }
        public DateTimeOffset? DeactivatedAt { get; init; }
        public Guid? EscalationContactId { get; init; }
        public int ReplyByLink { get; init; }
        public string? FunctionalEmail { get; init; }

        public Organisation ToOrganisation(CurrentUser user, IReadOnlyList<OrganisationService> services) =>
            new(Id, Name, Kind, services, WebhookUrlFor(user, WebhookUrl), HasWebhookSecret == 1, DeactivatedAt is null, EscalationContactId,
                ReplyByLink == 1, FunctionalEmail);
    }

    internal sealed record ServiceRow
    {
        public Guid Id { get; init; }
        public Guid OrganisationId { get; init; }
        public string Code { get; init; } = "";
        public string Name { get; init; } = "";
        public int ResponseDays { get; init; }
        public int UrgentResponseDays { get; init; }
        public DateTimeOffset? DeactivatedAt { get; init; }
        public long? TariffCents { get; init; }
        public string? TariffPer { get; init; }

        public OrganisationService ToService() => new(Id, Code, Name, ResponseDays, UrgentResponseDays, DeactivatedAt is null,
            ServiceTariff.FromCents(TariffCents, TariffPer));
    }

    /// <summary>
    /// Every role may list organisations (to address a request), but only admins see where an organisation's
    /// webhooks go: the URL names a receiver inside someone's network and is nobody else's business.
    /// </summary>
    internal static string? WebhookUrlFor(CurrentUser user, string? webhookUrl) => user.IsInRole(Roles.Admin) ? webhookUrl : null;

    internal sealed class Handler(DbSession db, CurrentUser user) : IQueryHandler<Query, PagedResult<Organisation>>
    {
        public async ValueTask<PagedResult<Organisation>> Handle(Query query, CancellationToken ct)
        {
            var total = await db.ExecuteScalarAsync<int>(CountSql, ct: ct);
            var rows = (await db.QueryAsync<Row>(PageSql, new { offset = query.Paging.Offset, limit = query.Paging.Limit }, ct)).ToList();
            var services = (await db.QueryAsync<ServiceRow>(ServicesSql, new { ids = rows.Select(r => r.Id).ToArray() }, ct))
                .ToLookup(s => s.OrganisationId, s => s.ToService());
            var items = rows.Select(r => r.ToOrganisation(user, services[r.Id].ToList())).ToList();
            return new PagedResult<Organisation>(items, query.Paging.Page, query.Paging.PageSize, total);
        }
    }

    public static void Map(RouteGroupBuilder api) => api
        .MapGet("/organisations", async (int? page, int? pageSize, IMediator mediator, CancellationToken ct) =>
            TypedResults.Ok(await mediator.Send(new Query(WebConventions.ReadPaging(page, pageSize)), ct)))
        .RequireAuthorization(Policies.KnownUser)
        .WithName("listOrganisations")
        .WithSummary("Organisaties met hun diensten, op naam")
        .WithTags("Beheer");
}
