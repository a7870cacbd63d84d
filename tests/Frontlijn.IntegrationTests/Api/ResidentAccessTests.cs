using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Frontlijn.IntegrationTests.Infrastructure;
using Frontlijn.IntegrationTests.Residents;
using Frontlijn.IntegrationTests.Sessions;

namespace Frontlijn.IntegrationTests.Api;

/// <summary>
/// A resident never reaches a staff endpoint or page (SPEC: "A resident sees only their own household through
/// /api/v1/me/... and the /mijn pages"). The sweep takes EVERY operation of the published OpenAPI document, so an
/// endpoint added later is covered without anyone remembering this test; the AuthorizationMatrix covers the staff side
/// of /me (its nine principals all get 403 there).
/// </summary>
[Collection(IntegrationGroup.Name)]
public sealed partial class ResidentAccessTests(ProviderApps apps)
{
    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task AResidentsToken_IsRefusedOnEveryOperationOutsideMe_WithProblemJson_AndNoMoreThanNoTokenGets(string provider)
    {
        var world = await ResidentWorld.CreateAsync(await apps.ResetAsync(provider));
        var document = await ApiDocument.LoadAsync(world.App);
        var basePath = document.ServerUrl.AbsolutePath.TrimEnd('/');
        using var resident = world.Resident(world.SandraBsn);
        using var anonymous = world.App.ClientFor(null);
        // The resident's own household, request, consent and goal fill the placeholders: the strongest case, a resident
        // trying the staff API on their own file.
        var ids = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["households"] = world.HouseholdId.ToString(), ["householdId"] = world.HouseholdId.ToString(),
            ["requests"] = world.OpenRequestId.ToString(), ["consentId"] = world.SandraConsentId.ToString(),
            ["goalId"] = world.GoalId.ToString(), ["memberId"] = world.SandraId.ToString(),
            ["users"] = world.Scenario.CoachId.ToString(), ["teams"] = world.Scenario.TeamId.ToString(),
            ["teamId"] = world.Scenario.TeamId.ToString(), ["organisations"] = world.Scenario.OrganisationId.ToString(),
            ["neighbourhoods"] = world.Scenario.NeighbourhoodId.ToString(), ["code"] = "schuldhulp-intake",
        };
        var checkedOperations = 0;
        var failures = new List<string>();
        foreach (var operation in document.Operations)
        {
            // The resident's own endpoints, and the public contract itself.
            if (operation.Path.StartsWith("/me/", StringComparison.Ordinal) || operation.Name == "GET /openapi.json") continue;
            var url = basePath + Fill(operation.Path, ids);
            checkedOperations++;
            var (residentStatus, residentBody, residentType) = await SendAsync(resident, operation.Method, url, operation.TakesBody);
            var (anonymousStatus, _, _) = await SendAsync(anonymous, operation.Method, url, operation.TakesBody);
            if (anonymousStatus != HttpStatusCode.Unauthorized)
            {
                // A public operation (no token needed): a resident's token must not get more than no token does.
                if (residentStatus != anonymousStatus) failures.Add($"{operation.Name}: public ({(int)anonymousStatus}) but a resident got {(int)residentStatus}");
                continue;
            }
            if (residentStatus is not (HttpStatusCode.Forbidden or HttpStatusCode.NotFound))
            {
                failures.Add($"{operation.Name} → {url}: {(int)residentStatus} {Truncate(residentBody)}");
            }
            else if (residentType != "application/problem+json")
            {
                failures.Add($"{operation.Name}: {(int)residentStatus} without problem+json ({residentType})");
            }
        }
        Assert.True(checkedOperations >= 50, $"Only {checkedOperations} operations checked; is the OpenAPI document complete?");
        Assert.True(failures.Count == 0, $"A resident's token was not refused on {failures.Count} staff operation(s):\n  " + string.Join("\n  ", failures));

