using System.Globalization;
using System.Net;
using System.Text.Json.Nodes;
using Frontlijn.IntegrationTests.Infrastructure;
using Frontlijn.Web.Features.Requests;
using static Frontlijn.IntegrationTests.Infrastructure.Builders;

namespace Frontlijn.IntegrationTests.Requests;

/// <summary>
/// The scenario plus what requests need: a household of coach.anna with a consent of its head for the schuldhulp
/// intake of Schuldhulp Leeuwarden. Everything is made through the API, as the users would.
/// </summary>
public sealed record RequestWorld(TestApp App, Scenario S, Guid HouseholdId, Guid HeadMemberId, Guid ConsentId)
{
    public const string Service = "schuldhulp-intake";

    public HttpClient Coach => App.ClientFor(S.Coach);
    public HttpClient BackOffice => App.ClientFor(S.BackOffice);

    public static async Task<RequestWorld> CreateAsync(TestApp app)
    {
        var s = await Scenario.CreateAsync(app);
        var coach = app.ClientFor(s.Coach);
        var household = await coach.RegisterHouseholdAsync(s.NeighbourhoodId);
        var head = household["members"]!.AsArray().First(m => m!["role"]!.GetValue<string>() == "head")!.Id();
        var consent = await coach.PostJson($"/api/v1/households/{household.Id()}/consents", new
        {
            organisationId = s.OrganisationId, purpose = Service, givenByMemberId = head,
            givenOn = Today(app).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            validUntil = Today(app).AddYears(1).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        }).ExpectAsync(HttpStatusCode.Created);
        return new RequestWorld(app, s, household.Id(), head, consent.Id());
    }

    public static DateOnly Today(TestApp app) => WorkingDays.LocalDate(app.Clock.GetUtcNow());

    public Task<JsonNode> SendAsync(string urgency = "normal", HttpStatusCode expected = HttpStatusCode.Created,
        string? legalBasis = null, Guid? organisationId = null, string service = Service, HttpClient? client = null, Guid? householdId = null) =>
        (client ?? Coach).PostJson("/api/v1/requests", new
        {
            householdId = householdId ?? HouseholdId, organisationId = organisationId ?? S.OrganisationId, serviceCode = service,
            question = "Kan de intake voor schuldhulp deze maand starten?", urgency, legalBasis,
        }).ExpectAsync(expected);

    /// <summary>Posts a status change; <paramref name="by"/> is the back office unless given.</summary>
    public Task<JsonNode> ChangeAsync(Guid requestId, string status, int expectedVersion, HttpStatusCode expected = HttpStatusCode.Created,
        HttpClient? by = null, string? note = null, string? reasonCode = null, string? answer = null, string? newDueAt = null) =>
        (by ?? BackOffice).PostJson($"/api/v1/requests/{requestId}/status-changes", new
        {
            status, note, reasonCode, answer, newDueAt, expectedVersion,
        }).ExpectAsync(expected);

    /// <summary>The body each change needs to be valid, so that only the transition decides.</summary>
    public Task<JsonNode> ValidChangeAsync(Guid requestId, string status, int expectedVersion, HttpStatusCode expected = HttpStatusCode.Created)
    {
        return status switch
        {
            "answered" => ChangeAsync(requestId, status, expectedVersion, expected, answer: "Intake gepland op dinsdag."),
            "declined" => ChangeAsync(requestId, status, expectedVersion, expected, reasonCode: "buiten-doelgroep"),
            "suspended" => ChangeAsync(requestId, status, expectedVersion, expected, reasonCode: "wacht-op-stukken"),
            "extended" => ChangeAsync(requestId, status, expectedVersion, expected, note: "Meer tijd nodig",
                newDueAt: Today(App).AddDays(60).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
            "withdrawn" => ChangeAsync(requestId, status, expectedVersion, expected, by: Coach, note: "Niet meer nodig"),
            _ => ChangeAsync(requestId, status, expectedVersion, expected),
        };
    }

    public async Task<JsonNode> GetAsync(Guid requestId, HttpClient? client = null) =>
        await (client ?? Coach).GetAsync($"/api/v1/requests/{requestId}").ExpectAsync(HttpStatusCode.OK);

    public async Task<Guid> UserIdAsync(string username)
    {
        var users = await App.ClientFor("admin").GetAsync("/api/v1/users?pageSize=200").ExpectAsync(HttpStatusCode.OK);
        return users["items"]!.AsArray().First(u => u!["username"]!.GetValue<string>() == username)!.Id();
    }

    /// <summary>Moves the fake clock forward to <paramref name="local"/> (Amsterdam time); never backwards.</summary>
    public static void SetAmsterdamTime(TestApp app, DateOnly date, TimeOnly time)
    {
        var local = date.ToDateTime(time);
        app.Clock.SetUtcNow(new DateTimeOffset(local, WorkingDays.Amsterdam.GetUtcOffset(local)).ToUniversalTime());
    }
}
