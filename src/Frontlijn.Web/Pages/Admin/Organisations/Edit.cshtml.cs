using FluentValidation;
using Frontlijn.Web.Features.Admin.Organisations;
using Frontlijn.Web.Features.Admin.Users;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Frontlijn.Web.Pages.Admin.Organisations;

/// <summary>
/// Sends <see cref="PatchOrganisation.Command"/>, exactly as PATCH /api/v1/organisations/{id} does: the edit form as
/// one patch of every field it shows (an empty webhook address or no escalation contact clears them).
/// </summary>
public sealed class EditModel(IMediator mediator) : PageModel
{
    public sealed class InputModel
    {
        public string? Name { get; set; }
        public string? Kind { get; set; }
        public string? WebhookUrl { get; set; }
        public Guid? EscalationContactId { get; set; }
        public bool Active { get; set; }
        public bool ReplyByLink { get; set; }
        public string? FunctionalEmail { get; set; }
    }

    private static readonly Dictionary<string, string> Labels = new(StringComparer.Ordinal)
    {
        ["Name"] = "Naam", ["Kind"] = "Soort", ["WebhookUrl"] = "Webhook-URL", ["EscalationContactId"] = "Escalatiecontact",
        ["Active"] = "Actief", ["ReplyByLink"] = "Antwoordlink", ["FunctionalEmail"] = "Functioneel e-mailadres",
    };

    [BindProperty]
    public InputModel Input { get; set; } = new();

    public Organisation Organisation { get; private set; } = null!;
    public IReadOnlyList<User> Staff { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        Input = new InputModel
        {
            Name = Organisation.Name, Kind = Organisation.Kind, WebhookUrl = Organisation.WebhookUrl,
            EscalationContactId = Organisation.EscalationContactId, Active = Organisation.Active,
            ReplyByLink = Organisation.ReplyByLink, FunctionalEmail = Organisation.FunctionalEmail,
        };
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        var command = new PatchOrganisation.Command(id,
            Name: new(true, Input.Name?.Trim() ?? ""),
            Kind: new(true, Input.Kind?.Trim() ?? ""),
            WebhookUrl: new(true, string.IsNullOrWhiteSpace(Input.WebhookUrl) ? null : Input.WebhookUrl.Trim()),
            EscalationContactId: new(true, Input.EscalationContactId),
            Active: new(true, Input.Active),
            ReplyByLink: new(true, Input.ReplyByLink),
            FunctionalEmail: new(true, string.IsNullOrWhiteSpace(Input.FunctionalEmail) ? null : Input.FunctionalEmail.Trim()));
        try
        {
            var changed = await mediator.Send(command, ct);
            TempData["Melding"] = $"Organisatie {changed.Name} is opgeslagen{(changed.Active ? "" : " (gedeactiveerd: geen nieuwe verzoeken)")}.";
            return RedirectToPage("Details", new { id });
        }
        catch (ValidationException ex)
        {
            FormErrors.AddTo(ModelState, ex, nameof(Input), Labels);
        }
        catch (ProblemException ex) when (ex.Status == StatusCodes.Status409Conflict)
        {
            ModelState.AddModelError("", ex.Detail);
        }
        catch (ProblemException ex) when (ex.Status == StatusCodes.Status404NotFound)
        {
            return NotFound();
        }
        return await LoadAsync(id, ct) ? Page() : NotFound();
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        try
        {
            Organisation = await mediator.Send(new GetOrganisation.Query(id), ct);
        }
        catch (ProblemException ex) when (ex.Status == StatusCodes.Status404NotFound)
        {
            return false;
        }
        Staff = (await mediator.Send(new ListUsers.Query(AdminLists.Lookup, Roles.BackOffice, null, id), ct)).Items;
        return true;
    }
}
