using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Frontlijn.Web.Pages;

namespace Frontlijn.Web.Features.Rights;

/// <summary>
/// The art. 15 bundle as one printable Dutch page (A4, print CSS), for the household to take home. Everything from the
/// bundle is HTML-encoded. The page loads nothing: its one style block is allowed by its hash in this response's CSP,
/// so the strict "no inline style" rule of our other pages still holds everywhere else. HTTP-free apart from
/// <see cref="Result"/>, so the resident portal can render the same page.
/// </summary>
public static class ExportHtml
{
    private static readonly CultureInfo Dutch = new("nl-NL");

    private const string Style = """
        body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1a1a1a;margin:2rem auto;max-width:60rem;padding:0 1rem;line-height:1.45}
        h1{font-size:1.6rem;margin-bottom:.25rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:2px solid #154273;padding-bottom:.2rem;color:#154273}
        h3{font-size:1rem;margin:1rem 0 .3rem}p.meta{color:#444;margin-top:0}
        table{border-collapse:collapse;width:100%;margin:.5rem 0 1rem;font-size:.9rem}
        th,td{border:1px solid #999;padding:.3rem .45rem;text-align:left;vertical-align:top}th{background:#eef2f7}
        .empty{font-style:italic;color:#444}.text{white-space:pre-wrap}
        @media print{body{margin:0;max-width:none;font-size:10pt}h2{break-after:avoid}tr,.request{break-inside:avoid}
        a{color:inherit;text-decoration:none}@page{size:A4;margin:15mm}}
        """;

    /// <summary>The Content-Security-Policy of the page: nothing but its own style block.</summary>
    public static readonly string ContentSecurityPolicy =
        $"default-src 'none'; style-src 'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(Style)))}'; " +
        "frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

    /// <summary>The page as an HTTP result with its own CSP (WebConventions keeps a policy that a response already has).</summary>
    public static IResult Result(HttpContext context, HouseholdExport export)
    {
        context.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
        return Results.Content(Render(export), "text/html; charset=utf-8", Encoding.UTF8);
    }

