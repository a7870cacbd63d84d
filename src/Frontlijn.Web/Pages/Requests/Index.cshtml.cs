using Frontlijn.Web.Features.Requests;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Pages.Admin;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Frontlijn.Web.Pages.Requests;

/// <summary>
/// The requests the caller may see (<see cref="ListRequests.Query"/>: a back office only those addressed to its
/// organisation), as an inbox with filters: new, overdue (or escalated), waiting, all. The table refreshes itself
/// when a request notification arrives.
/// </summary>
public sealed class IndexModel(IMediator mediator, CurrentUser me, TimeProvider time) : PageModel
{
    public static readonly IReadOnlyList<(string Key, string Label)> Filters =
    [
        ("nieuw", "Nieuw"), ("te-laat", "Te laat"), ("wachtend", "Wachtend"), ("alle", "Alle"),
    ];

    public CurrentUser Me => me;
    public string Filter { get; private set; } = "nieuw";
    public IReadOnlyList<RequestDetail> Requests { get; private set; } = [];
    public IReadOnlyDictionary<string, int> Counts { get; private set; } = new Dictionary<string, int>();
    public DateTimeOffset Now { get; private set; }

    public async Task OnGetAsync(string? filter, CancellationToken ct) => await LoadAsync(filter, ct);

    /// <summary>The filters and the table alone, for the live refresh.</summary>
    public async Task<IActionResult> OnGetListAsync(string? filter, CancellationToken ct)
    {
        await LoadAsync(filter, ct);
        return Partial("_RequestList", this);
    }

    private static bool Matches(string filter, RequestDetail r) => filter switch
    {
        "nieuw" => r.Status == RequestStatus.Sent,
        "te-laat" => r.Overdue || r.EscalationLevel > 0 && Ui.IsOpen(r),
        "wachtend" => r.Status is RequestStatus.Acknowledged or RequestStatus.Suspended,
        _ => true,
    };

    private async Task LoadAsync(string? filter, CancellationToken ct)
    {
        Filter = Filters.Any(f => f.Key == filter) ? filter! : me.IsInRole(Roles.BackOffice) ? "nieuw" : "alle";
        Now = time.GetUtcNow();
        var all = (await mediator.Send(new ListRequests.Query(AdminLists.Lookup, null, null), ct)).Items;
        Counts = Filters.ToDictionary(f => f.Key, f => all.Count(r => Matches(f.Key, r)));
        // Overdue first, then the earliest due date: what needs an answer soonest is on top.
        Requests = all.Where(r => Matches(Filter, r))
            .OrderBy(r => r.Overdue ? 0 : 1).ThenBy(r => Ui.IsOpen(r) ? 0 : 1).ThenBy(r => r.DueAt).ToList();
    }
}
