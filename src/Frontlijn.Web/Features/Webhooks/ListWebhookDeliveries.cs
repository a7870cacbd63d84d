using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;

namespace Frontlijn.Web.Features.Webhooks;

public static class ListWebhookDeliveries
{
    /// <summary>Optional filters: one status (pending, delivered, failed), one organisation.</summary>
    public sealed record Query(WebConventions.Paging Paging, string? Status, Guid? OrganisationId)
        : IQuery<PagedResult<WebhookDelivery>>;

    private const string Filter = """
        WHERE (@status IS NULL OR status = @status)
          AND (@organisationId IS NULL OR organisation_id = @organisationId)
        """;

    internal const string CountSql = "SELECT COUNT(*) FROM webhook_outbox " + Filter;

    internal const string PageSql = "SELECT " + WebhookDelivery.Columns + "\nFROM webhook_outbox\n" + Filter + "\n" + """
        ORDER BY created_at DESC, id DESC
        {page}
        """;

    internal sealed class Handler(DbSession db) : IQueryHandler<Query, PagedResult<WebhookDelivery>>
    {
        public async ValueTask<PagedResult<WebhookDelivery>> Handle(Query query, CancellationToken ct)
        {
            var total = await db.ExecuteScalarAsync<int>(CountSql, new { query.Status, query.OrganisationId }, ct);
            var items = (await db.QueryAsync<WebhookDeliveryRow>(PageSql, new
            {
                query.Status, query.OrganisationId, offset = query.Paging.Offset, limit = query.Paging.Limit,
            }, ct)).Select(r => r.ToDelivery()).ToList();
            return new PagedResult<WebhookDelivery>(items, query.Paging.Page, query.Paging.PageSize, total);
        }
    }

    public static void Map(RouteGroupBuilder api) => api
        .MapGet("/webhook-deliveries", async (int? page, int? pageSize, string? status, Guid? organisationId,
                IMediator mediator, CancellationToken ct) =>
        {
            if (status is not null && !WebhookDelivery.Statuses.Contains(status))
            {
                throw new FluentValidation.ValidationException([new("status", "Status is pending, delivered of failed.")]);
            }
            return TypedResults.Ok(await mediator.Send(
                new Query(WebConventions.ReadPaging(page, pageSize), status, organisationId), ct));
        })
        .RequireAuthorization(Policies.Admin)
        .WithName("listWebhookDeliveries")
        .WithSummary("Webhook-afleveringen (beheerder), nieuwste eerst; ?status=failed toont wat definitief mislukte")
        .WithTags("Webhooks");
}
