using Frontlijn.Web.Features.Admin.Organisations;
using Frontlijn.Web.Features.Requests;
using Frontlijn.Web.Pages.Admin;
using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace Frontlijn.Web.Pages.Households;

/// <summary>Sends <see cref="SendRequest.Command"/>, exactly as POST /api/v1/requests does.</summary>
public sealed class SendRequestModel(IMediator mediator, LegalBases legalBases) : HouseholdFormPage(mediator)
{
    public sealed class InputModel
    {
        /// <summary>"{organisationId}|{serviceCode}": one choice, so a service always belongs to its organisation.</summary>
        public string? Service { get; set; }
        public string? Urgency { get; set; } = "normal";
        public string? Question { get; set; }
        public string? LegalBasis { get; set; }
    }

    [BindProperty]
    public InputModel Input { get; set; } = new();

    public IReadOnlyList<Organisation> Organisations { get; private set; } = [];

    /// <summary>The configured legal bases (Requests:LegalBases), offered with their law.</summary>
    public LegalBases LegalBases => legalBases;

    protected override IReadOnlyDictionary<string, string> Labels { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["OrganisationId"] = "Organisatie", ["ServiceCode"] = "Dienst", ["Question"] = "Vraag", ["Urgency"] = "Urgentie",
        ["LegalBasis"] = "Grondslag",
    };

    protected override string? FieldFor(string path) => path is "OrganisationId" or "ServiceCode" ? "Service" : null;

    // Only what can still be requested: a deactivated organisation or service would only answer 409.
    protected override async Task LoadAsync(CancellationToken ct) =>
        Organisations = (await Mediator.Send(new ListOrganisations.Query(AdminLists.Lookup), ct)).Items
            .Where(o => o.Active).Select(o => o with { Services = [.. o.Services.Where(s => s.Active)] })
            .Where(o => o.Services.Count > 0).OrderBy(o => o.Name, StringComparer.CurrentCulture).ToList();

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct) => await SendAsync(id, async token =>
    {
        Guid? organisationId = null;
        string? serviceCode = null;
        if (Input.Service?.Split('|', 2) is [var org, var code] && Guid.TryParse(org, out var parsed))
        {
            organisationId = parsed;
            serviceCode = code;
        }
        var sent = await Mediator.Send(new SendRequest.Command(id, organisationId, serviceCode, Input.Question?.Trim(),
            Input.Urgency, string.IsNullOrWhiteSpace(Input.LegalBasis) ? null : Input.LegalBasis), token);
        return $"Verzoek aan {sent.OrganisationName} is verstuurd; antwoord uiterlijk {Ui.Date(sent.DueAt)}.";
    }, ct);
}
