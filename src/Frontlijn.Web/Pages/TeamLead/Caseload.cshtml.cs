using Frontlijn.Web.Features.Caseload;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Pages.Admin;
using Mediator;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Frontlijn.Web.Pages.TeamLead;

/// <summary>Caseload per coach against the maximum (<see cref="GetTeamCaseload.Query"/>).</summary>
public sealed class CaseloadModel(IMediator mediator, CurrentUser me) : PageModel
{
    public GetTeamCaseload.TeamCaseload Team { get; private set; } = null!;

    public async Task OnGetAsync(CancellationToken ct) =>
        Team = await mediator.Send(new GetTeamCaseload.Query(me.TeamId!.Value, AdminLists.Lookup), ct);
}
