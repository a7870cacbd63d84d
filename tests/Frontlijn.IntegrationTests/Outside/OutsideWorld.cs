using System.Net;
using System.Text.RegularExpressions;
using Frontlijn.IntegrationTests.Infrastructure;

namespace Frontlijn.IntegrationTests.Outside;

/// <summary>
/// The scenario plus an organisation without Frontlijn accounts (a debt-buddy foundation) that answers through reply
/// links, and a household of coach.anna (with a BSN, so a test can look for it where it must never be).
/// </summary>
public sealed partial record OutsideWorld(TestApp App, Scenario S, Guid HouseholdId, Guid FoundationId)
{
    public const string FoundationEmail = "verzoeken@schuldenmaatje.test";
    public const string Service = "maatje-koppeling";
    public const string Question = "Kan er een vrijwilliger van Schuldenmaatje meekijken met de administratie van mevrouw?";
    public const string FamilyName = "Hoekstra";

    public HttpClient Coach => App.ClientFor(S.Coach);

    public static async Task<OutsideWorld> CreateAsync(TestApp app)
    {
        var s = await Scenario.CreateAsync(app);
        var foundation = await app.ClientFor("admin").PostJson("/api/v1/organisations", new
        {
            name = "Stichting Schuldenmaatje", kind = "vrijwilligers",
            services = new[] { new { code = Service, name = "Koppeling aan een maatje", responseDays = 5, urgentResponseDays = 1 } },
            replyByLink = true, functionalEmail = FoundationEmail,
        }).ExpectAsync(HttpStatusCode.Created);
        var household = await app.ClientFor(s.Coach).RegisterHouseholdAsync(s.NeighbourhoodId, bsn: Builders.Bsn1, familyName: FamilyName);
        return new OutsideWorld(app, s, household.Id(), foundation.Id());
    }

    /// <summary>A request to the foundation (on the legal basis, so no consent is needed for the test).</summary>
    public async Task<Guid> SendAsync() => (await Coach.PostJson("/api/v1/requests", new
    {
        householdId = HouseholdId, organisationId = FoundationId, serviceCode = Service, question = Question, urgency = "normal",
        legalBasis = "zwaarwegend-belang",
    }).ExpectAsync(HttpStatusCode.Created)).Id();

    /// <summary>The token of the reply link in a mail (the last path segment of the /antwoord/ link).</summary>
    public static string TokenIn(SmtpTestServer.Mail mail)
    {
        var match = LinkPattern().Match(mail.Text);
        Assert.True(match.Success, $"No reply link in the mail: {mail.Text}");
        Assert.StartsWith(SmtpTestServer.PublicBaseUrl, match.Value, StringComparison.Ordinal);
        return match.Groups[1].Value;
    }

    [GeneratedRegex(@"https://\S+/antwoord/([A-Za-z0-9_-]+)")]
    private static partial Regex LinkPattern();

    /// <summary>Anonymous: the organisation has no account.</summary>
    public HttpClient Anonymous => App.ClientFor(null);

    public Task<HttpResponseMessage> ReplyAsync(string token, string status, string? answer = null, string? note = null,
        string? reasonCode = null) =>
        Anonymous.PostJson("/api/v1/reply-links/status-changes", new { token, status, answer, note, reasonCode });

    public async Task<(string Status, int Version)> RequestStateAsync(Guid requestId)
    {
        var request = await Coach.GetAsync($"/api/v1/requests/{requestId}").ExpectAsync(HttpStatusCode.OK);
        return (request["status"]!.GetValue<string>(), request["version"]!.GetValue<int>());
    }
}
