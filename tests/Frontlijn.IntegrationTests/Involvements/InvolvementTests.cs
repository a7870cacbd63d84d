using System.Net;
using Frontlijn.IntegrationTests.Infrastructure;
using Frontlijn.Web.Features.Involvements;
using Microsoft.Extensions.DependencyInjection;
using static Frontlijn.IntegrationTests.Infrastructure.Builders;

namespace Frontlijn.IntegrationTests.Involvements;

[Collection(IntegrationGroup.Name)]
public sealed class InvolvementTests(ProviderApps apps)
{
    private const string Threshold = InvolvementThreshold.NotificationType;

    private async Task<(TestApp App, Scenario S, Guid HouseholdId, string Path)> HouseholdAsync(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var s = await Scenario.CreateAsync(app);
        var household = await app.ClientFor(s.Coach).RegisterHouseholdAsync(s.NeighbourhoodId);
        return (app, s, household.Id(), $"/api/v1/households/{household.Id()}/involvements");
    }

    private static string Today(TestApp app) => app.Clock.GetUtcNow().ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Register_CountsOrganisationsAndOutsideProvidersOnce_AndRefusesAnOpenDuplicate(string provider)
    {
        var (app, s, _, path) = await HouseholdAsync(provider);
        var coach = app.ClientFor(s.Coach);

        var org = await coach.PostJson(path, new { organisationId = s.OrganisationId, since = "2025-01-15" }).ExpectAsync(HttpStatusCode.Created);
        Assert.Equal("Schuldhulp Leeuwarden", org["providerName"]!.GetValue<string>());
        Assert.Equal("manual", org["source"]!.GetValue<string>());
        await coach.PostJson(path, new { providerName = "Buurtteam De Wissel", professionalName = "Joke", since = "2025-03-01" })
            .ExpectAsync(HttpStatusCode.Created);
        // The same outside provider spelled differently, with another professional: one provider, two professionals.
        await coach.PostJson(path, new { providerName = "  buurtteam  de wissel ", professionalName = "Henk", since = "2025-04-01" })
            .ExpectAsync(HttpStatusCode.Created);
        await coach.PostJson(path, new { providerName = "Buurtteam De Wissel", professionalName = "Joke", since = "2025-05-01" })
            .ExpectAsync(HttpStatusCode.Conflict);

        var register = await coach.GetAsync(path).ExpectAsync(HttpStatusCode.OK);
        Assert.Equal(2, register["organisationsNow"]!.GetValue<int>());
        Assert.Equal(2, register["professionalsNow"]!.GetValue<int>());
        Assert.Equal(3, register["items"]!.AsArray().Count);
        Assert.Equal("2025-01-15", register["items"]![0]!["since"]!.GetValue<string>());
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task InvalidInput_Is400_AndOthersGet404_AndNothingIsWritten(string provider)
    {
        var (app, s, _, path) = await HouseholdAsync(provider);
        var coach = app.ClientFor(s.Coach);
        var tomorrow = app.Clock.GetUtcNow().AddDays(2).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        var none = await coach.PostJson(path, new { since = "2025-01-01" }).ExpectAsync(HttpStatusCode.BadRequest);
        Assert.Contains("organisationId", none["errors"]!.AsObject().Select(e => e.Key));
        await coach.PostJson(path, new { organisationId = s.OrganisationId, providerName = "X", since = "2025-01-01" })
            .ExpectAsync(HttpStatusCode.BadRequest);
        await coach.PostJson(path, new { providerName = "X", since = tomorrow }).ExpectAsync(HttpStatusCode.BadRequest);
        await coach.PostJson(path, new { organisationId = Guid.NewGuid(), since = "2025-01-01" }).ExpectAsync(HttpStatusCode.BadRequest);

        await app.ClientFor(s.OtherCoach).PostJson(path, new { providerName = "X", since = "2025-01-01" }).ExpectAsync(HttpStatusCode.NotFound);
        await app.ClientFor(s.OtherCoach).GetAsync(path).ExpectAsync(HttpStatusCode.NotFound);
        // A back office never reads or records involvements by hand: its role is refused (403).
        await app.ClientFor(s.BackOffice).GetAsync(path).ExpectAsync(HttpStatusCode.Forbidden);
        await app.ClientFor(s.BackOffice).PostJson(path, new { providerName = "X", since = "2025-01-01" }).ExpectAsync(HttpStatusCode.Forbidden);
        Assert.Equal(0, await app.ScalarAsync<int>("SELECT COUNT(*) FROM involvements"));
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Threshold_NotifiesCoachAndTeamLeadOnce_AndAgainAfterDroppingBelow(string provider)
    {
        var (app, s, householdId, path) = await HouseholdAsync(provider);
        var coach = app.ClientFor(s.Coach);
        await using var coachHub = await NotificationListener.ConnectAsync(app, s.Coach);
        await using var leadHub = await NotificationListener.ConnectAsync(app, s.TeamLead);

        var ids = new List<Guid>();
        foreach (var name in new[] { "Buurtteam", "GGD", "Thuiszorg Noord", "Stichting Jeugdwerk" })
        {
            ids.Add((await coach.PostJson(path, new { providerName = name, since = "2025-01-01" }).ExpectAsync(HttpStatusCode.Created)).Id());
        }
        Assert.Equal(0, await InboxCount(app, s.Coach));
        // The fifth organisation reaches the default threshold of 5.
        await coach.PostJson(path, new { organisationId = s.OrganisationId, since = "2025-02-01" }).ExpectAsync(HttpStatusCode.Created);
        var pushed = await coachHub.NextAsync(Threshold);
        Assert.Equal(householdId.ToString(), pushed.GetProperty("householdId").GetString());
        await leadHub.NextAsync(Threshold);
        // A sixth adds nothing: the alert is still open.
        await coach.PostJson(path, new { organisationId = s.OtherOrganisationId, since = "2025-02-01" }).ExpectAsync(HttpStatusCode.Created);
        Assert.Equal(1, await InboxCount(app, s.Coach));
        Assert.Equal(1, await InboxCount(app, s.TeamLead));

        // Down to four, then up to five again: told again.
        await coach.PostJson($"{path}/{ids[0]}/end", new { }).ExpectAsync(HttpStatusCode.OK);
        await coach.PostJson($"{path}/{ids[1]}/end", new { }).ExpectAsync(HttpStatusCode.OK);
        await coach.PostJson($"{path}/{ids[1]}/end", new { }).ExpectAsync(HttpStatusCode.Conflict);
        Assert.Equal(1, await InboxCount(app, s.Coach));
        await coach.PostJson(path, new { providerName = "Humanitas", since = "2025-03-01" }).ExpectAsync(HttpStatusCode.Created);
        await coachHub.NextAsync(Threshold);
        Assert.Equal(2, await InboxCount(app, s.Coach));
        Assert.Equal(1, await app.ScalarAsync<int>("SELECT COUNT(*) FROM involvement_alerts WHERE cleared_at IS NULL"));
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task InactivitySweep_EndsInvolvementsWithoutActivityForSixMonths_Once(string provider)
    {
        var (app, s, _, path) = await HouseholdAsync(provider);
        var coach = app.ClientFor(s.Coach);
        var stale = (await coach.PostJson(path, new { providerName = "Buurtteam", since = "2025-01-01" }).ExpectAsync(HttpStatusCode.Created)).Id();
        app.Clock.Advance(TimeSpan.FromDays(120));
        var fresh = (await coach.PostJson(path, new { providerName = "GGD", since = Today(app) }).ExpectAsync(HttpStatusCode.Created)).Id();

        app.Clock.Advance(TimeSpan.FromDays(70)); // 190 days after the first registration, 70 after the second
        var first = await RunDecayAsync(app);
        var second = await RunDecayAsync(app);

        Assert.Equal(new InvolvementDecay.RunResult(1, 1), first);
        Assert.Equal(new InvolvementDecay.RunResult(0, 0), second);
        var register = await coach.GetAsync(path).ExpectAsync(HttpStatusCode.OK);
        var items = register["items"]!.AsArray();
        Assert.Equal("inactivity", items.Single(i => i!.Id() == stale)!["endReason"]!.GetValue<string>());
        Assert.Null(items.Single(i => i!.Id() == fresh)!["endedOn"]);
        Assert.Equal(1, register["organisationsNow"]!.GetValue<int>());
    }

    private static async Task<InvolvementDecay.RunResult> RunDecayAsync(TestApp app)
    {
        await using var scope = app.Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<InvolvementDecay>().RunAsync(CancellationToken.None);
    }

    private static async Task<int> InboxCount(TestApp app, string username)
    {
        var inbox = await app.ClientFor(username).GetAsync("/api/v1/notifications").ExpectAsync(HttpStatusCode.OK);
        return inbox["items"]!.AsArray().Count(n => n!["type"]!.GetValue<string>() == Threshold);
    }
}
