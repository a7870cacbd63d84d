using Frontlijn.Web.Features.Residents;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;
using Microsoft.AspNetCore.Mvc;

namespace Frontlijn.Web.Pages.Households;

/// <summary>
/// "Wat het huishouden zelf zegt" on the household page: the residents' agreement with the plan, their notes on goals
/// and the consents they withdrew in the portal. Rendered in the page and again by /huishoudens/{id}/stem, the live
/// region's refresh when such a notification arrives.
/// </summary>
public sealed class HouseholdVoiceViewComponent(IMediator mediator) : ViewComponent
{
    public async Task<IViewComponentResult> InvokeAsync(Guid householdId)
    {
        try
        {
            return View(await mediator.Send(new GetHouseholdVoice.Query(householdId), HttpContext.RequestAborted));
        }
        catch (ProblemException)
        {
            return Content("");
        }
    }
}
