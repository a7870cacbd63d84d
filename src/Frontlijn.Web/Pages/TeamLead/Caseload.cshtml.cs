using Frontlijn.Web.Features.Caseload;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Pages.Admin;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Frontlijn.Web.Pages.TeamLead;

/// <summary>Caseload per coach against the maximum (<see cref="GetTeamCaseload.Query"/>).</summary>
public sealed class CaseloadModel(IMediator mediator, CurrentUser me) : PageModel
{
    public GetTeamCaseload.TeamCaseload Team { get; private set; } = null!;

    // A team lead without a team has no caseload to show: "Geen toegang" (403), never a failure page.
    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (me.TeamId is not { } teamId) return StatusCode(StatusCodes.Status403Forbidden);
        Team = await mediator.Send(new GetTeamCaseload.Query(teamId, AdminLists.Lookup), ct);
        return Page();
    }
}
