using FluentValidation;
using Frontlijn.Web.Features.Admin.Organisations;
using Frontlijn.Web.Features.Admin.Users;
using Frontlijn.Web.Features.Webhooks;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Frontlijn.Web.Pages.Admin.Organisations;

/// <summary>
/// An organisation, its services and staff, and its webhook secrets: add one (generated, or pasted from the receiver)
/// and remove an old one, through the same commands as POST/DELETE /api/v1/organisations/{id}/webhook-secrets.
/// A generated secret is shown in the answer to that one POST only, never put in TempData or a redirect.
/// </summary>
public sealed class DetailsModel(IMediator mediator) : PageModel
{
    public Organisation Organisation { get; private set; } = null!;
    public IReadOnlyList<User> Staff { get; private set; } = [];
    public IReadOnlyList<ListWebhookSecrets.Item> Secrets { get; private set; } = [];

    /// <summary>The secret Frontlijn just generated, shown once.</summary>
    public string? GeneratedSecret { get; private set; }

    [BindProperty]
    public string? NewSecret { get; set; }

    /// <summary>The service form: PUT /api/v1/organisations/{id}/services/{code}'s command (create or replace).</summary>
    public sealed class ServiceInputModel
    {
        public string? Code { get; set; }
        public string? Name { get; set; }
        public int? ResponseDays { get; set; }
        public int? UrgentResponseDays { get; set; }
        public bool Active { get; set; } = true;
    }

    private static readonly Dictionary<string, string> ServiceLabels = new(StringComparer.Ordinal)
    {
        ["Code"] = "Dienstcode", ["Name"] = "Naam van de dienst", ["ResponseDays"] = "Termijn",
        ["UrgentResponseDays"] = "Termijn bij spoed",
    };

    [BindProperty]
    public ServiceInputModel Service { get; set; } = new();

    public async Task<IActionResult> OnPostServiceAsync(Guid id, CancellationToken ct)
    {
        try
        {
            var result = await mediator.Send(new PutService.Command(id, Service.Code?.Trim() ?? "", Service.Name?.Trim(),
                Service.ResponseDays, Service.UrgentResponseDays, Service.Active), ct);
            TempData["Melding"] = result.Created
                ? $"Dienst {result.Service.Name} is toegevoegd."
                : $"Dienst {result.Service.Name} is opgeslagen; de termijnen gelden voor verzoeken die vanaf nu worden verstuurd.";
            return RedirectToPage(new { id });
        }
        catch (ValidationException ex)
        {
            FormErrors.AddTo(ModelState, ex, nameof(Service), ServiceLabels);
        }
        catch (ProblemException ex) when (ex.Status is StatusCodes.Status409Conflict or StatusCodes.Status404NotFound)
        {
            ModelState.AddModelError("", ex.Detail);
        }
        return await LoadAsync(id, ct) ? Page() : NotFound();
    }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) =>
        await LoadAsync(id, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnPostAddSecretAsync(Guid id, CancellationToken ct)
    {
        var given = string.IsNullOrWhiteSpace(NewSecret) ? null : NewSecret.Trim();
        NewSecret = null;
        try
        {
            var created = await mediator.Send(new AddWebhookSecret.Command(id, given), ct);
            GeneratedSecret = created.Secret;
            if (GeneratedSecret is null)
            {
                TempData["Melding"] = "Het webhookgeheim is toegevoegd. Beide geheimen ondertekenen nu elk bericht.";
                return RedirectToPage(new { id });
            }
        }
        catch (ValidationException ex)
        {
            foreach (var error in ex.Errors) ModelState.AddModelError(nameof(NewSecret), error.ErrorMessage);
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

    public async Task<IActionResult> OnPostRemoveSecretAsync(Guid id, Guid secretId, CancellationToken ct)
    {
        try
        {
            await mediator.Send(new RemoveWebhookSecret.Command(id, secretId), ct);
            TempData["Melding"] = "Het webhookgeheim is verwijderd en ondertekent geen berichten meer.";
            return RedirectToPage(new { id });
        }
        catch (ProblemException ex) when (ex.Status is StatusCodes.Status409Conflict or StatusCodes.Status404NotFound)
        {
            ModelState.AddModelError("", ex.Detail);
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
        Secrets = await mediator.Send(new ListWebhookSecrets.Query(id), ct);
        return true;
    }
}