    public static string Render(HouseholdExport e)
    {
        var html = new StringBuilder();
        html.Append("<!DOCTYPE html><html lang=\"nl\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<title>Inzage in uw gegevens — Frontlijn</title><style>").Append(Style).Append("</style></head><body><main>");
        html.Append("<h1>Inzage in de gegevens van uw huishouden</h1>");
        html.Append("<p class=\"meta\">Overzicht volgens artikel 15 van de Algemene verordening gegevensbescherming (AVG), gemaakt op ")
            .Append(E(Time(e.ExportedAt))).Append(". Team: ").Append(E(e.Household.TeamName)).Append(", wijk: ")
            .Append(E(e.Household.NeighbourhoodName)).Append(".</p>");
        if (e.Scope is { Until: { } until })
        {
            html.Append("<p>U bent op ").Append(E(Day(until))).Append(" uit dit huishouden vertrokken. Dit overzicht laat zien wat tot en met die dag is vastgelegd.</p>");
        }

        Section(html, "Huishouden", [["Status", "Aangemeld", "Afgesloten", "Reden van afsluiting"]],
            [[Ui.HouseholdStatus(e.Household.Status), Time(e.Household.CreatedAt), Time(e.Household.ClosedAt), e.Household.ClosureReason]]);
        Section(html, "Leden", [["Naam", "Geboortedatum", "Rol", "BSN", "Vertrokken", "Reden van vertrek"]],
            e.Members.Select(m => new[] { Name(m.GivenName, m.FamilyName), Day(m.DateOfBirth), Ui.MemberRole(m.Role), m.Bsn, Day(m.DepartedOn), m.DepartureReason }));
        Section(html, "Adressen", [["Adres", "Postcode", "Plaats", "Huidig"]],
            e.Addresses.Select(a => new[] { $"{a.Street} {a.HouseNumber}{a.HouseNumberSuffix}", a.PostalCode, a.City, a.Current ? "ja" : "nee" }));
        Section(html, "Uw coach (contactpersoon) door de tijd", [["Coach", "Van", "Tot", "Reden", "Reden einde"]],
            e.CoachHistory.Select(a => new[] { a.CoachDisplayName, Time(a.From), Time(a.To), a.Reason, a.EndReason }));
        Section(html, "Statusgeschiedenis", [["Van", "Naar", "Reden", "Wanneer"]],
            e.StatusHistory.Select(s => new[] { Ui.HouseholdStatus(s.FromStatus), Ui.HouseholdStatus(s.ToStatus), s.Reason, Time(s.ChangedAt) }));
        Section(html, "Toestemmingen", [["Organisatie", "Doel", "Gegeven op", "Geldig tot", "Ingetrokken op"]],
            e.Consents.Select(c => new[] { c.OrganisationName, c.Purpose, Day(c.GivenOn), Day(c.ValidUntil), Day(c.WithdrawnOn) }));

        html.Append("<h2>Verzoeken aan organisaties</h2>");
        if (e.Requests.Count == 0) html.Append("<p class=\"empty\">Geen.</p>");
        foreach (var r in e.Requests)
        {
            html.Append("<section class=\"request\"><h3>").Append(E(r.OrganisationName)).Append(" — ").Append(E(r.ServiceCode)).Append("</h3>");
            Table(html, ["Verstuurd", "Uiterlijk antwoord", "Status", "Grondslag"],
                [[Time(r.SentAt), Time(r.DueAt), Ui.RequestStatus(r.Status), r.LegalBasis ?? (r.ConsentId is null ? null : "toestemming")]]);
            html.Append("<p><strong>Vraag:</strong> <span class=\"text\">").Append(E(r.Question)).Append("</span></p>");
            if (r.Answer is not null) html.Append("<p><strong>Antwoord:</strong> <span class=\"text\">").Append(E(r.Answer)).Append("</span></p>");
            if (r.StatusChanges.Count > 0)
            {
                Table(html, ["Wanneer", "Wijziging", "Door", "Toelichting"],
                    r.StatusChanges.Select(c => new[] { Time(c.ChangedAt), $"{(c.FromStatus is null ? "" : Ui.RequestStatus(c.FromStatus) + " → ")}{Ui.RequestStatus(c.ToStatus)}", c.ChangedBy, c.Note ?? (c.ReasonCode is null ? null : Ui.Reason(c.ReasonCode)) }));
            }
            if (r.Messages.Count > 0)
            {
                Table(html, ["Wanneer", "Van", "Bericht"], r.Messages.Select(m => new[] { Time(m.CreatedAt), m.Author, m.Body }));
            }
            html.Append("</section>");
        }

        Section(html, "Betrokken organisaties en hulpverleners", [["Organisatie", "Hulpverlener", "Sinds", "Tot"]],
            e.Involvements.Select(i => new[] { i.Provider, i.Professional, Time(i.Since), Time(i.EndedAt) }));

        html.Append("<h2>Gezinsplan</h2>");
        if (e.Plan is null) html.Append("<p class=\"empty\">Er is geen gezinsplan.</p>");
        else
        {
            html.Append("<p>Volgende evaluatie: ").Append(E(Day(e.Plan.ReviewOn))).Append(".</p>");
            Table(html, ["Levensgebied", "Doel", "Status", "Acties"], e.Plan.Goals.Select(g => new[]
            {
                Ui.Domain(g.Domain), g.Description, Ui.GoalStatus(g.Status),
                string.Join("; ", g.Actions.Select(a => $"{a.Description} (uiterlijk {Day(a.DueOn)}{(a.DoneOn is { } d ? $", gedaan {Day(d)}" : "")})")),
            }));
        }

        Section(html, "Zelfredzaamheid (ZRM)", [["Lid", "Fase", "Datum", "Door", "Scores"]],
            e.Assessments.Select(a => new[]
            {
                e.Members.FirstOrDefault(m => m.Id == a.MemberId) is { } m ? Name(m.GivenName, m.FamilyName) : null,
                Ui.Phase(a.Phase), Day(a.AssessedOn), a.Assessor, string.Join(", ", a.Scores.Select(s => $"{Ui.Domain(s.Domain)} {s.Score}")),
            }));
        Section(html, "Overleggen", [["Datum", "Soort", "Duur (minuten)", "Huishouden aanwezig", "Deelnemers"]],
            e.Meetings.Select(m => new[] { Day(m.Date), Meetings.MeetingKinds.Label(m.Kind), m.DurationMinutes.ToString(CultureInfo.InvariantCulture),
                m.HouseholdPresent ? "ja" : "nee", string.Join(", ", m.Participants) }));
        Section(html, "Wat het huishouden zelf schreef bij het plan", [["Datum", "Tekst"]],
            e.GoalNotes.Select(n => new[] { Time(n.CreatedAt), n.Text }));
        Section(html, "Signalen over uw huishouden", [["Wanneer", "Van", "Zorg", "Levensgebieden", "Status"]],
            e.Signals.Select(s => new[] { Time(s.CreatedAt), s.SenderTeamOrOrganisation ?? RoleLabels.For(s.SenderRole), s.Concern, string.Join(", ", s.Domains.Select(Ui.Domain)), SignalStatus(s.Status) }));
        Section(html, "Wie heeft uw gegevens bekeken of gewijzigd (toegangslog)",
            [["Wanneer", "Wie", "Rol", "Team of organisatie", "Handeling", "Onderdeel", "Resultaat"]],
            e.AccessLog.Select(l => new[] { Time(l.OccurredAt), l.Actor, l.ActorRole is null ? null : RoleLabels.For(l.ActorRole), l.ActorTeamOrOrganisation, Action(l.Action), l.ObjectType, l.Result == "denied" ? "geweigerd" : "toegestaan" }));

        html.Append("<p class=\"meta\">Klopt er iets niet? U mag vragen om het te verbeteren of aan te vullen (AVG art. 16). Neem contact op met uw coach.</p>");
        html.Append("</main></body></html>");
        return html.ToString();
    }

