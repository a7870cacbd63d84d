using FluentValidation;
using Frontlijn.Web.Features.Admin.Neighbourhoods;
using Frontlijn.Web.Features.Admin.Teams;
using Frontlijn.Web.Features.Admin.Users;
using Frontlijn.Web.Features.Households;
using Frontlijn.Web.Features.Signals;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Web;
using Frontlijn.Web.Pages.Admin;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Frontlijn.Web.Pages.TeamLead;

/// <summary>The team lead's triage queue (<see cref="ListSignals.Query"/>) and <see cref="TriageSignal.Command"/> per signal.</summary>
public sealed class TriageModel(IMediator mediator, CurrentUser me) : PageModel
{
    public sealed class InputModel
    {
        public Guid SignalId { get; set; }
        public Guid? HouseholdId { get; set; }
        public Guid? NeighbourhoodId { get; set; }
        public Guid? CoachId { get; set; }
        public string? Reason { get; set; }
    }

    private static readonly Dictionary<string, string> Labels = new(StringComparer.Ordinal)
    {
        ["HouseholdId"] = "Huishouden", ["NeighbourhoodId"] = "Wijk", ["CoachId"] = "Coach", ["Reason"] = "Reden",
    };

    [BindProperty]
    public InputModel Input { get; set; } = new();

    public const int PageSize = 20;

    public Infrastructure.Web.PagedResult<ListSignals.QueuedSignal> Result { get; private set; } = new([], 1, PageSize, 0);
    public IReadOnlyList<ListSignals.QueuedSignal> Signals => Result.Items;
    public Pager Pager => Pager.For(Result, p => p > 1 ? $"/team/triage?page={p}" : "/team/triage");
    public IReadOnlyList<ListHouseholds.HouseholdSummary> Households { get; private set; } = [];
    public IReadOnlyList<User> Coaches { get; private set; } = [];
    public IReadOnlyList<Neighbourhood> Neighbourhoods { get; private set; } = [];

    /// <summary>The signal whose form was posted and came back: its fields keep their values and show their errors.</summary>
    public Guid? PostedSignal { get; private set; }

    /// <summary>What a signal's form starts with, so that submitting it unchanged works: the matched household (with its
    /// own coach when it has one), else a new household in the neighbourhood that covers the address, with a coach.</summary>
    public (Guid? HouseholdId, Guid? NeighbourhoodId, Guid? CoachId) Defaults(ListSignals.QueuedSignal s)
    {
        if (PostedSignal == s.Id) return (Input.HouseholdId, Input.NeighbourhoodId, Input.CoachId);
        var household = s.HouseholdId is { } h && Households.Any(x => x.Id == h) ? s.HouseholdId : null;
        var pc4 = s.Address.PostalCode.Length >= 4 ? s.Address.PostalCode[..4] : s.Address.PostalCode;
        var neighbourhood = Neighbourhoods.FirstOrDefault(n => n.PostalCodes.Contains(pc4))?.Id ?? (Neighbourhoods.Count > 0 ? (Guid?)Neighbourhoods[0].Id : null);
        var hasCoach = household is { } id && Households.First(x => x.Id == id).Coach is not null;
        return (household, neighbourhood, hasCoach || Coaches.Count == 0 ? null : (Guid?)Coaches[0].Id);
    }

    /// <summary>The errors of one field of the posted signal's form.</summary>
    public string? Error(ListSignals.QueuedSignal s, string field) =>
        PostedSignal == s.Id && ModelState.TryGetValue("Input." + field, out var entry) && entry is { Errors.Count: > 0 }
            ? string.Join(" ", entry.Errors.Select(e => e.ErrorMessage))
            : null;

    // A team lead without a team has no queue: "Geen toegang" (403), never a failure page.
    // "page" is also Razor Pages' own route value, which binds before the query string: read it from the query by name.
    public async Task<IActionResult> OnGetAsync([FromQuery(Name = "page")] int? pageNumber, CancellationToken ct)
    {
        if (me.TeamId is null) return StatusCode(StatusCodes.Status403Forbidden);
        await LoadAsync(pageNumber, ct);
        return Page();
    }

    public async Task<IActionResult> OnPostAsync([FromQuery(Name = "page")] int? pageNumber, CancellationToken ct)
    {
        if (me.TeamId is null) return StatusCode(StatusCodes.Status403Forbidden);
        PostedSignal = Input.SignalId;
        if (ModelState.IsValid)
        {
            try
            {
                var result = await mediator.Send(new TriageSignal.Command(Input.SignalId, Input.HouseholdId, Input.CoachId,
                    Input.HouseholdId is null ? Input.NeighbourhoodId : null, Input.Reason?.Trim()), ct);
                TempData["Melding"] = $"Het signaal is bij {result.Coach.DisplayName} terechtgekomen{(result.NewHousehold ? " (nieuw huishouden)" : "")}.";
                // Not RedirectToPage(new { page }): "page" is the route value of the page itself.
                return Redirect(pageNumber is > 1 ? $"/team/triage?page={pageNumber}" : "/team/triage");
            }
            catch (ValidationException ex)
            {
                FormErrors.AddTo(ModelState, ex, nameof(Input), Labels);
            }
            catch (ProblemException ex) when (ex.Status is StatusCodes.Status409Conflict or StatusCodes.Status403Forbidden or StatusCodes.Status404NotFound)
            {
                ModelState.AddModelError("", ex.Detail);
            }
        }
        await LoadAsync(pageNumber, ct);
        return Page();
    }

    // Oldest first (the queue's order), a page at a time; a page past the end shows the last one.
    private async Task LoadAsync(int? page, CancellationToken ct)
    {
        var teamId = me.TeamId ?? throw ProblemException.Forbidden("U bent teamleider zonder team.");
        var number = page is >= 1 and <= 100_000 ? page.Value : 1;
        Result = await mediator.Send(new ListSignals.Query(teamId, SignalStatus.Untriaged, new WebConventions.Paging(number, PageSize)), ct);
        if (Result.Items.Count == 0 && Result.Total > 0 && number > 1)
        {
            var last = (Result.Total + PageSize - 1) / PageSize;
            Result = await mediator.Send(new ListSignals.Query(teamId, SignalStatus.Untriaged, new WebConventions.Paging(last, PageSize)), ct);
        }
        Households = (await mediator.Send(new ListHouseholds.Query(AdminLists.Lookup, null), ct)).Items
            .Where(h => h.Status != HouseholdStatus.Closed).ToList();
        Coaches = (await mediator.Send(new ListUsers.Query(AdminLists.Lookup, Roles.Coach, teamId, null), ct)).Items
            .Where(c => c.Active).OrderBy(c => c.DisplayName, StringComparer.CurrentCulture).ToList();
        var team = await mediator.Send(new GetTeam.Query(teamId), ct);
        var list = new List<Neighbourhood>();
        foreach (var id in team.NeighbourhoodIds) list.Add(await mediator.Send(new GetNeighbourhood.Query(id), ct));
        Neighbourhoods = list;
    }
}
