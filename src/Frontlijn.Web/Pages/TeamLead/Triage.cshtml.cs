using FluentValidation;
using Frontlijn.Web.Features.Admin.Neighbourhoods;
using Frontlijn.Web.Features.Admin.Teams;
using Frontlijn.Web.Features.Admin.Users;
using Frontlijn.Web.Features.Households;
using Frontlijn.Web.Features.Signals;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Web;
using Frontlijn.Web.Pages.Admin;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Frontlijn.Web.Pages.TeamLead;

/// <summary>The team lead's triage queue (<see cref="ListSignals.Query"/>) and <see cref="TriageSignal.Command"/> per signal.</summary>
public sealed class TriageModel(IMediator mediator, CurrentUser me) : PageModel
{
    public sealed class InputModel
    {
        public Guid SignalId { get; set; }
        public Guid? HouseholdId { get; set; }
        public Guid? NeighbourhoodId { get; set; }
        public Guid? CoachId { get; set; }
        public string? Reason { get; set; }
    }

    private static readonly Dictionary<string, string> Labels = new(StringComparer.Ordinal)
    {
        ["HouseholdId"] = "Huishouden", ["NeighbourhoodId"] = "Wijk", ["CoachId"] = "Coach", ["Reason"] = "Reden",
    };

    [BindProperty]
    public InputModel Input { get; set; } = new();

    public IReadOnlyList<ListSignals.QueuedSignal> Signals { get; private set; } = [];
    public IReadOnlyList<ListHouseholds.HouseholdSummary> Households { get; private set; } = [];
    public IReadOnlyList<User> Coaches { get; private set; } = [];
    public IReadOnlyList<Neighbourhood> Neighbourhoods { get; private set; } = [];

    // A team lead without a team has no queue: "Geen toegang" (403), never a failure page.
    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (me.TeamId is null) return StatusCode(StatusCodes.Status403Forbidden);
        await LoadAsync(ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (me.TeamId is null) return StatusCode(StatusCodes.Status403Forbidden);
        if (ModelState.IsValid)
        {
            try
            {
                var result = await mediator.Send(new TriageSignal.Command(Input.SignalId, Input.HouseholdId, Input.CoachId,
                    Input.HouseholdId is null ? Input.NeighbourhoodId : null, Input.Reason?.Trim()), ct);
                TempData["Melding"] = $"Het signaal is bij {result.Coach.DisplayName} terechtgekomen{(result.NewHousehold ? " (nieuw huishouden)" : "")}.";
                return RedirectToPage();
            }
            catch (ValidationException ex)
            {
                FormErrors.AddTo(ModelState, ex, nameof(Input), Labels);
            }
            catch (ProblemException ex) when (ex.Status is StatusCodes.Status409Conflict or StatusCodes.Status403Forbidden or StatusCodes.Status404NotFound)
            {
                ModelState.AddModelError("", ex.Detail);
            }
        }
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        var teamId = me.TeamId ?? throw ProblemException.Forbidden("U bent teamleider zonder team.");
        Signals = (await mediator.Send(new ListSignals.Query(teamId, SignalStatus.Untriaged, AdminLists.Lookup), ct)).Items;
        Households = (await mediator.Send(new ListHouseholds.Query(AdminLists.Lookup, null), ct)).Items
            .Where(h => h.Status != HouseholdStatus.Closed).ToList();
        Coaches = (await mediator.Send(new ListUsers.Query(AdminLists.Lookup, Roles.Coach, teamId, null), ct)).Items;
        var team = await mediator.Send(new GetTeam.Query(teamId), ct);
        var list = new List<Neighbourhood>();
        foreach (var id in team.NeighbourhoodIds) list.Add(await mediator.Send(new GetNeighbourhood.Query(id), ct));
        Neighbourhoods = list;
    }
}
