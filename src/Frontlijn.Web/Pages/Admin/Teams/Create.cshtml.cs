using FluentValidation;
using Frontlijn.Web.Features.Admin.Neighbourhoods;
using Frontlijn.Web.Features.Admin.Teams;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Frontlijn.Web.Pages.Admin.Teams;

/// <summary>Sends <see cref="CreateTeam.Command"/>, exactly as POST /api/v1/teams does.</summary>
public sealed class CreateModel(IMediator mediator) : PageModel
{
    public sealed class InputModel
    {
        public string? Name { get; set; }
        public List<Guid> NeighbourhoodIds { get; set; } = [];
    }

    private static readonly Dictionary<string, string> Labels = new(StringComparer.Ordinal)
    {
        ["Name"] = "Naam", ["NeighbourhoodIds"] = "Wijken",
    };

    [BindProperty]
    public InputModel Input { get; set; } = new();

    public IReadOnlyList<Neighbourhood> Neighbourhoods { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken ct) => await LoadAsync(ct);

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (ModelState.IsValid)
        {
            try
            {
                var created = await mediator.Send(new CreateTeam.Command(Input.Name?.Trim() ?? "", Input.NeighbourhoodIds), ct);
                TempData["Melding"] = $"Team {created.Name} is toegevoegd.";
                return RedirectToPage("Index");
            }
            catch (ValidationException ex)
            {
                FormErrors.AddTo(ModelState, ex, nameof(Input), Labels,
                    path => path.StartsWith("NeighbourhoodIds", StringComparison.Ordinal) ? "NeighbourhoodIds" : null);
            }
            catch (ProblemException ex) when (ex.Status == StatusCodes.Status409Conflict)
            {
                ModelState.AddModelError("", ex.Detail);
            }
        }
        await LoadAsync(ct);
        return Page();
    }

    private async Task LoadAsync(CancellationToken ct) =>
        Neighbourhoods = (await mediator.Send(new ListNeighbourhoods.Query(AdminLists.Lookup), ct)).Items;
}
