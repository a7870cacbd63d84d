using Frontlijn.Web.Features.Residents;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace Frontlijn.Web.Pages.Mijn;

/// <summary>Asks once before withdrawing (it cannot be undone; a new consent goes through the coach), then sends
/// <see cref="WithdrawMyConsent.Command"/>, exactly as DELETE /api/v1/me/consents/{consentId} does.</summary>
public sealed class WithdrawModel(IMediator mediator) : ResidentPageModel
{
    public GetMyHousehold.MyConsent Consent { get; private set; } = null!;
    public string? Error { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid consentId, CancellationToken ct) => await LoadAsync(consentId, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAsync(Guid consentId, CancellationToken ct)
    {
        try
        {
            var consent = await mediator.Send(new WithdrawMyConsent.Command(consentId), ct);
            TempData["Melding"] = $"U hebt uw toestemming voor {consent.OrganisationName} ingetrokken. Uw coach heeft hier bericht van gekregen.";
            return Redirect($"/mijn#toestemming-{consentId}");
        }
        catch (ProblemException e) when (e.Status != StatusCodes.Status404NotFound)
        {
            if (!await LoadAsync(consentId, ct)) return NotFound();
            Error = e.Detail;
            Response.StatusCode = e.Status;
            return Page();
        }
        catch (ProblemException)
        {
            return NotFound();
        }
    }

    private async Task<bool> LoadAsync(Guid consentId, CancellationToken ct)
    {
        var household = await mediator.Send(new GetMyHousehold.Query(), ct);
        if (household.Consents.FirstOrDefault(c => c.Id == consentId) is not { } consent) return false;
        Consent = consent;
        return true;
    }
}
