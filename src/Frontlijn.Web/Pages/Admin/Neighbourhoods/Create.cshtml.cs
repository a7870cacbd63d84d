using FluentValidation;
using Frontlijn.Web.Features.Admin.Neighbourhoods;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Frontlijn.Web.Pages.Admin.Neighbourhoods;

/// <summary>Sends <see cref="CreateNeighbourhood.Command"/>, exactly as POST /api/v1/neighbourhoods does.</summary>
public sealed class CreateModel(IMediator mediator) : PageModel
{
    public sealed class InputModel
    {
        public string? Code { get; set; }
        public string? Name { get; set; }
        public string? Municipality { get; set; }

        /// <summary>One text field: "8924, 8925" or one per line.</summary>
        public string? PostalCodes { get; set; }
    }

    private static readonly Dictionary<string, string> Labels = new(StringComparer.Ordinal)
    {
        ["Code"] = "Code", ["Name"] = "Naam", ["Municipality"] = "Gemeente", ["PostalCodes"] = "Postcodegebieden",
    };

    [BindProperty]
    public InputModel Input { get; set; } = new();

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!ModelState.IsValid) return Page();
        var postalCodes = (Input.PostalCodes ?? "")
            .Split([',', ';', ' ', '\n', '\r', '\t'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        try
        {
            var created = await mediator.Send(new CreateNeighbourhood.Command(
                Input.Code?.Trim() ?? "", Input.Name?.Trim() ?? "", Input.Municipality?.Trim() ?? "", postalCodes), ct);
            TempData["Melding"] = $"Wijk {created.Name} ({created.Code}) is toegevoegd.";
            return RedirectToPage("Index");
        }
        catch (ValidationException ex)
        {
            // "PostalCodes[2]" belongs to the one postal-codes field.
            FormErrors.AddTo(ModelState, ex, nameof(Input), Labels,
                path => path.StartsWith("PostalCodes", StringComparison.Ordinal) ? "PostalCodes" : null);
        }
        catch (ProblemException ex) when (ex.Status == StatusCodes.Status409Conflict)
        {
            ModelState.AddModelError("", ex.Detail);
        }
        return Page();
    }
}
