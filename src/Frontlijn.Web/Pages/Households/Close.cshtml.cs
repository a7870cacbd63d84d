using Frontlijn.Web.Features.Households;
using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace Frontlijn.Web.Pages.Households;

/// <summary>Sends <see cref="CloseHousehold.Command"/>, exactly as POST /api/v1/households/{id}/closure does.</summary>
public sealed class CloseModel(IMediator mediator) : HouseholdFormPage(mediator)
{
    public sealed class InputModel
    {
        public string? Reason { get; set; }
    }

    [BindProperty]
    public InputModel Input { get; set; } = new();

    protected override IReadOnlyDictionary<string, string> Labels { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["Reason"] = "Reden",
    };

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct) => await SendAsync(id, async token =>
    {
        var result = await Mediator.Send(new CloseHousehold.Command(id, Input.Reason), token);
        return result.Status == HouseholdStatus.Closed
            ? "Het huishouden is afgesloten. Lopende verzoeken zijn ingetrokken en betrokkenheden beëindigd."
            : "Het huishouden is in de afsluitfase. Sluit het definitief af na de eindevaluatie.";
    }, ct);
}
