using FluentValidation;
using Frontlijn.Web.Features.Admin.Users;
using Frontlijn.Web.Features.StandIns;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Web;
using Frontlijn.Web.Pages.Admin;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Frontlijn.Web.Pages.TeamLead;

/// <summary>
/// Waarneming: the team lead names a stand-in for an absent coach of the team (<see cref="SetStandIn.Command"/>, as
/// PUT /api/v1/users/{id}/stand-in) and ends a running or planned one (<see cref="EndStandIn.Command"/>, as DELETE).
/// </summary>
public sealed class StandInsModel(IMediator mediator, CurrentUser me, TimeProvider time) : PageModel
{
    public sealed class InputModel
    {
        public Guid? CoachId { get; set; }
        public Guid? StandInId { get; set; }
        public DateOnly? From { get; set; }
        public DateOnly? Until { get; set; }
    }

    private static readonly Dictionary<string, string> Labels = new(StringComparer.Ordinal)
    {
        ["CoachId"] = "Afwezige coach", ["StandInId"] = "Waarnemer", ["From"] = "Eerste dag", ["Until"] = "Laatste dag",
    };

    [BindProperty]
    public InputModel Input { get; set; } = new();

    public IReadOnlyList<User> Coaches { get; private set; } = [];
    public IReadOnlyList<ListStandIns.Item> StandIns { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        if (!await LoadAsync(ct)) return StatusCode(StatusCodes.Status403Forbidden);
        var today = Ui.Today(time);
        Input.From ??= today;
        Input.Until ??= today.AddDays(13);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (me.TeamId is null) return StatusCode(StatusCodes.Status403Forbidden);
        // A date the browser could not send as a date lands in ModelState as the framework's English text: say it in Dutch.
        foreach (var field in new[] { "From", "Until" })
        {
            if (ModelState.TryGetValue($"Input.{field}", out var entry) && entry.Errors.Count > 0)
            {
                entry.Errors.Clear();
                ModelState.AddModelError($"Input.{field}", "Vul een datum in als dd-mm-jjjj.");
            }
        }
        if (Input.CoachId is null) ModelState.AddModelError("Input.CoachId", "Kies de coach die afwezig is.");
        if (ModelState.ErrorCount == 0)
        {
            try
            {
                var result = await mediator.Send(new SetStandIn.Command(Input.CoachId!.Value, Input.StandInId, Input.From, Input.Until), ct);
                var coach = (await LoadCoachesAsync(ct)).FirstOrDefault(c => c.Id == result.CoachId)?.DisplayName ?? "de coach";
                TempData["Melding"] = $"{result.StandInDisplayName} neemt waar voor {coach} van {Ui.Date(result.From)} tot en met {Ui.Date(result.Until)}.";
                return RedirectToPage();
            }
            catch (ValidationException ex)
            {
                FormErrors.AddTo(ModelState, ex, nameof(Input), Labels);
            }
            catch (ProblemException ex) when (ex.Status == StatusCodes.Status404NotFound)
            {
                // Only the coach can be outside the team here: say so at that field.
                ModelState.AddModelError("Input.CoachId", "Kies een coach van uw eigen team.");
            }
        }
        return await LoadAsync(ct) ? Page() : StatusCode(StatusCodes.Status403Forbidden);
    }

    public async Task<IActionResult> OnPostEndAsync(Guid coachId, CancellationToken ct)
    {
        try
        {
            await mediator.Send(new EndStandIn.Command(coachId), ct);
            TempData["Melding"] = "De waarneming is beëindigd.";
            return RedirectToPage();
        }
        catch (ProblemException ex) when (ex.Status == StatusCodes.Status404NotFound)
        {
            ModelState.AddModelError("", "Deze waarneming loopt niet (meer); er is niets beëindigd.");
        }
        return await LoadAsync(ct) ? Page() : StatusCode(StatusCodes.Status403Forbidden);
    }

    private async Task<IReadOnlyList<User>> LoadCoachesAsync(CancellationToken ct) =>
        me.TeamId is { } teamId
            ? (await mediator.Send(new ListUsers.Query(AdminLists.Lookup, Roles.Coach, teamId, null), ct)).Items
                .OrderBy(c => c.DisplayName, StringComparer.CurrentCulture).ToList()
            : [];

    private async Task<bool> LoadAsync(CancellationToken ct)
    {
        if (me.TeamId is null) return false;
        Coaches = await LoadCoachesAsync(ct);
        StandIns = await mediator.Send(new ListStandIns.Query(), ct);
        return true;
    }
}
