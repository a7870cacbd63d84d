using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Frontlijn.IntegrationTests.Infrastructure;
using static Frontlijn.IntegrationTests.Infrastructure.Builders;

namespace Frontlijn.IntegrationTests.Sessions;

/// <summary>
/// PATCH /api/v1/users/{id} (SPEC "Administration over time"): JSON Merge Patch of a user; deactivation refused while a
/// coach is still someone's contact, and once done it ends the user's sessions at once.
/// </summary>
[Collection(IntegrationGroup.Name)]
public sealed class UserPatchTests(ProviderApps apps)
{
    internal static Task<HttpResponseMessage> Patch(HttpClient client, Guid id, string json, string contentType = "application/merge-patch+json")
    {
        var content = new StringContent(json, Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        return client.PatchAsync($"/api/v1/users/{id}", content);
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Deactivating_ACoachWithOpenHouseholds_Is409WithTheCount_ThenEndsTheirSessionAtOnce(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var s = await Scenario.CreateAsync(app);
        var coach = app.ClientFor(s.Coach);
        var admin = app.ClientFor("admin");
        // Three households registered by the coach (so theirs), one of them closed: two are still open.
        var first = (await coach.RegisterHouseholdAsync(s.NeighbourhoodId, houseNumber: 1, familyName: "Bosma")).Id();
        var second = (await coach.RegisterHouseholdAsync(s.NeighbourhoodId, houseNumber: 2, familyName: "Visser")).Id();
        var closed = (await coach.RegisterHouseholdAsync(s.NeighbourhoodId, houseNumber: 3, familyName: "Smit")).Id();
        await coach.PostJson($"/api/v1/households/{closed}/closure", new { reason = "Doelen bereikt" }).ExpectAsync(HttpStatusCode.OK);
        app.Clock.Advance(TimeSpan.FromDays(14));
        await coach.PostJson($"/api/v1/households/{closed}/closure", new { reason = "Eindevaluatie" }).ExpectAsync(HttpStatusCode.OK);

        using var browser = new CookieBrowser(app);
        await browser.SignInAsync(s.Coach);
        await SessionLifetimeTests.Ok(browser, "/api/v1/caseload");

        var refused = await Patch(admin, s.CoachId, """{"active": false}""").ExpectAsync(HttpStatusCode.Conflict);
        Assert.Contains("2 open huishoudens", refused["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(2, refused["openHouseholds"]!.GetValue<int>());
        Assert.Equal(0, await app.ScalarAsync<int>("SELECT COUNT(*) FROM users WHERE id = @id AND deactivated_at IS NOT NULL", new { id = s.CoachId }));
        await SessionLifetimeTests.Ok(browser, "/api/v1/caseload");

        // After handing both over, deactivation goes through and the coach's cookie stops working on the next request.
        var lead = app.ClientFor(s.TeamLead);
        await lead.AssignCoachAsync(first, s.SecondCoachId);
        await lead.AssignCoachAsync(second, s.SecondCoachId);
        using var kept = browser.CopyTo(app.ServerAddress);
        var deactivated = await Patch(admin, s.CoachId, """{"active": false}""").ExpectAsync(HttpStatusCode.OK);
        Assert.False(deactivated["active"]!.GetValue<bool>());

        await SessionLifetimeTests.Refused(browser, "/api/v1/caseload");
        Assert.Equal(0, await app.ScalarAsync<int>(
            "SELECT COUNT(*) FROM auth_sessions WHERE user_id = @id AND ended_at IS NULL", new { id = s.CoachId }));
        Assert.Equal(1, await app.ScalarAsync<int>(
            "SELECT COUNT(*) FROM auth_sessions WHERE user_id = @id AND ended_reason = 'deactivated'", new { id = s.CoachId }));
        // A new sign-in as the deactivated coach does not get a working session either.
        using var again = new CookieBrowser(app);
        var demoList = await (await again.GetAsync("/aanmelden")).Content.ReadAsStringAsync();
        Assert.DoesNotContain($"value=\"{s.Coach}\"", demoList, StringComparison.Ordinal);

        // A deactivated user stays in every history.
        var history = await lead.GetAsync($"/api/v1/households/{first}/coach-history").ExpectAsync(HttpStatusCode.OK);
        Assert.Contains(s.CoachId.ToString(), history.ToJsonString(), StringComparison.OrdinalIgnoreCase);
        var read = await admin.GetAsync($"/api/v1/users/{s.CoachId}").ExpectAsync(HttpStatusCode.OK);
        Assert.False(read["active"]!.GetValue<bool>());

        // Reactivation: active again, but the old session stays ended.
        var reactivated = await Patch(admin, s.CoachId, """{"active": true}""").ExpectAsync(HttpStatusCode.OK);
        Assert.True(reactivated["active"]!.GetValue<bool>());
        Assert.Equal(0, await app.ScalarAsync<int>("SELECT COUNT(*) FROM users WHERE id = @id AND deactivated_at IS NOT NULL", new { id = s.CoachId }));
        await SessionLifetimeTests.Refused(kept, "/api/v1/caseload");
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task MergePatch_ChangesOnlyTheMembersSent_AndChecksTheMergedUser(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var s = await Scenario.CreateAsync(app);
        var admin = app.ClientFor("admin");

        var renamed = await Patch(admin, s.OtherCoachId, """{"displayName": "Fatima El Amrani", "maxCaseload": 12}""")
            .ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Fatima El Amrani", renamed["displayName"]!.GetValue<string>());
        Assert.Equal(12, renamed["maxCaseload"]!.GetValue<int>());
        Assert.Equal("coach", renamed["role"]!.GetValue<string>());
        Assert.Equal(s.OtherTeamId, renamed.Id("teamId"));

        // A coach becoming back office: the merged user must leave the team and join an organisation.
        var half = await Patch(admin, s.OtherCoachId, """{"role": "back-office"}""").ExpectAsync(HttpStatusCode.BadRequest);
        Assert.NotNull(half["errors"]!["teamId"]);
        Assert.NotNull(half["errors"]!["organisationId"]);
        var moved = await Patch(admin, s.OtherCoachId,
            $$"""{"role": "back-office", "teamId": null, "organisationId": "{{s.OrganisationId}}"}""").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("back-office", moved["role"]!.GetValue<string>());
        Assert.Null(moved["teamId"]);
        Assert.Equal(s.OrganisationId, moved.Id("organisationId"));

        // The identity provider's subject: set, unique per issuer, cleared with null.
        var bound = await Patch(admin, s.OtherCoachId, """{"externalSubject": "a1b2-c3"}""").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("a1b2-c3", bound["externalSubject"]!.GetValue<string>());
        await Patch(admin, s.SecondCoachId, """{"externalSubject": "a1b2-c3"}""").ExpectAsync(HttpStatusCode.Conflict);
        var unbound = await Patch(admin, s.OtherCoachId, """{"externalSubject": null}""").ExpectAsync(HttpStatusCode.OK);
        Assert.Null(unbound["externalSubject"]);
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task BadPatches_Are4xxProblems_PerField_AndChangeNothing(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var s = await Scenario.CreateAsync(app);
        var admin = app.ClientFor("admin");
        var before = (await admin.GetAsync($"/api/v1/users/{s.SecondCoachId}").ExpectAsync(HttpStatusCode.OK)).ToJsonString();

        var invalid = await Patch(admin, s.SecondCoachId,
            """{"displayName": "", "role": "baas", "maxCaseload": 0, "active": "nee", "teamId": "geen-uuid", "username": "x"}""")
            .ExpectAsync(HttpStatusCode.BadRequest);
        var errors = invalid["errors"]!.AsObject();
        foreach (var field in new[] { "active", "teamId", "username" })
        {
            Assert.True(errors.ContainsKey(field), $"no error for {field}: {invalid.ToJsonString()}");
        }
        var rules = await Patch(admin, s.SecondCoachId, """{"displayName": "", "role": "baas", "maxCaseload": 0}""")
            .ExpectAsync(HttpStatusCode.BadRequest);
        foreach (var field in new[] { "displayName", "role", "maxCaseload" })
        {
            Assert.True(rules["errors"]!.AsObject().ContainsKey(field), $"no error for {field}: {rules.ToJsonString()}");
        }
        await Patch(admin, s.SecondCoachId, """{"maxCaseload": null}""").ExpectAsync(HttpStatusCode.BadRequest);
        await Patch(admin, s.SecondCoachId, """{"teamId": "00000000-0000-0000-0000-000000000001"}""").ExpectAsync(HttpStatusCode.BadRequest);
        await Patch(admin, s.SecondCoachId, """[1, 2]""").ExpectAsync(HttpStatusCode.BadRequest);
        await Patch(admin, s.SecondCoachId, """{"displayName": """).ExpectAsync(HttpStatusCode.BadRequest);
        await Patch(admin, s.SecondCoachId, """{"displayName": "Bram"}""", "application/json").ExpectAsync(HttpStatusCode.UnsupportedMediaType);
        await Patch(admin, Guid.NewGuid(), """{"displayName": "Niemand"}""").ExpectAsync(HttpStatusCode.NotFound);
        await Patch(app.ClientFor(s.TeamLead), s.SecondCoachId, """{"displayName": "Bram"}""").ExpectAsync(HttpStatusCode.Forbidden);

        var after = (await admin.GetAsync($"/api/v1/users/{s.SecondCoachId}").ExpectAsync(HttpStatusCode.OK)).ToJsonString();
        Assert.Equal(before, after);
        Assert.Equal(JsonNode.Parse(before)!["displayName"]!.GetValue<string>(), s.SecondCoach);
    }
}
