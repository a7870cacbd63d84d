using Frontlijn.Web.Features.Requests;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using static Frontlijn.Web.Features.Requests.ListRequests;

namespace Frontlijn.Web.Pages.Requests;

/// <summary>
/// The requests the caller may see (<see cref="ListRequests.Query"/>: a back office only those addressed to its
/// organisation), as an inbox with tabs: open (new and in progress — the back office's default), new, overdue, done,
/// all; a back office can narrow any tab to the requests assigned to them. Paged and filtered by the database, what
/// needs an answer soonest on top. The table refreshes itself when a request notification arrives.
/// </summary>
public sealed class IndexModel(IMediator mediator, CurrentUser me) : PageModel
{
    public const int PageSize = 25;

    public static readonly IReadOnlyList<(string Key, string Label, InboxView View)> Filters =
    [
        ("open", "Open", InboxView.Open), ("nieuw", "Nieuw", InboxView.New), ("te-laat", "Te laat", InboxView.Overdue),
        ("afgerond", "Afgerond", InboxView.Done), ("alle", "Alle", InboxView.All),
    ];

    public CurrentUser Me => me;
    public string Filter { get; private set; } = "open";

    /// <summary>Only the requests assigned to me ("aan mij toegewezen"; back office).</summary>
    public bool Mine { get; private set; }

    public PagedResult<RequestDetail> Result { get; private set; } = new([], 1, PageSize, 0);
    public IReadOnlyList<RequestDetail> Requests => Result.Items;
    public IReadOnlyDictionary<string, int> Counts { get; private set; } = new Dictionary<string, int>();

    public Pager Pager => Pager.For(Result, Href);

    /// <summary>The link of a page of this tab, keeping the "mine" filter.</summary>
    public string Href(int page) => $"/verzoeken?filter={Filter}{(Mine ? "&mijn=1" : "")}{(page > 1 ? $"&page={page}" : "")}";

    public string LiveUrl => $"/verzoeken?handler=List&filter={Filter}{(Mine ? "&mijn=1" : "")}&page={Result.Page}";

    // "page" is also Razor Pages' own route value (the page's path), which binds before the query string: read it from
    // the query by name.
    public async Task OnGetAsync(string? filter, int? mijn, [FromQuery(Name = "page")] int? pageNumber, CancellationToken ct) =>
        await LoadAsync(filter, mijn, pageNumber, ct);

    /// <summary>The filters and the table alone, for the live refresh.</summary>
    public async Task<IActionResult> OnGetListAsync(string? filter, int? mijn, [FromQuery(Name = "page")] int? pageNumber, CancellationToken ct)
    {
        await LoadAsync(filter, mijn, pageNumber, ct);
        return Partial("_RequestList", this);
    }

    private async Task LoadAsync(string? filter, int? mijn, int? page, CancellationToken ct)
    {
        Filter = Filters.Any(f => f.Key == filter) ? filter! : me.IsInRole(Roles.BackOffice) ? "open" : "alle";
        Mine = mijn == 1 && me.IsInRole(Roles.BackOffice);
        Guid? assignee = Mine ? me.Id : null;
        var counts = new Dictionary<string, int>();
        foreach (var (key, _, view) in Filters)
        {
            counts[key] = await mediator.Send(new CountQuery(view, assignee), ct);
        }
        Counts = counts;
        var view0 = Filters.First(f => f.Key == Filter).View;
        var pages = Math.Max(1, (counts[Filter] + PageSize - 1) / PageSize);
        // An unusable or stale page number (the list shrank) shows the nearest page rather than an error.
        var number = page is >= 1 ? Math.Min(page.Value, pages) : 1;
        Result = await mediator.Send(new Query(new WebConventions.Paging(number, PageSize), null, null, assignee, view0), ct);
    }
}
