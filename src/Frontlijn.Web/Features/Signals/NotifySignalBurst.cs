using Frontlijn.Web.Features.Notifications;
using Frontlijn.Web.Features.Requests;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Mediator;

namespace Frontlijn.Web.Features.Signals;

/// <summary>
/// A user ran into the signal rate limit (<see cref="SignalRateLimit"/>): the team leads who should look are told
/// once per burst. Whose team leads: a sender with a team (coach, team lead) — the team leads of that team (not the
/// sender); a sender without one (back office, admin) — the team leads of the teams that the sender's signals of the
/// last hour were routed to, and for signals in a shared queue the team leads of that municipality. The title names
/// the sender (a professional) and the limit, never an address or a person.
/// </summary>
public static class NotifySignalBurst
{
    public const string NotificationType = "nl.frontlijn.signal.rate-limited";

    public sealed record Command(Guid SenderId) : ICommand<int>;

    internal const string SenderSql = "SELECT display_name, team_id FROM users WHERE id = @senderId";


    internal const string TeamLeadsOfRecentSignalsSql = """
        SELECT DISTINCT u.id
        FROM users u
        WHERE u.role = 'team-lead' AND u.team_id IN (
            SELECT s.team_id FROM signals s
            WHERE s.sender_id = @senderId AND s.created_at >= @since AND s.team_id IS NOT NULL
            UNION
            SELECT tn.team_id FROM signals s
            JOIN neighbourhoods n ON n.municipality = s.municipality
            JOIN team_neighbourhoods tn ON tn.neighbourhood_id = n.id
            WHERE s.sender_id = @senderId AND s.created_at >= @since AND s.team_id IS NULL)
        """;

    internal sealed record SenderRow
    {
        public string DisplayName { get; init; } = "";
        public Guid? TeamId { get; init; }
    }

    internal sealed class Handler(DbSession db, Notifier notifier, IConfiguration configuration, TimeProvider time)
        : ICommandHandler<Command, int>
    {
        public async ValueTask<int> Handle(Command command, CancellationToken ct)
        {
            var sender = await db.QuerySingleOrDefaultAsync<SenderRow>(SenderSql, new { command.SenderId }, ct);
            if (sender is null) return 0;
            var recipients = (sender.TeamId is { } teamId
                    ? await RequestRecipients.TeamLeadsAsync(db, teamId, ct)
                    : await db.QueryAsync<Guid>(TeamLeadsOfRecentSignalsSql, new
                    {
                        command.SenderId, since = time.GetUtcNow() - TimeSpan.FromHours(1),
                    }, ct))
                .Where(id => id != command.SenderId).Distinct().ToList();
            var limit = configuration.GetValue("Signals:PerUserPerHour", 30);
            await notifier.NotifyAsync(recipients, NotificationType,
                $"{sender.DisplayName} heeft het maximum van {limit} signalen per uur bereikt; verdere signalen worden geweigerd.",
                null, null, ct);
            return recipients.Count;
        }
    }
}
