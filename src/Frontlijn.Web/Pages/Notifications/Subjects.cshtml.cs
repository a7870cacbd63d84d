using Frontlijn.Web.Features.Notifications;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Frontlijn.Web.Pages.Notifications;

/// <summary>
/// For the bell (notifications.js): who the notifications in the opened panel are about, as Dutch text —
/// "Fam. Bosma, Heechterp 12, 8925 AB Leeuwarden · coach Anna". Ids the caller may not see are left out
/// (<see cref="DescribeSubjects"/>). JSON for the page's own script, not part of the API.
/// </summary>
public sealed class SubjectsModel(IMediator mediator) : PageModel
{
    public async Task<IActionResult> OnGetAsync([FromQuery(Name = "r")] Guid[]? r, [FromQuery(Name = "h")] Guid[]? h, CancellationToken ct)
    {
        var subjects = await mediator.Send(new DescribeSubjects.Query(r ?? [], h ?? []), ct);
        static object Text(DescribeSubjects.Subject s) => new
        {
            household = (s.FamilyName is null ? "" : $"Fam. {s.FamilyName}, ") + Ui.Address(s.Address),
            coach = s.CoachDisplayName is null ? "nog geen coach" : $"coach {s.CoachDisplayName}",
        };
        return new JsonResult(new
        {
            requests = subjects.Requests.ToDictionary(kv => kv.Key.ToString(), kv => Text(kv.Value)),
            households = subjects.Households.ToDictionary(kv => kv.Key.ToString(), kv => Text(kv.Value)),
        });
    }
}
