using Frontlijn.Web.Features.Admin.Neighbourhoods;
using Frontlijn.Web.Features.Admin.Teams;
using Frontlijn.Web.Features.Admin.Users;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Frontlijn.Web.Pages.Admin.Teams;

public sealed class DetailsModel(IMediator mediator) : PageModel
{
    public Team Team { get; private set; } = null!;
    public IReadOnlyList<Neighbourhood> Neighbourhoods { get; private set; } = [];
    public IReadOnlyList<User> Members { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        try
        {
            Team = await mediator.Send(new GetTeam.Query(id), ct);
        }
        catch (ProblemException ex) when (ex.Status == StatusCodes.Status404NotFound)
        {
            return NotFound();
        }
        var neighbourhoods = new List<Neighbourhood>();
        foreach (var neighbourhoodId in Team.NeighbourhoodIds)
        {
            neighbourhoods.Add(await mediator.Send(new GetNeighbourhood.Query(neighbourhoodId), ct));
        }
        Neighbourhoods = neighbourhoods.OrderBy(n => n.Name, StringComparer.CurrentCulture).ToList();
        Members = (await mediator.Send(new ListUsers.Query(AdminLists.Lookup, null, id, null), ct)).Items;
        return Page();
    }
}
