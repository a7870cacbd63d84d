using Frontlijn.Web.Features.Addresses;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Frontlijn.Web.Pages.TeamLead;

/// <summary>
/// The address view for the team lead (pandbrigade): the same query as <c>GET /api/v1/address-overview</c>, so the
/// same need-to-know (other teams' households and visits only as a count) and the same access-log rows. The search
/// is a GET form: a postal code and house number are no personal data on their own, and the result can be bookmarked.
/// </summary>
public sealed class AddressModel(IMediator mediator) : PageModel
{
    [BindProperty(SupportsGet = true)]
    public string? Postcode { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Huisnummer { get; set; }

    [BindProperty(SupportsGet = true)]
    public string? Toevoeging { get; set; }

    public AddressOverview.Overview? Overview { get; private set; }

    /// <summary>One address of the building (one suffix) with what the team knows there.</summary>
    public sealed record AddressGroup(
        string? Suffix, string Label, bool Searched, IReadOnlyList<AddressOverview.HouseholdAtAddress> Now,
        IReadOnlyList<AddressOverview.HouseholdAtAddress> Before, IReadOnlyList<AddressOverview.VisitAtAddress> Visits);

    public IReadOnlyList<AddressGroup> Addresses { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        // No search yet: only the form (nothing read, nothing logged).
        if (Postcode is null && Huisnummer is null && Toevoeging is null) return Page();
        try
        {
            Overview = await mediator.Send(new AddressOverview.Query(Postcode, Huisnummer, Toevoeging), ct);
        }
        catch (FluentValidation.ValidationException ex)
        {
            foreach (var error in ex.Errors)
            {
                var field = error.PropertyName switch
                {
                    "houseNumber" => nameof(Huisnummer),
                    "houseNumberSuffix" => nameof(Toevoeging),
                    _ => nameof(Postcode),
                };
                ModelState.AddModelError(field, error.ErrorMessage);
            }
            return Page();
        }
        Addresses = Group(Overview);
        return Page();
    }

    private static List<AddressGroup> Group(AddressOverview.Overview o)
    {
        static string Key(string? suffix) => suffix ?? "";
        var suffixes = o.Households.Select(h => Key(h.HouseNumberSuffix)).Concat(o.Visits.Select(v => Key(v.HouseNumberSuffix)))
            .Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        return suffixes.Select(suffix =>
        {
            var households = o.Households.Where(h => Key(h.HouseNumberSuffix) == suffix).ToList();
            var visits = o.Visits.Where(v => Key(v.HouseNumberSuffix) == suffix).ToList();
            var street = households.Select(h => h.Street).Concat(visits.Select(v => v.Street)).First();
            var label = $"{street} {o.HouseNumber}{(suffix.Length == 0 ? "" : "-" + suffix)}";
            return new AddressGroup(suffix.Length == 0 ? null : suffix, label, suffix == Key(o.HouseNumberSuffix),
                households.Where(h => h.ClosedOn is null).ToList(), households.Where(h => h.ClosedOn is not null).ToList(), visits);
        }).ToList();
    }

    public static string SignalStatus(string status) => status switch
    {
        "routed" => "Bij de coach",
        "untriaged" => "Wacht op triage",
        _ => "Getrieerd",
    };

    public static string PostalCodeLabel(string postalCode) =>
        postalCode.Length == 6 ? $"{postalCode[..4]} {postalCode[4..]}" : postalCode;
}
