using Frontlijn.Web.Features.AccessLog;
using Frontlijn.Web.Features.StandIns;
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
    public DateTimeOffset? ErasedAt { get; init; }

    public Address Address => new(Street, HouseNumber, HouseNumberSuffix.Length == 0 ? null : HouseNumberSuffix, PostalCode, City);
    public CoachRef? Coach => CoachId is { } id ? new CoachRef(id, CoachDisplayName ?? "") : null;
}

/// <summary>
/// Need-to-know for household data: coaches and team leads see the households of their own team; everyone else
/// (back office, admin, other teams) gets 404, so that existence is not revealed. Every read is logged, refused reads
/// too; changes are logged by the command that makes them, in its own transaction; a refused change is logged as
/// denied and that row outlives the rolled-back transaction (see <see cref="AccessLogWriter"/>).
/// Some changes are the household's own coach's business, not the team's (<see cref="RequireOwnCoachAsync"/>): its
/// current coach, or that coach's stand-in during the stand-in period.
/// </summary>
public sealed class HouseholdAccess(DbSession db, CurrentUser user, AccessLogWriter log, StandInLookup standIns)
{
    internal const string FindSql = """
        SELECT h.id, h.neighbourhood_id, h.team_id, h.street, h.house_number, h.house_number_suffix, h.postal_code,
               h.city, h.status, h.closure_reason, h.created_at, h.closed_at, h.version,
               a.coach_id, u.display_name AS coach_display_name, h.erased_at
        FROM households h
        LEFT JOIN coach_assignments a ON a.household_id = h.id AND a.to_at IS NULL
        LEFT JOIN users u ON u.id = a.coach_id
        WHERE h.id = @id
        """;

    // A no-op change that takes the household's row lock until commit: every change of one household is serialised
    // from here on, and everything read after it is current (READ COMMITTED reads per statement). SQLite has one
    // writer at a time anyway.
    internal const string LockSql = "UPDATE households SET version = version + 1 WHERE id = @id";

    // The same row lock without a change (the version is the household's concurrency token and stays), for a
    // transaction that changes the household's involvements and summary but not the household: the back office's
    // handling of a request (InvolvementRecorder) and the inactivity decay. Taken as such a transaction's first lock,
    // so that every transaction that reaches the summary row's lock (HouseholdSummary.RefreshAsync) has taken the
    // household's row lock before any other lock: two of them on one household queue at the household row, holding
    // nothing the other needs, and the summary lock is never waited for (one lock order: household row first).
    internal const string HoldSql = "UPDATE households SET version = version WHERE id = @id";

    /// <summary>Takes the household's row lock until commit without changing it (see <see cref="HoldSql"/>).</summary>
    internal static Task HoldAsync(DbSession db, Guid id, CancellationToken ct) => db.ExecuteAsync(HoldSql, new { id }, ct);

    /// <summary>The same lock, taken only when the household is (at that moment, under the lock) of the caller's team.</summary>
    internal const string LockVisibleSql = "UPDATE households SET version = version + 1 WHERE id = @id AND team_id = @teamId";

    // PostgreSQL and SQLite: the conditional lock and the read under it as ONE command, one round trip (issue 12, round
    // 5: it was two). Still two statements, and under READ COMMITTED each takes its own snapshot when it starts: Npgsql
    // sends them together, but the server binds the SELECT only once the UPDATE is done, i.e. once the lock is granted,
    // so the read sees every change committed before it (a handover that held the lock). The UPDATE's RETURNING row
    // says whether the lock was taken; without it the read is thrown away. (Not "…Sql": not T-SQL. SQL Server keeps
    // the two statements.)
    internal const string LockVisibleThenFind =
        "UPDATE households SET version = version + 1 WHERE id = @id AND team_id = @teamId RETURNING version;\n" + FindSql;

    public bool MaySee(Guid teamId) =>
        (user.IsInRole(Roles.Coach) || user.IsInRole(Roles.TeamLead)) && user.TeamId == teamId;

    /// <summary>
    /// For queries: the household if the caller may see it (logged as <paramref name="objectType"/> read), else 404.
    /// An erased household is 410 to those who may see it (the same rule as <see cref="Rights.ErasedHouseholdGate"/>,
    /// which leaves it to this read on the endpoints marked <see cref="Rights.ErasedCheckedInHandler"/>: one statement
    /// less per household detail, issue 12). <c>on_behalf_of</c> comes from the row's current coach, so a coach reading
    /// their own household costs no stand-in query.
    /// </summary>
    internal async Task<HouseholdRow> ReadAsync(Guid id, string objectType, CancellationToken ct)
    {
        var row = await db.QuerySingleOrDefaultAsync<HouseholdRow>(FindSql, new { id }, ct);
        if (row is null) throw ProblemException.NotFound("Dit huishouden");
        var onBehalfOf = await log.OnBehalfOfCoachAsync(row.CoachId, ct);
        if (!MaySee(row.TeamId))
        {
            await log.WriteAsync("read", objectType, id, id, ct, AccessLogWriter.Denied, onBehalfOf);
            throw ProblemException.NotFound("Dit huishouden");
        }
        if (row.ErasedAt is not null) throw Rights.Erasure.Gone();
        await log.WriteAsync("read", objectType, id, id, ct, onBehalfOf: onBehalfOf);
        return row;
    }

    /// <summary>
    /// For commands: the household if the caller may see it, locked for the change; else 404, logged as a refused
    /// <paramref name="objectType"/> change (written after the rollback).
    /// </summary>
    internal async Task<HouseholdRow> LockForChangeAsync(Guid id, CancellationToken ct, string objectType = "household") =>
        (await LockForChangeAsync<object>(id, objectType, alsoRead: null, ct)).Household;

