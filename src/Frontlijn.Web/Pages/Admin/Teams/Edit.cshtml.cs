using FluentValidation;
using Frontlijn.Web.Features.Admin.Neighbourhoods;
using Frontlijn.Web.Features.Admin.Teams;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Frontlijn.Web.Pages.Admin.Teams;

/// <summary>Sends <see cref="PatchTeam.Command"/>, exactly as PATCH /api/v1/teams/{id} does (name and the whole list of neighbourhoods).</summary>
public sealed class EditModel(IMediator mediator) : PageModel
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

    public Team Team { get; private set; } = null!;
    public IReadOnlyList<Neighbourhood> Neighbourhoods { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        Input = new InputModel { Name = Team.Name, NeighbourhoodIds = [.. Team.NeighbourhoodIds] };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        try
        {
            var changed = await mediator.Send(new PatchTeam.Command(id,
                new(true, Input.Name?.Trim() ?? ""), new(true, Input.NeighbourhoodIds)), ct);
            TempData["Melding"] = $"Team {changed.Name} is opgeslagen.";
            return RedirectToPage("Details", new { id });
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
            Team = await mediator.Send(new GetTeam.Query(id), ct);
        }
        catch (ProblemException ex) when (ex.Status == StatusCodes.Status404NotFound)
        {
            return false;
        }
        Neighbourhoods = (await mediator.Send(new ListNeighbourhoods.Query(AdminLists.Lookup), ct)).Items;
        return true;
    }
}
