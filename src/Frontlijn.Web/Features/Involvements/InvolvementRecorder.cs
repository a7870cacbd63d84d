using Frontlijn.Web.Infrastructure.Data;
using Frontlijn.Web.Features.Reports;

namespace Frontlijn.Web.Features.Involvements;

/// <summary>
/// Records that an organisation and one of its professionals are involved with a household (Verwijsindex style: that,
/// since when, never why). Called inside the unit of work of the handling itself; a professional who keeps handling
/// requests of the household only refreshes <c>last_activity_at</c> (used later to end involvements after inactivity).
/// </summary>
public sealed class InvolvementRecorder(DbSession db, InvolvementThreshold threshold, TimeProvider time)
{
    internal const string TouchSql = """
        UPDATE involvements
        SET last_activity_at = @now
        WHERE household_id = @householdId AND organisation_id = @organisationId AND professional_id = @professionalId
          AND ended_at IS NULL
        """;

    internal const string InsertSql = """
        INSERT INTO involvements (id, household_id, organisation_id, professional_id, source, since, last_activity_at)
        VALUES (@id, @householdId, @organisationId, @professionalId, 'request', @now, @now)
        """;

    // An organisation that answers through its reply link has no professional in Frontlijn: the organisation itself is involved.
    internal const string TouchOrganisationSql = """
        UPDATE involvements
        SET last_activity_at = @now
        WHERE household_id = @householdId AND organisation_id = @organisationId AND professional_id IS NULL
          AND source = 'request' AND ended_at IS NULL
        """;

    /// <summary>
    /// The caller holds the household's row lock, taken as its first lock (<c>HouseholdAccess.HoldAsync</c>): the insert
    /// refreshes the summary, whose lock comes after the household's in every writer.
    /// </summary>
    public async Task RecordHandlingAsync(Guid householdId, Guid organisationId, Guid? professionalId, CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var touch = professionalId is null ? TouchOrganisationSql : TouchSql;
        if (await db.ExecuteAsync(touch, new { householdId, organisationId, professionalId, now }, ct) == 0)
        {
            await db.ExecuteAsync(InsertSql, new { id = Guid.CreateVersion7(), householdId, organisationId, professionalId, now }, ct);
            await HouseholdSummary.RefreshAsync(db, householdId, ct);
            await threshold.CheckAsync(householdId, ct);
        }
    }
}
