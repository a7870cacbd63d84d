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

        /// <summary>Euros as a person types them: "12,50" (Dutch), "12.50" or "1.234,50"; empty with no tariff.</summary>
        public string? TariffAmount { get; set; }

        /// <summary>"" (no tariff), <see cref="ServiceTariff.PerRequest"/> or <see cref="ServiceTariff.PerMonth"/>.</summary>
        public string? TariffPer { get; set; }
    }

    private static readonly Dictionary<string, string> ServiceLabels = new(StringComparer.Ordinal)
    {
        ["Code"] = "Dienstcode", ["Name"] = "Naam van de dienst", ["ResponseDays"] = "Termijn",
        ["UrgentResponseDays"] = "Termijn bij spoed", ["Tariff"] = "Tarief",
    };

    /// <summary>The service whose fields fill the form (?dienst=code from the "Wijzigen" link), so a change starts
    /// from what is stored: a PUT replaces the whole service, so a field left empty would otherwise be lost.</summary>
    [BindProperty(SupportsGet = true, Name = "dienst")]
    public string? EditCode { get; set; }

    [BindProperty]
    public ServiceInputModel Service { get; set; } = new();

    public async Task<IActionResult> OnPostServiceAsync(Guid id, CancellationToken ct)
    {
        var tariff = ParseTariff();
        if (!ModelState.IsValid) return await LoadAsync(id, ct) ? Page() : NotFound();
        try
        {
            var result = await mediator.Send(new PutService.Command(id, Service.Code?.Trim() ?? "", Service.Name?.Trim(),
                Service.ResponseDays, Service.UrgentResponseDays, Service.Active, tariff), ct);
            TempData["Melding"] = result.Created
                ? $"Dienst {result.Service.Name} is toegevoegd."
                : $"Dienst {result.Service.Name} is opgeslagen; de termijnen gelden voor verzoeken die vanaf nu worden verstuurd.";
            return RedirectToPage(new { id });
        }
        catch (ValidationException ex)
        {
            // The tariff's rules (PutService.Validator, ServiceTariff.Problem) are about the amount: shown at that field.
            FormErrors.AddTo(ModelState, ex, nameof(Service), ServiceLabels, path => path == "Tariff" ? nameof(ServiceInputModel.TariffAmount) : null);
        }
        catch (ProblemException ex) when (ex.Status is StatusCodes.Status409Conflict or StatusCodes.Status404NotFound)
        {
            ModelState.AddModelError("", ex.Detail);
        }
        return await LoadAsync(id, ct) ? Page() : NotFound();
    }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        if (EditCode is not null && Organisation.Services.FirstOrDefault(s => s.Code == EditCode) is { } service)
        {
            Service = new ServiceInputModel
            {
                Code = service.Code, Name = service.Name, ResponseDays = service.ResponseDays,
                UrgentResponseDays = service.UrgentResponseDays, Active = service.Active,
                TariffAmount = service.Tariff is { } t ? t.Amount.ToString("0.00", Ui.Dutch) : null, TariffPer = service.Tariff?.Per ?? "",
            };
        }
        return Page();
    }

    /// <summary>
    /// The two tariff fields as the command's <see cref="ServiceTariff"/>: both empty is no tariff; only what cannot
    /// be a number or is half filled in is refused here, the amount's range and decimals are the command's rules.
    /// </summary>
    private ServiceTariff? ParseTariff()
    {
        var text = Service.TariffAmount?.Trim().Replace(" ", "", StringComparison.Ordinal).TrimStart('€');
        var per = string.IsNullOrWhiteSpace(Service.TariffPer) ? null : Service.TariffPer.Trim();
        var amountKey = $"{nameof(Service)}.{nameof(ServiceInputModel.TariffAmount)}";
        if (string.IsNullOrEmpty(text))
        {
            if (per is not null) ModelState.AddModelError(amountKey, "Geef het bedrag van het tarief, of kies 'Geen tarief'.");
            return null;
        }
        // "1.234,50" and "12,50" are Dutch; "12.50" (one point, no comma) is read as a decimal point.
        var dutch = text.Contains(',', StringComparison.Ordinal) || text.Count(c => c == '.') > 1;
        if (!decimal.TryParse(dutch ? text : text.Replace('.', ','), System.Globalization.NumberStyles.AllowDecimalPoint
                | System.Globalization.NumberStyles.AllowThousands | System.Globalization.NumberStyles.AllowLeadingSign, Ui.Dutch, out var amount))
        {
            ModelState.AddModelError(amountKey, "Geef het bedrag in euro's, zoals 12,50.");
            return null;
        }
        if (per is null)
        {
            ModelState.AddModelError($"{nameof(Service)}.{nameof(ServiceInputModel.TariffPer)}", "Kies of het tarief per beantwoord verzoek of per maand geldt.");
            return null;
        }
        return new ServiceTariff(amount, per);
    }

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