        // Nothing changed on the household: the coach's view of consents and requests is as before.
        Assert.Equal(0, await world.App.ScalarAsync<int>("SELECT COUNT(*) FROM consents WHERE household_id = @h AND withdrawn_on IS NOT NULL", new { h = world.HouseholdId }));
        Assert.Equal(0, await world.App.ScalarAsync<int>("SELECT COUNT(*) FROM plan_goal_notes"));
        // The refused attempts on the household's own staff endpoints are in its log, with the resident as the actor.
        Assert.True(await world.App.ScalarAsync<int>(
            "SELECT COUNT(*) FROM access_log WHERE household_id = @h AND actor_member_id = @m AND result = 'denied'",
            new { h = world.HouseholdId, m = world.SandraId }) > 5);
        // And /caseload (the black-box check of issue 11) is refused as a role refusal.
        await resident.GetAsync("/api/v1/caseload").ExpectAsync(HttpStatusCode.Forbidden);
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task AResidentsSession_ReachesOnlyThePortal_StaffPagesAre404_AndSigningOutEndsItOnTheServer(string provider)
    {
        var world = await ResidentWorld.CreateAsync(await apps.ResetAsync(provider));
        using var browser = new CookieBrowser(world.App);
        var token = await browser.FormTokenAsync("/mijn/aanmelden");
        using (var signIn = await browser.SendAsync(HttpMethod.Post, "/mijn/aanmelden?handler=Demo", new FormUrlEncodedContent(
                   new Dictionary<string, string> { ["memberId"] = world.SandraId.ToString(), ["__RequestVerificationToken"] = token })))
        {
            Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
            Assert.Equal("/mijn", signIn.Headers.Location?.OriginalString);
        }
        Assert.Equal(1, await world.App.ScalarAsync<int>("SELECT COUNT(*) FROM resident_sessions WHERE member_id = @m AND ended_at IS NULL", new { m = world.SandraId }));
        // The cookie holds a session id, never the BSN (it is not even given at the demo sign-in; at DigiD it is dropped).
        Assert.DoesNotContain(world.SandraBsn, string.Join(";", browser.SetCookies), StringComparison.Ordinal);

        using (var portal = await browser.GetAsync("/mijn"))
        {
            var html = await portal.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.OK, portal.StatusCode);
            Assert.Contains("coach.anna", html, StringComparison.Ordinal);
            Assert.Contains("De vaste lasten worden op tijd betaald.", html, StringComparison.Ordinal);
        }
        foreach (var staffPage in new[] { "/verzoeken", $"/huishoudens/{world.HouseholdId}", $"/huishoudens/{world.HouseholdId}/stem",
                     $"/huishoudens/{world.OtherHouseholdId}", "/team/triage", "/beheer/gebruikers", "/geen-toegang" })
        {
            using var response = await browser.GetAsync(staffPage);
            Assert.True(response.StatusCode == HttpStatusCode.NotFound, $"{staffPage}: {(int)response.StatusCode}");
            // The Dutch "not found" page, not an empty answer.
            Assert.Contains("<main", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
        using (var jobs = await browser.GetAsync("/hangfire"))
        {
            Assert.True(jobs.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden or HttpStatusCode.NotFound, $"/hangfire: {(int)jobs.StatusCode}");
        }
        using (var home = await browser.GetAsync("/"))
        {
            Assert.Equal(HttpStatusCode.Redirect, home.StatusCode);
            Assert.Equal("/mijn", home.Headers.Location?.OriginalString);
        }
        // The staff API with the resident's cookie: refused like the token.
        using (var api = await browser.GetAsync($"/api/v1/households/{world.HouseholdId}"))
        {
            Assert.Equal(HttpStatusCode.Forbidden, api.StatusCode);
        }
        using (var mine = await browser.GetAsync("/api/v1/me/household"))
        {
            Assert.Equal(HttpStatusCode.OK, mine.StatusCode);
        }

        var copy = browser.CopyTo(world.App.ServerAddress);
        var signOutToken = await browser.FormTokenAsync("/mijn");
        using (var signOut = await browser.SendAsync(HttpMethod.Post, "/mijn/afmelden", new FormUrlEncodedContent(
                   new Dictionary<string, string> { ["__RequestVerificationToken"] = signOutToken })))
        {
            Assert.Equal(HttpStatusCode.Redirect, signOut.StatusCode);
        }
        Assert.Equal(1, await world.App.ScalarAsync<int>(
            "SELECT COUNT(*) FROM resident_sessions WHERE member_id = @m AND ended_reason = 'signed-out'", new { m = world.SandraId }));
        // A copy of the old cookie no longer counts: the portal sends it to sign in, the API says 401.
        using (var replay = await copy.GetAsync("/mijn"))
        {
            Assert.Equal(HttpStatusCode.Redirect, replay.StatusCode);
            Assert.StartsWith("/mijn/aanmelden", replay.Headers.Location?.OriginalString, StringComparison.Ordinal);
        }
        using var replayApi = await copy.GetAsync("/api/v1/me/household");
        Assert.Equal(HttpStatusCode.Unauthorized, replayApi.StatusCode);
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task AStaffSession_DoesNotOpenThePortal_AndTheDemoPickerListsOnlyResidents(string provider)
    {
        var world = await ResidentWorld.CreateAsync(await apps.ResetAsync(provider));
        using var coach = new CookieBrowser(world.App);
        await coach.SignInAsync(world.Scenario.Coach);
        using (var portal = await coach.GetAsync("/mijn"))
        {
            Assert.Equal(HttpStatusCode.NotFound, portal.StatusCode);
        }
        using var anonymous = new CookieBrowser(world.App);
        using var picker = await anonymous.GetAsync("/mijn/aanmelden");
        var html = await picker.Content.ReadAsStringAsync();
        // Sandra, Piet and Lotte (16 today) and the other households' heads; not Tim (13) nor Joris (16 tomorrow).
        Assert.Contains(">Sandra Bosma<", html, StringComparison.Ordinal);
        Assert.Contains(">Lotte Bosma<", html, StringComparison.Ordinal);
        Assert.DoesNotContain(">Tim Bosma<", html, StringComparison.Ordinal);
        Assert.DoesNotContain(">Joris Bosma<", html, StringComparison.Ordinal);
        // A member who is not a resident cannot be picked by posting their id.
        var token = await anonymous.FormTokenAsync("/mijn/aanmelden");
        var timId = await world.App.ScalarAsync<string>("SELECT CAST(id AS TEXT) FROM household_members WHERE given_name = 'Tim'");
        using var refused = await anonymous.SendAsync(HttpMethod.Post, "/mijn/aanmelden?handler=Demo", new FormUrlEncodedContent(
            new Dictionary<string, string> { ["memberId"] = timId, ["__RequestVerificationToken"] = token }));
        Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
        Assert.Contains("Kies een van de bewoners", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await world.App.ScalarAsync<int>("SELECT COUNT(*) FROM resident_sessions"));
    }

    private static string Fill(string path, Dictionary<string, string> ids) =>
        Placeholder().Replace(path, m =>
        {
            var name = m.Groups["name"].Value;
            if (name == "id")
            {
                var before = path[..m.Index].TrimEnd('/');
                var segment = before[(before.LastIndexOf('/') + 1)..];
                return ids.TryGetValue(segment, out var byCollection) ? byCollection : Guid.NewGuid().ToString();
            }
            return ids.TryGetValue(name, out var value) ? value : Guid.NewGuid().ToString();
        });

    private static async Task<(HttpStatusCode Status, string Body, string? ContentType)> SendAsync(HttpClient client, string method, string url, bool takesBody)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method.ToUpperInvariant()), url);
        if (takesBody) request.Content = new StringContent("{}", Encoding.UTF8, method == "patch" ? "application/merge-patch+json" : "application/json");
        using var response = await client.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response.Content.Headers.ContentType?.MediaType);
    }

    private static string Truncate(string text) => text.Length > 200 ? text[..200] + "…" : text;

    [GeneratedRegex(@"{(?<name>[^}:]+)[^}]*}")]
    private static partial Regex Placeholder();
}
