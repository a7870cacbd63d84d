using FluentValidation;
using Frontlijn.Web.Features.Assessments;
using Frontlijn.Web.Features.Households;
using Frontlijn.Web.Features.Signals;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Frontlijn.Web.Pages.Signals;

/// <summary>
/// Reporting a signal in the browser (<see cref="SubmitSignal.Command"/>, as <c>POST /api/v1/signals</c>): the form
/// (<see cref="ReportModel"/>) and its submission (<see cref="SendModel"/>) are two pages so that only the submission
/// counts against <c>Signals:PerUserPerHour</c> (the rate limit is endpoint metadata; a page is one endpoint for GET
/// and POST). No oracle: what the sender reads afterwards is exactly the API's answer for them — for everyone outside
/// the household's team the same "sent to team X" whether or not anyone is known at the address, the coach's name only
/// when they proved they know the person (BSN, or name and date of birth). Errors are about the form only.
/// </summary>
public abstract class SignalFormPage(IMediator mediator) : PageModel
{
    public sealed class InputModel
    {
        public string? Street { get; set; }
        public int? HouseNumber { get; set; }
        public string? HouseNumberSuffix { get; set; }
        public string? PostalCode { get; set; }
        public string? City { get; set; }
        public string? GivenName { get; set; }
        public string? FamilyName { get; set; }
        public DateOnly? DateOfBirth { get; set; }

        /// <summary>Posted in the body only, never shown back (not even after an error elsewhere).</summary>
        public string? Bsn { get; set; }

        public string? Concern { get; set; }
        public List<string> Domains { get; set; } = [];
    }

    private static readonly Dictionary<string, string> Labels = new(StringComparer.Ordinal)
    {
        ["Street"] = "Straat", ["HouseNumber"] = "Huisnummer", ["HouseNumberSuffix"] = "Toevoeging",
        ["PostalCode"] = "Postcode", ["City"] = "Plaats", ["GivenName"] = "Voornaam", ["FamilyName"] = "Achternaam",
        ["DateOfBirth"] = "Geboortedatum", ["Bsn"] = "BSN", ["Concern"] = "Zorg", ["Domains"] = "Levensdomeinen",
        ["Address"] = "Adres", ["Members"] = "Persoon",
    };

    [BindProperty]
    public InputModel Input { get; set; } = new();

    public static IReadOnlyList<string> DomainCodes => Zrm.DomainCodes;

    /// <summary>Set when the hourly limit refused the last submission: the seconds until it may be tried again.</summary>
    public int? WaitSeconds { get; protected set; }

    protected async Task<IActionResult> SubmitAsync(CancellationToken ct)
    {
        if (!ModelState.IsValid)
        {
            Input.Bsn = null;
            return Page();
        }
        var person = new[] { Input.GivenName, Input.FamilyName, Input.Bsn }.Any(v => !string.IsNullOrWhiteSpace(v)) || Input.DateOfBirth is not null;
        var command = new SubmitSignal.Command(
            new AddressInput(Input.Street?.Trim(), Input.HouseNumber, Input.HouseNumberSuffix?.Trim(), Input.PostalCode?.Trim(), Input.City?.Trim()),
            person
                ? [new SignalMemberInput(Blank(Input.GivenName), Input.FamilyName?.Trim() ?? "", Input.DateOfBirth, Blank(Input.Bsn)?.Replace(" ", "", StringComparison.Ordinal), null)]
                : null,
            Input.Concern?.Trim(), Input.Domains.Count == 0 ? null : Input.Domains);
        try
        {
            var result = await mediator.Send(command, ct);
            var to = result.RoutedTo;
            TempData["Melding"] = to.Kind == SubmitSignal.KindCoach
                ? $"Uw signaal is ontvangen en gaat naar {to.DisplayName}, de contactpersoon bij {to.TeamName}."
                : to.TeamName is null
                    ? $"Uw signaal is ontvangen en komt in de {to.DisplayName.ToLowerInvariant()} van de teamleiders."
                    : $"Uw signaal is ontvangen en gaat naar {to.DisplayName}.";
            return Redirect("/signalen/melden");
        }
        catch (ValidationException ex)
        {
            FormErrors.AddTo(ModelState, ex, nameof(Input), Labels, path => path switch
            {
                _ when path.StartsWith("Address.", StringComparison.Ordinal) => path["Address.".Length..],
                _ when path.StartsWith("Members[0].", StringComparison.Ordinal) => path["Members[0].".Length..],
                _ when path.StartsWith("Domains", StringComparison.Ordinal) => "Domains",
                "Address" => "Street",
                _ => null,
            });
        }
        Input.Bsn = null;
        return Page();
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
