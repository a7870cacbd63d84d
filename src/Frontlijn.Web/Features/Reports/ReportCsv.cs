using FluentValidation;
using Frontlijn.Web.Pages;

namespace Frontlijn.Web.Features.Reports;

/// <summary>
/// The CSV tables of the reports, one per chart and table of the report pages, with Dutch headers and the same Dutch
/// labels as the pages (<see cref="Ui"/>). A report with several tables chooses one with <c>report=</c> (the JSON
/// property name of the table); an unknown name is a 400, never silently another table.
/// </summary>
public static class ReportCsv
{
    /// <summary>Tables of <c>GET /reports/team</c>; the first is the default (it was the only one before).</summary>
    public static readonly IReadOnlyList<string> TeamTables =
        ["responseTimes", "caseload", "householdsByStatus", "signals", "escalations", "outcomes", "zrmChange"];

    /// <summary>Tables of <c>GET /reports/providers-per-household</c>; the first is the default.</summary>
    public static readonly IReadOnlyList<string> ProvidersTables = ["households", "distribution"];

    /// <summary>Tables of <c>GET /reports/costs</c>; the first is the default.</summary>
    public static readonly IReadOnlyList<string> CostTables = ["households", "organisations", "neighbourhoods"];

    /// <summary>Costs (issue 14): amounts are decimal euros, so Dutch Excel reads 12,5 as a number.</summary>
    public static string Costs(CostReport.Report r, string table, IReadOnlyDictionary<Guid, HouseholdLabel> labels) => table switch
    {
        "organisations" => CsvOutput.Write<CostReport.OrganisationCost>(
        [
            new("Organisatie-id", o => o.OrganisationId), new("Organisatie", o => o.OrganisationName), new("Huishoudens", o => o.Households),
            new("Beantwoorde verzoeken", o => o.AnsweredRequests), new("Kosten verzoeken (euro)", o => o.RequestCosts),
            new("Maanden betrokken", o => o.InvolvementMonths), new("Kosten per maand (euro)", o => o.MonthlyCosts),
            new("Totaal (euro)", o => o.Total),
        ], r.Organisations),
        "neighbourhoods" => CsvOutput.Write<CostReport.NeighbourhoodCost>(
        [
            new("Wijk-id", n => n.NeighbourhoodId), new("Wijk", n => n.NeighbourhoodName), new("Huishoudens", n => n.Households),
            new("Beantwoorde verzoeken", n => n.AnsweredRequests), new("Kosten verzoeken (euro)", n => n.RequestCosts),
            new("Maanden betrokken", n => n.InvolvementMonths), new("Kosten per maand (euro)", n => n.MonthlyCosts),
            new("Totaal (euro)", n => n.Total),
        ], r.Neighbourhoods),
        _ => CsvOutput.Write<CostReport.HouseholdCost>(
        [
            new("Huishouden-id", h => h.HouseholdId),
            new("Gezin", h => labels.GetValueOrDefault(h.HouseholdId)?.FamilyName),
            new("Adres", h => labels.GetValueOrDefault(h.HouseholdId)?.Address),
            new("Wijk", h => labels.GetValueOrDefault(h.HouseholdId)?.Neighbourhood),
            new("Status", h => Ui.HouseholdStatus(h.Status)),
            new("Beantwoorde verzoeken", h => h.AnsweredRequests), new("Kosten verzoeken (euro)", h => h.RequestCosts),
            new("Maanden betrokken", h => h.InvolvementMonths), new("Kosten per maand (euro)", h => h.MonthlyCosts),
            new("Totaal (euro)", h => h.Total),
        ], r.Households),
    };
    /// <summary>Tables of <c>GET /reports/neighbourhoods</c>; the first is the default.</summary>
    public static readonly IReadOnlyList<string> NeighbourhoodTables = ["neighbourhoods", "postalAreas"];

    public static string Choose(string? report, IReadOnlyList<string> tables) =>
        report is null ? tables[0]
        : tables.FirstOrDefault(t => t == report)
          ?? throw new ValidationException([new("report", $"Onbekend rapport '{Shorten(report)}'. Kies uit: {string.Join(", ", tables)}.")]);

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";