    private static void Section(StringBuilder html, string title, string[][] header, IEnumerable<string?[]> rows)
    {
        html.Append("<h2>").Append(E(title)).Append("</h2>");
        Table(html, header[0], rows);
    }

    private static void Table(StringBuilder html, string[] header, IEnumerable<string?[]> rows)
    {
        var list = rows.ToList();
        if (list.Count == 0)
        {
            html.Append("<p class=\"empty\">Geen.</p>");
            return;
        }
        html.Append("<table><thead><tr>");
        foreach (var h in header) html.Append("<th scope=\"col\">").Append(E(h)).Append("</th>");
        html.Append("</tr></thead><tbody>");
        foreach (var row in list)
        {
            html.Append("<tr>");
            foreach (var cell in row) html.Append("<td class=\"text\">").Append(E(cell)).Append("</td>");
            html.Append("</tr>");
        }
        html.Append("</tbody></table>");
    }

    // The access log's actions as a resident reads them (codes stay in the JSON).
    private static string Action(string action) => action switch
    {
        "create" => "vastgelegd", "read" => "bekeken", "update" => "gewijzigd", "list" => "in een overzicht bekeken",
        "export" => "inzage gemaakt", "assign" => "coach toegewezen", "close" => "afgesloten", "reopen" => "heropend",
        "match" => "signaal gekoppeld", "search" => "gezocht", "erase" => "gegevens vernietigd",
        _ => action,
    };

    private static string SignalStatus(string status) => status switch
    {
        "routed" => "bij de coach", "untriaged" => "wacht op beoordeling", "triaged" => "beoordeeld", _ => status,
    };

    private static string E(string? value) => WebUtility.HtmlEncode(value ?? "");

    private static string Name(string? given, string family) => string.IsNullOrEmpty(given) ? family : $"{given} {family}";

    private static string? Day(DateOnly? day) => day?.ToString("d MMMM yyyy", Dutch);

    private static string? Time(DateTimeOffset? at) => at is { } t
        ? TimeZoneInfo.ConvertTime(t, Requests.WorkingDays.Amsterdam).ToString("d MMMM yyyy HH:mm", Dutch)
        : null;
}
