using Frontlijn.Web.Features.Notifications;
using Frontlijn.Web.Features.Requests;
using Frontlijn.Web.Infrastructure.Data;

namespace Frontlijn.Web.Features.Involvements;

/// <summary>
/// "Many instead of one" made visible: when a household has <see cref="InvolvementSettings.Threshold"/> or more
/// organisations involved at the same time, its coach and the team leads hear it once
/// (<c>nl.frontlijn.involvement.threshold-exceeded</c>); the alert clears when the number drops below the threshold, so
/// a new crossing is told again. Runs inside the unit of work of whatever changed the register.
/// </summary>
public sealed class InvolvementThreshold(DbSession db, Notifier notifier, InvolvementSettings settings, TimeProvider time)
{
    public const string NotificationType = "nl.frontlijn.involvement.threshold-exceeded";

    internal const string OpenAlertSql = """
        SELECT COUNT(*) FROM involvement_alerts WHERE household_id = @householdId AND cleared_at IS NULL
        """;

    internal const string RaiseSql = """
        INSERT INTO involvement_alerts (id, household_id, organisations, raised_at, cleared_at)
        VALUES (@id, @householdId, @organisations, @now, NULL)
        """;

    internal const string ClearSql = """
        UPDATE involvement_alerts SET cleared_at = @now WHERE household_id = @householdId AND cleared_at IS NULL
        """;

    internal const string RecipientsSql = """
        SELECT a.coach_id AS user_id FROM coach_assignments a WHERE a.household_id = @householdId AND a.to_at IS NULL
        UNION
        SELECT u.id FROM users u JOIN households h ON h.team_id = u.team_id
        WHERE h.id = @householdId AND u.role = 'team-lead'
        """;

    public async Task CheckAsync(Guid householdId, CancellationToken ct)
    {
        var organisations = (await db.QuerySingleOrDefaultAsync<OpenInvolvementCounts.Row>(OpenInvolvementCounts.Sql, new { householdId }, ct))
                            ?.Organisations ?? 0;
        var open = await db.ExecuteScalarAsync<int>(OpenAlertSql, new { householdId }, ct) > 0;
        var now = time.GetUtcNow();
        if (organisations >= settings.Threshold && !open)
        {
            await db.ExecuteAsync(RaiseSql, new { id = Guid.CreateVersion7(), householdId, organisations, now }, ct);
            var recipients = await db.QueryAsync<Guid>(RecipientsSql, new { householdId }, ct);
            await notifier.NotifyAsync(recipients, NotificationType,
                $"{organisations} organisaties tegelijk betrokken bij een huishouden (drempel {settings.Threshold})",
                householdId, null, ct);
        }
        else if (organisations < settings.Threshold && open)
        {
            await db.ExecuteAsync(ClearSql, new { householdId, now }, ct);
        }
    }
}
