using Frontlijn.Web.Features.Admin.Neighbourhoods;
using Frontlijn.Web.Features.Admin.Organisations;
using Frontlijn.Web.Features.Admin.Teams;
using Frontlijn.Web.Features.Admin.Users;
using Frontlijn.Web.Features.Caseload;
using Frontlijn.Web.Features.Households;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Frontlijn.Web.Pages;

/// <summary>The home page of each role: what exists for them today, read through the same queries as the API.</summary>
public sealed class IndexModel(IMediator mediator, CurrentUser me, TimeProvider time) : PageModel
{
    private static readonly WebConventions.Paging All = new(1, 200);

    public sealed record TeamView(Team Team, IReadOnlyList<Neighbourhood> Neighbourhoods, IReadOnlyList<User> Members);

    public sealed record AdminCounts(int Neighbourhoods, int Teams, int Organisations, int Users);

    public CurrentUser Me => me;
    public User? Self { get; private set; }
    public TeamView? MyTeam { get; private set; }
    public Organisation? MyOrganisation { get; private set; }
    public AdminCounts? Counts { get; private set; }

    public const int CaseloadPageSize = 25;

    /// <summary>The coach's caseload, a page at a time, by the next due date (so overdue requests come first).</summary>
    public PagedResult<GetCaseload.CaseloadItem> CaseloadPage { get; private set; } = new([], 1, CaseloadPageSize, 0);

    public IReadOnlyList<GetCaseload.CaseloadItem> Caseload => CaseloadPage.Items;

    public Pager CaseloadPager => Pager.For(CaseloadPage, p => p > 1 ? $"/?page={p}#caseload-titel" : "/#caseload-titel");

    /// <summary>The team lead's households of the team.</summary>
    public IReadOnlyList<ListHouseholds.HouseholdSummary> TeamHouseholds { get; private set; } = [];

    public DateTimeOffset Now { get; private set; }

    /// <summary>The caseload table alone, for the live refresh when a request of one of these households changes.</summary>
    // "page" is also Razor Pages' own route value, which binds before the query string: read it from the query by name.
    public async Task<IActionResult> OnGetCaseloadAsync([FromQuery(Name = "page")] int? pageNumber, CancellationToken ct)
    {
        if (!me.IsInRole(Roles.Coach)) return NotFound();
        await LoadCaseloadAsync(pageNumber, ct);
        return Partial("_Caseload", this);
    }

    // "nextDue" puts the earliest running due date first, so what is overdue is on top; households without a running
    // request last. A page past the end shows the last page.
    private async Task LoadCaseloadAsync(int? page, CancellationToken ct)
    {
        Now = time.GetUtcNow();
        var number = page is >= 1 and <= 100_000 ? page.Value : 1;
        CaseloadPage = await mediator.Send(new GetCaseload.Query(me.Id, "nextDue", new WebConventions.Paging(number, CaseloadPageSize)), ct);
        if (CaseloadPage.Items.Count == 0 && CaseloadPage.Total > 0 && number > 1)
        {
            var last = (CaseloadPage.Total + CaseloadPageSize - 1) / CaseloadPageSize;
            CaseloadPage = await mediator.Send(new GetCaseload.Query(me.Id, "nextDue", new WebConventions.Paging(last, CaseloadPageSize)), ct);
        }
    }

    public async Task OnGetAsync([FromQuery(Name = "page")] int? pageNumber, CancellationToken ct)
    {
        if (me.IsInRole(Roles.Coach)) await LoadCaseloadAsync(pageNumber, ct);
        if (me.IsInRole(Roles.TeamLead))
        {
            TeamHouseholds = (await mediator.Send(new ListHouseholds.Query(All, null), ct)).Items;
        }
        Self = await mediator.Send(new GetUser.Query(me.Id), ct);
        if (me.TeamId is { } teamId)
        {
            var team = await mediator.Send(new GetTeam.Query(teamId), ct);
            var neighbourhoods = new List<Neighbourhood>();
            foreach (var id in team.NeighbourhoodIds)
            {
                neighbourhoods.Add(await mediator.Send(new GetNeighbourhood.Query(id), ct));
            }
            var members = await mediator.Send(new ListUsers.Query(All, null, teamId, null), ct);
            MyTeam = new TeamView(team, neighbourhoods.OrderBy(n => n.Name, StringComparer.CurrentCulture).ToList(),
                members.Items.OrderBy(u => u.DisplayName, StringComparer.CurrentCulture).ToList());
        }
        if (me.OrganisationId is { } organisationId)
        {
            MyOrganisation = await mediator.Send(new GetOrganisation.Query(organisationId), ct);
        }
        if (me.IsInRole(Roles.Admin))
        {
            var one = new WebConventions.Paging(1, 1);
            Counts = new AdminCounts(
                (await mediator.Send(new ListNeighbourhoods.Query(one), ct)).Total,
                (await mediator.Send(new ListTeams.Query(one), ct)).Total,
                (await mediator.Send(new ListOrganisations.Query(one), ct)).Total,
                (await mediator.Send(new ListUsers.Query(one, null, null, null), ct)).Total);
        }
    }
}
