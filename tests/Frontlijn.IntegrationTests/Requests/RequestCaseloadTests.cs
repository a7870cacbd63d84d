using System.Net;
using Frontlijn.IntegrationTests.Infrastructure;
using static Frontlijn.IntegrationTests.Infrastructure.Builders;

namespace Frontlijn.IntegrationTests.Requests;

[Collection(IntegrationGroup.Name)]
public sealed class RequestCaseloadTests(ProviderApps apps)
{
    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Caseload_ShowsOpenRequests_AndTheNextDueDateOfTheRunningOnes(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var w = await RequestWorld.CreateAsync(app);
        var quiet = (await w.Coach.RegisterHouseholdAsync(w.S.NeighbourhoodId, houseNumber: 99)).Id();
        var normal = await w.SendAsync("normal");
        var urgent = await w.SendAsync("urgent");
        var suspended = (await w.SendAsync("urgent")).Id();
        await w.ValidChangeAsync(suspended, "suspended", 1);
        var answered = (await w.SendAsync("urgent")).Id();
        await w.ValidChangeAsync(answered, "acknowledged", 1);
        await w.ValidChangeAsync(answered, "answered", 2);

        var caseload = await w.Coach.GetAsync("/api/v1/caseload?sort=nextDue").ExpectAsync(HttpStatusCode.OK);
        var items = caseload["items"]!.AsArray();
        Assert.Equal([w.HouseholdId, quiet], items.Select(i => i!.Id("householdId")));
        Assert.Equal(3, items[0]!["openRequests"]!.GetValue<int>());
        Assert.Equal(urgent["dueAt"]!.GetValue<string>(), items[0]!["nextDueAt"]!.GetValue<string>());
        Assert.NotEqual(normal["dueAt"]!.GetValue<string>(), items[0]!["nextDueAt"]!.GetValue<string>());
        Assert.Equal(0, items[1]!["openRequests"]!.GetValue<int>());
        Assert.Null(items[1]!["nextDueAt"]);
    }
}
