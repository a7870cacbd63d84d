using Frontlijn.Web.Infrastructure.Data;
using Mediator;
using Frontlijn.Web.Features.Reports;

namespace Frontlijn.Web.Features.Involvements;

/// <summary>
/// Hangfire's daily sweep: an involvement without activity for <see cref="InvolvementSettings.InactivityMonths"/> months
/// ends (<c>end_reason = inactivity</c>), as in the Verwijsindex. Set-based and idempotent: running it twice, or on two
/// nodes at once, ends each involvement once (the UPDATE only touches open rows). Households whose register changed get
/// their threshold alert re-evaluated, each in its own small unit of work.
/// </summary>
public sealed class InvolvementDecay(DbSession db, IMediator mediator, InvolvementSettings settings, TimeProvider time)
{
    public const string RecurringJobId = "involvements-inactivity";

    internal const string StaleHouseholdsSql = """
        SELECT DISTINCT household_id FROM involvements WHERE ended_at IS NULL AND last_activity_at < @cutoff
        """;

    public sealed record RunResult(int Ended, int Households);

    public async Task<RunResult> RunAsync(CancellationToken ct)
    {
        var now = time.GetUtcNow();
        var cutoff = now.AddMonths(-settings.InactivityMonths);
        var households = (await db.QueryAsync<Guid>(StaleHouseholdsSql, new { cutoff }, ct)).ToList();
        var ended = 0;
        foreach (var householdId in households)
        {
            ended += await mediator.Send(new EndInactiveInvolvements.Command(householdId, cutoff, now), ct);
        }
        return new RunResult(ended, households.Count);
    }
}

public static class EndInactiveInvolvements
{
    public sealed record Command(Guid HouseholdId, DateTimeOffset Cutoff, DateTimeOffset Now) : ICommand<int>;

    internal const string EndSql = """
        UPDATE involvements SET ended_at = @now, end_reason = 'inactivity'
        WHERE household_id = @householdId AND ended_at IS NULL AND last_activity_at < @cutoff
        """;

    internal sealed class Handler(DbSession db, InvolvementThreshold threshold) : ICommandHandler<Command, int>
    {
        public async ValueTask<int> Handle(Command command, CancellationToken ct)
        {
            // The household's row lock first, as every writer of the summary (HouseholdAccess.HoldSql).
            await Households.HouseholdAccess.HoldAsync(db, command.HouseholdId, ct);
            var ended = await db.ExecuteAsync(EndSql, new { command.HouseholdId, command.Now, command.Cutoff }, ct);
            if (ended > 0)
            {
                await HouseholdSummary.RefreshAsync(db, command.HouseholdId, ct);
                await threshold.CheckAsync(command.HouseholdId, ct);
            }
            return ended;
        }
    }
}
