using Frontlijn.Web.Features.Requests;
using Frontlijn.Web.Infrastructure.Data;

namespace Frontlijn.Web.Features.Rights;

/// <summary>
/// Which closed households reach the end of their retention period, and under which rule — the one reading that both the
/// admin's list (<see cref="ListRetentionDue"/>) and the sweep (<see cref="RetentionSweep"/>) use, so the admin sees
/// exactly what the sweep will do. A household is due at <c>closed_at + years</c> (see <see cref="RetentionSettings"/>);
/// a running legal hold (until today or later) blocks it.
/// </summary>
public sealed class RetentionCandidates(DbSession db, RetentionSettings settings)
{
    // The shortest period bounds the scan; the exact rule per household follows from its organisations below.
    internal const string ClosedSql = """
        SELECT h.id, h.team_id, t.name AS team_name, h.closed_at,
               (SELECT MAX(lh.until_on) FROM legal_holds lh WHERE lh.household_id = h.id AND lh.until_on >= @today) AS hold_until
        FROM households h
        JOIN teams t ON t.id = h.team_id
        WHERE h.erased_at IS NULL AND h.status = 'closed' AND h.closed_at IS NOT NULL AND h.closed_at <= @closedBefore
        ORDER BY h.closed_at, h.id
        """;

    internal const string KindsSql = """
        SELECT DISTINCT x.household_id, o.kind
        FROM (SELECT household_id, organisation_id FROM requests WHERE household_id IN @ids
              UNION
              SELECT household_id, organisation_id FROM involvements WHERE household_id IN @ids AND organisation_id IS NOT NULL) x
        JOIN organisations o ON o.id = x.organisation_id
        """;

    internal const string HoldReasonSql = """
        SELECT household_id, reason, until_on FROM legal_holds WHERE household_id IN @ids AND until_on >= @today
        ORDER BY until_on DESC, placed_at DESC
        """;

    internal sealed record ClosedRow
    {
        public Guid Id { get; init; }
        public Guid TeamId { get; init; }
        public string TeamName { get; init; } = "";
        public DateTimeOffset ClosedAt { get; init; }
        public DateOnly? HoldUntil { get; init; }
    }

    internal sealed record KindRow
    {
        public Guid HouseholdId { get; init; }
        public string Kind { get; init; } = "";
    }

    internal sealed record HoldRow
    {
        public Guid HouseholdId { get; init; }
        public string Reason { get; init; } = "";
        public DateOnly UntilOn { get; init; }
    }

    /// <summary>One household at (or near) the end of its period.</summary>
    public sealed record Candidate(
        Guid HouseholdId, Guid TeamId, string TeamName, DateTimeOffset ClosedAt, string Domain, int Years,
        DateTimeOffset ErasableFrom, HeldBy? LegalHold);

    public sealed record HeldBy(string Reason, DateOnly Until);

    // Npgsql hands a list over as one array; SQLite and SQL Server expand it into one parameter each (SQL Server: 2100).
    private const int IdsPerStatement = 500;

    /// <summary>
    /// Households whose erasure moment falls at or before <paramref name="horizon"/>, oldest closure first, with held
    /// ones included (marked) when <paramref name="includeHeld"/>. Due now means <c>ErasableFrom &lt;= now</c>.
    /// </summary>
    public async Task<IReadOnlyList<Candidate>> FindAsync(DateTimeOffset now, DateTimeOffset horizon, bool includeHeld, int? limit,
        CancellationToken ct)
    {
        var today = WorkingDays.LocalDate(now);
        var shortest = settings.Years.Values.Min();
        var closed = (await db.QueryAsync<ClosedRow>(ClosedSql, new { today, closedBefore = horizon.AddYears(-shortest) }, ct)).ToList();
        if (closed.Count == 0) return [];

        var kinds = new List<KindRow>();
        var holds = new List<HoldRow>();
        foreach (var chunk in closed.Select(c => c.Id).Chunk(IdsPerStatement))
        {
            kinds.AddRange(await db.QueryAsync<KindRow>(KindsSql, new { ids = chunk }, ct));
            if (includeHeld) holds.AddRange(await db.QueryAsync<HoldRow>(HoldReasonSql, new { ids = chunk, today }, ct));
        }
        var kindsOf = kinds.ToLookup(k => k.HouseholdId, k => k.Kind);
        var holdOf = holds.GroupBy(h => h.HouseholdId).ToDictionary(g => g.Key, g => g.First());

        var result = new List<Candidate>();
        foreach (var c in closed)
        {
            var (domain, years) = settings.RuleFor(kindsOf[c.Id]);
            // The same comparison as the sweep's claiming UPDATE (closed_at <= now - years), so both agree on every date.
            if (c.ClosedAt > horizon.AddYears(-years)) continue;
            if (c.HoldUntil is not null && !includeHeld) continue;
            var hold = c.HoldUntil is not null && holdOf.TryGetValue(c.Id, out var h) ? new HeldBy(h.Reason, h.UntilOn) : null;
            result.Add(new Candidate(c.Id, c.TeamId, c.TeamName, c.ClosedAt, domain, years, c.ClosedAt.AddYears(years), hold));
            if (limit is { } max && result.Count >= max) break;
        }
        return result;
    }
}
