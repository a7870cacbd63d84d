using System.Net;
using Frontlijn.IntegrationTests.Infrastructure;
using Frontlijn.Web.Features.Demo;
using Microsoft.Extensions.DependencyInjection;

namespace Frontlijn.IntegrationTests.Outside;

/// <summary>
/// The demo data of issue 13: someone opening the coordination report sees the difference at once, and a request of
/// an outside organisation was answered through its link.
/// </summary>
[Collection(IntegrationGroup.Name)]
public sealed class DemoOutsideTests(ProviderApps apps)
{
    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task TheDemo_ShowsManyMeetingsWithLittleProgress_NextToFewMeetingsWithProgress_AndAReplyByLink(string provider)
    {
        var app = await apps.ResetAsync(provider);
        await app.Services.GetRequiredService<DemoSeeder>().SeedDemoDataAsync(CancellationToken.None);

        var lead = app.ClientFor("teamlead.sanne");
        var report = await lead.GetAsync("/api/v1/reports/coordination").ExpectAsync(HttpStatusCode.OK);
        var withMeetings = report["households"]!.AsArray().Where(h => h!["meetings"]!.GetValue<int>() > 0).ToList();
        Assert.Equal(2, withMeetings.Count);
        var many = withMeetings.MaxBy(h => h!["professionalHours"]!.GetValue<double>())!;
        var few = withMeetings.MinBy(h => h!["professionalHours"]!.GetValue<double>())!;
        Assert.True(many["meetings"]!.GetValue<int>() >= 5 * few["meetings"]!.GetValue<int>());
        Assert.True(many["professionalHours"]!.GetValue<double>() >= 20 * few["professionalHours"]!.GetValue<double>());
        Assert.True(few["zrmChange"]!.GetValue<double>() >= 1.5);
        Assert.True(many["zrmChange"]!.GetValue<double>() <= 0.5);

        // The foundation's answer came in through its link: the request is answered and its link spent.
        var requests = await app.ClientFor("coach.anna").GetAsync($"/api/v1/requests?householdId={few["householdId"]!.GetValue<string>()}")
            .ExpectAsync(HttpStatusCode.OK);
        var answered = requests["items"]!.AsArray().Single()!;
        Assert.Equal("answered", answered["status"]!.GetValue<string>());
        var link = await app.ClientFor("coach.anna").GetAsync($"/api/v1/requests/{answered.Id()}/reply-link").ExpectAsync(HttpStatusCode.OK);
        Assert.Equal("spent", link["state"]!.GetValue<string>());
        Assert.Equal(1, await app.ScalarAsync<int>(
            "SELECT COUNT(*) FROM request_status_changes WHERE request_id = @id AND to_status = 'answered' AND changed_by IS NULL",
            new { id = answered.Id() }));
    }
}
