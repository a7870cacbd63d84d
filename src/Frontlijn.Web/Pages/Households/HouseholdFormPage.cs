using FluentValidation;
using Frontlijn.Web.Features.Households;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Frontlijn.Web.Pages.Households;

/// <summary>
/// A form about one household: reads the household (404 outside need-to-know, as the API), sends one command, and puts
/// its refusals on the form exactly as the admin forms do (field errors by the field, conflicts at the top).
/// </summary>
public abstract class HouseholdFormPage(IMediator mediator) : PageModel
{
    protected IMediator Mediator => mediator;

    public HouseholdDetail Household { get; private set; } = null!;

    public string HouseholdTitle => Ui.Address(Household.Address);

    /// <summary>Field label per command property (PascalCase), for the Dutch messages.</summary>
    protected abstract IReadOnlyDictionary<string, string> Labels { get; }

    /// <summary>Where a command property is shown when the form spells it differently; null keeps the path.</summary>
    protected virtual string? FieldFor(string path) => null;

    /// <summary>The name of the bound input model the errors belong to.</summary>
    protected virtual string Prefix => "Input";

    protected virtual Task LoadAsync(CancellationToken ct) => Task.CompletedTask;

    protected async Task<bool> LoadHouseholdAsync(Guid id, CancellationToken ct)
    {
        try
        {
            Household = await mediator.Send(new GetHousehold.Query(id), ct);
            // A page about one member, consent or involvement of the household answers 404 for one it does not have.
            await LoadAsync(ct);
        }
        catch (ProblemException ex) when (ex.Status == StatusCodes.Status404NotFound)
        {
            return false;
        }
        return true;
    }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) =>
        await LoadHouseholdAsync(id, ct) ? Page() : NotFound();

    /// <summary>Sends the command; on success a message and back to the household, else the form with its errors.</summary>
    protected async Task<IActionResult> SendAsync(Guid id, Func<CancellationToken, Task<string>> send, CancellationToken ct,
        string? redirect = null)
    {
        if (!await LoadHouseholdAsync(id, ct)) return NotFound();
        if (ModelState.IsValid)
        {
            try
            {
                TempData["Melding"] = await send(ct);
                return Redirect(redirect ?? $"/huishoudens/{id}");
            }
            catch (ValidationException ex)
            {
                FormErrors.AddTo(ModelState, ex, Prefix, Labels, FieldFor);
            }
            catch (ProblemException ex) when (ex.Status is StatusCodes.Status409Conflict or StatusCodes.Status403Forbidden
                                                  or StatusCodes.Status404NotFound)
            {
                ModelState.AddModelError("", ex.Detail);
            }
        }
        return Page();
    }
}
