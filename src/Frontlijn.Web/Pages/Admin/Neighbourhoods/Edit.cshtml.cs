using FluentValidation;
using Frontlijn.Web.Features.Admin.Neighbourhoods;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Frontlijn.Web.Pages.Admin.Neighbourhoods;

/// <summary>Sends <see cref="PatchNeighbourhood.Command"/>, exactly as PATCH /api/v1/neighbourhoods/{id} does (name and the whole list of postal codes).</summary>
public sealed class EditModel(IMediator mediator) : PageModel
{
    public sealed class InputModel
    {
        public string? Name { get; set; }

        /// <summary>One text field: "8924, 8925" or one per line, as when adding a neighbourhood.</summary>
        public string? PostalCodes { get; set; }
    }

    private static readonly Dictionary<string, string> Labels = new(StringComparer.Ordinal)
    {
        ["Name"] = "Naam", ["PostalCodes"] = "Postcodegebieden",
    };

    [BindProperty]
    public InputModel Input { get; set; } = new();

    public Neighbourhood Neighbourhood { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        Input = new InputModel { Name = Neighbourhood.Name, PostalCodes = string.Join(", ", Neighbourhood.PostalCodes) };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        var postalCodes = (Input.PostalCodes ?? "")
            .Split([',', ';', ' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        try
        {
            var changed = await mediator.Send(new PatchNeighbourhood.Command(id,
                new(true, Input.Name?.Trim() ?? ""), new(true, postalCodes)), ct);
            TempData["Melding"] = $"Wijk {changed.Name} ({changed.Code}) is opgeslagen.";
            return RedirectToPage("Index");
        }
        catch (ValidationException ex)
        {
            // "PostalCodes[2]" belongs to the one postal-codes field.
            FormErrors.AddTo(ModelState, ex, nameof(Input), Labels,
                path => path.StartsWith("PostalCodes", StringComparison.Ordinal) ? "PostalCodes" : null);
        }
        catch (ProblemException ex) when (ex.Status == StatusCodes.Status404NotFound)
        {
            return NotFound();
        }
        return await LoadAsync(id, ct) ? Page() : NotFound();
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        try
        {
            Neighbourhood = await mediator.Send(new GetNeighbourhood.Query(id), ct);
            return true;
        }
        catch (ProblemException ex) when (ex.Status == StatusCodes.Status404NotFound)
        {
            return false;
        }
    }
}
