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

    // An organisation row (migration 0027) is read per colleague: the caller's mark in notification_reads, only when
    // the row is in their inbox (they are a back-office user of its organisation since before it was written — the
    // view's rule), inserted if absent, so reading again keeps the first moment and a colleague's mark is not theirs.
    private const string VisibleOrganisationRow = """
        FROM notifications n
        JOIN users u ON u.id = @recipientId AND u.organisation_id = n.organisation_id AND u.role = 'back-office'
                    AND n.seq > u.feed_since_seq
        WHERE n.id = @id AND n.organisation_id IS NOT NULL
        """;

    internal const string MarkOrganisationRowSql = """
        INSERT INTO notification_reads (notification_id, user_id, read_at)
        SELECT n.id, u.id, @now
        """ + "\n" + VisibleOrganisationRow + """

          AND NOT EXISTS (SELECT 1 FROM notification_reads r WHERE r.notification_id = n.id AND r.user_id = u.id)
        """;

    /// <summary>Visible to the caller at all (an earlier mark of theirs, or a concurrent one, made the INSERT a no-op).</summary>
    internal const string OrganisationRowVisibleSql = "SELECT COUNT(*)\n" + VisibleOrganisationRow;

    internal sealed class Handler(DbSession db, TimeProvider time) : ICommandHandler<Command>
    {
        public async ValueTask<Unit> Handle(Command command, CancellationToken ct)
        {
            var now = time.GetUtcNow();
            if (await db.ExecuteAsync(MarkSql, new { command.Id, command.RecipientId, now }, ct) == 1) return Unit.Value;
            // PostgreSQL and SQLite: ON CONFLICT DO NOTHING covers the same user's concurrent mark (two tabs) that the
            // NOT EXISTS cannot see; SQL Server (parse-only here) keeps the NOT EXISTS.
            var markSql = db.Dialect.Provider == DatabaseProvider.SqlServer ? MarkOrganisationRowSql : MarkOrganisationRowSql + " ON CONFLICT DO NOTHING";
            if (await db.ExecuteAsync(markSql, new { command.Id, command.RecipientId, now }, ct) == 1) return Unit.Value;
            return await db.ExecuteScalarAsync<int>(OrganisationRowVisibleSql, new { command.Id, command.RecipientId }, ct) > 0
                ? Unit.Value
                : throw ProblemException.NotFound("Deze melding");
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
