using System.Text.Json;
using Frontlijn.Web.Features.Reports;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Frontlijn.Web.Pages.TeamLead;

/// <summary>
/// The cost report (GET /api/v1/reports/costs) for the team lead's own team: per household, per organisation and per
/// neighbourhood, with a bar chart per organisation and the same CSV as the API answers on Accept: text/csv. The
/// handler does the access logging of every listed household; the names and addresses shown are those households'.
/// </summary>
public sealed class CostsModel(IMediator mediator, HouseholdLabels labels) : ReportPeriodPage
{
    public CostReport.Report Report { get; private set; } = null!;
    public IReadOnlyDictionary<Guid, HouseholdLabel> Labels { get; private set; } = new Dictionary<Guid, HouseholdLabel>();


    /// <summary>Only organisations that cost something are drawn; the table lists the same figures.</summary>
    public string OrganisationsChart => JsonSerializer.Serialize(new
    {
        type = "bar", label = "Kosten (euro)", horizontal = true, euro = true,
        xTitle = "Kosten in euro", yTitle = "Organisatie",
        labels = Report.Organisations.Where(o => o.Total > 0).Select(o => o.OrganisationName),
        data = Report.Organisations.Where(o => o.Total > 0).Select(o => o.Total),
    }, Json);

    public Task<IActionResult> OnGetAsync(CancellationToken ct) => PageForPeriodAsync(() => LoadAsync(ct));

    /// <summary>The API's CSV (<see cref="ReportCsv.Costs"/>) for a download link; an unknown table is a 400 problem.</summary>
    public async Task<IActionResult> OnGetCsvAsync(string? report, CancellationToken ct)
    {
        if (report is null || !ReportCsv.CostTables.Contains(report))
        {
            return UnknownTable(report, ReportCsv.CostTables);
        }
        var result = await mediator.Send(new CostReport.Query(null, From, To), ct);
        var names = report == "households" ? await labels.ForTeamAsync(result.TeamId, ct) : new Dictionary<Guid, HouseholdLabel>();
        return Csv(ReportCsv.Costs(result, report, names), $"kosten-{report}-{result.From:yyyy-MM-dd}-{result.To:yyyy-MM-dd}.csv");
    }

    private async Task LoadAsync(CancellationToken ct)
    {
        Report = await mediator.Send(new CostReport.Query(null, From, To), ct);
        Labels = await labels.ForTeamAsync(Report.TeamId, ct);
    }
}