    /// <summary>
    /// A read that a change needs right after the household's lock, sent in the same command as the lock and the
    /// household read: <paramref name="Sql"/> is <see cref="LockVisibleThenFind"/> followed by the read's own statement
    /// (a constant, so its rendering is remembered), <paramref name="Param"/> the read's parameters (not <c>id</c> or
    /// <c>teamId</c>, which are the lock's), <paramref name="Read"/> reads its result set from the grid.
    /// </summary>
    internal sealed record AlsoRead<T>(string Sql, object Param, Func<Dapper.SqlMapper.GridReader, Task<T>> Read);

    /// <summary>
    /// <see cref="LockForChangeAsync(Guid, CancellationToken, string)"/>, with <paramref name="alsoRead"/> in the same
    /// round trip in the usual case (issue 12, request creation). Its statement starts after the lock was granted, so it
    /// sees what a separate statement after the lock would see (see <see cref="LockVisibleThenFind"/>). Its result is
    /// only used once the lock is taken; <c>Also</c> is null where it was not read (SQL Server, the fall-back path):
    /// the caller then reads it itself.
    /// </summary>
    internal async Task<(HouseholdRow Household, T? Also)> LockForChangeAsync<T>(Guid id, string objectType, AlsoRead<T>? alsoRead,
        CancellationToken ct) where T : class
    {
        // The usual case in two statements (issue 12; it was read, lock, read again): the lock is only taken on a
        // household of the caller's team (the condition is in the UPDATE, evaluated on the current row), then it is
        // read once, under the lock. Anything else falls through to the read-check-lock path below.
        if ((user.IsInRole(Roles.Coach) || user.IsInRole(Roles.TeamLead)) && user.TeamId is { } teamId)
        {
            if (db.Dialect.Provider != DatabaseProvider.SqlServer)
            {
                object param = new { id, teamId };
                if (alsoRead is not null)
                {
                    var both = (Dapper.DynamicParameters)CamelCaseParameters.From(alsoRead.Param)!;
                    both.Add("id", id);
                    both.Add("teamId", teamId);
                    param = both;
                }
                var (locked, read, also) = await db.QueryMultipleAsync(alsoRead?.Sql ?? LockVisibleThenFind, param, async grid =>
                    ((await grid.ReadAsync<long>()).Any(), await grid.ReadSingleOrDefaultAsync<HouseholdRow>(),
                        alsoRead is null ? null : await alsoRead.Read(grid)), ct);
                if (locked) return (await LockedAsync(id, objectType, ct, read), also);
            }
            else if (await db.ExecuteAsync(LockVisibleSql, new { id, teamId }, ct) == 1)
            {
                return (await LockedAsync(id, objectType, ct), null);
            }
        }
        var row = await db.QuerySingleOrDefaultAsync<HouseholdRow>(FindSql, new { id }, ct)
                  ?? throw ProblemException.NotFound("Dit huishouden");
        if (!MaySee(row.TeamId))
        {
            // Refused before the lock: someone else's household is not even held up by the attempt.
            await log.WriteAsync("update", objectType, id, id, ct, AccessLogWriter.Denied);
            throw ProblemException.NotFound("Dit huishouden");
        }
        // Visible now but not a moment ago (it moved to the caller's team in between): lock it as before.
        if (await db.ExecuteAsync(LockSql, new { id }, ct) == 0) throw ProblemException.NotFound("Dit huishouden");
        return (await LockedAsync(id, objectType, ct), null);
    }

    /// <param name="readUnderLock">The row, when it was read under the lock already (<see cref="LockVisibleThenFind"/>).</param>
    private async Task<HouseholdRow> LockedAsync(Guid id, string objectType, CancellationToken ct, HouseholdRow? readUnderLock = null)
    {
        // Read under the lock: the coach may have changed before it was taken.
        var row = readUnderLock
                  ?? await db.QuerySingleOrDefaultAsync<HouseholdRow>(FindSql, new { id }, ct)
                  ?? throw ProblemException.NotFound("Dit huishouden");
        if (row.CoachId == user.Id) standIns.IsOwnHousehold(id);
        // The handler may still refuse this caller the change (403: not their household, not their role); that
        // refusal is then logged for this household, after the rollback.
        await log.PrepareRefusalAsync("update", objectType, id, id, ct);
        return row;
    }

    /// <summary>True for the household's current coach, and for that coach's stand-in while the stand-in period runs.</summary>
    internal async Task<bool> IsOwnCoachOrStandInAsync(HouseholdRow row, CancellationToken ct) =>
        row.CoachId is { } coach && user.IsKnown && user.IsInRole(Roles.Coach) &&
        (coach == user.Id || await standIns.ActsForAsync(coach, ct));

    /// <summary>
    /// Refuses (403, logged as denied <paramref name="action"/> on <paramref name="objectType"/>) anyone but the
    /// household's own coach or their stand-in. The caller may already see the household (same team), so 403 with the
    /// reason, not 404.
    /// </summary>
    internal async Task RequireOwnCoachAsync(HouseholdRow row, string action, string objectType, string detail, CancellationToken ct)
    {
        if (await IsOwnCoachOrStandInAsync(row, ct)) return;
        await log.WriteAsync(action, objectType, row.Id, row.Id, ct, AccessLogWriter.Denied);
        throw ProblemException.Forbidden(detail);
    }
}
