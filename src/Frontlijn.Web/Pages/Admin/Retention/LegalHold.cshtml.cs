using FluentValidation;
using Frontlijn.Web.Features.Rights;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Frontlijn.Web.Pages.Admin.Retention;

/// <summary>Sends <see cref="PlaceLegalHold.Command"/>, exactly as POST /api/v1/households/{id}/legal-hold does.</summary>
public sealed class LegalHoldModel(IMediator mediator) : PageModel
{
    public sealed class InputModel
    {
        public string? Reason { get; set; }
        public DateOnly? Until { get; set; }
    }

    private static readonly Dictionary<string, string> Labels = new(StringComparer.Ordinal)
    {
        ["Reason"] = "Reden", ["Until"] = "Bewaren tot",
    };

    [BindProperty]
    public InputModel Input { get; set; } = new();

    [BindProperty(SupportsGet = true)]
    public Guid Id { get; set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        // A date the browser could not bind is the validator's "required" message at the field, not a model error.
        ModelState.Remove("Input.Until");
        try
        {
            var hold = await mediator.Send(new PlaceLegalHold.Command(Id, Input.Reason?.Trim(), Input.Until), ct);
            TempData["Melding"] = $"De bewaarplicht tot {hold.Until:yyyy-MM-dd} is vastgelegd.";
            return RedirectToPage("Index");
        }
        catch (ValidationException ex)
        {
            FormErrors.AddTo(ModelState, ex, nameof(Input), Labels);
        }
        catch (ProblemException ex) when (ex.Status is StatusCodes.Status404NotFound or StatusCodes.Status410Gone)
        {
            ModelState.AddModelError("", ex.Detail);
        }
        return Page();
    }
}
