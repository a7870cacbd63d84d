using System.Net;
using Frontlijn.IntegrationTests.Infrastructure;

namespace Frontlijn.IntegrationTests.Admin;

[Collection(IntegrationGroup.Name)]
public sealed class AdminApiTests(ProviderApps apps)
{
    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Admin_CreatesTheOrganisationStructure_AndEveryoneCanReadIt(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var s = await Scenario.CreateAsync(app);

        var coach = app.ClientFor(s.Coach);
        var teams = await coach.GetAsync("/api/v1/teams").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(2, teams["total"]!.GetValue<int>());
        var team = await coach.GetAsync($"/api/v1/teams/{s.TeamId}").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("Frontlijnteam Oost", team["name"]!.GetValue<string>());
        Assert.Equal(s.NeighbourhoodId.ToString(), team["neighbourhoodIds"]![0]!.GetValue<string>());

        var neighbourhood = await coach.GetAsync($"/api/v1/neighbourhoods/{s.NeighbourhoodId}").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(["8924", "8925"], neighbourhood["postalCodes"]!.AsArray().Select(p => p!.GetValue<string>()));

        var organisations = await app.ClientFor(s.BackOffice).GetAsync("/api/v1/organisations").ExpectAsync(HttpStatusCode.OK);
        var first = organisations["items"]![0]!;
        Assert.Equal("Schuldhulp Leeuwarden", first["name"]!.GetValue<string>());
        Assert.Equal(5, first["services"]![0]!["responseDays"]!.GetValue<int>());

        var users = await app.ClientFor("admin").GetAsync($"/api/v1/users?role=coach&teamId={s.TeamId}").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(["coach.anna", "coach.bram"], users["items"]!.AsArray().Select(u => u!["username"]!.GetValue<string>()));
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Organisation_WebhookSecret_IsWriteOnly_AndServiceDefaultsApply(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var admin = app.ClientFor("admin");
        var secret = "whsec_" + Convert.ToBase64String(new byte[32]);
        var created = await admin.PostJson("/api/v1/organisations", new
        {
            name = "GGZ Friesland", kind = "ggz", webhookUrl = "https://ggz.example.nl/hooks/frontlijn", webhookSecret = secret,
            services = new[] { new { code = "ggz-consult", name = "Consultatie" } },
        }).ExpectAsync(HttpStatusCode.Created);
        var read = await admin.GetAsync($"/api/v1/organisations/{created.Id()}").ExpectAsync(HttpStatusCode.OK);

        Assert.DoesNotContain(secret, read.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain(secret, created.ToJsonString(), StringComparison.Ordinal);
        Assert.True(read["hasWebhookSecret"]!.GetValue<bool>());
        Assert.Equal(5, read["services"]![0]!["responseDays"]!.GetValue<int>());
        Assert.Equal(1, read["services"]![0]!["urgentResponseDays"]!.GetValue<int>());
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task EveryEndpoint_RequiresAuthentication(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var anonymous = app.ClientFor(null);
        foreach (var path in new[] { "/api/v1/neighbourhoods", "/api/v1/teams", "/api/v1/organisations", "/api/v1/users" })
        {
            await anonymous.GetAsync(path).ExpectAsync(HttpStatusCode.Unauthorized);
            await anonymous.PostJson(path, new { }).ExpectAsync(HttpStatusCode.Unauthorized);
        }
        // A well-signed token for someone who is not a Frontlijn user gets nothing either.
        await app.ClientFor("stranger").GetAsync("/api/v1/teams").ExpectAsync(HttpStatusCode.Forbidden);
        // A token signed with another key is not accepted.
        var forged = app.ClientFor(null);
        forged.DefaultRequestHeaders.Authorization = new("Bearer",
            "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJhZG1pbiIsImlzcyI6ImZyb250bGlqbi1kZW1vIiwiYXVkIjoiZnJvbnRsaWpuIn0.c2lnbmF0dXJl");
        await forged.GetAsync("/api/v1/users").ExpectAsync(HttpStatusCode.Unauthorized);
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task AdminEndpoints_RefuseOtherRoles_AndWriteNothing(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var s = await Scenario.CreateAsync(app);
        var before = await app.ScalarAsync<int>("SELECT COUNT(*) FROM neighbourhoods");

        foreach (var username in new[] { s.Coach, s.TeamLead, s.BackOffice })
        {
            var client = app.ClientFor(username);
            await client.PostJson("/api/v1/neighbourhoods", new { code = "X1", name = "X", municipality = "X", postalCodes = new[] { "1234" } })
                .ExpectAsync(HttpStatusCode.Forbidden);
            await client.GetAsync("/api/v1/users").ExpectAsync(HttpStatusCode.Forbidden);
            await client.GetAsync($"/api/v1/users/{s.CoachId}").ExpectAsync(HttpStatusCode.Forbidden);
        }
        Assert.Equal(before, await app.ScalarAsync<int>("SELECT COUNT(*) FROM neighbourhoods"));
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task InvalidInput_Is400_ListingEveryField_AndChangesNothing(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var admin = app.ClientFor("admin");

        var problem = await admin.PostJson("/api/v1/organisations", new
        {
            name = "", kind = "Not A Code", webhookUrl = "ftp://x", services = new[] { new { code = "", name = "", responseDays = 0 } },
        }).ExpectAsync(HttpStatusCode.BadRequest);
        var errors = problem["errors"]!.AsObject().Select(e => e.Key).ToHashSet();
        Assert.Superset(new HashSet<string> { "name", "kind", "webhookUrl", "webhookSecret", "services[0].code", "services[0].name", "services[0].responseDays" }, errors);

        var user = await admin.PostJson("/api/v1/users", new { username = "Coach X", displayName = "", role = "coach" })
            .ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Superset(new HashSet<string> { "username", "displayName", "teamId" }, user["errors"]!.AsObject().Select(e => e.Key).ToHashSet());

        await admin.PostJson("/api/v1/users", new { username = "coach.x", displayName = "X", role = "coach", teamId = Guid.NewGuid() })
            .ExpectAsync(HttpStatusCode.BadRequest);
        await admin.PostJson("/api/v1/teams", new { name = "T", neighbourhoodIds = new[] { Guid.NewGuid() } })
            .ExpectAsync(HttpStatusCode.BadRequest);
        await admin.PostRaw("/api/v1/teams", "{\"name\": 12, \"neighbourhoodIds\": \"nope\"}").ExpectAsync(HttpStatusCode.BadRequest);
        await admin.PostRaw("/api/v1/teams", "{\"name\":").ExpectAsync(HttpStatusCode.BadRequest);
        await admin.GetAsync("/api/v1/teams?pageSize=1000").ExpectAsync(HttpStatusCode.BadRequest);
        await admin.GetAsync("/api/v1/users?role=superuser").ExpectAsync(HttpStatusCode.BadRequest);

        Assert.Equal(0, await app.ScalarAsync<int>("SELECT COUNT(*) FROM organisations"));
        Assert.Equal(0, await app.ScalarAsync<int>("SELECT COUNT(*) FROM teams"));
        Assert.Equal(1, await app.ScalarAsync<int>("SELECT COUNT(*) FROM users"));
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task UnknownIds_Are404_AndDuplicates409(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var s = await Scenario.CreateAsync(app);
        var admin = app.ClientFor("admin");
        foreach (var path in new[] { "neighbourhoods", "teams", "organisations", "users" })
        {
            await admin.GetAsync($"/api/v1/{path}/{Guid.NewGuid()}").ExpectAsync(HttpStatusCode.NotFound);
        }
        await admin.GetAsync("/api/v1/no-such-thing").ExpectAsync(HttpStatusCode.NotFound);
        await admin.DeleteAsync("/api/v1/teams").ExpectAsync(HttpStatusCode.MethodNotAllowed);

        await admin.PostJson("/api/v1/teams", new { name = "Frontlijnteam Oost", neighbourhoodIds = new[] { s.NeighbourhoodId } })
            .ExpectAsync(HttpStatusCode.Conflict);
        await admin.PostJson("/api/v1/users", new { username = s.Coach, displayName = "Dubbel", role = "coach", teamId = s.TeamId })
            .ExpectAsync(HttpStatusCode.Conflict);
        Assert.Equal(2, await app.ScalarAsync<int>("SELECT COUNT(*) FROM teams"));
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Lists_ArePaged(string provider)
    {
        var app = await apps.ResetAsync(provider);
        await Scenario.CreateAsync(app);
        var admin = app.ClientFor("admin");
        var page1 = await admin.GetAsync("/api/v1/users?page=1&pageSize=3").ExpectAsync(HttpStatusCode.OK);
        var page3 = await admin.GetAsync("/api/v1/users?page=3&pageSize=3").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(8, page1["total"]!.GetValue<int>()); // admin + 7 scenario users
        Assert.Equal(3, page1["items"]!.AsArray().Count);
        Assert.Equal(2, page3["items"]!.AsArray().Count);
        Assert.Equal("admin", page1["items"]![0]!["username"]!.GetValue<string>());
    }
}
