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
public sealed class ReportsModel(IMediator mediator, HouseholdLabels labels) : ReportPeriodPage
{
    public ProvidersPerHousehold.Report Providers { get; private set; } = null!;
    public TeamReport.Report Team { get; private set; } = null!;


    public string ProvidersChart => JsonSerializer.Serialize(new
    {
        type = "bar", label = "Huishoudens", xTitle = "Aantal aanbieders in de periode", yTitle = "Aantal huishoudens",
        labels = Providers.Distribution.Select(b => b.Label), data = Providers.Distribution.Select(b => b.Households),
    }, Json);

    public string ResponseChart => JsonSerializer.Serialize(new
    {
        type = "bar", label = "Mediaan reactietijd (werkuren)", horizontal = true,
        xTitle = "Mediaan reactietijd in werkuren", yTitle = "Organisatie",
        labels = Team.ResponseTimes.Where(r => r.MedianResponseHours is not null).Select(r => r.OrganisationName),
        data = Team.ResponseTimes.Where(r => r.MedianResponseHours is not null).Select(r => r.MedianResponseHours),
    }, Json);

    public string ZrmChart => JsonSerializer.Serialize(new
    {
        type = "bar", label = "Gemiddelde verandering (punten)", horizontal = true,
        xTitle = "Gemiddelde verandering van de ZRM-score (punten)", yTitle = "Domein",
        labels = Team.ZrmChange.Select(d => Ui.Domain(d.Domain)), data = Team.ZrmChange.Select(d => d.AverageChange),
    }, Json);

    public Task<IActionResult> OnGetAsync(CancellationToken ct) => PageForPeriodAsync(() => LoadAsync(ct));

    /// <summary>
    /// The CSV the API answers on Accept: text/csv, for a download link (a link cannot set that header): <c>report=</c>
    /// names the table as the API does (<see cref="ReportCsv.ProvidersTables"/>, <see cref="ReportCsv.TeamTables"/>);
    /// an unknown name is a 400 problem, as in the API, not silently another table.
    /// </summary>
    public async Task<IActionResult> OnGetCsvAsync(string? report, CancellationToken ct)
    {
        if (report is not null && ReportCsv.TeamTables.Contains(report))
        {
            var team = await mediator.Send(new TeamReport.Query(null, From, To), ct);
            return Csv(ReportCsv.Team(team, report), $"teamrapport-{report}-{team.From:yyyy-MM-dd}-{team.To:yyyy-MM-dd}.csv");
        }
        if (report == "coordination")
        {
            var coordination = await mediator.Send(new CoordinationReport.Query(null, From, To), ct);
            return Csv(ReportCsv.Coordination(coordination, await labels.ForTeamAsync(coordination.TeamId, ct)), $"coordinatielast-{coordination.From:yyyy-MM-dd}-{coordination.To:yyyy-MM-dd}.csv");
        }
        if (report is null || !ReportCsv.ProvidersTables.Contains(report))
        {
            return UnknownTable(report, ReportCsv.ProvidersTables.Concat(ReportCsv.TeamTables));
        }
        var providers = await mediator.Send(new ProvidersPerHousehold.Query(null, null, From, To, null, AdminLists(), report == "households"), ct);
        var names = report == "households" ? await labels.ForTeamAsync(providers.TeamId, ct) : new Dictionary<Guid, HouseholdLabel>();
        return Csv(ReportCsv.Providers(providers, report, names),
            $"aanbieders-per-huishouden-{(report == "households" ? "" : report + "-")}{providers.From:yyyy-MM-dd}-{providers.To:yyyy-MM-dd}.csv");
    }

    private static WebConventions.Paging AdminLists() => Admin.AdminLists.Lookup;

    private async Task LoadAsync(CancellationToken ct)
    {
        Providers = await mediator.Send(new ProvidersPerHousehold.Query(null, null, From, To, "providersNow", AdminLists(), false), ct);
        Team = await mediator.Send(new TeamReport.Query(null, From, To), ct);
    }
}
