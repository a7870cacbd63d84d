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

    /// <summary>The coach's caseload, overdue requests first, then by the next due date.</summary>
    public IReadOnlyList<GetCaseload.CaseloadItem> Caseload { get; private set; } = [];

    /// <summary>The team lead's households of the team.</summary>
    public IReadOnlyList<ListHouseholds.HouseholdSummary> TeamHouseholds { get; private set; } = [];

    public DateTimeOffset Now { get; private set; }

    /// <summary>The caseload table alone, for the live refresh when a request of one of these households changes.</summary>
    public async Task<IActionResult> OnGetCaseloadAsync(CancellationToken ct)
    {
        if (!me.IsInRole(Roles.Coach)) return NotFound();
        await LoadCaseloadAsync(ct);
        return Partial("_Caseload", this);
    }

    private async Task LoadCaseloadAsync(CancellationToken ct)
    {
        Now = time.GetUtcNow();
        var items = (await mediator.Send(new GetCaseload.Query(me.Id, "nextDue", All), ct)).Items;
        Caseload = items.OrderBy(i => i.NextDueAt is { } due && due < Now ? 0 : 1).ThenBy(i => i.NextDueAt is null ? 1 : 0)
            .ThenBy(i => i.NextDueAt).ToList();
    }

    public async Task OnGetAsync(CancellationToken ct)
    {
        if (me.IsInRole(Roles.Coach)) await LoadCaseloadAsync(ct);
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
