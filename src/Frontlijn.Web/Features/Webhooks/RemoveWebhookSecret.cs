using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;

namespace Frontlijn.Web.Features.Webhooks;

/// <summary>
/// Rotation, step 2: the old secret stops signing. The row stays (with <c>removed_at</c>) as a record of when the
/// secret was valid. The last active secret of an organisation with a webhook cannot be removed: its deliveries could
/// no longer be signed and would fail; add the new secret first.
/// </summary>
public static class RemoveWebhookSecret
{
    public sealed record Command(Guid OrganisationId, Guid SecretId) : ICommand<Unit>;

    internal const string FindSql = """
        SELECT COUNT(*) FROM webhook_secrets
        WHERE id = @secretId AND organisation_id = @organisationId AND removed_at IS NULL
        """;

    internal const string HasWebhookSql = "SELECT COUNT(*) FROM organisations WHERE id = @organisationId AND webhook_url IS NOT NULL";

    internal const string RemoveSql = """
        UPDATE webhook_secrets SET removed_at = @now
        WHERE id = @secretId AND organisation_id = @organisationId AND removed_at IS NULL
        """;

    internal sealed class Handler(DbSession db, TimeProvider time) : ICommandHandler<Command, Unit>
    {
        public async ValueTask<Unit> Handle(Command command, CancellationToken ct)
        {
            var args = new { command.OrganisationId, command.SecretId };
            if (await db.ExecuteScalarAsync<int>(FindSql, args, ct) == 0)
            {
                throw ProblemException.NotFound("Dit webhookgeheim");
            }
            if (await db.ExecuteScalarAsync<int>(AddWebhookSecret.ActiveCountSql, args, ct) == 1 &&
                await db.ExecuteScalarAsync<int>(HasWebhookSql, args, ct) == 1)
            {
                throw ProblemException.Conflict(
                    "Dit is het laatste actieve geheim van een organisatie met een webhook: voeg eerst een nieuw geheim toe.");
            }
            await db.ExecuteAsync(RemoveSql, new { command.OrganisationId, command.SecretId, now = time.GetUtcNow() }, ct);
            return Unit.Value;
        }
    }

    public static void Map(RouteGroupBuilder api) => api
        .MapDelete("/organisations/{id:guid}/webhook-secrets/{secretId:guid}",
            async (Guid id, Guid secretId, IMediator mediator, CancellationToken ct) =>
            {
                await mediator.Send(new Command(id, secretId), ct);
                return TypedResults.NoContent();
            })
        .RequireAuthorization(Policies.Admin)
        .WithName("removeWebhookSecret")
        .WithSummary("Webhookgeheim verwijderen (beheerder): het ondertekent vanaf nu niet meer")
        .WithTags("Webhooks");
}