    public static string Team(TeamReport.Report r, string table) => table switch
    {
        "caseload" => CsvOutput.Write<TeamReport.CoachCaseload>(
        [
            new("Coach-id", c => c.CoachId), new("Coach", c => c.DisplayName), new("Open huishoudens", c => c.OpenHouseholds),
            new("Maximum", c => c.MaxCaseload), new("Vol", c => c.Full),
        ], r.Caseload),
        "householdsByStatus" => CsvOutput.Write<TeamReport.StatusCount>(
            [new("Status", s => Ui.HouseholdStatus(s.Status)), new("Huishoudens", s => s.Households)], r.HouseholdsByStatus),
        "signals" => CsvOutput.Write<TeamReport.SignalCounts>(
        [
            new("Signalen", s => s.Total), new("Naar bestaande contactpersoon", s => s.RoutedToExistingContact), new("Nieuw", s => s.New),
        ], [r.Signals]),
        "escalations" => CsvOutput.Write<TeamReport.EscalationCounts>(
            [new("Naar organisatie", e => e.ToOrganisation), new("Naar teamleider", e => e.ToTeamLead)], [r.Escalations]),
        "outcomes" => CsvOutput.Write<TeamReport.OutcomeDistribution>(
        [
            new("Afgesloten", o => o.Closed), new("Verbeterd", o => o.Improved), new("Gelijk", o => o.Unchanged),
            new("Verslechterd", o => o.Worsened), new("Niet gemeten", o => o.NotAssessed),
        ], [r.Outcomes]),
        "zrmChange" => CsvOutput.Write<TeamReport.DomainChange>(
        [
            new("Domein", d => Ui.Domain(d.Domain)), new("Domeincode", d => d.Domain), new("Leden", d => d.Members),
            new("Gemiddelde verandering (punten)", d => d.AverageChange),
        ], r.ZrmChange),
        _ => CsvOutput.Write<TeamReport.OrganisationResponse>(
        [
            new("Organisatie-id", o => o.OrganisationId), new("Organisatie", o => o.OrganisationName), new("Verstuurd", o => o.Sent),
            new("Beantwoord", o => o.Answered), new("Op tijd beantwoord", o => o.AnsweredOnTime), new("Verlopen termijn", o => o.Due),
            new("Aandeel op tijd", o => o.ShareOnTime), new("Mediaan reactietijd (werkuren)", o => o.MedianResponseHours),
            new("Geëscaleerd", o => o.Escalated),
        ], r.ResponseTimes),
    };

    /// <summary>Per neighbourhood (the default) or per PC4, with the municipality's or team's totals as the last row.</summary>
    public static string Neighbourhoods(NeighbourhoodReport.Report r, string table) =>
        table == "postalAreas"
            ? CsvOutput.Write<(string Area, NeighbourhoodReport.Figures F)>(
                [new("PC4", a => a.Area), .. FigureColumns()],
                [.. r.PostalAreas.Select(a => (a.Pc4, a.Figures)), ("Totaal", r.Totals)])
            : CsvOutput.Write<(string Area, NeighbourhoodReport.Figures F)>(
                [new("Wijk", a => a.Area), .. FigureColumns()],
                [.. r.Neighbourhoods.Select(n => (n.Name, n.Figures)), ("Totaal", r.Totals)]);

    private static CsvColumn<(string Area, NeighbourhoodReport.Figures F)>[] FigureColumns() =>
    [
        new("Huishoudens in zorg", a => a.F.HouseholdsInCare),
        new("Gemiddeld aanbieders bij intake", a => a.F.AverageProvidersAtIntake),
        new("Gemiddeld aanbieders nu", a => a.F.AverageProvidersNow),
        new("Gemiddeld aanbieders in periode", a => a.F.AverageProvidersInPeriod),
        new("Boven drempel", a => a.F.AboveThreshold), new("Signalen", a => a.F.Signals),
        new("Afgesloten", a => a.F.Closed), new("Verbeterd", a => a.F.Improved), new("Gelijk", a => a.F.Unchanged),
        new("Verslechterd", a => a.F.Worsened), new("Niet gemeten", a => a.F.NotAssessed),
        new("Bezoeken", a => a.F.Visits), new("Zorgen na bezoek", a => a.F.Concerns),
    ];

    public static string Providers(ProvidersPerHousehold.Report r, string table, IReadOnlyDictionary<Guid, HouseholdLabel> labels) =>
        table == "distribution"
            ? CsvOutput.Write<ProvidersPerHousehold.Bucket>(
                [new("Aanbieders", b => b.Label), new("Huishoudens", b => b.Households)], r.Distribution)
            : CsvOutput.Write<ProvidersPerHousehold.HouseholdProviders>(
            [
                new("Huishouden-id", h => h.HouseholdId),
                new("Gezin", h => labels.GetValueOrDefault(h.HouseholdId)?.FamilyName),
                new("Adres", h => labels.GetValueOrDefault(h.HouseholdId)?.Address),
                new("Wijk", h => labels.GetValueOrDefault(h.HouseholdId)?.Neighbourhood),
                new("Coach", h => labels.GetValueOrDefault(h.HouseholdId)?.Coach),
                new("Status", h => Ui.HouseholdStatus(h.Status)), new("Geregistreerd op", h => h.RegisteredOn),
                new("Aanbieders bij intake", h => h.ProvidersAtIntake), new("Aanbieders nu", h => h.ProvidersNow),
                new("Verandering", h => h.Change), new("Aanbieders in periode", h => h.ProvidersInPeriod),
                new("Professionals in periode", h => h.ProfessionalsInPeriod), new("Boven drempel", h => h.AboveThreshold),
            ], r.Households.Items);

