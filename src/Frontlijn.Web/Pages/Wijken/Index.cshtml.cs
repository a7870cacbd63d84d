using System.Text.Json;
using Frontlijn.Web.Features.Reports;
using Frontlijn.Web.Infrastructure.Auth;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Frontlijn.Web.Pages.Wijken;

/// <summary>
/// The neighbourhood report in the browser: the same query as <c>GET /api/v1/reports/neighbourhoods</c> (team lead:
/// the own team; functional administrator: the municipality), a chart per table (Chart.js from a JSON data block, as
/// on the report page) with a table of the same figures, and the API's CSV for each table. Its own folder because
/// the /TeamLead folder is for team leads only and this page is for the administrator too (the API's policy).
/// </summary>
public sealed class IndexModel(IMediator mediator, CurrentUser user) : ReportPeriodPage
{
    public NeighbourhoodReport.Report Report { get; private set; } = null!;

    public bool Municipality => !user.IsInRole(Roles.TeamLead);

    /// <summary>One table of the report with its chart and its CSV (<c>report=</c> as in the API).</summary>
    public sealed record Table(
        string Id, string Title, string Name, string Column, string Report, string Chart, string Axis,
        IReadOnlyList<(string Area, NeighbourhoodReport.Figures Figures)> Rows);

    public IReadOnlyList<Table> Tables =>
    [
        new("wijk", "Per wijk", "per wijk", "Wijk", "neighbourhoods", NeighbourhoodChart, "wijk",
            [.. Report.Neighbourhoods.Select(n => (n.Name, n.Figures))]),
        new("pc4", "Per postcodegebied (PC4)", "per postcodegebied", "PC4", "postalAreas", PostalAreaChart, "postcodegebied",
            [.. Report.PostalAreas.Select(a => (a.Pc4, a.Figures))]),
    ];

    /// <summary>Nothing at all in the period: no chart, and the page says why.</summary>
    public bool Empty => Report.Totals is { HouseholdsInCare: 0, Signals: 0, Visits: 0, Closed: 0 };

    public string NeighbourhoodChart => JsonSerializer.Serialize(new
    {
        type = "bar", label = "Huishoudens in zorg", xTitle = "Wijk", yTitle = "Huishoudens in zorg in de periode",
        labels = Report.Neighbourhoods.Select(n => n.Name), data = Report.Neighbourhoods.Select(n => n.Figures.HouseholdsInCare),
    }, Json);

    public string PostalAreaChart => JsonSerializer.Serialize(new
    {
        type = "bar", label = "Huishoudens in zorg", xTitle = "Postcodegebied (PC4)", yTitle = "Huishoudens in zorg in de periode",
        labels = Report.PostalAreas.Select(a => a.Pc4), data = Report.PostalAreas.Select(a => a.Figures.HouseholdsInCare),
    }, Json);

    public Task<IActionResult> OnGetAsync(CancellationToken ct) => PageForPeriodAsync(async () =>
        Report = await mediator.Send(new NeighbourhoodReport.Query(From, To), ct));

    /// <summary>The CSV the API answers on Accept: text/csv (a link cannot set that header); an unknown table is a 400.</summary>
    public async Task<IActionResult> OnGetCsvAsync(string? report, CancellationToken ct)
    {
        if (report is null || !ReportCsv.NeighbourhoodTables.Contains(report))
        {
            return UnknownTable(report, ReportCsv.NeighbourhoodTables);
        }
        var result = await mediator.Send(new NeighbourhoodReport.Query(From, To), ct);
        var name = $"wijken-{(report == "postalAreas" ? "pc4-" : "")}{result.From:yyyy-MM-dd}-{result.To:yyyy-MM-dd}.csv";
        return Csv(ReportCsv.Neighbourhoods(result, report), name);
    }
}
