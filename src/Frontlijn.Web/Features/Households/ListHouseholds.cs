using Frontlijn.Web.Features.AccessLog;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;

namespace Frontlijn.Web.Features.Households;

/// <summary>
/// The households of the caller's own team (coach, team lead), optionally of one status: e.g. <c>?status=registered</c>
/// is what a team lead still has to give a coach. Anyone else gets 404, as for a single household.
/// <para>
/// <c>?q=</c> searches within that scope: the family name of a current member or the street (contains, case-blind),
/// or the postal code (prefix, spaces ignored: <c>8925 a</c> finds 8925AB). Wildcards in q are taken literally. A BSN
/// is never searched here (it would be in the URL): POST /households/search.
/// </para>
/// </summary>
public static class ListHouseholds
{
    public sealed record Query(WebConventions.Paging Paging, string? Status, string? Q = null) : IQuery<PagedResult<HouseholdSummary>>;

    public const int MinQueryLength = 2;
    public const int MaxQueryLength = 100;

    public sealed record HouseholdSummary(Guid Id, string Status, Address Address, CoachRef? Coach, DateTimeOffset CreatedAt);

    // An erased household (Features/Rights) is only the reports' anonymous record: it is not listed.
    private const string Filter = """
        WHERE h.team_id = @teamId AND h.erased_at IS NULL AND (@status IS NULL OR h.status = @status)
          AND (@like IS NULL OR LOWER(h.street) LIKE @like ESCAPE '\' OR h.postal_code LIKE @postalPrefix ESCAPE '\'
               OR EXISTS (SELECT 1 FROM household_members m
                          WHERE m.household_id = h.id AND m.departed_on IS NULL AND m.family_name_key LIKE @like ESCAPE '\'))
        """;

    /// <summary>LIKE patterns for q: its wildcards escaped, so "%" finds a percent sign and not everything.</summary>
    internal static (string? Like, string? PostalPrefix) Patterns(string? q)
    {
        if (q is null) return (null, null);
        static string Escape(string s) => s.Replace("\\", "\\\\", StringComparison.Ordinal)
            .Replace("%", "\\%", StringComparison.Ordinal).Replace("_", "\\_", StringComparison.Ordinal);
        var text = q.Trim().ToLowerInvariant();
        var postal = q.Replace(" ", "", StringComparison.Ordinal).ToUpperInvariant();
        return ($"%{Escape(text)}%", $"{Escape(postal)}%");
    }

    internal const string CountSql = "SELECT COUNT(*) FROM households h " + Filter;

    internal const string PageSql = """
        SELECT h.id, h.neighbourhood_id, h.team_id, h.street, h.house_number, h.house_number_suffix, h.postal_code,
               h.city, h.status, h.closure_reason, h.created_at, h.closed_at, h.version,
               a.coach_id, u.display_name AS coach_display_name
        FROM households h
        LEFT JOIN coach_assignments a ON a.household_id = h.id AND a.to_at IS NULL
        LEFT JOIN users u ON u.id = a.coach_id
        """ + "\n" + Filter + "\n" + """
        ORDER BY h.created_at, h.id
        {page}
        """;

    internal sealed class Handler(DbSession db, CurrentUser user, AccessLogWriter log) : IQueryHandler<Query, PagedResult<HouseholdSummary>>
    {
        public async ValueTask<PagedResult<HouseholdSummary>> Handle(Query query, CancellationToken ct)
        {
            if (!(user.IsInRole(Roles.Coach) || user.IsInRole(Roles.TeamLead)) || user.TeamId is not { } teamId)
            {
                throw ProblemException.NotFound("Deze lijst");
            }
            var (like, postalPrefix) = Patterns(query.Q);
            var total = await db.ExecuteScalarAsync<int>(CountSql, new { teamId, query.Status, like, postalPrefix }, ct);
            var rows = (await db.QueryAsync<HouseholdRow>(PageSql, new
            {
                teamId, query.Status, like, postalPrefix, offset = query.Paging.Offset, limit = query.Paging.Limit,
            }, ct)).ToList();
            foreach (var row in rows)
            {
                await log.WriteAsync("list", "household", row.Id, row.Id, ct);
            }
            return new PagedResult<HouseholdSummary>(
                rows.Select(r => new HouseholdSummary(r.Id, r.Status, r.Address, r.Coach, r.CreatedAt)).ToList(),
                query.Paging.Page, query.Paging.PageSize, total);
        }
    }

    public static void Map(RouteGroupBuilder api) => api
        .MapGet("/households", async (int? page, int? pageSize, string? status, string? q, IMediator mediator, CancellationToken ct) =>
        {
            if (status is not null && !HouseholdStatus.All.Contains(status))
            {
                throw new FluentValidation.ValidationException([new("status", "Status is registered, active, closing of closed.")]);
            }
            if (q is not null && (q.Trim().Length < MinQueryLength || q.Length > MaxQueryLength))
            {
                throw new FluentValidation.ValidationException([new("q",
                    $"Zoek op {MinQueryLength} tot {MaxQueryLength} tekens: een achternaam, straat of postcode.")]);
            }
            return TypedResults.Ok(await mediator.Send(new Query(WebConventions.ReadPaging(page, pageSize), status, q), ct));
        })
        .RequireAuthorization(Policies.CoachOrTeamLead)
        .WithName("listHouseholds")
        .WithSummary("Huishoudens van het eigen team, op registratiedatum; q zoekt op achternaam, straat of postcode")
        .WithTags("Huishoudens");
}
