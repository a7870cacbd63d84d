using Frontlijn.Web.Features.Residents;
using Frontlijn.Web.Features.Rights;
using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace Frontlijn.Web.Pages.Mijn;

/// <summary>/mijn/export: the resident's own art. 15 bundle as the printable Dutch page (the same as GET /api/v1/me/export
/// with Accept: text/html); the browser's print dialog saves it as PDF.</summary>
public sealed class ExportModel(IMediator mediator) : ResidentPageModel
{
    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        var export = await mediator.Send(new ExportMyHousehold.Query(), ct);
        HttpContext.Response.Headers.ContentSecurityPolicy = ExportHtml.ContentSecurityPolicy;
        return Content(ExportHtml.Render(export), "text/html; charset=utf-8");
    }
}
