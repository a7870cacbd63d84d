using System.Net;
using Frontlijn.IntegrationTests.Infrastructure;
using Frontlijn.IntegrationTests.Residents;

namespace Frontlijn.IntegrationTests.Identity;

/// <summary>
/// Production sign-in for residents: a second, real OpenID provider (tests/oidc-provider, as a DigiD broker would be)
/// whose subject is the BSN. The app trusts the staff provider for staff (Auth:Authority) and this one for residents
/// (Residents:Authority); a residents' access token is matched through the BSN hash, and never passes for staff.
/// </summary>
[Collection(OidcGroup.Name)]
public sealed class ResidentOidcTests(OidcApps apps)
{
    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task AResidentsAccessToken_FromTheResidentsProvider_OpensOnlyTheirHousehold(string provider)
    {
        await using var residentsIdp = await OidcProvider.StartAsync();
        var settings = apps.Idp.AppSettings();
        settings["Residents:Authority"] = residentsIdp.Issuer.ToString().TrimEnd('/');
        settings["Residents:Audience"] = OidcProvider.ApiAudience;
        await using var app = await TestApp.StartAsync(provider, settings);
        // Both providers sign with the real clock.
        if (DateTimeOffset.UtcNow > app.Clock.GetUtcNow()) app.Clock.SetUtcNow(DateTimeOffset.UtcNow);
        var world = await OidcWorld.CreateAsync(app, apps.Idp);
        var (_, coachSubject) = await world.BoundUserAsync($"coach.{Guid.NewGuid():N}"[..20], "coach");
        var coach = await world.SignedInAsync(coachSubject);
        var bsn = Bsn.Valid(80);
        var household = await coach.PostJson("/api/v1/households", new
        {
            neighbourhoodId = world.NeighbourhoodId,
            address = Builders.Address(),
            members = new object[] { new { givenName = "Sandra", familyName = "Bosma", dateOfBirth = "1984-05-12", bsn, role = "head" } },
        }).ExpectAsync(HttpStatusCode.Created);

        await residentsIdp.PutAccountAsync(bsn, "sandra", "Sandra Bosma");
        var tokens = await residentsIdp.SignInAsync(bsn);
        var sandra = world.WithToken(tokens.AccessToken);
        var me = await sandra.GetAsync("/api/v1/me/household").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(household.Id(), me.Id("householdId"));
        Assert.StartsWith("Naam van coach.", me["contact"]!["name"]!.GetValue<string>(), StringComparison.Ordinal);
        await sandra.GetAsync("/api/v1/caseload").ExpectAsync(HttpStatusCode.Forbidden);
        await sandra.GetAsync($"/api/v1/households/{household.Id()}").ExpectAsync(HttpStatusCode.Forbidden);

        // The residents' ID token is no access token (typ), even though it names the resident.
        if (tokens.IdToken is { } idToken)
        {
            await world.WithToken(idToken).GetAsync("/api/v1/me/household").ExpectAsync(HttpStatusCode.Unauthorized);
        }
        // An account of the residents' provider whose subject is no member's BSN: authenticated, no resident.
        await residentsIdp.PutAccountAsync(Bsn.Valid(81), "nobody");
        var nobody = world.WithToken((await residentsIdp.SignInAsync(Bsn.Valid(81))).AccessToken);
        await nobody.GetAsync("/api/v1/me/household").ExpectAsync(HttpStatusCode.Forbidden);
        // The same BSN as a subject at the STAFF provider is not a resident (and not a user).
        await apps.Idp.PutAccountAsync(bsn, $"sandra.{Guid.NewGuid():N}"[..20]);
        var staffSide = world.WithToken((await apps.Idp.SignInAsync(bsn)).AccessToken);
        await staffSide.GetAsync("/api/v1/me/household").ExpectAsync(HttpStatusCode.Forbidden);
        // Every read was the resident's, in the household's log.
        Assert.True(await app.ScalarAsync<int>(
            "SELECT COUNT(*) FROM access_log WHERE household_id = @h AND actor_member_id IS NOT NULL AND result = 'success'",
            new { h = household.Id() }) >= 1);
    }
}
