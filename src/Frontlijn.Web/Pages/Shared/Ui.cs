using System.Globalization;
using Frontlijn.Web.Features.Assessments;
using Frontlijn.Web.Features.Requests;

namespace Frontlijn.Web.Pages;

/// <summary>
/// How the pages show codes and times: Dutch labels for the API's codes (which stay the values sent in forms), and
/// dates in Amsterdam time. Only presentation; the rules stay in the commands.
/// </summary>
public static class Ui
{
    public static readonly CultureInfo Dutch = CultureInfo.GetCultureInfo("nl-NL");

    public static DateTimeOffset Local(DateTimeOffset time) => WorkingDays.InAmsterdam(time);

    public static string Date(DateTimeOffset? time) => time is { } t ? Local(t).ToString("d MMM yyyy", Dutch) : "—";

    public static string Date(DateOnly? date) => date is { } d ? d.ToString("d MMM yyyy", Dutch) : "—";

    public static string DateTime(DateTimeOffset? time) => time is { } t ? Local(t).ToString("d MMM yyyy HH:mm", Dutch) : "—";

    /// <summary>The machine-readable form for &lt;time datetime&gt;.</summary>
    public static string Iso(DateTimeOffset time) => time.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture);

    public static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static DateOnly Today(TimeProvider time) => WorkingDays.LocalDate(time.GetUtcNow());

    /// <summary>Euros the Dutch way: "€ 1.234,50" (two decimals, thousands separator).</summary>
    public static string Euro(decimal amount) => amount.ToString("C2", Dutch);

    public static string Tariff(Features.Admin.Organisations.ServiceTariff? tariff) => tariff switch
    {
        null => "Geen tarief",
        { Per: Features.Admin.Organisations.ServiceTariff.PerMonth } => $"{Euro(tariff.Amount)} per maand",
        _ => $"{Euro(tariff.Amount)} per beantwoord verzoek",
    };

    public static string Number(double value, int decimals = 1) => value.ToString("N" + decimals.ToString(CultureInfo.InvariantCulture), Dutch);

    public static string HouseholdStatus(string status) => status switch
    {
        "registered" => "Wacht op coach",
        "active" => "Actief",
        "closing" => "Wordt afgesloten",
        "closed" => "Afgesloten",
        _ => status,
    };

    public static string RequestStatus(string status) => status switch
    {
        Features.Requests.RequestStatus.Sent => "Verstuurd",
        Features.Requests.RequestStatus.Acknowledged => "In behandeling",
        Features.Requests.RequestStatus.Suspended => "Opgeschort",
        Features.Requests.RequestStatus.Answered => "Beantwoord",
        Features.Requests.RequestStatus.Declined => "Afgewezen",
        Features.Requests.RequestStatus.Withdrawn => "Ingetrokken",
        _ => status,
    };

    /// <summary>The heading of a back-office or coach action on a request.</summary>
    public static string RequestAction(string action) => action switch
    {
        "acknowledged" => "In behandeling nemen", "answered" => "Beantwoorden", "declined" => "Afwijzen",
        "suspended" => "Opschorten", "resumed" => "Hervatten", "extended" => "Termijn verlengen", _ => "Intrekken",
    };

    /// <summary>A change in the status history (resumed and extended are changes, not statuses).</summary>
    public static string RequestChange(string change) => change switch
    {
        "sent" => "Verstuurd",
        "acknowledged" => "In behandeling genomen",
        "answered" => "Beantwoord",
        "declined" => "Afgewezen",
        "withdrawn" => "Ingetrokken",
        "suspended" => "Opgeschort",
        "resumed" => "Hervat",
        "extended" => "Termijn verlengd",
        "overdue" => "Termijn verstreken",
        "escalated" => "Geëscaleerd",
        _ => change,
    };

    public static string Urgency(string urgency) => urgency == "urgent" ? "Spoed" : "Normaal";

    public static string MemberRole(string? role) => role switch
    {
        "head" => "Hoofd van het huishouden",
        "partner" => "Partner",
        "child" => "Kind",
        "other" => "Overig",
        null => "—",
        _ => role,
    };

    public static readonly IReadOnlyList<string> MemberRoles = ["head", "partner", "child", "other"];

    public static string Domain(string code) => code switch
    {
        "financien" => "Financiën",
        "werk-opleiding" => "Werk en opleiding",
        "tijdsbesteding" => "Tijdsbesteding",
        "huisvesting" => "Huisvesting",
        "huiselijke-relaties" => "Huiselijke relaties",
        "geestelijke-gezondheid" => "Geestelijke gezondheid",
        "lichamelijke-gezondheid" => "Lichamelijke gezondheid",
        "middelengebruik" => "Middelengebruik",
        "basale-adl" => "Basale ADL",
        "instrumentele-adl" => "Instrumentele ADL",
        "sociaal-netwerk" => "Sociaal netwerk",
        "maatschappelijke-participatie" => "Maatschappelijke participatie",
        "justitie" => "Justitie",
        _ => code,
    };

    public static IReadOnlyList<string> Domains => Zrm.DomainCodes;

    public static string Score(int score) => Zrm.ScaleLabels.TryGetValue(score, out var label) ? $"{score} – {label}" : score.ToString(Dutch);

    public static string Phase(string phase) => phase switch
    {
        "intake" => "Intake",
        "evaluation" => "Evaluatie",
        "closure" => "Afsluiting",
        _ => phase,
    };

    public static string GoalStatus(string status) => status switch
    {
        "open" => "Open",
        "achieved" => "Bereikt",
        "dropped" => "Vervallen",
        _ => status,
    };

    /// <summary>Reason codes a back office chooses from when declining (codes as the API takes them).</summary>
    public static readonly IReadOnlyList<(string Code, string Label)> DeclineReasons =
    [
        ("buiten-doelgroep", "Buiten de doelgroep"),
        ("geen-capaciteit", "Geen capaciteit"),
        ("onvoldoende-informatie", "Onvoldoende informatie"),
        ("andere-organisatie", "Hoort bij een andere organisatie"),
        ("geen-toestemming", "Geen toestemming van het huishouden"),
    ];

    public static string Reason(string? code) =>
        code is null ? "—" : DeclineReasons.FirstOrDefault(r => r.Code == code).Label ?? code;

    public static string Address(Features.Households.Address a) =>
        $"{a.Street} {a.HouseNumber}{(string.IsNullOrEmpty(a.HouseNumberSuffix) ? "" : "-" + a.HouseNumberSuffix)}, {a.PostalCode[..4]} {a.PostalCode[4..]} {a.City}";

    public static string Name(string? given, string family) => string.IsNullOrWhiteSpace(given) ? family : $"{given} {family}";

    /// <summary>Requests that still wait for the back office (the coach's "open" requests).</summary>
    public static bool IsOpen(RequestDetail r) => r.Status is "sent" or "acknowledged" or "suspended";
}