    /// <summary>The coordination burden per household (issue 13), named as in the providers table.</summary>
    public static string Coordination(CoordinationReport.Report r, IReadOnlyDictionary<Guid, HouseholdLabel> labels) =>
        CsvOutput.Write<CoordinationReport.HouseholdBurden>(
        [
            new("Huishouden-id", h => h.HouseholdId),
            new("Gezin", h => labels.GetValueOrDefault(h.HouseholdId)?.FamilyName),
            new("Adres", h => labels.GetValueOrDefault(h.HouseholdId)?.Address),
            new("Wijk", h => labels.GetValueOrDefault(h.HouseholdId)?.Neighbourhood),
            new("Coach", h => labels.GetValueOrDefault(h.HouseholdId)?.Coach),
            new("Status", h => Ui.HouseholdStatus(h.Status)), new("Overleggen", h => h.Meetings),
            new("Overlegminuten", h => h.MeetingMinutes), new("Professionele uren in overleg", h => h.ProfessionalHours),
            new("Intakes", h => h.DistinctIntakes), new("ZRM bij intake", h => h.ZrmAtIntake),
            new("ZRM laatst", h => h.ZrmLatest), new("ZRM-verandering", h => h.ZrmChange),
        ], r.Households);

    /// <summary>Report 2: one row per measure, so the whole report fits one sheet; the household named in the first rows.</summary>
    public sealed record OutcomeRow(string Section, string Measure, object? Intake, object? Latest, object? Value);

    public static string Outcome(HouseholdOutcome.Report r, HouseholdLabel? label) => CsvOutput.Write<OutcomeRow>(
    [
        new("Onderdeel", x => x.Section), new("Meting", x => x.Measure), new("Intake", x => x.Intake), new("Laatste", x => x.Latest),
        new("Waarde", x => x.Value),
    ], OutcomeRows(r, label));

    private static IEnumerable<OutcomeRow> OutcomeRows(HouseholdOutcome.Report r, HouseholdLabel? label)
    {
        yield return new("Huishouden", "Id", null, null, r.HouseholdId);
        if (label is not null)
        {
            yield return new("Huishouden", "Gezin", null, null, label.FamilyName);
            yield return new("Huishouden", "Adres", null, null, label.Address);
            yield return new("Huishouden", "Coach", null, null, label.Coach);
        }
        yield return new("Huishouden", "Status", null, null, Ui.HouseholdStatus(r.Status));
        yield return new("Huishouden", "Geregistreerd op", null, null, r.RegisteredOn);
        yield return new("Huishouden", "Afgesloten op", null, null, r.ClosedOn);
        yield return new("Huishouden", "Duur (dagen)", null, null, r.DurationDays);
        yield return new("Huishouden", "Reden van afsluiten", null, null, r.ClosureReason);
        foreach (var d in r.Zrm)
        {
            yield return new("ZRM (laagste score)", Ui.Domain(d.Domain), d.IntakeMinimum, d.LatestMinimum, d.Change);
        }
        yield return new("Doelen", "Totaal", null, null, r.Goals.Total);
        yield return new("Doelen", "Bereikt", null, null, r.Goals.Achieved);
        yield return new("Doelen", "Vervallen", null, null, r.Goals.Dropped);
        yield return new("Doelen", "Open", null, null, r.Goals.Open);
        yield return new("Aanbieders", "Aantal", r.Providers.AtIntake, r.Providers.Now, r.Providers.Change);
        yield return new("Verzoeken", "Verstuurd", null, null, r.Requests.Sent);
        yield return new("Verzoeken", "Beantwoord", null, null, r.Requests.Answered);
        yield return new("Verzoeken", "Op tijd beantwoord", null, null, r.Requests.AnsweredOnTime);
        yield return new("Verzoeken", "Te laat", null, null, r.Requests.Overdue);
        yield return new("Verzoeken", "Afgewezen", null, null, r.Requests.Declined);
        yield return new("Verzoeken", "Ingetrokken", null, null, r.Requests.Withdrawn);
        yield return new("Verzoeken", "Open", null, null, r.Requests.Open);
        if (r.SignOff is { } s)
        {
            yield return new("Afgetekend", s.SignedByDisplayName, null, null, s.SignedAt);
        }
    }
}
