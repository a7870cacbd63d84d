using System.Data.Common;
using Frontlijn.Web.Features.AccessLog;
using Frontlijn.Web.Features.Notifications;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Frontlijn.Web.Infrastructure.Web;
using Frontlijn.Web.Features.Reports;

namespace Frontlijn.Web.Features.Households;

/// <summary>
/// Makes a coach the one contact of a household: ends the open assignment and opens the new one in the caller's unit
/// of work, activates a registered household, logs it, and tells the new (and previous) coach. Used by handover,
/// registration by a coach and signal triage, so the rules live in one place.
/// </summary>
public sealed class CoachAssigner(DbSession db, Notifier notifier, AccessLogWriter log, CurrentUser user, TimeProvider time)
{
    // Portable row lock (see HouseholdAccess.LockSql): the coach's caseload count stays true until commit, and two
    // handovers between the same coaches take the locks in the same (sorted) order, so they cannot deadlock.
    internal const string LockUserSql = "UPDATE users SET max_caseload = max_caseload WHERE id = @id";

    internal const string CoachSql = """
        SELECT id, display_name, role, team_id, max_caseload, deactivated_at FROM users WHERE id = @coachId
        """;

    internal const string OpenCaseloadSql = "SELECT COUNT(*) FROM coach_assignments WHERE coach_id = @coachId AND to_at IS NULL";

    internal const string EndOpenSql = """
        UPDATE coach_assignments SET to_at = @now, end_reason = @reason
        WHERE household_id = @householdId AND to_at IS NULL
        """;

    internal const string InsertSql = """
        INSERT INTO coach_assignments (id, household_id, coach_id, from_at, to_at, reason, end_reason, assigned_by)
        VALUES (@id, @householdId, @coachId, @now, NULL, @reason, NULL, @assignedBy)
        """;

    internal const string ActivateSql = """
        UPDATE households SET status = @active WHERE id = @householdId AND status = @registered
        """;

    internal sealed record CoachRow
    {
        public Guid Id { get; init; }
        public string DisplayName { get; init; } = "";
        public string Role { get; init; } = "";
        public Guid? TeamId { get; init; }
        public int MaxCaseload { get; init; }
        public DateTimeOffset? DeactivatedAt { get; init; }
    }

    /// <summary>The household must be locked by the caller (<see cref="HouseholdAccess.LockForChangeAsync"/> or just inserted).</summary>
    internal async Task<CoachRef> AssignAsync(HouseholdRow household, Guid coachId, string reason, CancellationToken ct)
    {
        if (household.Status == HouseholdStatus.Closed)
        {
            throw ProblemException.Conflict("Dit huishouden is afgesloten; er kan geen coach meer worden toegewezen.");
        }
        if (household.CoachId == coachId)
        {
            throw ProblemException.Conflict("Deze coach is al de contactpersoon van dit huishouden.");
        }
        foreach (var id in new[] { coachId, household.CoachId ?? coachId }.Distinct().Order())
        {
            await db.ExecuteAsync(LockUserSql, new { id }, ct);
        }
        var coach = await db.QuerySingleOrDefaultAsync<CoachRow>(CoachSql, new { coachId }, ct);
        if (coach is null || coach.Role != Roles.Coach || coach.TeamId != household.TeamId)
        {
            throw ProblemException.Conflict(
                "Deze persoon is geen coach van het team van dit huishouden; kies een coach uit hetzelfde team.");
        }
        if (coach.DeactivatedAt is not null)
        {
            // A coach who left stays in every history but can no longer become anyone's one contact.
            throw ProblemException.Conflict("Deze coach is gedeactiveerd; kies een actieve coach uit hetzelfde team.");
        }
        var open = await db.ExecuteScalarAsync<int>(OpenCaseloadSql, new { coachId }, ct);
        if (open >= coach.MaxCaseload)
        {
            throw ProblemException.Conflict(
                $"{coach.DisplayName} heeft een volle caseload ({open} van maximaal {coach.MaxCaseload} huishoudens); kies een andere coach.");
        }

        var now = time.GetUtcNow();
        var assignmentId = Guid.CreateVersion7();
        await db.ExecuteAsync(EndOpenSql, new { householdId = household.Id, now, reason }, ct);
        try
        {
            await db.ExecuteAsync(InsertSql, new
            {
                id = assignmentId, householdId = household.Id, coachId, now, reason, assignedBy = user.Id,
            }, ct);
        }
        catch (DbException ex) when (db.Dialect.IsUniqueViolation(ex))
        {
            // The database's guarantee of one open assignment; the lock above makes this rare, never a 500.
            throw ProblemException.Conflict(
                "Tegelijk is een andere coach aan dit huishouden toegewezen. Bekijk de huidige coach en probeer het zo nodig opnieuw.");
        }
        await db.ExecuteAsync(ActivateSql, new
        {
            householdId = household.Id, active = HouseholdStatus.Active, registered = HouseholdStatus.Registered,
        }, ct);
        await log.WriteAsync("assign", "coach-assignment", assignmentId, household.Id, ct);
        await HouseholdSummary.RefreshAsync(db, household.Id, ct);

        if (coachId != user.Id)
        {
            await notifier.NotifyAsync([coachId], NotificationTypes.CoachAssigned,
                "U bent de nieuwe contactpersoon van een huishouden.", household.Id, null, ct);
        }
        if (household.CoachId is { } previous && previous != user.Id)
        {
            await notifier.NotifyAsync([previous], NotificationTypes.CoachAssigned,
                $"Een huishouden uit uw caseload is overgedragen aan {coach.DisplayName}.", household.Id, null, ct);
        }
        return new CoachRef(coach.Id, coach.DisplayName);
    }
}
