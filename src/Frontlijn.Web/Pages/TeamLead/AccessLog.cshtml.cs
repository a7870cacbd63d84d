using FluentValidation;
using Frontlijn.Web.Features.AccessLog;
using Frontlijn.Web.Features.Households;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Frontlijn.Web.Pages.TeamLead;

/// <summary>
/// The access log (NEN 7513) of one household of the team lead's team, through <see cref="GetAccessLog.Query"/> exactly as
/// GET /api/v1/households/{id}/access-log: newest first, a page at a time, narrowed to a period; in Dutch words, with
/// the people, their roles and organisations, and for a stand-in the coach they acted for.
/// </summary>
public sealed class AccessLogModel(IMediator mediator) : PageModel
{
    public const int PageSize = 25;

    public HouseholdDetail Household { get; private set; } = null!;
    public PagedResult<GetAccessLog.AccessLogEntry> Log { get; private set; } = null!;

    [BindProperty(SupportsGet = true, Name = "van")]
    public DateOnly? From { get; set; }

    [BindProperty(SupportsGet = true, Name = "tot")]
    public DateOnly? To { get; set; }

    [BindProperty(SupportsGet = true, Name = "pagina")]
    public int PageNumber { get; set; } = 1;

    public string Href(int page)
    {
        var query = new List<string>();
        if (From is { } f) query.Add($"van={Ui.Iso(f)}");
        if (To is { } t) query.Add($"tot={Ui.Iso(t)}");
        query.Add($"pagina={page}");
        return $"/team/huishoudens/{Household.Id}/toegangslog?{string.Join("&", query)}";
    }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken ct)
    {
        try
        {
            Household = await mediator.Send(new GetHousehold.Query(id), ct);
        }
        catch (ProblemException ex) when (ex.Status == StatusCodes.Status404NotFound)
        {
            return NotFound();
        }
        // A date the browser could not send as a date ("van=gisteren") is a field error, shown at that field.
        foreach (var key in new[] { "van", "tot" })
        {
            if (ModelState.TryGetValue(key, out var entry) && entry.Errors.Count > 0)
            {
                entry.Errors.Clear();
                ModelState.AddModelError(key == "van" ? nameof(From) : nameof(To), "Vul een datum in als dd-mm-jjjj.");
            }
        }
        if (ModelState.ErrorCount == 0)
        {
            try
            {
                Log = await mediator.Send(new GetAccessLog.Query(id, new WebConventions.Paging(Math.Max(1, PageNumber), PageSize), From, To), ct);
                return Page();
            }
            catch (ValidationException ex)
            {
                // The query's messages are already Dutch and name no API field; put each at its date field.
                foreach (var error in ex.Errors)
                {
                    ModelState.AddModelError(error.PropertyName == "to" ? nameof(To) : nameof(From), error.ErrorMessage);
                }
            }
        }
        Log = new PagedResult<GetAccessLog.AccessLogEntry>([], 1, PageSize, 0);
        return Page();
    }

    /// <summary>The log's action codes (AccessLogWriter callers) in the words a privacy officer uses.</summary>
    public static string Action(string action) => action switch
    {
        "read" => "Ingezien",
        "list" => "In een lijst getoond",
        "search" => "Gezocht",
        "match" => "Gevonden bij een signaal",
        "create" => "Toegevoegd",
        "update" => "Gewijzigd",
        "withdraw" => "Ingetrokken",
        "close" => "Afgesloten",
        "reopen" => "Heropend",
        "assign" => "Toegewezen",
        "sign-off" => "Afgetekend",
        "review" => "Geëvalueerd",
        "export" => "Geëxporteerd",
        "delete" => "Verwijderd",
        _ => action,
    };

    public static string ObjectType(string type) => type switch
    {
        "household" => "Huishouden",
        "member" => "Gezinslid",
        "consent" => "Toestemming",
        "request" => "Verzoek",
        "request-message" => "Bericht bij een verzoek",
        "involvement" => "Betrokkenheid",
        "assessment" => "ZRM-meting",
        "family-plan" => "Gezinsplan",
        "plan-goal" => "Doel in het gezinsplan",
        "plan-action" => "Actie in het gezinsplan",
        "access-log" => "Toegangslog",
        "coach-history" => "Coachgeschiedenis",
        "coach-assignment" => "Coach",
        "signal" => "Signaal",
        "export" => "Inzageverzoek (export)",
        "report-household-outcome" => "Uitkomstrapport",
        "report-providers-per-household" => "Rapport aanbieders per huishouden",
        "report-team" => "Teamrapport",
        _ => type,
    };

    public static string Result(string result) => result == AccessLogWriter.Denied ? "Geweigerd" : "Toegestaan";

    public static string Origin(string origin) => origin switch
    {
        "system" => "Systeem (achtergrondtaak)",
        "api" => "Koppeling",
        _ => origin,
    };
}
