using FluentValidation;
using Frontlijn.Web.Features.Visits;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Frontlijn.Web.Pages.Visits;

/// <summary>
/// Records what happened at the door (<see cref="RecordVisitOutcome.Command"/>, as
/// <c>POST /api/v1/visits/{id}/outcome</c>), from a phone: four big choices and an optional note. A concern becomes a
/// signal in the same transaction; afterwards the page says where it went, from the recording's own answer
/// (<c>outcome.routedTo</c>: the coach's name only when the API gives it to this visitor). The visit is read with
/// <see cref="GetVisit.Query"/>: 404 for whoever may not record it, as the API.
/// </summary>
public sealed class OutcomeModel(IMediator mediator) : PageModel
{
    public sealed class InputModel
    {
        public string? Result { get; set; }
        public string? Note { get; set; }
    }

    private static readonly Dictionary<string, string> Labels = new(StringComparer.Ordinal)
    {
        ["Result"] = "Uitkomst", ["Note"] = "Notitie",
    };

    [BindProperty]
    public InputModel Input { get; set; } = new();

    public Visit Visit { get; private set; } = null!;

    public static IReadOnlyList<string> Results => VisitResults.All;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) =>
        await LoadAsync(id, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        if (!ModelState.IsValid) return Page();
        try
        {
            var recorded = await mediator.Send(new RecordVisitOutcome.Command(id, Input.Result, Input.Note), ct);
            var outcome = recorded.Outcome!;
            TempData["Melding"] = $"De uitkomst van het bezoek aan {Ui.Address(recorded.Address)} is vastgelegd: {VisitText.Result(outcome.Result).ToLowerInvariant()}."
                + (outcome.RoutedTo is { } to ? " " + VisitText.RoutedTo(to) : "");
            return Redirect(IndexModel.Href(recorded.PlannedOn));
        }
        catch (ValidationException ex)
        {
            FormErrors.AddTo(ModelState, VisitText.ForPeople(ex), nameof(Input), Labels);
        }
        catch (ProblemException ex) when (ex.Status == StatusCodes.Status409Conflict)
        {
            // Someone else recorded it meanwhile: show theirs, no form.
            ModelState.AddModelError("", ex.Detail);
            await LoadAsync(id, ct);
        }
        return Page();
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        try
        {
            Visit = await mediator.Send(new GetVisit.Query(id), ct);
            return true;
        }
        catch (ProblemException ex) when (ex.Status == StatusCodes.Status404NotFound)
        {
            return false;
        }
    }
}
