using Frontlijn.Web.Features.Admin.Organisations;
using Frontlijn.Web.Features.Consents;
using Frontlijn.Web.Pages.Admin;
using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace Frontlijn.Web.Pages.Households;

/// <summary>Sends <see cref="RecordConsent.Command"/>, exactly as POST /api/v1/households/{id}/consents does.</summary>
/// <remarks>
/// Only members who may give a consent are offered (<see cref="ConsentGivers"/>, the same rule the API applies: current
/// members aged 16 or older), and the period is capped as the API caps it (<see cref="ConsentSettings"/>).
/// </remarks>
public sealed class ConsentModel(IMediator mediator, TimeProvider time, ConsentSettings settings) : HouseholdFormPage(mediator)
{
    public sealed class InputModel
    {
        /// <summary>"{organisationId}|{serviceCode}": the purpose of a consent is a service of the organisation.</summary>
        public string? Service { get; set; }
        public Guid? GivenByMemberId { get; set; }
        public DateOnly? GivenOn { get; set; }
        public DateOnly? ValidUntil { get; set; }
    }

    [BindProperty]
    public InputModel Input { get; set; } = new();

    public IReadOnlyList<Organisation> Organisations { get; private set; } = [];

    public int MaxValidityMonths => settings.MaxValidityMonths;

    public DateOnly Today => Ui.Today(time);

    /// <summary>Who may give a consent today; a date in the past is checked again by the API against that date.</summary>
    public IReadOnlyList<Features.Households.Member> Givers =>
        Household.Members.Where(m => m.DepartedOn is null && ConsentGivers.MayGive(m.DateOfBirth, Today)).ToList();

    public IReadOnlyList<Features.Households.Member> TooYoung =>
        Household.Members.Where(m => m.DepartedOn is null && !ConsentGivers.MayGive(m.DateOfBirth, Today)).ToList();

    protected override IReadOnlyDictionary<string, string> Labels { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["OrganisationId"] = "Organisatie", ["Purpose"] = "Doel", ["GivenByMemberId"] = "Gegeven door",
        ["GivenOn"] = "Gegeven op", ["ValidUntil"] = "Geldig tot",
    };

    protected override string? FieldFor(string path) => path is "OrganisationId" or "Purpose" ? "Service" : null;

    protected override async Task LoadAsync(CancellationToken ct)
    {
        Organisations = (await Mediator.Send(new ListOrganisations.Query(AdminLists.Lookup), ct)).Items
            .Where(o => o.Services.Count > 0).OrderBy(o => o.Name, StringComparer.CurrentCulture).ToList();
        var today = Ui.Today(time);
        Input.GivenOn ??= today;
        Input.ValidUntil ??= today.AddYears(1);
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct) => await SendAsync(id, async token =>
    {
        Guid? organisationId = null;
        string? purpose = null;
        if (Input.Service?.Split('|', 2) is [var org, var code] && Guid.TryParse(org, out var parsed))
        {
            organisationId = parsed;
            purpose = code;
        }
        await Mediator.Send(new RecordConsent.Command(id, organisationId, purpose, Input.GivenByMemberId, Input.GivenOn, Input.ValidUntil), token);
        return "De toestemming is vastgelegd.";
    }, ct);
}
