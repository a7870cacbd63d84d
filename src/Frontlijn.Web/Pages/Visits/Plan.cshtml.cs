using FluentValidation;
using Frontlijn.Web.Features.Households;
using Frontlijn.Web.Features.Visits;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Frontlijn.Web.Pages.Visits;

/// <summary>
/// Plans a visit (<see cref="PlanVisit.Command"/>, as <c>POST /api/v1/visits</c>). The rules stay in the command's
/// validator (address as for households, the day at most a year from today, a reason); this page only puts its
/// refusals at the fields. It never says whether anyone is known at the address (the API does not either).
/// </summary>
public sealed class PlanModel(IMediator mediator, TimeProvider time) : PageModel
{
    public sealed class InputModel
    {
        public string? PostalCode { get; set; }
        public int? HouseNumber { get; set; }
        public string? HouseNumberSuffix { get; set; }
        public string? Street { get; set; }
        public string? City { get; set; }
        public DateOnly? PlannedOn { get; set; }
        public string? Reason { get; set; }
    }

    private static readonly Dictionary<string, string> Labels = new(StringComparer.Ordinal)
    {
        ["Street"] = "Straat", ["HouseNumber"] = "Huisnummer", ["HouseNumberSuffix"] = "Toevoeging",
        ["PostalCode"] = "Postcode", ["City"] = "Plaats", ["PlannedOn"] = "Datum", ["Reason"] = "Reden",
        ["Address"] = "Adres",
    };

    [BindProperty]
    public InputModel Input { get; set; } = new();

    /// <summary>The day the list was showing (?dag=), as the form's first date.</summary>
    public IActionResult OnGet([FromQuery(Name = "dag")] DateOnly? day)
    {
        ModelState.Clear(); // a ?dag= that is no date just means "today"
        var today = Ui.Today(time);
        Input.PlannedOn = day is { } d && d >= today ? d : today;
        return Page();
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken ct)
    {
        if (!ModelState.IsValid) return Page();
        var command = new PlanVisit.Command(
            new AddressInput(Input.Street?.Trim(), Input.HouseNumber, Input.HouseNumberSuffix?.Trim(), Input.PostalCode?.Trim(), Input.City?.Trim()),
            Input.PlannedOn, Input.Reason?.Trim());
        try
        {
            var visit = await mediator.Send(command, ct);
            TempData["Melding"] = $"Het bezoek aan {Ui.Address(visit.Address)} op {VisitText.Day(visit.PlannedOn)} is gepland.";
            return Redirect(IndexModel.Href(visit.PlannedOn));
        }
        catch (ValidationException ex)
        {
            FormErrors.AddTo(ModelState, VisitText.ForPeople(ex), nameof(Input), Labels, path => path switch
            {
                _ when path.StartsWith("Address.", StringComparison.Ordinal) => path["Address.".Length..],
                "Address" => "PostalCode",
                _ => null,
            });
        }
        catch (ProblemException ex) when (ex.Status is StatusCodes.Status403Forbidden or StatusCodes.Status409Conflict)
        {
            // No team covers the address and the planner has none either: nothing at a field, said at the top.
            ModelState.AddModelError("", ex.Detail);
        }
        return Page();
    }
}
