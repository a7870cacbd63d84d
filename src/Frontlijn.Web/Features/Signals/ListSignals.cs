using Frontlijn.Web.Features.AccessLog;
using Frontlijn.Web.Features.Households;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;

namespace Frontlijn.Web.Features.Signals;

/// <summary>
/// The triage queue of a team lead: signals of their own team plus the shared queue of their municipality (no team
/// covers the address; its city is a municipality in which their team covers a neighbourhood), and shared signals of
/// no known municipality, which every team lead sees so that none is lost. Oldest first. <c>status</c> defaults to
/// <c>untriaged</c>; <c>triaged</c> and <c>routed</c> show what was handled.
/// </summary>
public static class ListSignals
{
    public sealed record Query(Guid TeamId, string Status, WebConventions.Paging Paging) : IQuery<PagedResult<QueuedSignal>>;

    public sealed record QueuedSignal(
        Guid Id, string Status, DateTimeOffset CreatedAt, bool SharedQueue, Guid? TeamId, bool Matched, Guid? HouseholdId,
        Guid? CoachId, Address Address, IReadOnlyList<SignalPerson> Members, string Concern, IReadOnlyList<string> Domains,
        CoachRef Sender);

    /// <summary>A person in a signal, BSN masked.</summary>
    public sealed record SignalPerson(string? GivenName, string FamilyName, DateOnly? DateOfBirth, string? Role, string? Bsn);

    /// <summary>What a team lead of <c>@teamId</c> may see of the shared queue (also used by triage).</summary>
    internal const string SharedQueueOfTeam = """
        s.team_id IS NULL AND (s.municipality IS NULL OR s.municipality IN (
                SELECT n.municipality FROM team_neighbourhoods tn
                JOIN neighbourhoods n ON n.id = tn.neighbourhood_id
                WHERE tn.team_id = @teamId))
        """;

    private const string Filter = "WHERE s.status = @status AND (s.team_id = @teamId OR (" + SharedQueueOfTeam + "))";

    internal const string CountSql = "SELECT COUNT(*) FROM signals s " + Filter;

    internal const string PageSql = """
        SELECT s.id, s.status, s.created_at, s.team_id, s.matched, s.household_id, s.coach_id, s.street, s.house_number,
               s.house_number_suffix, s.postal_code, s.city, s.concern, s.domains, s.sender_id,
               u.display_name AS sender_display_name
        FROM signals s
        JOIN users u ON u.id = s.sender_id
        """ + "\n" + Filter + "\n" + """
        ORDER BY s.created_at, s.id
        {page}
        """;

    internal const string MembersSql = """
        SELECT signal_id, given_name, family_name, date_of_birth, role, bsn_last4
        FROM signal_members
        WHERE signal_id IN @ids
        ORDER BY sort_order
        """;

    internal sealed record Row
    {
        public Guid Id { get; init; }
        public string Status { get; init; } = "";
        public DateTimeOffset CreatedAt { get; init; }
        public Guid? TeamId { get; init; }
        public int Matched { get; init; }
        public Guid? HouseholdId { get; init; }
        public Guid? CoachId { get; init; }
        public string Street { get; init; } = "";
        public int HouseNumber { get; init; }
        public string HouseNumberSuffix { get; init; } = "";
        public string PostalCode { get; init; } = "";
        public string City { get; init; } = "";
        public string Concern { get; init; } = "";
        public string Domains { get; init; } = "";
        public Guid SenderId { get; init; }
        public string SenderDisplayName { get; init; } = "";
    }

    internal sealed record MemberRow
    {
        public Guid SignalId { get; init; }
        public string? GivenName { get; init; }
        public string FamilyName { get; init; } = "";
        public DateOnly? DateOfBirth { get; init; }
        public string? Role { get; init; }
        public string? BsnLast4 { get; init; }
    }

    internal sealed class Handler(DbSession db, AccessLogWriter log) : IQueryHandler<Query, PagedResult<QueuedSignal>>
    {
        public async ValueTask<PagedResult<QueuedSignal>> Handle(Query query, CancellationToken ct)
        {
            var filter = new { query.Status, query.TeamId };
            var total = await db.ExecuteScalarAsync<int>(CountSql, filter, ct);
            var rows = (await db.QueryAsync<Row>(PageSql, new
            {
                query.Status, query.TeamId, offset = query.Paging.Offset, limit = query.Paging.Limit,
            }, ct)).ToList();
            var members = (await db.QueryAsync<MemberRow>(MembersSql, new { ids = rows.Select(r => r.Id).ToArray() }, ct))
                .ToLookup(m => m.SignalId, m => new SignalPerson(m.GivenName, m.FamilyName, m.DateOfBirth, m.Role, Bsn.Mask(m.BsnLast4)));
            await log.WriteListedAsync("list", "signal", rows.Select(r => ((Guid?)r.Id, r.HouseholdId)).ToList(), ct);
            var items = rows.Select(r => new QueuedSignal(
                r.Id, r.Status, r.CreatedAt, r.TeamId is null, r.TeamId, r.Matched == 1, r.HouseholdId, r.CoachId,
                new Address(r.Street, r.HouseNumber, r.HouseNumberSuffix.Length == 0 ? null : r.HouseNumberSuffix, r.PostalCode, r.City),
                members[r.Id].ToList(), r.Concern,
                r.Domains.Split(',', StringSplitOptions.RemoveEmptyEntries), new CoachRef(r.SenderId, r.SenderDisplayName))).ToList();
            return new PagedResult<QueuedSignal>(items, query.Paging.Page, query.Paging.PageSize, total);
        }
    }

    public static void Map(RouteGroupBuilder api) => api
        .MapGet("/signals", async (string? status, int? page, int? pageSize, CurrentUser user, IMediator mediator, CancellationToken ct) =>
        {
            if (status is not null && !SignalStatus.All.Contains(status))
            {
                throw new FluentValidation.ValidationException([new("status", "Status is untriaged, triaged of routed.")]);
            }
            var paging = WebConventions.ReadPaging(page, pageSize);
            var teamId = user.TeamId ?? throw ProblemException.Forbidden("U bent teamleider zonder team; u heeft geen triagewachtrij.");
            return TypedResults.Ok(await mediator.Send(new Query(teamId, status ?? SignalStatus.Untriaged, paging), ct));
        })
        .RequireAuthorization(Policies.TeamLead)
        .WithName("listSignals")
        .WithSummary("Triagewachtrij: signalen van het eigen team en de gedeelde wachtrij van de gemeente, oudste eerst")
        .WithTags("Signalen");
}
