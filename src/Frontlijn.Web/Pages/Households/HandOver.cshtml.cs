using Frontlijn.Web.Features.Admin.Users;
using Frontlijn.Web.Features.Caseload;
using Frontlijn.Web.Features.Households;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Pages.Admin;
using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace Frontlijn.Web.Pages.Households;

/// <summary>Sends <see cref="AssignCoach.Command"/>, exactly as PUT /api/v1/households/{id}/coach does.</summary>
public sealed class HandOverModel(IMediator mediator, CurrentUser me) : HouseholdFormPage(mediator)
{
    public sealed class InputModel
    {
        public Guid? CoachId { get; set; }
        public string? Reason { get; set; }
    }

    public sealed record CoachChoice(Guid Id, string DisplayName, int Open, int Max);

    [BindProperty]
    public InputModel Input { get; set; } = new();

    public IReadOnlyList<CoachChoice> Coaches { get; private set; } = [];

    protected override IReadOnlyDictionary<string, string> Labels { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["CoachId"] = "Nieuwe coach", ["Reason"] = "Reden",
    };

    protected override async Task LoadAsync(CancellationToken ct)
    {
        var coaches = (await Mediator.Send(new ListUsers.Query(AdminLists.Lookup, Roles.Coach, Household.TeamId, null), ct)).Items;
        Dictionary<Guid, GetTeamCaseload.CoachLoad> loads = [];
        if (me.IsInRole(Roles.TeamLead))
        {
            loads = (await Mediator.Send(new GetTeamCaseload.Query(Household.TeamId, AdminLists.Lookup), ct)).Items.ToDictionary(l => l.CoachId);
        }
        Coaches = coaches.Where(c => c.Id != Household.Coach?.Id)
            .Select(c => new CoachChoice(c.Id, c.DisplayName, loads.TryGetValue(c.Id, out var l) ? l.OpenHouseholds : -1, c.MaxCaseload))
            .OrderBy(c => c.DisplayName, StringComparer.CurrentCulture).ToList();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct) => await SendAsync(id, async token =>
    {
        var result = await Mediator.Send(new AssignCoach.Command(id, Input.CoachId, Input.Reason?.Trim()), token);
        return $"{result.Coach.DisplayName} is nu de contactpersoon van dit huishouden.";
    }, ct, me.IsInRole(Roles.Coach) ? "/" : null);
}
