using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;

namespace Frontlijn.Web.Features.StandIns;

/// <summary>
/// Whether the caller stands in (waarneming) for a coach right now: a stand-in row of theirs for that coach that has
/// begun, has not reached its end and was not ended early. Read per scope and remembered for the rest of it, because
/// the access log asks for every row it writes. Only coaches stand in, so for anyone else this costs no query.
/// </summary>
public sealed class StandInLookup(DbSession db, CurrentUser user, TimeProvider time)
{
    internal const string ActiveFilter = "s.ended_at IS NULL AND s.from_at <= @now AND s.until_at > @now";

    internal const string CoachesSql = "SELECT s.coach_id FROM stand_ins s WHERE s.stand_in_id = @me AND " + ActiveFilter;

    // The household's current coach must be one the caller stands in for.
    internal const string HouseholdsSql = """
        SELECT a.household_id, a.coach_id
        FROM coach_assignments a
        JOIN stand_ins s ON s.coach_id = a.coach_id
        WHERE a.to_at IS NULL AND a.household_id IN @householdIds AND s.stand_in_id = @me AND
        """ + " " + ActiveFilter;

    private const int IdsPerQuery = 500;

    private HashSet<Guid>? _coaches;
    private readonly Dictionary<Guid, Guid?> _households = [];

    internal sealed record HouseholdCoach
    {
        public Guid HouseholdId { get; init; }
        public Guid CoachId { get; init; }
    }

    private bool MayStandIn => user.IsKnown && user.IsInRole(Roles.Coach);

    /// <summary>True when the caller is, right now, the stand-in of <paramref name="coachId"/>.</summary>
    public async Task<bool> ActsForAsync(Guid coachId, CancellationToken ct)
    {
        if (!MayStandIn) return false;
        _coaches ??= (await db.QueryAsync<Guid>(CoachesSql, new { me = user.Id, now = time.GetUtcNow() }, ct)).ToHashSet();
        return _coaches.Contains(coachId);
    }

    /// <summary>
    /// Tells the lookup that the caller is this household's current coach (read under the household's lock): on it they
    /// act on nobody's behalf, so the access-log rows of this scope need no stand-in query for it.
    /// </summary>
    public void IsOwnHousehold(Guid householdId) => _households.TryAdd(householdId, null);

    /// <summary>The coach on whose behalf the caller acts on this household, or null.</summary>
    public async Task<Guid?> OnBehalfOfAsync(Guid householdId, CancellationToken ct)
    {
        if (!MayStandIn) return null;
        if (_households.TryGetValue(householdId, out var known)) return known;
        var found = await OnBehalfOfAsync([householdId], ct);
        return found.TryGetValue(householdId, out var coach) ? coach : null;
    }

    /// <summary>For each of these households whose current coach the caller stands in for: that coach.</summary>
    public async Task<IReadOnlyDictionary<Guid, Guid>> OnBehalfOfAsync(IReadOnlyCollection<Guid> householdIds, CancellationToken ct)
    {
        var result = new Dictionary<Guid, Guid>();
        if (!MayStandIn || householdIds.Count == 0) return result;
        if (await AnyAsync(ct) is false)
        {
            foreach (var id in householdIds) _households[id] = null;
            return result;
        }
        foreach (var chunk in householdIds.Chunk(IdsPerQuery))
        {
            var rows = await db.QueryAsync<HouseholdCoach>(HouseholdsSql, new { householdIds = chunk, me = user.Id, now = time.GetUtcNow() }, ct);
            foreach (var row in rows) result[row.HouseholdId] = row.CoachId;
        }
        // Remembered for this scope (one request): should the stand-in hand the household over within it, the later
        // rows still name the coach for whom they began to act, which is what happened.
        foreach (var id in householdIds) _households[id] = result.TryGetValue(id, out var c) ? c : null;
        return result;
    }

    private async Task<bool> AnyAsync(CancellationToken ct)
    {
        _coaches ??= (await db.QueryAsync<Guid>(CoachesSql, new { me = user.Id, now = time.GetUtcNow() }, ct)).ToHashSet();
        return _coaches.Count > 0;
    }
}
