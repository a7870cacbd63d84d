using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Frontlijn.IntegrationTests.Infrastructure;
using Frontlijn.Web.Infrastructure.Auth;
using Microsoft.Extensions.DependencyInjection;

namespace Frontlijn.IntegrationTests.Residents;

/// <summary>
/// A household of team Oost (coach.anna) built through the API as the coach would: Sandra (head, 1984, BSN), Piet
/// (partner, 1982, BSN), Tim (child, 13 on the app's day, BSN), Lotte who turns 16 on the app's day and Joris who
/// turns 16 one day later (both BSN); a consent given by Sandra and one by Piet, an open request, a
/// withdrawn request, a running involvement, and a goal with an action. A second household of team Zuid
/// (coach.fatima) with its own resident, consent and goal.
/// </summary>
public sealed record ResidentWorld(
    TestApp App, Scenario Scenario, Guid HouseholdId, string SandraBsn, Guid SandraId, string PietBsn, Guid PietId,
    string TimBsn, string LotteBsn, string JorisBsn, Guid SandraConsentId, Guid PietConsentId, Guid OpenRequestId,
    Guid GoalId, Guid OtherHouseholdId, string OtherBsn, Guid OtherConsentId, Guid OtherGoalId)
{
    public static async Task<ResidentWorld> CreateAsync(TestApp app)
    {
        var scenario = await Scenario.CreateAsync(app);
        var coach = app.ClientFor(scenario.Coach);
        // The shared app's clock moves between tests: every age is relative to its day in Amsterdam.
        var today = Frontlijn.Web.Features.Requests.WorkingDays.LocalDate(app.Clock.GetUtcNow());
        string Born(int years, int days = 0) => today.AddYears(-years).AddDays(days).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var (sandra, piet, tim, lotte, joris, other) = (Bsn.Valid(10), Bsn.Valid(20), Bsn.Valid(30), Bsn.Valid(40), Bsn.Valid(50), Bsn.Valid(60));
        var household = await coach.PostJson("/api/v1/households", new
        {
            neighbourhoodId = scenario.NeighbourhoodId,
            address = Builders.Address(),
            members = new object[]
            {
                new { givenName = "Sandra", familyName = "Bosma", dateOfBirth = "1984-05-12", bsn = sandra, role = "head" },
                new { givenName = "Piet", familyName = "Bosma", dateOfBirth = "1982-01-20", bsn = piet, role = "partner" },
                new { givenName = "Tim", familyName = "Bosma", dateOfBirth = Born(13), bsn = tim, role = "child" },
                new { givenName = "Lotte", familyName = "Bosma", dateOfBirth = Born(16), bsn = lotte, role = "child" },
                new { givenName = "Joris", familyName = "Bosma", dateOfBirth = Born(16, 1), bsn = joris, role = "child" },
            },
        }).ExpectAsync(HttpStatusCode.Created);
        var householdId = household.Id();
        Guid Member(string given) => household["members"]!.AsArray().Single(m => m!["givenName"]!.GetValue<string>() == given)!.Id();

        var sandraConsent = await Consent(coach, householdId, scenario.OrganisationId, "schuldhulp-intake", Member("Sandra"), today);
        var pietConsent = await Consent(coach, householdId, scenario.OtherOrganisationId, "huurachterstand", Member("Piet"), today);
        var open = await coach.PostJson("/api/v1/requests", new
        {
            householdId, organisationId = scenario.OrganisationId, serviceCode = "schuldhulp-intake",
            question = "Graag een intake.", urgency = "normal",
        }).ExpectAsync(HttpStatusCode.Created);
        var withdrawn = await coach.PostJson("/api/v1/requests", new
        {
            householdId, organisationId = scenario.OtherOrganisationId, serviceCode = "huurachterstand",
            question = "Wilt u de procedure aanhouden?", urgency = "urgent",
        }).ExpectAsync(HttpStatusCode.Created);
        await coach.PostJson($"/api/v1/requests/{withdrawn.Id()}/status-changes", new { status = "withdrawn", expectedVersion = 1 })
            .ExpectAsync(HttpStatusCode.Created);
        await coach.PostJson($"/api/v1/households/{householdId}/involvements",
            new { providerName = "Huisartsenpraktijk Heechterp", since = today.AddMonths(-2) }).ExpectAsync(HttpStatusCode.Created);
        var goal = await coach.PostJson($"/api/v1/households/{householdId}/plan/goals",
            new { domain = "financien", description = "De vaste lasten worden op tijd betaald." }).ExpectAsync(HttpStatusCode.Created);
        await coach.PostJson($"/api/v1/households/{householdId}/plan/goals/{goal.Id()}/actions",
            new { description = "Aanmelden bij budgetbeheer", owner = new { kind = "coach" }, dueOn = today.AddDays(14) })
            .ExpectAsync(HttpStatusCode.Created);

        var fatima = app.ClientFor(scenario.OtherCoach);
        var otherHousehold = await fatima.PostJson("/api/v1/households", new
        {
            neighbourhoodId = scenario.OtherNeighbourhoodId,
            address = Builders.Address("7544 gh", 31, "Lindenhof", "Enschede"),
            members = new object[] { new { givenName = "Kees", familyName = "Wolters", dateOfBirth = "1966-01-15", bsn = other, role = "head" } },
        }).ExpectAsync(HttpStatusCode.Created);
        var otherConsent = await Consent(fatima, otherHousehold.Id(), scenario.OtherOrganisationId, "huurachterstand",
            otherHousehold["members"]![0]!.Id(), today);
        var otherGoal = await fatima.PostJson($"/api/v1/households/{otherHousehold.Id()}/plan/goals",
            new { domain = "huisvesting", description = "Een passende woning." }).ExpectAsync(HttpStatusCode.Created);

        return new ResidentWorld(app, scenario, householdId, sandra, Member("Sandra"), piet, Member("Piet"), tim, lotte, joris,
            sandraConsent, pietConsent, open.Id(), goal.Id(), otherHousehold.Id(), other, otherConsent, otherGoal.Id());
    }

    private static async Task<Guid> Consent(HttpClient coach, Guid householdId, Guid organisationId, string purpose, Guid memberId, DateOnly today) =>
        (await coach.PostJson($"/api/v1/households/{householdId}/consents", new
        {
            organisationId, purpose, givenByMemberId = memberId, givenOn = today.AddDays(-1), validUntil = today.AddYears(1),
        }).ExpectAsync(HttpStatusCode.Created)).Id();

    /// <summary>A resident's demo token as the SPEC describes it: HS256, issuer frontlijn-demo-residents, sub = the BSN.</summary>
    public HttpClient Resident(string bsn) => ResidentClient(App, bsn);

    public static HttpClient ResidentClient(TestApp app, string bsn)
    {
        var client = new HttpClient { BaseAddress = app.ServerAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer",
            DemoTokens.IssueResident(app.Services.GetRequiredService<AuthSettings>(), bsn, TimeProvider.System));
        return client;
    }
}

/// <summary>Test BSNs computed with the elfproef (independently of the app's validator).</summary>
public static class Bsn
{
    /// <summary>The first nine-digit number from 2000000n0 upwards whose weighted sum is divisible by 11.</summary>
    public static string Valid(int n)
    {
        for (var candidate = 200_000_000 + n * 1000; ; candidate++)
        {
            var digits = candidate.ToString(System.Globalization.CultureInfo.InvariantCulture);
            var sum = 0;
            for (var i = 0; i < 8; i++) sum += (digits[i] - '0') * (9 - i);
            sum -= digits[8] - '0';
            if (sum % 11 == 0) return digits;
        }
    }
}
