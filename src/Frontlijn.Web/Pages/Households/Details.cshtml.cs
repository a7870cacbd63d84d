using Frontlijn.Web.Features.Admin.Organisations;
using Frontlijn.Web.Features.Assessments;
using Frontlijn.Web.Features.Consents;
using Frontlijn.Web.Features.Households;
using Frontlijn.Web.Features.Involvements;
using Frontlijn.Web.Features.Plans;
using Frontlijn.Web.Features.Requests;
using Frontlijn.Web.Features.Signals;
using Frontlijn.Web.Features.StandIns;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Web;
using Frontlijn.Web.Pages.Admin;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Frontlijn.Web.Pages.Households;

/// <summary>
/// One household, everything the coach keeps in one place: members (BSN masked), the coach and the coach history, the
/// family plan, requests with their status, involved providers, ZRM scores and a timeline. Each section is one of the
/// API's queries; the requests section refreshes itself when a request of this household changes.
/// </summary>
public sealed class DetailsModel(IMediator mediator, CurrentUser me, StandInLookup standIns) : PageModel
{
    public sealed record TimelineEntry(DateTimeOffset At, string Kind, string Text, string? Href);

    public CurrentUser Me => me;
    public HouseholdDetail Household { get; private set; } = null!;
    public IReadOnlyList<GetCoachHistory.Assignment> Coaches { get; private set; } = [];
    public FamilyPlan Plan { get; private set; } = null!;
    public IReadOnlyList<RequestDetail> Requests { get; private set; } = [];
    public IReadOnlyList<Consent> Consents { get; private set; } = [];
    public ListInvolvements.Register Involvements { get; private set; } = null!;
    public HouseholdAssessments Assessments { get; private set; } = null!;
    public IReadOnlyList<ListHouseholdSignals.HouseholdSignal> Signals { get; private set; } = [];
    public IReadOnlyDictionary<Guid, string> Organisations { get; private set; } = new Dictionary<Guid, string>();
    public IReadOnlyList<Organisation> OrganisationList { get; private set; } = [];
    public IReadOnlyList<GetStatusHistory.StatusChange> StatusHistory { get; private set; } = [];
    public IReadOnlyList<TimelineEntry> Timeline { get; private set; } = [];

    /// <summary>
    /// The household's coach, or a colleague standing in for them right now (waarneming): the API lets both take the
    /// coach's actions, so the page offers both the same links.
    /// </summary>
    public bool IsCoach { get; private set; }

    /// <summary>Members and the address are changed by the household's coach and by the team lead (as the API allows).</summary>
    public bool MayChangeComposition => Household.Status != HouseholdStatus.Closed && (IsCoach || me.IsInRole(Roles.TeamLead));

    /// <summary>A consent's purpose as the service's Dutch name.</summary>
    public string ServiceName(Consent consent) => ServiceNames.For(OrganisationList, consent.OrganisationId, consent.Purpose);

    public string MemberName(Guid id) =>
        Household.Members.FirstOrDefault(m => m.Id == id) is { } m ? Ui.Name(m.GivenName, m.FamilyName) : "—";

    public string OrganisationName(Guid id) => Organisations.TryGetValue(id, out var name) ? name : "—";

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        try
        {
            Household = await mediator.Send(new GetHousehold.Query(id), ct);
        }
        catch (ProblemException ex) when (ex.Status == StatusCodes.Status404NotFound)
        {
            return NotFound();
        }
        IsCoach = await ActsAsCoachAsync(ct);
        Coaches = await mediator.Send(new GetCoachHistory.Query(id), ct);
        Plan = await mediator.Send(new GetFamilyPlan.Query(id), ct);
        await LoadRequestsAsync(id, ct);
        Consents = me.IsInRole(Roles.Coach) || me.IsInRole(Roles.TeamLead)
            ? (await mediator.Send(new ListConsents.Query(id), ct)).Items
            : [];
        Involvements = await mediator.Send(new ListInvolvements.Query(id, true), ct);
        Assessments = await mediator.Send(new ListAssessments.Query(id), ct);
        Signals = await mediator.Send(new ListHouseholdSignals.Query(id), ct);
        OrganisationList = (await mediator.Send(new ListOrganisations.Query(AdminLists.Lookup), ct)).Items;
        Organisations = OrganisationList.ToDictionary(o => o.Id, o => o.Name);
        StatusHistory = (await mediator.Send(new GetStatusHistory.Query(id), ct)).Items;
        Timeline = BuildTimeline();
        return Page();
    }

    /// <summary>The requests section alone, for the live refresh (same need-to-know as the page).</summary>
    public async Task<IActionResult> OnGetRequestsAsync(Guid id, CancellationToken ct)
    {
        try
        {
            Household = await mediator.Send(new GetHousehold.Query(id), ct);
        }
        catch (ProblemException ex) when (ex.Status == StatusCodes.Status404NotFound)
        {
            return NotFound();
        }
        IsCoach = await ActsAsCoachAsync(ct);
        await LoadRequestsAsync(id, ct);
        return Partial("_HouseholdRequests", this);
    }

    private async Task<bool> ActsAsCoachAsync(CancellationToken ct) =>
        me.IsInRole(Roles.Coach) && Household.Coach is { } coach &&
        (coach.Id == me.Id || await standIns.ActsForAsync(coach.Id, ct));

    private async Task LoadRequestsAsync(Guid id, CancellationToken ct) =>
        Requests = (await mediator.Send(new ListRequests.Query(AdminLists.Lookup, null, id), ct)).Items;

    private List<TimelineEntry> BuildTimeline()
    {
        var entries = new List<TimelineEntry>
        {
            new(Household.CreatedAt, "Huishouden", "Geregistreerd", null),
        };
        foreach (var a in Coaches)
        {
            entries.Add(new(a.From, "Coach", $"{a.CoachDisplayName} wordt contactpersoon ({a.Reason})", null));
        }
        foreach (var r in Requests)
        {
            entries.Add(new(r.SentAt, "Verzoek", $"Verzoek aan {r.OrganisationName} ({r.ServiceName}): {Ui.RequestStatus(r.Status).ToLowerInvariant()}", $"/verzoeken/{r.Id}"));
            if (r.ClosedAt is { } closed)
            {
                entries.Add(new(closed, "Verzoek", $"{r.OrganisationName}: {Ui.RequestStatus(r.Status).ToLowerInvariant()}", $"/verzoeken/{r.Id}"));
            }
        }
        foreach (var change in StatusHistory)
        {
            entries.Add(new(change.ChangedAt, "Status", $"{Ui.HouseholdStatus(change.ToStatus)} door {change.ChangedBy.DisplayName}: {change.Reason}", null));
        }
        foreach (var s in Signals)
        {
            entries.Add(new(s.CreatedAt, "Signaal", $"Signaal van {s.Sender.DisplayName}", null));
        }
        foreach (var i in Involvements.Items)
        {
            entries.Add(new(Features.Requests.WorkingDays.StartOfDay(i.Since), "Betrokkenheid",
                $"{i.ProviderName}{(i.ProfessionalName is { } p ? $" ({p})" : "")} is betrokken", null));
            if (i.EndedOn is { } ended)
            {
                entries.Add(new(Features.Requests.WorkingDays.StartOfDay(ended), "Betrokkenheid", $"{i.ProviderName} is niet meer betrokken", null));
            }
        }
        return entries.OrderByDescending(e => e.At).ToList();
    }
}
