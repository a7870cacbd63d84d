using System.Globalization;
using System.Net;
using Frontlijn.IntegrationTests.Infrastructure;
using Frontlijn.IntegrationTests.Requests;

namespace Frontlijn.IntegrationTests.Consents;

/// <summary>
/// SPEC "Consent": "a member aged 16 or older for themselves; for a child under 12 a parent; from 12 to 16 a parent and
/// the child. A consent is valid for at most 2 years (configurable)." The giver must be 16 on the day the consent was
/// given (a day short is refused), and the period ends at the latest the day before the same date two years on
/// (Consents:MaxValidityMonths, default 24). Refusals are 400 at the field and record nothing.
/// </summary>
[Collection(IntegrationGroup.Name)]
public sealed class ConsentRulesTests(ProviderApps apps)
{
    private static string Iso(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task OnlyMembersAged16_GiveConsent_ForAtMostTwoYears(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var w = await RequestWorld.CreateAsync(app);
        var coach = w.Coach;
        var today = RequestWorld.Today(app);
        var household = await coach.GetAsync($"/api/v1/households/{w.HouseholdId}").ExpectAsync(HttpStatusCode.OK);
        var tim = household["members"]!.AsArray().First(m => m!["role"]!.GetValue<string>() == "child")!.Id();
        async Task<Guid> AddAsync(string name, DateOnly born) =>
            (await coach.PostJson($"/api/v1/households/{w.HouseholdId}/members", new
            {
                givenName = name, familyName = "Bosma", dateOfBirth = Iso(born), role = "child",
            }).ExpectAsync(HttpStatusCode.Created)).Id();
        // Sixteen today, and one who turns sixteen tomorrow.
        var lotte = await AddAsync("Lotte", new DateOnly(today.Year - 16, today.Month, today.Day));
        var jesse = await AddAsync("Jesse", new DateOnly(today.Year - 16, today.Month, today.Day).AddDays(1));
        var path = $"/api/v1/households/{w.HouseholdId}/consents";
        object Body(Guid giver, DateOnly givenOn, DateOnly validUntil) => new
        {
            organisationId = w.S.OrganisationId, purpose = RequestWorld.Service, givenByMemberId = giver,
            givenOn = Iso(givenOn), validUntil = Iso(validUntil),
        };
        var before = await app.ScalarAsync<int>("SELECT COUNT(*) FROM consents");

        foreach (var (giver, on) in new[] { (tim, today), (jesse, today), (lotte, today.AddDays(-1)) })
        {
            var refused = await coach.PostJson(path, Body(giver, on, on.AddMonths(6))).ExpectAsync(HttpStatusCode.BadRequest);
            Assert.Contains("16 jaar", refused["errors"]!["givenByMemberId"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        }
        var tooLong = await coach.PostJson(path, Body(w.HeadMemberId, today, today.AddYears(2))).ExpectAsync(HttpStatusCode.BadRequest);
        var message = tooLong["errors"]!["validUntil"]![0]!.GetValue<string>();
        Assert.Contains("24 maanden", message, StringComparison.Ordinal);
        Assert.DoesNotContain("givenOn", message, StringComparison.Ordinal);
        var backwards = await coach.PostJson(path, Body(w.HeadMemberId, today, today.AddDays(-1))).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.DoesNotContain("validUntil", backwards["errors"]!["validUntil"]![0]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(before, await app.ScalarAsync<int>("SELECT COUNT(*) FROM consents"));

        // Sixteen on the day, for the longest period allowed: recorded.
        var given = await coach.PostJson(path, Body(lotte, today, today.AddYears(2).AddDays(-1))).ExpectAsync(HttpStatusCode.Created);
        Assert.True(given["valid"]!.GetValue<bool>());
        // A consent given in the past is measured from that day, not from today.
        await coach.PostJson(path, Body(w.HeadMemberId, today.AddMonths(-3), today.AddMonths(-3).AddYears(2).AddDays(-1)))
            .ExpectAsync(HttpStatusCode.Created);
        await coach.PostJson(path, Body(w.HeadMemberId, today.AddMonths(-3), today.AddMonths(-3).AddYears(2)))
            .ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Equal(before + 2, await app.ScalarAsync<int>("SELECT COUNT(*) FROM consents"));
    }
}
