using FluentValidation;
using Frontlijn.Web.Features.Households;
using Frontlijn.Web.Features.Reports;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Frontlijn.Web.Pages.TeamLead;

/// <summary>Report 2 for one household (<see cref="HouseholdOutcome.Query"/>), its CSV, and <see cref="SignOffOutcome.Command"/>.</summary>
public sealed class OutcomeModel(IMediator mediator, HouseholdLabels labels) : PageModel
{
    public HouseholdOutcome.Report Report { get; private set; } = null!;
    public HouseholdDetail Household { get; private set; } = null!;

    [BindProperty]
    public string? Note { get; set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct) => await LoadAsync(id, ct) ? Page() : NotFound();

    public async Task<IActionResult> OnGetCsvAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        var csv = ReportCsv.Outcome(Report, await labels.ForHouseholdAsync(id, ct));
        return File(CsvOutput.Bytes(csv), $"{CsvOutput.MediaType}; charset=utf-8", $"uitkomst-{id}.csv");
    }

    public async Task<IActionResult> OnPostAsync(Guid id, CancellationToken ct)
    {
        if (!await LoadAsync(id, ct)) return NotFound();
        try
        {
            await mediator.Send(new SignOffOutcome.Command(id, string.IsNullOrWhiteSpace(Note) ? null : Note.Trim()), ct);
            TempData["Melding"] = "Het uitkomstrapport is afgetekend.";
            return Redirect($"/team/rapportages/uitkomst/{id}");
        }
        catch (ValidationException ex)
        {
            // The note is a page property, not an input model: put the relabelled message at that field ("Note").
            var errors = new Microsoft.AspNetCore.Mvc.ModelBinding.ModelStateDictionary();
            FormErrors.AddTo(errors, ex, "Input", new Dictionary<string, string> { ["Note"] = "Toelichting" });
            foreach (var (key, entry) in errors)
            {
                foreach (var error in entry.Errors) ModelState.AddModelError(key == "Input.Note" ? nameof(Note) : "", error.ErrorMessage);
            }
        }
        catch (ProblemException ex) when (ex.Status is StatusCodes.Status409Conflict or StatusCodes.Status403Forbidden)
        {
            ModelState.AddModelError("", ex.Detail);
        }
        return Page();
    }

    private async Task<bool> LoadAsync(Guid id, CancellationToken ct)
    {
        try
        {
            Household = await mediator.Send(new GetHousehold.Query(id), ct);
            Report = await mediator.Send(new HouseholdOutcome.Query(id), ct);
            return true;
        }
        catch (ProblemException ex) when (ex.Status == StatusCodes.Status404NotFound)
        {
            return false;
        }
    }
}
