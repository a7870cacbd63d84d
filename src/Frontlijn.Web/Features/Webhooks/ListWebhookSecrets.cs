using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;

namespace Frontlijn.Web.Features.Webhooks;

/// <summary>The active secrets of an organisation: ids and dates only, never the secret (write-only).</summary>
public static class ListWebhookSecrets
{
    public sealed record Query(Guid OrganisationId) : IQuery<IReadOnlyList<Item>>;

    public sealed record Item(Guid Id, DateTimeOffset CreatedAt);

    internal const string ListSql = """
        SELECT id, created_at
        FROM webhook_secrets
        WHERE organisation_id = @organisationId AND removed_at IS NULL
        ORDER BY created_at, id
        """;

    internal sealed record Row
    {
        public Guid Id { get; init; }
        public DateTimeOffset CreatedAt { get; init; }
    }

    internal sealed class Handler(DbSession db) : IQueryHandler<Query, IReadOnlyList<Item>>
    {
        public async ValueTask<IReadOnlyList<Item>> Handle(Query query, CancellationToken ct)
        {
            if (await db.ExecuteScalarAsync<int>(AddWebhookSecret.OrganisationSql, new { query.OrganisationId }, ct) == 0)
            {
                throw ProblemException.NotFound("Deze organisatie");
            }
            return (await db.QueryAsync<Row>(ListSql, new { query.OrganisationId }, ct)).Select(r => new Item(r.Id, r.CreatedAt)).ToList();
        }
    }

    public static void Map(RouteGroupBuilder api) => api
        .MapGet("/organisations/{id:guid}/webhook-secrets", async (Guid id, IMediator mediator, CancellationToken ct) =>
            TypedResults.Ok(await mediator.Send(new Query(id), ct)))
        .RequireAuthorization(Policies.Admin)
        .WithName("listWebhookSecrets")
        .WithSummary("Actieve webhookgeheimen (beheerder): alleen id en datum, nooit het geheim")
        .WithTags("Webhooks");
}
