using System.Text.Json;
using Frontlijn.Web.Features.Webhooks;
using Microsoft.Extensions.Configuration;

namespace Frontlijn.UnitTests.Webhooks;

public sealed class WebhookEnvelopeTests
{
    [Fact]
    public void Signature_MatchesTheStandardWebhooksTestVector()
    {
        // The example of the Standard Webhooks specification (standard-webhooks/standard-webhooks, spec/standard-webhooks.md).
        var signature = DeliverWebhooks.Sign("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", "msg_p5jXN8AQM9LWM0D4loKWxJek",
            "1614265330", "{\"test\": 2432232314}");
        Assert.Equal("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=", signature);
    }

    [Fact]
    public void Envelope_IsAStructuredCloudEvent_WithTheNlGovAttributes_AndOnlyTheGivenData()
    {
        var id = Guid.CreateVersion7();
        var subject = Guid.CreateVersion7();
        var body = WebhookOutbox.Encode(new Uri("urn:nld:frontlijn:leeuwarden"), id, "nl.frontlijn.request.sent", subject,
            new DateTimeOffset(2026, 3, 2, 10, 0, 0, TimeSpan.FromHours(1)), new { requestId = subject, status = "sent" });
        using var json = JsonDocument.Parse(body);
        var root = json.RootElement;
        Assert.Equal("1.0", root.GetProperty("specversion").GetString());
        Assert.Equal(id.ToString(), root.GetProperty("id").GetString());
        Assert.Equal("urn:nld:frontlijn:leeuwarden", root.GetProperty("source").GetString());
        Assert.Equal("nl.frontlijn.request.sent", root.GetProperty("type").GetString());
        Assert.Equal(subject.ToString(), root.GetProperty("subject").GetString());
        Assert.Equal("application/json", root.GetProperty("datacontenttype").GetString());
        Assert.Equal(new DateTimeOffset(2026, 3, 2, 9, 0, 0, TimeSpan.Zero), DateTimeOffset.Parse(root.GetProperty("time").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.Equal("sent", root.GetProperty("data").GetProperty("status").GetString());
        Assert.Equal(
            ["data", "datacontenttype", "id", "source", "specversion", "subject", "time", "type"],
            root.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Installation_MustFitInAUrn()
    {
        var bad = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Webhooks:Installation"] = "Leeuwarden Prod" }).Build();
        Assert.Throws<InvalidOperationException>(() => WebhookSettings.FromConfiguration(bad));
        var none = new ConfigurationBuilder().Build();
        Assert.Equal("urn:nld:frontlijn:dev", WebhookSettings.FromConfiguration(none).Source.ToString());
    }

    [Fact]
    public void Backoff_GrowsToEightHours_WithAtMostTenPercentJitter_SoRetriesSpanMoreThanADay()
    {
        Assert.InRange(DeliverWebhooks.Delay(1), TimeSpan.FromSeconds(27), TimeSpan.FromSeconds(33));
        Assert.InRange(DeliverWebhooks.Delay(2), TimeSpan.FromSeconds(108), TimeSpan.FromSeconds(132));
        Assert.InRange(DeliverWebhooks.Delay(8), TimeSpan.FromHours(7.2), TimeSpan.FromHours(8.8));
        Assert.InRange(DeliverWebhooks.Delay(30), TimeSpan.FromHours(7.2), TimeSpan.FromHours(8.8));
        // The window, not the schedule, ends the retries: the last step repeats until 24 hours have passed.
        Assert.Equal(TimeSpan.FromHours(24), WebhookOutbox.RetryWindow);
    }
}
