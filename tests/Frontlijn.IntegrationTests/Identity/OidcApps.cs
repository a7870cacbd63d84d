using System.Net;
using System.Net.Http.Headers;
using Frontlijn.IntegrationTests.Infrastructure;

namespace Frontlijn.IntegrationTests.Identity;

/// <summary>
/// One OpenID provider process for the collection, and the service in oidc mode against it: one app per database
/// provider and <c>Auth:BindByUsername</c> value, started on first use and reset per test.
/// </summary>
public sealed class OidcApps : IAsyncLifetime
{
    private readonly Dictionary<(string, bool), Task<TestApp>> _apps = [];
    private readonly Lock _lock = new();

    public OidcProvider Idp { get; private set; } = null!;

    public async Task InitializeAsync() => Idp = await OidcProvider.StartAsync();

    public async Task<TestApp> ResetAsync(string provider, bool bindByUsername = false)
    {
        Task<TestApp> starting;
        lock (_lock)
        {
            if (!_apps.TryGetValue((provider, bindByUsername), out starting!))
            {
                starting = TestApp.StartAsync(provider, Idp.AppSettings(bindByUsername));
                _apps[(provider, bindByUsername)] = starting;
            }
        }
        var app = await starting;
        await app.ResetAsync();
        // The provider signs with the real clock; keep the service's clock near it (it only moves forward).
        if (DateTimeOffset.UtcNow > app.Clock.GetUtcNow()) app.Clock.SetUtcNow(DateTimeOffset.UtcNow);
        return app;
    }

    public async Task DisposeAsync()
    {
        foreach (var app in _apps.Values)
        {
            if (app.IsCompletedSuccessfully) await app.Result.DisposeAsync();
        }
        if (Idp is not null) await Idp.DisposeAsync();
    }
}

[CollectionDefinition(Name)]
public sealed class OidcGroup : ICollectionFixture<OidcApps>
{
    public const string Name = "oidc";
}

/// <summary>
/// A fresh installation in oidc mode: the bootstrap admin signed in through the provider (which binds them, once),
/// a neighbourhood with a team, an organisation, and helpers to add people at the provider and in Frontlijn.
/// </summary>
public sealed class OidcWorld
{
    public required TestApp App { get; init; }
    public required OidcProvider Idp { get; init; }
    public required HttpClient Admin { get; init; }
    public required string AdminSubject { get; init; }
    public required Guid NeighbourhoodId { get; init; }
    public required Guid TeamId { get; init; }
    public required Guid OrganisationId { get; init; }

    public static async Task<OidcWorld> CreateAsync(OidcApps apps, string provider, bool bindByUsername = false) =>
        await CreateAsync(await apps.ResetAsync(provider, bindByUsername), apps.Idp);

    /// <summary>On an app in oidc mode against <paramref name="idp"/> that was just reset.</summary>
    public static async Task<OidcWorld> CreateAsync(TestApp app, OidcProvider idp)
    {
        var adminSubject = NewSubject("admin");
        await idp.PutAccountAsync(adminSubject, "admin", "Functioneel beheerder");
        var admin = Client(app, (await idp.SignInAsync(adminSubject)).AccessToken);
        var neighbourhood = await admin.PostJson("/api/v1/neighbourhoods", new
        {
            code = "LW-HS", name = "Heechterp-Schieringen", municipality = "Leeuwarden", postalCodes = new[] { "8925" },
        }).ExpectAsync(HttpStatusCode.Created);
        var team = await admin.PostJson("/api/v1/teams", new { name = "Frontlijnteam Oost", neighbourhoodIds = new[] { neighbourhood.Id() } })
            .ExpectAsync(HttpStatusCode.Created);
        var organisation = await admin.PostJson("/api/v1/organisations", new
        {
            name = "Schuldhulp Leeuwarden", kind = "schuldhulp",
            services = new[] { new { code = "schuldhulp-intake", name = "Intake", responseDays = 5, urgentResponseDays = 1 } },
        }).ExpectAsync(HttpStatusCode.Created);
        return new OidcWorld
        {
            App = app, Idp = idp, Admin = admin, AdminSubject = adminSubject,
            NeighbourhoodId = neighbourhood.Id(), TeamId = team.Id(), OrganisationId = organisation.Id(),
        };
    }

    /// <summary>A subject no other test uses (the provider is shared by the whole collection).</summary>
    public static string NewSubject(string hint) => $"{hint}-{Guid.NewGuid():N}";

    /// <summary>Creates a Frontlijn user as the admin; bound to <paramref name="externalSubject"/> when given.</summary>
    public async Task<Guid> CreateUserAsync(string username, string role, string? externalSubject)
    {
        var created = await Admin.PostJson("/api/v1/users", new
        {
            username, displayName = $"Naam van {username}", role,
            teamId = role is "coach" or "team-lead" ? TeamId : (Guid?)null,
            organisationId = role == "back-office" ? OrganisationId : (Guid?)null,
            externalSubject,
        }).ExpectAsync(HttpStatusCode.Created);
        return created.Id();
    }

    /// <summary>A person at the provider (with MFA unless told otherwise) who is a bound Frontlijn user.</summary>
    public async Task<(Guid Id, string Subject)> BoundUserAsync(string username, string role)
    {
        var subject = NewSubject(username);
        await Idp.PutAccountAsync(subject, username);
        return (await CreateUserAsync(username, role, subject), subject);
    }

    public async Task<HttpClient> SignedInAsync(string login) => Client(App, (await Idp.SignInAsync(login)).AccessToken);

    public HttpClient WithToken(string token) => Client(App, token);

    private static HttpClient Client(TestApp app, string token)
    {
        var client = app.ClientFor(null);
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }
}
