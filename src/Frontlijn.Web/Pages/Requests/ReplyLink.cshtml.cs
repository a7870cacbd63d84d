using Frontlijn.Web.Features.ReplyLinks;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Frontlijn.Web.Pages.Requests;

/// <summary>Sends <see cref="RevokeReplyLink.Command"/>, exactly as DELETE /api/v1/requests/{id}/reply-link does.</summary>
public sealed class ReplyLinkModel(IMediator mediator) : PageModel
{
    public IActionResult OnGet(Guid id) => Redirect($"/verzoeken/{id}");

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        try
        {
            await mediator.Send(new RevokeReplyLink.Command(id), ct);
            TempData["Melding"] = "De antwoordlink is ingetrokken; de organisatie kan er niet meer mee reageren.";
        }
        catch (ProblemException ex) when (ex.Status is StatusCodes.Status409Conflict or StatusCodes.Status403Forbidden)
        {
            TempData["Melding"] = ex.Detail;
        }
        return Redirect($"/verzoeken/{id}");
    }
}
