using Frontlijn.Web.Features.Admin.Organisations;
using Frontlijn.Web.Features.Admin.Users;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Frontlijn.Web.Pages.Admin.Organisations;

public sealed class DetailsModel(IMediator mediator) : PageModel
{
    public Organisation Organisation { get; private set; } = null!;
    public IReadOnlyList<User> Staff { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        try
        {
            Organisation = await mediator.Send(new GetOrganisation.Query(id), ct);
        }
        catch (ProblemException ex) when (ex.Status == StatusCodes.Status404NotFound)
        {
            return NotFound();
        }
        Staff = (await mediator.Send(new ListUsers.Query(AdminLists.Lookup, Roles.BackOffice, null, id), ct)).Items;
        return Page();
    }
}
