using System.Net;
using Frontlijn.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using static Frontlijn.IntegrationTests.Webhooks.WebhookTestSupport;

namespace Frontlijn.IntegrationTests.Webhooks;

/// <summary>
/// Webhooks cannot reach the inside (SPEC "Webhooks"). Every address used here is loopback or a literal that is never
/// connected to: the refusals must happen before any connection, which the loopback <see cref="ConnectionRecorder"/>
/// proves; no test resolves a public name or sends a packet beyond this machine.
/// </summary>
[Collection(IntegrationGroup.Name)]
public sealed class WebhookSsrfTests(ProviderApps apps)
{
    /// <summary>The shared app allows 127.0.0.0/8 only (the receivers of the other tests); everything here is outside it.</summary>
    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task WebhookUrl_ToAnInternalAddress_Is400_OnTheField_AndNothingIsStoredOrContacted(string provider)
    {
        var app = await apps.ResetAsync(provider);
        await using var recorder = new ConnectionRecorder();
        var admin = app.ClientFor("admin");
        string[] urls =
        [
            "https://10.1.2.3/hooks", // RFC 1918
            "https://172.20.0.1/hooks",
            "https://192.168.178.1/hooks",
            "https://169.254.169.254/latest/meta-data", // link-local: cloud metadata
            "https://100.100.100.200/hooks", // carrier-grade NAT
            "https://[fd00:ec2::254]/hooks", // unique-local
            "https://[fe80::1]/hooks", // link-local
            "https://[::1]:" + recorder.Port + "/hooks", // IPv6 loopback, outside 127.0.0.0/8
            "https://[::ffff:10.1.2.3]/hooks", // IPv4-mapped private
            "https://0.0.0.0/hooks",
            "https://localhost:" + recorder.Port + "/hooks", // the machine itself, by name (also ::1)
            "https://ggz.example.nl@192.168.1.1/hooks", // userinfo hiding the real host
        ];
        foreach (var url in urls)
        {
            var problem = await admin.PostJson("/api/v1/organisations", new
            {
                name = "GGZ " + Guid.NewGuid().ToString("N")[..8], kind = "ggz", webhookUrl = url, webhookSecret = NewSecret(),
                services = Array.Empty<object>(),
            }).ExpectAsync(HttpStatusCode.BadRequest);
            Assert.True(problem["errors"]?["webhookUrl"] is not null, $"{url}: no field error on webhookUrl: {problem.ToJsonString()}");
        }
        Assert.Equal(0, await app.ScalarAsync<int>("SELECT COUNT(*) FROM organisations"));
        Assert.Equal(0, await app.ScalarAsync<int>("SELECT COUNT(*) FROM webhook_secrets"));
        Assert.Equal(0, recorder.Connections);
    }

    /// <summary>
    /// A name that was fine when it was entered and now resolves to loopback (DNS rebinding, here: localhost through
    /// /etc/hosts, no network): refused at connect time, before a connection is made. The same listener does see a
    /// connection where loopback is allowed, so "zero" is a measurement, not a listener that cannot count.
    /// </summary>
    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task ConnectTime_ANameThatResolvesToLoopback_IsRefusedBeforeAnyConnection(string provider)
    {
        await using var strict = await TestApp.StartAsync(provider, new Dictionary<string, string>
        {
            ["Webhooks:AllowedNetworks"] = "", // production default: public addresses only
        });
        await using var recorder = new ConnectionRecorder();
        var organisationId = await CreateOrganisationAsync(strict, "https://ggz.example.nl/hooks/frontlijn", NewSecret());
        // The name now points inward (as a rebinding DNS server would make it): simulated by storing a name that
        // resolves to loopback. Creation would refuse it; the connect-time check must too.
        await strict.ScalarAsync<int>("UPDATE organisations SET webhook_url = @url WHERE id = @organisationId",
            new { url = $"https://localhost:{recorder.Port}/hooks", organisationId });
        var eventId = await EnqueueAsync(strict, organisationId);

        var run = await SweepAsync(strict);

        Assert.Equal(1, run.Attempted);
        Assert.Equal(0, run.Delivered);
        var delivery = await strict.ClientFor("admin").GetAsync("/api/v1/webhook-deliveries").ExpectAsync(HttpStatusCode.OK);
        var item = Assert.Single(delivery["items"]!.AsArray())!;
        Assert.Equal(eventId.ToString(), item["id"]!.GetValue<string>());
        Assert.StartsWith("Geweigerd", item["lastError"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Contains("127.0.0.1", item["lastError"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(item["lastStatusCode"]?.GetValue<int?>());
        Assert.Equal(0, recorder.Connections);

        // A literal loopback address is refused the same way (http or https, no allowed network).
        await strict.ScalarAsync<int>("UPDATE organisations SET webhook_url = @url WHERE id = @organisationId",
            new { url = $"http://127.0.0.1:{recorder.Port}/hooks", organisationId });
        strict.Clock.Advance(TimeSpan.FromMinutes(1));
        Assert.Equal(0, (await SweepAsync(strict)).Delivered);
        Assert.Equal(0, recorder.Connections);

        // Control: where 127.0.0.0/8 is allowed (the shared app), the very same listener is connected to.
        var open = await apps.ResetAsync(provider);
        var openOrganisation = await CreateOrganisationAsync(open, $"https://127.0.0.1:{recorder.Port}/hooks", NewSecret());
        await EnqueueAsync(open, openOrganisation);
        Assert.Equal(0, (await SweepAsync(open)).Delivered); // TLS fails: the recorder only counts
        for (var i = 0; i < 50 && recorder.Connections == 0; i++) await Task.Delay(20);
        Assert.True(recorder.Connections > 0, "the control connection did not arrive: the recorder cannot be trusted");
    }

    /// <summary>A receiver may not send the delivery elsewhere: a redirect is a failed delivery, never followed.</summary>
    [Theory, MemberData(nameof(Providers.All), MemberType = typeof(Providers))]
    public async Task Redirects_AreNotFollowed(string provider)
    {
        var app = await apps.ResetAsync(provider);
        await using var target = new ConnectionRecorder();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        await using var redirector = builder.Build();
        redirector.MapPost("/hooks", () => Results.Redirect($"http://127.0.0.1:{target.Port}/inside", permanent: false, preserveMethod: true));
        await redirector.StartAsync();
        var port = new Uri(redirector.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;
        var organisationId = await CreateOrganisationAsync(app, $"http://127.0.0.1:{port}/hooks", NewSecret());
        await EnqueueAsync(app, organisationId);

        Assert.Equal(0, (await SweepAsync(app)).Delivered);

        Assert.Equal(307, await app.ScalarAsync<int>("SELECT last_status_code FROM webhook_outbox"));
        await Task.Delay(100);
        Assert.Equal(0, target.Connections);
    }
}
