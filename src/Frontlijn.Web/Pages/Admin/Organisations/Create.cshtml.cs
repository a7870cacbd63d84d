using FluentValidation;
using Frontlijn.Web.Features.Admin.Organisations;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Frontlijn.Web.Pages.Admin.Organisations;

/// <summary>Sends <see cref="CreateOrganisation.Command"/>, exactly as POST /api/v1/organisations does.</summary>
public sealed class CreateModel(IMediator mediator) : PageModel
{
    public sealed class ServiceInput
    {
        public string? Code { get; set; }
        public string? Name { get; set; }
        public int? ResponseDays { get; set; }
        public int? UrgentResponseDays { get; set; }

        public bool IsBlank => string.IsNullOrWhiteSpace(Code) && string.IsNullOrWhiteSpace(Name) &&
                               ResponseDays is null && UrgentResponseDays is null;
    }

    public sealed class InputModel
    {
        public string? Name { get; set; }
        public string? Kind { get; set; }
        public string? WebhookUrl { get; set; }
        public string? WebhookSecret { get; set; }
        public bool ReplyByLink { get; set; }
        public string? FunctionalEmail { get; set; }
        public List<ServiceInput> Services { get; set; } = [];
    }

    private static readonly Dictionary<string, string> Labels = new(StringComparer.Ordinal)
    {
        ["Name"] = "Naam", ["Kind"] = "Soort", ["WebhookUrl"] = "Webhook-URL", ["WebhookSecret"] = "Webhookgeheim",
        ["ReplyByLink"] = "Antwoordlink", ["FunctionalEmail"] = "Functioneel e-mailadres",
        ["Services"] = "Diensten", ["Code"] = "Dienstcode", ["ResponseDays"] = "Termijn", ["UrgentResponseDays"] = "Termijn bij spoed",
    };

    [BindProperty]
    public InputModel Input { get; set; } = new();

    /// <summary>After "Nog een dienst", the new row's first field gets focus.</summary>
    public bool AddedService { get; private set; }

    public void OnGet() => Input.Services.Add(new ServiceInput());

    /// <summary>"Nog een dienst": the same form with one more empty service row (works without JavaScript).</summary>
    public IActionResult OnPostAddService()
    {
        ModelState.Clear();
        AddedService = true;
        Input.Services.Add(new ServiceInput());
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!ModelState.IsValid) return Page();
        // Rows left empty are not services; the numbering of the rows that remain is what the validator reports on.
        Input.Services = Input.Services.Where(s => !s.IsBlank).ToList();
        var command = new CreateOrganisation.Command(
            Input.Name?.Trim() ?? "", Input.Kind?.Trim() ?? "",
            Input.Services.Select(s => new CreateOrganisation.ServiceInput(s.Code?.Trim() ?? "", s.Name?.Trim() ?? "", s.ResponseDays, s.UrgentResponseDays)).ToList(),
            string.IsNullOrWhiteSpace(Input.WebhookUrl) ? null : Input.WebhookUrl.Trim(),
            string.IsNullOrWhiteSpace(Input.WebhookSecret) ? null : Input.WebhookSecret.Trim(),
            Input.ReplyByLink, string.IsNullOrWhiteSpace(Input.FunctionalEmail) ? null : Input.FunctionalEmail.Trim());
        try
        {
            var created = await mediator.Send(command, ct);
            TempData["Melding"] = $"Organisatie {created.Name} is toegevoegd met {created.Services.Count} {(created.Services.Count == 1 ? "dienst" : "diensten")}.";
            return RedirectToPage("Index");
        }
        catch (ValidationException ex)
        {
            // "Services[0]" (a rule on the whole row) is about its urgent response time.
            FormErrors.AddTo(ModelState, ex, nameof(Input), Labels,
                path => path.StartsWith("Services[", StringComparison.Ordinal) && path.EndsWith(']') ? path + ".UrgentResponseDays" : null);
        }
        catch (ProblemException ex) when (ex.Status == StatusCodes.Status409Conflict)
        {
            ModelState.AddModelError("", ex.Detail);
        }
        if (Input.Services.Count == 0) Input.Services.Add(new ServiceInput());
        return Page();
    }
}
