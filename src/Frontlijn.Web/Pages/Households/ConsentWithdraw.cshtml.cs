using Frontlijn.Web.Features.Admin.Organisations;
using Frontlijn.Web.Features.Consents;
using Frontlijn.Web.Infrastructure.Web;
using Frontlijn.Web.Pages.Admin;
using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace Frontlijn.Web.Pages.Households;

/// <summary>
/// The household withdraws a consent: a confirmation page, then <see cref="WithdrawConsent.Command"/>, as
/// DELETE .../consents/{consentId} does. The consent stays listed, with the day it was withdrawn.
/// </summary>
public sealed class ConsentWithdrawModel(IMediator mediator) : HouseholdFormPage(mediator)
{
    [BindProperty(SupportsGet = true, Name = "consentId")]
    public Guid ConsentId { get; set; }

    public Consent Consent { get; private set; } = null!;
    public string OrganisationName { get; private set; } = "";
    public string ServiceName { get; private set; } = "";

    public string GivenBy => Household.Members.FirstOrDefault(m => m.Id == Consent.GivenByMemberId) is { } m
        ? Ui.Name(m.GivenName, m.FamilyName) : "—";

    protected override IReadOnlyDictionary<string, string> Labels { get; } = new Dictionary<string, string>(StringComparer.Ordinal);

    protected override async Task LoadAsync(CancellationToken ct)
    {
        Consent = (await Mediator.Send(new ListConsents.Query(Household.Id), ct)).Items.FirstOrDefault(c => c.Id == ConsentId)
                  ?? throw ProblemException.NotFound("Deze toestemming");
        var organisations = (await Mediator.Send(new ListOrganisations.Query(AdminLists.Lookup), ct)).Items;
        OrganisationName = organisations.FirstOrDefault(o => o.Id == Consent.OrganisationId)?.Name ?? "—";
        ServiceName = ServiceNames.For(organisations, Consent.OrganisationId, Consent.Purpose);
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct) => await SendAsync(id, async token =>
    {
        await Mediator.Send(new WithdrawConsent.Command(id, ConsentId), token);
        return $"De toestemming voor {ServiceName} van {OrganisationName} is ingetrokken. Nieuwe verzoeken hiervoor hebben een nieuwe toestemming of een wettelijke grondslag nodig.";
    }, ct);
}
