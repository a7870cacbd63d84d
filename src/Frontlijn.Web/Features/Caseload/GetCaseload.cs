using Frontlijn.Web.Features.AccessLog;
using Frontlijn.Web.Features.Households;
using Frontlijn.Web.Features.Requests;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;

namespace Frontlijn.Web.Features.Caseload;

/// <summary>
/// A coach's own caseload: the households they are the open contact of, with status, open requests and the next due
/// date. <c>sort</c> = <c>status</c> | <c>registered</c> (default) | <c>nextDue</c>.
/// </summary>
public static class GetCaseload
{
    public sealed record Query(Guid CoachId, string Sort, WebConventions.Paging Paging) : IQuery<PagedResult<CaseloadItem>>;

    public sealed record CaseloadItem(
        Guid HouseholdId, string Status, Address Address, DateTimeOffset RegisteredAt, DateTimeOffset AssignedAt,
        int OpenRequests, DateTimeOffset? NextDueAt, string? FamilyName = null);

    public static readonly IReadOnlyList<string> Sorts = ["registered", "status", "nextDue"];

    internal const string CountSql = "SELECT COUNT(*) FROM coach_assignments WHERE coach_id = @coachId AND to_at IS NULL";

    // Open requests are those not yet answered, declined or withdrawn (suspended ones included); the next due date is
    // that of the running ones only, since a suspended request's clock has stopped. The aggregate is restricted to this
    // coach's open households (issue 12: it used to group every open request of the installation for every view); the
    // page's total comes with the rows (COUNT(*) OVER ()), so a page is one statement instead of a COUNT and a SELECT.
    private const string Select = """
        SELECT h.id AS household_id, h.status, h.street, h.house_number, h.house_number_suffix, h.postal_code, h.city,
               h.created_at AS registered_at, a.from_at AS assigned_at, COALESCE(r.open_requests, 0) AS open_requests,
               r.next_due_at, COUNT(*) OVER () AS total_count,
               COALESCE(
                   (SELECT MIN(m.family_name) FROM household_members m
                    WHERE m.household_id = h.id AND m.role = 'head' AND m.departed_on IS NULL),
                   (SELECT MIN(m.family_name) FROM household_members m
                    WHERE m.household_id = h.id AND m.departed_on IS NULL)) AS family_name
        FROM coach_assignments a
        JOIN households h ON h.id = a.household_id
        LEFT JOIN (
            SELECT q.household_id, COUNT(*) AS open_requests,
                   MIN(CASE WHEN q.status IN ('sent', 'acknowledged') THEN q.due_at END) AS next_due_at
            FROM requests q
            JOIN coach_assignments mine ON mine.household_id = q.household_id
            WHERE mine.coach_id = @coachId AND mine.to_at IS NULL AND q.status IN ('sent', 'acknowledged', 'suspended')
            GROUP BY q.household_id
        ) r ON r.household_id = h.id
        WHERE a.coach_id = @coachId AND a.to_at IS NULL
        """;

    internal const string ByRegisteredSql = Select + "\nORDER BY h.created_at, h.id\n{page}";

    internal const string ByStatusSql = Select + """

        ORDER BY CASE h.status WHEN 'registered' THEN 0 WHEN 'active' THEN 1 WHEN 'closing' THEN 2 ELSE 3 END,
                 h.created_at, h.id
        {page}
        """;

    // Households without a running request last, on every database (NULL ordering differs between them).
    internal const string ByNextDueSql = Select + """

        ORDER BY CASE WHEN r.next_due_at IS NULL THEN 1 ELSE 0 END, r.next_due_at, h.created_at, h.id
        {page}
        """;

    internal sealed record Row
    {
        public Guid HouseholdId { get; init; }
        public string Status { get; init; } = "";
        public string Street { get; init; } = "";
        public int HouseNumber { get; init; }
        public string HouseNumberSuffix { get; init; } = "";
        public string PostalCode { get; init; } = "";
        public string City { get; init; } = "";
        public DateTimeOffset RegisteredAt { get; init; }
        public DateTimeOffset AssignedAt { get; init; }
        public int OpenRequests { get; init; }
        public DateTimeOffset? NextDueAt { get; init; }
        public string? FamilyName { get; init; }
        public long TotalCount { get; init; }
    }

    internal sealed class Handler(DbSession db, AccessLogWriter log) : IQueryHandler<Query, PagedResult<CaseloadItem>>
    {
        public async ValueTask<PagedResult<CaseloadItem>> Handle(Query query, CancellationToken ct)
        {
            var sql = query.Sort switch
            {
                "status" => ByStatusSql,
                "nextDue" => ByNextDueSql,
                _ => ByRegisteredSql,
            };
            var rows = (await db.QueryAsync<Row>(sql, new
            {
                query.CoachId, offset = query.Paging.Offset, limit = query.Paging.Limit,
            }, ct)).ToList();
            // A page past the end has no row to carry the total: only then is it counted on its own.
            var total = rows.Count > 0
                ? (int)rows[0].TotalCount
                : query.Paging.Offset == 0 ? 0 : await db.ExecuteScalarAsync<int>(CountSql, new { query.CoachId }, ct);
            // One row per listed household, in one statement (issue 12: one autocommit insert per row was the page's
            // cost). These are the caller's own households (they are its open contact), so no row is on behalf of
            // another coach: the stand-in lookup is skipped.
            await log.WriteListedAsync("list", "household", rows.Select(r => ((Guid?)r.HouseholdId, (Guid?)r.HouseholdId)).ToList(), ct,
                ownHouseholds: true);
            return new PagedResult<CaseloadItem>(rows.Select(r => new CaseloadItem(
                r.HouseholdId, r.Status,
                new Address(r.Street, r.HouseNumber, r.HouseNumberSuffix.Length == 0 ? null : r.HouseNumberSuffix, r.PostalCode, r.City),
                r.RegisteredAt, r.AssignedAt, r.OpenRequests,
                r.NextDueAt is { } due ? WorkingDays.InAmsterdam(due) : null, r.FamilyName)).ToList(), query.Paging.Page, query.Paging.PageSize, total);
        }
    }

    public static void Map(RouteGroupBuilder api) => api
        .MapGet("/caseload", async (string? sort, int? page, int? pageSize, CurrentUser user, IMediator mediator, CancellationToken ct) =>
        {
            if (sort is not null && !Sorts.Contains(sort))
            {
                throw new FluentValidation.ValidationException([new("sort", "Sorteer op registered, status of nextDue.")]);
            }
            return TypedResults.Ok(await mediator.Send(
                new Query(user.Id, sort ?? "registered", WebConventions.ReadPaging(page, pageSize)), ct));
        })
        .RequireAuthorization(Policies.Coach)
        .WithName("getCaseload")
        .WithSummary("Eigen caseload van de coach: huishoudens met status, open verzoeken en eerstvolgende termijn")
        .WithTags("Caseload");
}
