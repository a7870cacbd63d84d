using Frontlijn.Web.Features.Households;
using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace Frontlijn.Web.Pages.Households;

/// <summary>Sends <see cref="ReopenHousehold.Command"/>, exactly as POST /api/v1/households/{id}/reopening does.</summary>
public sealed class ReopenModel(IMediator mediator) : HouseholdFormPage(mediator)
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

    // After reopening the household waits for a coach: the team lead goes straight on to choose one.
    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct) => await SendAsync(id, async token =>
    {
        await Mediator.Send(new ReopenHousehold.Command(id, Input.Reason), token);
        return "Het huishouden is heropend en wacht op een coach. Kies hieronder de coach.";
    }, ct, $"/huishoudens/{id}/overdragen");
}
