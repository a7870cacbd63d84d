using Frontlijn.Web.Features.Visits;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Frontlijn.Web.Pages.Visits;

/// <summary>
/// The team's visits of one day (<see cref="ListVisits.Query"/>, as <c>GET /api/v1/visits?on=</c>), made for a phone in
/// the street: one day at a time, previous/next day and today one tap away, each visit a card with a big button to
/// record what happened.
/// </summary>
public sealed class IndexModel(IMediator mediator, CurrentUser me, TimeProvider time) : PageModel
{
    public const int PageSize = 20;

    /// <summary>The day shown (?dag=jjjj-mm-dd); today when absent or not a date.</summary>
    [BindProperty(SupportsGet = true, Name = "dag")]
    public DateOnly? Day { get; set; }

    public DateOnly Today { get; private set; }

    public DateOnly Shown { get; private set; }

    /// <summary>What was typed when it was no date, kept in the field so it can be corrected.</summary>
    public string? RequestedDay { get; private set; }

    public PagedResult<Visit> Result { get; private set; } = new([], 1, PageSize, 0);

    public Pager Pager => Pager.For(Result, p => Href(Shown) + (p > 1 ? $"&page={p}" : ""));

    public static string Href(DateOnly day) => $"/bezoeken?dag={VisitText.Iso(day)}";

    // "page" is also Razor Pages' own route value, which binds before the query string: read it from the query by name.
    public async Task<IActionResult> OnGetAsync([FromQuery(Name = "page")] int? pageNumber, CancellationToken ct)
    {
        Today = Ui.Today(time);
        if (!ModelState.IsValid)
        {
            // Not a date: said at the field, and today's visits meanwhile.
            RequestedDay = Request.Query["dag"].ToString();
            ModelState.Remove("dag");
            ModelState.AddModelError("dag", "Dit is geen geldige datum; kies een dag.");
            Day = null;
        }
        Shown = Day ?? Today;
        Result = await mediator.Send(new ListVisits.Query(me.TeamId, me.Id, Shown,
            WebConventions.ReadPaging(Math.Clamp(pageNumber ?? 1, 1, WebConventions.MaxPage), PageSize)), ct);
        return Page();
    }
}
