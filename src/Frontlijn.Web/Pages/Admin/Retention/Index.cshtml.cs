using Frontlijn.Web.Features.Rights;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Frontlijn.Web.Pages.Admin.Retention;

/// <summary>What the retention sweep erases now or soon (<see cref="ListRetentionDue.Query"/>), as GET /api/v1/retention/due.</summary>
public sealed class IndexModel(IMediator mediator) : PageModel
{
    public static readonly int[] Windows = [0, 30, 90, 365];

    public PagedResult<ListRetentionDue.DueHousehold> Due { get; private set; } = null!;
    public int Days { get; private set; }

    public async Task OnGetAsync(int? dagen, int? pagina, CancellationToken ct)
    {
        // Anything unusable in the address bar shows the default window rather than an error.
        Days = dagen is { } d && Windows.Contains(d) ? d : 30;
        Due = await mediator.Send(new ListRetentionDue.Query(Days, AdminLists.Paging(pagina)), ct);
    }
}
