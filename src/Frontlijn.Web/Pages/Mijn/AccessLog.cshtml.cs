using Frontlijn.Web.Features.Residents;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;

namespace Frontlijn.Web.Pages.Mijn;

/// <summary>/mijn/inzage: who looked at the household's file (the same query as GET /api/v1/me/access-log).</summary>
public sealed class AccessLogModel(IMediator mediator) : ResidentPageModel
{
    public const int PageSize = 50;

    public PagedResult<ListMyAccessLog.MyAccessLogEntry> Entries { get; private set; } = null!;

    public async Task OnGetAsync(int? pagina, CancellationToken ct) =>
        Entries = await mediator.Send(new ListMyAccessLog.Query(WebConventions.ReadPaging(pagina is > 0 and <= 1000 ? pagina : 1, PageSize)), ct);
}
