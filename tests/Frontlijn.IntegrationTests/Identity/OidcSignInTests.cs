using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using Frontlijn.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace Frontlijn.IntegrationTests.Identity;

/// <summary>
/// The service in oidc mode against a real OpenID provider process on loopback (tests/oidc-provider), with tokens
/// from the real authorization-code + PKCE flow. Who someone is comes from the token's issuer and subject; what they
/// may comes from the users table only.
/// </summary>
[Collection(OidcGroup.Name)]
public sealed class OidcSignInTests(OidcApps apps)
{
    private static async Task ExpectUnauthorizedAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"expected 401, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Http.AssertProblem(response, body, 401);
    }

    private static async Task<HttpStatusCode> StatusAsync(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        return response.StatusCode;
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task ProviderToken_ForABoundUser_WorksOnTheApi_WithTheirRoleOnly(string provider)
    {
        var world = await OidcWorld.CreateAsync(apps, provider);
        var (coachId, coachSubject) = await world.BoundUserAsync("coach.anna", "coach");
        var coach = await world.SignedInAsync(coachSubject);

        // Coach: may register a household in their team's neighbourhood; may not administer users.
        await coach.RegisterHouseholdAsync(world.NeighbourhoodId);
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(coach, "/api/v1/users"));
        // The admin (bootstrap, bound at their first sign-in) sees the binding: the subject and the provider's issuer.
        var user = await world.Admin.GetJsonAsync($"/api/v1/users/{coachId}");
        Assert.Equal(coachSubject, user["externalSubject"]!.GetValue<string>());
        Assert.Equal(world.Idp.Issuer.ToString().TrimEnd('/'), user["externalIssuer"]!.GetValue<string>());
        var list = await world.Admin.GetJsonAsync("/api/v1/users?role=coach");
        Assert.Equal(coachSubject, list["items"]!.AsArray().Single()!["externalSubject"]!.GetValue<string>());
        Assert.Equal(world.AdminSubject,
            await world.App.ScalarAsync<string>("SELECT external_subject FROM users WHERE username = 'admin'"));

        // Someone the provider knows but Frontlijn does not: authenticated, yet nothing is theirs.
        var strangerSubject = OidcWorld.NewSubject("stranger");
        await world.Idp.PutAccountAsync(strangerSubject, "vreemde");
        var stranger = await world.SignedInAsync(strangerSubject);
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(stranger, "/api/v1/households"));
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task ChangedPreferredUsername_StaysTheSameUser_AndTheOldNameGrantsNothing(string provider)
    {
        // BindByUsername on, to show that even then a bound user is matched by subject only.
        var world = await OidcWorld.CreateAsync(apps, provider, bindByUsername: true);
        var (leadId, leadSubject) = await world.BoundUserAsync("lead.sanne", "team-lead");
        var before = await world.SignedInAsync(leadSubject);
        var household = (await before.RegisterHouseholdAsync(world.NeighbourhoodId)).Id();

        // Renamed at the provider between two sign-ins; the new token carries the new preferred_username. (Signed in
        // by subject: the provider is shared by the whole collection, so names repeat across tests.)
        await world.Idp.PutAccountAsync(leadSubject, "s.devries");
        var tokens = await world.Idp.SignInAsync(leadSubject);
        Assert.Equal(leadSubject, JwtPayload(tokens.AccessToken)["sub"]!.GetValue<string>());
        Assert.Equal("s.devries", JwtPayload(tokens.AccessToken)["preferred_username"]!.GetValue<string>());
        var after = world.WithToken(tokens.AccessToken);
        using (var read = await after.GetAsync($"/api/v1/households/{household}"))
        {
            Assert.True(read.IsSuccessStatusCode, $"{(int)read.StatusCode} {await read.Content.ReadAsStringAsync()}");
        }

        // Both the registration and the read are in the access log under the one user id.
        var actors = await world.App.ScalarAsync<long>(
            "SELECT COUNT(DISTINCT actor_id) FROM access_log WHERE household_id = @household", new { household });
        var asLead = await world.App.ScalarAsync<long>(
            "SELECT COUNT(*) FROM access_log WHERE household_id = @household AND actor_id = @leadId", new { household, leadId });
        Assert.Equal(1, actors);
        Assert.True(asLead >= 2, $"expected the registration and the read by {leadId}, found {asLead} row(s)");
        Assert.Equal(0, await world.App.ScalarAsync<long>("SELECT COUNT(*) FROM users WHERE username = 's.devries'"));

        // Another account that now calls itself lead.sanne does not become her (she is bound).
        var impostorSubject = OidcWorld.NewSubject("impostor");
        await world.Idp.PutAccountAsync(impostorSubject, "lead.sanne");
        var impostor = await world.SignedInAsync(impostorSubject);
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(impostor, $"/api/v1/households/{household}"));
        Assert.Equal(leadSubject,
            await world.App.ScalarAsync<string>("SELECT external_subject FROM users WHERE id = @leadId", new { leadId }));
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task TokenWithoutMultiFactorEvidence_IsRefused401_WhileAConfiguredAcrCounts(string provider)
    {
        var world = await OidcWorld.CreateAsync(apps, provider);
        var (_, subject) = await world.BoundUserAsync("coach.bram", "coach");

        await world.Idp.PutAccountAsync(subject, "coach.bram", amr: ["pwd"]);
        var withoutMfa = await world.Idp.SignInAsync(subject);
        Assert.Equal("pwd", JwtPayload(withoutMfa.AccessToken)["amr"]!.AsArray().Single()!.GetValue<string>());
        await ExpectUnauthorizedAsync(await world.WithToken(withoutMfa.AccessToken).GetAsync("/api/v1/households"));

        // An acr that is not the configured one is no evidence either; the configured one is (Auth:MfaAcr).
        await world.Idp.PutAccountAsync(subject, "coach.bram", amr: ["pwd"], acr: "urn:frontlijn:test:loa:low");
        await ExpectUnauthorizedAsync(await world.WithToken((await world.Idp.SignInAsync(subject)).AccessToken).GetAsync("/api/v1/households"));
        await world.Idp.PutAccountAsync(subject, "coach.bram", amr: ["pwd"], acr: OidcProvider.MfaAcr);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(await world.SignedInAsync(subject), "/api/v1/households"));

        // The same person with a second factor gets in.
        await world.Idp.PutAccountAsync(subject, "coach.bram", amr: ["pwd", "otp"]);
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(await world.SignedInAsync(subject), "/api/v1/households"));
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task TokenForAnotherAudience_IsRefused401(string provider)
    {
        var world = await OidcWorld.CreateAsync(apps, provider);
        var (_, subject) = await world.BoundUserAsync("coach.anna", "coach");

        var elsewhere = await world.Idp.SignInAsync(subject, resource: OidcProvider.OtherAudience);
        var payload = JwtPayload(elsewhere.AccessToken);
        Assert.Equal(OidcProvider.OtherAudience, payload["aud"]!.GetValue<string>());
        Assert.Equal(subject, payload["sub"]!.GetValue<string>());
        await ExpectUnauthorizedAsync(await world.WithToken(elsewhere.AccessToken).GetAsync("/api/v1/households"));
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(await world.SignedInAsync(subject), "/api/v1/households"));
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task IdToken_PresentedAsBearer_IsRefused401_EvenWithTheApiAudience(string provider)
    {
        var world = await OidcWorld.CreateAsync(apps, provider);
        var (_, subject) = await world.BoundUserAsync("coach.anna", "coach");

        // A client whose client_id is the API audience: its ID token has aud = the API, valid signature, same issuer.
        var tokens = await world.Idp.SignInAsync(subject, resource: OidcProvider.ApiAudience,
            clientId: OidcProvider.LookalikeClientId, clientSecret: OidcProvider.LookalikeClientSecret);
        Assert.NotNull(tokens.IdToken);
        Assert.Equal(OidcProvider.ApiAudience, JwtPayload(tokens.IdToken!)["aud"]!.GetValue<string>());
        Assert.NotEqual("at+jwt", JwtHeader(tokens.IdToken!)["typ"]?.GetValue<string>());
        await ExpectUnauthorizedAsync(await world.WithToken(tokens.IdToken!).GetAsync("/api/v1/households"));

        // The access token of the very same sign-in works.
        Assert.Equal("at+jwt", JwtHeader(tokens.AccessToken)["typ"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(world.WithToken(tokens.AccessToken), "/api/v1/households"));
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task FrontlijnAndRoleClaimsInAToken_GrantNothing(string provider)
    {
        var world = await OidcWorld.CreateAsync(apps, provider);
        var adminId = (await world.App.ScalarAsync<Guid>("SELECT id FROM users WHERE username = 'admin'")).ToString();
        var hostile = new Dictionary<string, object>
        {
            ["frontlijn:uid"] = adminId, ["frontlijn:name"] = "Functioneel beheerder", ["frontlijn:team"] = world.TeamId.ToString(),
            ["role"] = "admin", ["roles"] = new[] { "admin", "team-lead" },
            ["http://schemas.microsoft.com/ws/2008/06/identity/claims/role"] = "admin",
        };

        // Unbound: the provider says it is the admin (uid and roles), Frontlijn does not know them.
        var strangerSubject = OidcWorld.NewSubject("stranger");
        await world.Idp.PutAccountAsync(strangerSubject, "vreemde", extraClaims: hostile);
        var strangerToken = (await world.Idp.SignInAsync(strangerSubject)).AccessToken;
        Assert.Equal(adminId, JwtPayload(strangerToken)["frontlijn:uid"]!.GetValue<string>());
        var stranger = world.WithToken(strangerToken);
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(stranger, "/api/v1/users"));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(stranger, "/api/v1/households"));
        using (var refused = await stranger.PostJson("/api/v1/households", Builders.AHousehold(world.NeighbourhoodId)))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }

        // Bound but lower-privileged: a back-office user keeps exactly the back-office role.
        var (backOfficeId, backOfficeSubject) = await world.BoundUserAsync("schuldhulp.pieter", "back-office");
        await world.Idp.PutAccountAsync(backOfficeSubject, "schuldhulp.pieter", extraClaims: hostile);
        var backOffice = await world.SignedInAsync(backOfficeSubject);
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(backOffice, "/api/v1/users"));
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(backOffice, $"/api/v1/users/{backOfficeId}"));
        using (var refused = await backOffice.PostJson("/api/v1/households", Builders.AHousehold(world.NeighbourhoodId)))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
        }
        Assert.Equal(0, await world.App.ScalarAsync<long>("SELECT COUNT(*) FROM households"));
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task BindByUsername_True_BindsAnUnboundUserAtTheFirstSignIn(string provider)
    {
        var world = await OidcWorld.CreateAsync(apps, provider, bindByUsername: true);
        var coachId = await world.CreateUserAsync("coach.anna", "coach", externalSubject: null);
        var subject = OidcWorld.NewSubject("anna");
        await world.Idp.PutAccountAsync(subject, "coach.anna");

        Assert.Equal(HttpStatusCode.OK, await StatusAsync(await world.SignedInAsync(subject), "/api/v1/households"));
        Assert.Equal(subject, await world.App.ScalarAsync<string>("SELECT external_subject FROM users WHERE id = @coachId", new { coachId }));
        Assert.Equal(world.Idp.Issuer.ToString().TrimEnd('/'),
            await world.App.ScalarAsync<string>("SELECT external_issuer FROM users WHERE id = @coachId", new { coachId }));

        // Bound now: a rename keeps her in, a second account with her name stays out.
        await world.Idp.PutAccountAsync(subject, "a.jansen");
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(await world.SignedInAsync(subject), "/api/v1/households"));
        var otherSubject = OidcWorld.NewSubject("other");
        await world.Idp.PutAccountAsync(otherSubject, "coach.anna");
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(await world.SignedInAsync(otherSubject), "/api/v1/households"));
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task BindByUsername_False_DoesNotBind_AndTheBootstrapAdminIsBoundOnlyOnce(string provider)
    {
        var world = await OidcWorld.CreateAsync(apps, provider, bindByUsername: false);
        var coachId = await world.CreateUserAsync("coach.anna", "coach", externalSubject: null);
        var subject = OidcWorld.NewSubject("anna");
        await world.Idp.PutAccountAsync(subject, "coach.anna");

        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(await world.SignedInAsync(subject), "/api/v1/households"));
        Assert.Null(await world.App.ScalarAsync<string?>("SELECT external_subject FROM users WHERE id = @coachId", new { coachId }));

        // The bootstrap admin was bound by name at the first sign-in (OidcWorld); a second account named admin is not.
        var secondAdmin = OidcWorld.NewSubject("admin2");
        await world.Idp.PutAccountAsync(secondAdmin, "admin");
        Assert.Equal(HttpStatusCode.Forbidden, await StatusAsync(await world.SignedInAsync(secondAdmin), "/api/v1/users"));
        Assert.Equal(world.AdminSubject,
            await world.App.ScalarAsync<string>("SELECT external_subject FROM users WHERE username = 'admin'"));
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task DeactivatedUser_StillValidProviderToken_Gets401AtOnce_OnApiAndHub(string provider)
    {
        var world = await OidcWorld.CreateAsync(apps, provider);
        var (coachId, subject) = await world.BoundUserAsync("coach.anna", "coach");
        var token = (await world.Idp.SignInAsync(subject)).AccessToken;
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(world.WithToken(token), "/api/v1/households"));
        await using (var hub = Hub(world.App, token))
        {
            await hub.StartAsync(); // before: the hub takes the token
        }

        await Deactivate(world.Admin, coachId);

        await ExpectUnauthorizedAsync(await world.WithToken(token).GetAsync("/api/v1/households"));
        await using var refusedHub = Hub(world.App, token);
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => refusedHub.StartAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task DeactivatedUser_StillValidDemoToken_Gets401AtOnce_OnApiAndHub(string provider)
    {
        await using var app = await TestApp.StartAsync(provider);
        await app.ResetAsync();
        var admin = app.ClientFor("admin");
        var neighbourhood = await admin.PostJson("/api/v1/neighbourhoods", new
        {
            code = "LW-HS", name = "Heechterp-Schieringen", municipality = "Leeuwarden", postalCodes = new[] { "8925" },
        }).ExpectAsync(HttpStatusCode.Created);
        var team = await admin.PostJson("/api/v1/teams", new { name = "Oost", neighbourhoodIds = new[] { neighbourhood.Id() } })
            .ExpectAsync(HttpStatusCode.Created);
        var coachId = (await admin.PostJson("/api/v1/users", new
        {
            username = "coach.anna", displayName = "Anna", role = "coach", teamId = team.Id(),
        }).ExpectAsync(HttpStatusCode.Created)).Id();
        var token = app.TokenFor("coach.anna");
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(app.ClientFor("coach.anna"), "/api/v1/households"));

        await Deactivate(admin, coachId);

        var coach = app.ClientFor(null);
        coach.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        await ExpectUnauthorizedAsync(await coach.GetAsync("/api/v1/households"));
        await using var hub = Hub(app, token);
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => hub.StartAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
        // Everyone else is unaffected.
        Assert.Equal(HttpStatusCode.OK, await StatusAsync(admin, "/api/v1/users"));
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task CreateUser_ExternalSubject_TakenOrBlank_IsRefused_AndChangesNothing(string provider)
    {
        var world = await OidcWorld.CreateAsync(apps, provider);
        var (_, subject) = await world.BoundUserAsync("coach.anna", "coach");
        var users = await world.App.ScalarAsync<long>("SELECT COUNT(*) FROM users");

        using var taken = await world.Admin.PostJson("/api/v1/users", new
        {
            username = "coach.bram", displayName = "Bram", role = "coach", teamId = world.TeamId, externalSubject = subject,
        });
        Http.AssertProblem(taken, await taken.Content.ReadAsStringAsync(), 409);
        using var blank = await world.Admin.PostJson("/api/v1/users", new
        {
            username = "coach.bram", displayName = "Bram", role = "coach", teamId = world.TeamId, externalSubject = " ",
        });
        var problem = Http.AssertProblem(blank, await blank.Content.ReadAsStringAsync(), 400);
        Assert.Contains("externalSubject", problem.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(users, await world.App.ScalarAsync<long>("SELECT COUNT(*) FROM users"));
    }

    /// <summary>Through the API, as an admin does it: the service's own change, which no node's user cache outlives
    /// (UserCache; a raw UPDATE would count only after Auth:UserCacheSeconds, see docs/SECURITY.md).</summary>
    private static async Task Deactivate(HttpClient admin, Guid userId)
    {
        using var body = new StringContent("{\"active\":false}", System.Text.Encoding.UTF8, "application/merge-patch+json");
        await admin.PatchAsync($"/api/v1/users/{userId}", body).ExpectAsync(HttpStatusCode.OK);
    }

    private static HubConnection Hub(TestApp app, string token) => new HubConnectionBuilder()
        .WithUrl(new Uri(app.ServerAddress, "/hubs/notifications"), o =>
        {
            o.AccessTokenProvider = () => Task.FromResult<string?>(token);
            o.Transports = HttpTransportType.WebSockets | HttpTransportType.LongPolling;
        })
        .Build();

    private static JsonNode JwtPayload(string jwt) => JwtPart(jwt, 1);
    private static JsonNode JwtHeader(string jwt) => JwtPart(jwt, 0);

    private static JsonNode JwtPart(string jwt, int index)
    {
        var part = jwt.Split('.')[index].Replace('-', '+').Replace('_', '/');
        part = part.PadRight(part.Length + ((4 - (part.Length % 4)) % 4), '=');
        return JsonNode.Parse(Convert.FromBase64String(part))!;
    }
}

internal static class JsonClient
{
    public static async Task<JsonNode> GetJsonAsync(this HttpClient client, string path)
    {
        using var response = await client.GetAsync(path);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"GET {path}: {(int)response.StatusCode} {body}");
        return JsonNode.Parse(body)!;
    }
}
