using Frontlijn.Web.Features.AccessLog;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Frontlijn.Web.Infrastructure.Web;

namespace Frontlijn.Web.Features.Households;

/// <summary>The household row with its current coach, as the need-to-know checks and the handlers read it.</summary>
internal sealed record HouseholdRow
{
    public Guid Id { get; init; }
    public Guid NeighbourhoodId { get; init; }
    public Guid TeamId { get; init; }
    public string Street { get; init; } = "";
    public int HouseNumber { get; init; }
    public string HouseNumberSuffix { get; init; } = "";
    public string PostalCode { get; init; } = "";
    public string City { get; init; } = "";
    public string Status { get; init; } = "";
    public string? ClosureReason { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset? ClosedAt { get; init; }
    public int Version { get; init; }
    public Guid? CoachId { get; init; }
    public string? CoachDisplayName { get; init; }

    public Address Address => new(Street, HouseNumber, HouseNumberSuffix.Length == 0 ? null : HouseNumberSuffix, PostalCode, City);
    public CoachRef? Coach => CoachId is { } id ? new CoachRef(id, CoachDisplayName ?? "") : null;
}

/// <summary>
/// Need-to-know for household data: coaches and team leads see the households of their own team; everyone else
/// (back office, admin, other teams) gets 404, so that existence is not revealed. Every read is logged, refused reads
/// too; changes are logged by the command that makes them, in its own transaction.
/// </summary>
public sealed class HouseholdAccess(DbSession db, CurrentUser user, AccessLogWriter log)
{
    internal const string FindSql = """
        SELECT h.id, h.neighbourhood_id, h.team_id, h.street, h.house_number, h.house_number_suffix, h.postal_code,
               h.city, h.status, h.closure_reason, h.created_at, h.closed_at, h.version,
               a.coach_id, u.display_name AS coach_display_name
        FROM households h
        LEFT JOIN coach_assignments a ON a.household_id = h.id AND a.to_at IS NULL
        LEFT JOIN users u ON u.id = a.coach_id
        WHERE h.id = @id
        """;

    // A no-op change that takes the household's row lock until commit: every change of one household is serialised
    // from here on, and everything read after it is current (READ COMMITTED reads per statement). SQLite has one
    // writer at a time anyway.
    internal const string LockSql = "UPDATE households SET version = version + 1 WHERE id = @id";

    public bool MaySee(Guid teamId) =>
        (user.IsInRole(Roles.Coach) || user.IsInRole(Roles.TeamLead)) && user.TeamId == teamId;

    /// <summary>For queries: the household if the caller may see it (logged as <paramref name="objectType"/> read), else 404.</summary>
    internal async Task<HouseholdRow> ReadAsync(Guid id, string objectType, CancellationToken ct)
    {
        var row = await db.QuerySingleOrDefaultAsync<HouseholdRow>(FindSql, new { id }, ct);
        if (row is null) throw ProblemException.NotFound("Dit huishouden");
        if (!MaySee(row.TeamId))
        {
            await log.WriteAsync("read", objectType, id, id, ct, AccessLogWriter.Denied);
            throw ProblemException.NotFound("Dit huishouden");
        }
        await log.WriteAsync("read", objectType, id, id, ct);
        return row;
    }

    /// <summary>For commands: locks the household, then returns it if the caller may see it, else 404.</summary>
    internal async Task<HouseholdRow> LockForChangeAsync(Guid id, CancellationToken ct)
    {
        if (await db.ExecuteAsync(LockSql, new { id }, ct) == 0) throw ProblemException.NotFound("Dit huishouden");
        var row = await db.QuerySingleOrDefaultAsync<HouseholdRow>(FindSql, new { id }, ct)
                  ?? throw ProblemException.NotFound("Dit huishouden");
        return MaySee(row.TeamId) ? row : throw ProblemException.NotFound("Dit huishouden");
    }
}
