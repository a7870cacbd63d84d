using Microsoft.AspNetCore.Mvc;
using Frontlijn.Web.Features.Admin.Organisations;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Frontlijn.Web.Pages.Admin.Organisations;

public sealed class IndexModel(IMediator mediator) : PageModel
{
    public PagedResult<Organisation> Result { get; private set; } = null!;

    public Pager Pager => Pager.For(Result, p => $"/beheer/organisaties?page={p}");

    public async Task OnGetAsync([FromQuery(Name = "page")] int? page, CancellationToken ct) =>
        Result = await mediator.Send(new ListOrganisations.Query(AdminLists.Paging(page)), ct);
}
