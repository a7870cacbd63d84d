using Microsoft.AspNetCore.Mvc;
using Frontlijn.Web.Features.Admin.Neighbourhoods;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Frontlijn.Web.Pages.Admin.Neighbourhoods;

public sealed class IndexModel(IMediator mediator) : PageModel
{
    public PagedResult<Neighbourhood> Result { get; private set; } = null!;

    public Pager Pager => Pager.For(Result, p => $"/beheer/wijken?page={p}");

    public async Task OnGetAsync([FromQuery(Name = "page")] int? page, CancellationToken ct) =>
        Result = await mediator.Send(new ListNeighbourhoods.Query(AdminLists.Paging(page)), ct);
}
