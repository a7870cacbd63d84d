using System.Text;
using System.Text.Json;
using Frontlijn.Web.Features.Reports;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Frontlijn.Web.Pages.TeamLead;

/// <summary>
/// Reports 1 and 3 for the team lead's own team: the same queries as the API, drawn as charts (Chart.js, from JSON
/// data blocks) with a table of the same numbers beside each, and the same CSV as the API gives on Accept: text/csv.
/// </summary>
public sealed class ReportsModel(IMediator mediator) : PageModel
{
    public ProvidersPerHousehold.Report Providers { get; private set; } = null!;
    public TeamReport.Report Team { get; private set; } = null!;

    [BindProperty(SupportsGet = true)]
    public DateOnly? From { get; set; }

    [BindProperty(SupportsGet = true)]
    public DateOnly? To { get; set; }

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string ProvidersChart => JsonSerializer.Serialize(new
    {
        type = "bar", label = "Huishoudens",
        labels = Providers.Distribution.Select(b => b.Label), data = Providers.Distribution.Select(b => b.Households),
    }, Json);

    public string ResponseChart => JsonSerializer.Serialize(new
    {
        type = "bar", label = "Mediaan reactietijd (uren)", horizontal = true,
        labels = Team.ResponseTimes.Select(r => r.OrganisationName),
        data = Team.ResponseTimes.Select(r => r.MedianResponseHours ?? 0),
    }, Json);

    public string ZrmChart => JsonSerializer.Serialize(new
    {
        type = "bar", label = "Gemiddelde verandering (punten)", horizontal = true,
        labels = Team.ZrmChange.Select(d => Ui.Domain(d.Domain)), data = Team.ZrmChange.Select(d => d.AverageChange),
    }, Json);

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        try
        {
            await LoadAsync(ct);
        }
        catch (FluentValidation.ValidationException ex)
        {
            ModelState.AddModelError("", string.Join(" ", ex.Errors.Select(e => e.ErrorMessage)));
            From = To = null;
            await LoadAsync(ct);
        }
        return Page();
    }

    /// <summary>The CSV the API answers on Accept: text/csv, for a download link (a link cannot set that header).</summary>
    public async Task<IActionResult> OnGetCsvAsync(string? report, CancellationToken ct)
    {
        if (report == "team")
        {
            var team = await mediator.Send(new TeamReport.Query(null, From, To), ct);
            return Csv(CsvOutput.Write(team.ResponseTimes), $"teamrapport-{team.From:yyyy-MM-dd}-{team.To:yyyy-MM-dd}.csv");
        }
        if (report == "coordination")
        {
            var coordination = await mediator.Send(new CoordinationReport.Query(null, From, To), ct);
            return Csv(CsvOutput.Write(coordination.Households), $"coordinatielast-{coordination.From:yyyy-MM-dd}-{coordination.To:yyyy-MM-dd}.csv");
        }
        var providers = await mediator.Send(new ProvidersPerHousehold.Query(null, null, From, To, null, AdminLists(), true), ct);
        return Csv(CsvOutput.Write(providers.Households.Items), $"aanbieders-per-huishouden-{providers.From:yyyy-MM-dd}-{providers.To:yyyy-MM-dd}.csv");
    }

    private static WebConventions.Paging AdminLists() => Admin.AdminLists.Lookup;

    internal FileContentResult Csv(string csv, string fileName) =>
        File(Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(csv)).ToArray(), $"{CsvOutput.MediaType}; charset=utf-8", fileName);

    private async Task LoadAsync(CancellationToken ct)
    {
        Providers = await mediator.Send(new ProvidersPerHousehold.Query(null, null, From, To, "providersNow", AdminLists(), false), ct);
        Team = await mediator.Send(new TeamReport.Query(null, From, To), ct);
    }
}
