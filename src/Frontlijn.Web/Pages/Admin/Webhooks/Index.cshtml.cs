using Frontlijn.Web.Features.Admin.Organisations;
using Frontlijn.Web.Features.Webhooks;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Frontlijn.Web.Pages.Admin.Webhooks;

/// <summary>Failed webhook deliveries (<see cref="ListWebhookDeliveries.Query"/>) with a retry (<see cref="RetryWebhookDelivery.Command"/>).</summary>
public sealed class IndexModel(IMediator mediator) : PageModel
{
    public PagedResult<WebhookDelivery> Deliveries { get; private set; } = null!;
    public IReadOnlyDictionary<Guid, string> Organisations { get; private set; } = new Dictionary<Guid, string>();

    public async Task OnGetAsync(int? pagina, CancellationToken ct) => await LoadAsync(pagina, ct);

    public async Task<IActionResult> OnPostRetryAsync(Guid id, CancellationToken ct)
    {
        try
        {
            await mediator.Send(new RetryWebhookDelivery.Command(id), ct);
            TempData["Melding"] = "De levering wordt opnieuw geprobeerd.";
        }
        catch (ProblemException ex) when (ex.Status is StatusCodes.Status404NotFound or StatusCodes.Status409Conflict)
        {
            TempData["Melding"] = ex.Detail;
        }
        return RedirectToPage();
    }

    private async Task LoadAsync(int? page, CancellationToken ct)
    {
        Deliveries = await mediator.Send(new ListWebhookDeliveries.Query(AdminLists.Paging(page), "failed", null), ct);
        Organisations = (await mediator.Send(new ListOrganisations.Query(AdminLists.Lookup), ct)).Items.ToDictionary(o => o.Id, o => o.Name);
    }
}
