using System.Net;
using Frontlijn.IntegrationTests.Infrastructure;
using Frontlijn.Web.Features.Signals;
using static Frontlijn.IntegrationTests.Infrastructure.Builders;

namespace Frontlijn.IntegrationTests.Signals;

/// <summary>
/// Signals:PerUserPerHour (default 30): the 31st signal within an hour is 429 with Retry-After; the team lead hears
/// of the burst once. The window runs on the app's clock (a FakeTimeProvider that does not move by itself), so the
/// test is deterministic: every signal below is sent at the same instant.
/// </summary>
[Collection(IntegrationGroup.Name)]
public sealed class SignalRateLimitTests(ProviderApps apps)
{
    private const int Limit = 30;

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task The31stSignalInAnHour_Is429WithRetryAfter_AndTheTeamLeadGetsOneBurstNotification(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var s = await Scenario.CreateAsync(app);
        var coach = app.ClientFor(s.Coach);
        for (var i = 1; i <= Limit; i++)
        {
            await coach.PostJson("/api/v1/signals", ASignal(Address(houseNumber: 100 + i))).ExpectAsync(HttpStatusCode.Created);
        }
        // Another user is not affected by Anna's count.
        await app.ClientFor(s.SecondCoach).PostJson("/api/v1/signals", ASignal(Address(houseNumber: 99))).ExpectAsync(HttpStatusCode.Created);

        using (var refused = await coach.PostJson("/api/v1/signals", ASignal(Address(houseNumber: 200))))
        {
            var body = await refused.Content.ReadAsStringAsync();
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            var problem = Http.AssertProblem(refused, body, 429);
            Assert.Contains("signalen per uur", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
            // All 30 were sent at this very instant: the first frees up exactly one hour from now.
            Assert.Equal("3600", refused.Headers.GetValues("Retry-After").Single());
        }
        app.Clock.Advance(TimeSpan.FromMinutes(30));
        using (var again = await coach.PostJson("/api/v1/signals", ASignal(Address(houseNumber: 201))))
        {
            Assert.Equal(HttpStatusCode.TooManyRequests, again.StatusCode);
            Assert.Equal("1800", again.Headers.GetValues("Retry-After").Single());
        }
        Assert.Equal(Limit + 1, await app.ScalarAsync<int>("SELECT COUNT(*) FROM signals"));

        // One notice for the burst (two refusals), to the sender's team lead only.
        Assert.Equal(1, await CountAsync(app, s.TeamLeadId));
        Assert.Equal(0, await CountAsync(app, s.OtherTeamLeadId));

        // An hour after the 30 the window has room again; the burst is over.
        app.Clock.Advance(TimeSpan.FromMinutes(30));
        await coach.PostJson("/api/v1/signals", ASignal(Address(houseNumber: 202))).ExpectAsync(HttpStatusCode.Created);
        Assert.Equal(1, await CountAsync(app, s.TeamLeadId));
    }

    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task ABackOfficeBurst_NotifiesTheTeamLeadsOfTheTeamsItsSignalsWentTo(string provider)
    {
        var app = await apps.ResetAsync(provider);
        var s = await Scenario.CreateAsync(app);
        var backOffice = app.ClientFor(s.BackOffice);
        // Every signal of this back office is about an address of Sanne's team (PC4 8925).
        for (var i = 1; i <= Limit; i++)
        {
            await backOffice.PostJson("/api/v1/signals", ASignal(Address(houseNumber: 300 + i))).ExpectAsync(HttpStatusCode.Created);
        }
        for (var i = 0; i < 3; i++)
        {
            using var refused = await backOffice.PostJson("/api/v1/signals", ASignal(Address(houseNumber: 400 + i)));
            Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
            Assert.True(refused.Headers.Contains("Retry-After"));
        }
        Assert.Equal(1, await CountAsync(app, s.TeamLeadId));
        Assert.Equal(0, await CountAsync(app, s.OtherTeamLeadId));
    }

    private static Task<int> CountAsync(TestApp app, Guid recipient) => app.ScalarAsync<int>(
        "SELECT COUNT(*) FROM notification_inbox WHERE recipient_id = @recipient AND type = @type",
        new { recipient, type = NotifySignalBurst.NotificationType });
}
