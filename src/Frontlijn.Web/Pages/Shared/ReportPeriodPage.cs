using System.Text.Json;
using Frontlijn.Web.Features.Reports;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Frontlijn.Web.Pages;

/// <summary>
/// A report page over one period (Van / Tot en met), as the team lead's reports, costs and neighbourhood pages are:
/// the period fields, what a refused period does (its message at the field, the refused dates kept in the fields so
/// they can be corrected, the default period shown meanwhile), and the CSV download that the API answers on
/// Accept: text/csv (a link cannot set that header), with the API's 400 problem for an unknown <c>report=</c>.
/// </summary>
public abstract class ReportPeriodPage : PageModel
{
    [BindProperty(SupportsGet = true)]
    public DateOnly? From { get; set; }

    [BindProperty(SupportsGet = true)]
    public DateOnly? To { get; set; }

    /// <summary>The refused period, kept in the fields so it can be corrected.</summary>
    public DateOnly? RequestedFrom { get; private set; }

    public DateOnly? RequestedTo { get; private set; }

    protected static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// Loads the page's report for the period asked. A period the report refuses is said at the date field (the
    /// period's rules name "from" or "to"), and the report is loaded again for the default period.
    /// </summary>
    protected async Task<IActionResult> PageForPeriodAsync(Func<Task> load)
    {
        try
        {
            await load();
        }
        catch (FluentValidation.ValidationException ex)
        {
            foreach (var error in ex.Errors)
            {
                ModelState.AddModelError(error.PropertyName == "to" ? nameof(To) : nameof(From), error.ErrorMessage);
            }
            RequestedFrom = From;
            RequestedTo = To;
            From = To = null;
            await load();
        }
        return Page();
    }

    /// <summary>A Dutch Excel CSV download (<see cref="CsvOutput"/>).</summary>
    protected FileContentResult Csv(string csv, string fileName) =>
        File(CsvOutput.Bytes(csv), $"{CsvOutput.MediaType}; charset=utf-8", fileName);

    /// <summary>An unknown or missing <c>report=</c>: 400 problem+json naming the field, as in the API.</summary>
    protected static ContentResult UnknownTable(string? report, IEnumerable<string> tables)
    {
        var known = string.Join(", ", tables);
        var detail = report is null ? $"Kies een rapport met report=: {known}." : $"Onbekend rapport. Kies uit: {known}.";
        return new ContentResult
        {
            StatusCode = StatusCodes.Status400BadRequest,
            ContentType = "application/problem+json",
            Content = JsonSerializer.Serialize(new
            {
                type = "https://tools.ietf.org/html/rfc9110#section-15.5.1", title = "Bad Request", status = 400, detail,
                errors = new Dictionary<string, string[]> { ["report"] = [detail] },
            }, Json),
        };
    }
}
