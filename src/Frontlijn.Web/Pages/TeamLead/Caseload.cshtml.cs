using FluentValidation;
using Frontlijn.Web.Features.Caseload;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Web;
using Frontlijn.Web.Pages.Admin;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Frontlijn.Web.Pages.TeamLead;

/// <summary>
/// Caseload per coach against the maximum (<see cref="GetTeamCaseload.Query"/>), and "Caseload overdragen": a coach's
/// whole caseload to one or more coaches of the team, through <see cref="HandOverCaseload.Command"/> exactly as
/// POST /api/v1/users/{id}/caseload-handover does.
/// </summary>
public sealed class CaseloadModel(IMediator mediator, CurrentUser me) : PageModel
{
    public sealed class InputModel
    {
        public List<Guid> ToCoachIds { get; set; } = [];
        public string? Reason { get; set; }
    }

    private static readonly Dictionary<string, string> Labels = new(StringComparer.Ordinal)
    {
        ["ToCoachIds"] = "Naar coaches", ["Reason"] = "Reden",
    };

    public GetTeamCaseload.TeamCaseload Team { get; private set; } = null!;

    /// <summary><c>?overdragen={coachId}</c>: the coach whose caseload the form hands over.</summary>
    [BindProperty(SupportsGet = true, Name = "overdragen")]
    public Guid? HandingOver { get; set; }

    [BindProperty]
    public InputModel Input { get; set; } = new();

    public GetTeamCaseload.CoachLoad? From => Team.Items.FirstOrDefault(c => c.CoachId == HandingOver);

    // A team lead without a team has no caseload to show: "Geen toegang" (403), never a failure page.
    public async Task<IActionResult> OnGetAsync(CancellationToken ct) =>
        await LoadAsync(ct) ? Page() : StatusCode(StatusCodes.Status403Forbidden);

    public async Task<IActionResult> OnPostHandoverAsync(CancellationToken ct)
    {
        if (HandingOver is { } coachId)
        {
            try
            {
                var result = await mediator.Send(new HandOverCaseload.Command(coachId, Input.ToCoachIds, Input.Reason), ct);
                TempData["Melding"] = result.HandedOver.Count == 1
                    ? "1 huishouden is overgedragen."
                    : $"{result.HandedOver.Count} huishoudens zijn overgedragen.";
                return RedirectToPage();
            }
            catch (ValidationException ex)
            {
                FormErrors.AddTo(ModelState, ex, nameof(Input), Labels,
                    path => path.StartsWith("ToCoachIds", StringComparison.Ordinal) ? "ToCoachIds" : null);
            }
            catch (ProblemException ex) when (ex.Status is StatusCodes.Status409Conflict or StatusCodes.Status404NotFound)
            {
                ModelState.AddModelError("", ex.Detail);
            }
        }
        return await LoadAsync(ct) ? Page() : StatusCode(StatusCodes.Status403Forbidden);
    }

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        if (me.TeamId is not { } teamId) return false;
        Team = await mediator.Send(new GetTeamCaseload.Query(teamId, AdminLists.Lookup), ct);
        return true;
    }
}
