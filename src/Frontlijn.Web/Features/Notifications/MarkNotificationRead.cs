using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;

namespace Frontlijn.Web.Features.Notifications;

public static class MarkNotificationRead
{
    public sealed record Command(Guid Id, Guid RecipientId) : ICommand;

    // Only the recipient's own notification; reading again keeps the first moment it was read.
    internal const string MarkSql = """
        UPDATE notifications SET read_at = COALESCE(read_at, @now)
        WHERE id = @id AND recipient_id = @recipientId
        """;

    internal sealed class Handler(DbSession db, TimeProvider time) : ICommandHandler<Command>
    {
        public async ValueTask<Unit> Handle(Command command, CancellationToken ct)
        {
            var changed = await db.ExecuteAsync(MarkSql, new { command.Id, command.RecipientId, now = time.GetUtcNow() }, ct);
            return changed == 1 ? Unit.Value : throw ProblemException.NotFound("Deze melding");
        }
    }

    public static void Map(RouteGroupBuilder api) => api
        .MapPost("/notifications/{id:guid}/read", async (Guid id, CurrentUser user, IMediator mediator, CancellationToken ct) =>
        {
            await mediator.Send(new Command(id, user.Id), ct);
            return TypedResults.NoContent();
        })
        .RequireAuthorization(Policies.KnownUser)
        .WithName("markNotificationRead")
        .WithSummary("Eigen melding als gelezen markeren")
        .WithTags("Meldingen");
}
