using Frontlijn.Web.Features.Admin.Organisations;
using Frontlijn.Web.Features.Involvements;
using Frontlijn.Web.Pages.Admin;
using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace Frontlijn.Web.Pages.Households;

/// <summary>Sends <see cref="RegisterInvolvement.Command"/>, exactly as POST /api/v1/households/{id}/involvements does.</summary>
public sealed class InvolvementModel(IMediator mediator, TimeProvider time) : HouseholdFormPage(mediator)
{
    public sealed class InputModel
    {
        public Guid? OrganisationId { get; set; }
        public string? ProviderName { get; set; }
        public string? ProfessionalName { get; set; }
        public DateOnly? Since { get; set; }
    }

    [BindProperty]
    public InputModel Input { get; set; } = new();

    public IReadOnlyList<Organisation> Organisations { get; private set; } = [];

    protected override IReadOnlyDictionary<string, string> Labels { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["OrganisationId"] = "Organisatie", ["ProviderName"] = "Aanbieder buiten Frontlijn",
        ["ProfessionalName"] = "Professional", ["Since"] = "Betrokken sinds",
    };

    protected override async Task LoadAsync(CancellationToken ct)
    {
        Organisations = (await Mediator.Send(new ListOrganisations.Query(AdminLists.Lookup), ct)).Items
            .OrderBy(o => o.Name, StringComparer.CurrentCulture).ToList();
        Input.Since ??= Ui.Today(time);
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct) => await SendAsync(id, async token =>
    {
        var created = await Mediator.Send(new RegisterInvolvement.Command(id, Input.OrganisationId,
            string.IsNullOrWhiteSpace(Input.ProviderName) ? null : Input.ProviderName.Trim(),
            string.IsNullOrWhiteSpace(Input.ProfessionalName) ? null : Input.ProfessionalName.Trim(), Input.Since), token);
        return $"{created.ProviderName} is vastgelegd als betrokken.";
    }, ct);
}
