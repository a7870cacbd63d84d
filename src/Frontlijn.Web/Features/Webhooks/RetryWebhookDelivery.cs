using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Frontlijn.Web.Infrastructure.Mediator;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;

namespace Frontlijn.Web.Features.Webhooks;

/// <summary>
/// The admin offers a finally failed event again (the receiver is fixed): it becomes pending, due now, with a fresh
/// retry window of its own, and keeps its id so that a receiver that did get it after all can still de-duplicate.
/// </summary>
public static class RetryWebhookDelivery
{
    public sealed record Command(Guid Id) : ICommand<WebhookDelivery>;

    internal const string RetrySql = """
        UPDATE webhook_outbox
        SET status = 'pending', attempts = 0, next_attempt_at = @now, retry_until = @retryUntil,
            failed_at = NULL, locked_until = NULL
        WHERE id = @id AND status = 'failed'
        """;

    internal const string FindSql = "SELECT " + WebhookDelivery.Columns + "\nFROM webhook_outbox\nWHERE id = @id";

    internal sealed class Handler(DbSession db, TimeProvider time, AfterCommit afterCommit, WebhookDeliveryTrigger trigger)
        : ICommandHandler<Command, WebhookDelivery>
    {
        public async ValueTask<WebhookDelivery> Handle(Command command, CancellationToken ct)
        {
            var now = time.GetUtcNow();
            var changed = await db.ExecuteAsync(RetrySql, new { command.Id, now, retryUntil = now + WebhookOutbox.RetryWindow }, ct);
            var row = await db.QuerySingleOrDefaultAsync<WebhookDeliveryRow>(FindSql, new { command.Id }, ct)
                      ?? throw ProblemException.NotFound("Deze webhook-aflevering");
            if (changed == 0)
            {
                throw ProblemException.Conflict(
                    $"Alleen een definitief mislukte aflevering kan opnieuw worden aangeboden; deze heeft status '{row.Status}'.");
            }
            afterCommit.Enqueue(_ =>
            {
                trigger.Trigger(command.Id);
                return Task.CompletedTask;
            });
            return row.ToDelivery();
        }
    }

    public static void Map(RouteGroupBuilder api) => api
        .MapPost("/webhook-deliveries/{id:guid}/retry", async (Guid id, IMediator mediator, CancellationToken ct) =>
            TypedResults.Accepted($"/api/v1/webhook-deliveries?status=pending", await mediator.Send(new Command(id), ct)))
        .RequireAuthorization(Policies.Admin)
        .WithName("retryWebhookDelivery")
        .WithSummary("Een mislukte webhook-aflevering opnieuw aanbieden (beheerder)")
        .WithTags("Webhooks");
}
