using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Frontlijn.Web.Infrastructure.Web;

namespace Frontlijn.Web.Features.Objectives;

/// <summary>A team objective with its monthly progress (complete months only).</summary>
public sealed record TeamObjective(
    Guid Id, Guid TeamId, string Metric, double Target, DateOnly From, DateOnly To, bool HigherIsBetter, DateTimeOffset CreatedAt,
    IReadOnlyList<ObjectiveProgress.MonthProgress> Progress);

/// <summary>
/// Who may set and read a team's objectives: the team lead of that team (another team's lead gets 404: need-to-know,
/// as with the reports) and the admin (any existing team). Coaches and the back office are refused by the endpoint
/// policy (403): objectives are steering information of the team lead, like the reports they are measured with.
/// </summary>
public sealed class ObjectiveAccess(DbSession db, CurrentUser user)
{
    internal const string TeamExistsSql = "SELECT COUNT(*) FROM teams WHERE id = @teamId";

    public async Task EnsureAsync(Guid teamId, CancellationToken ct)
    {
        if (user.IsInRole(Roles.TeamLead))
        {
            if (user.TeamId != teamId) throw ProblemException.NotFound("Dit team");
            return;
        }
        if (!user.IsInRole(Roles.Admin)) throw ProblemException.Forbidden("Teamdoelen zijn voor teamleiders.");
        if (await db.ExecuteScalarAsync<int>(TeamExistsSql, new { teamId }, ct) == 0) throw ProblemException.NotFound("Dit team");
    }
}

internal sealed record ObjectiveRow
{
    public Guid Id { get; init; }
    public Guid TeamId { get; init; }
    public string Metric { get; init; } = "";
    public double Target { get; init; }
    public DateOnly FromOn { get; init; }
    public DateOnly ToOn { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
}
