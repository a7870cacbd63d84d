using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Frontlijn.IntegrationTests.Webhooks;

/// <summary>
/// A back office's webhook endpoint, as a receiver would write it: its own Kestrel on loopback, verifying the Standard
/// Webhooks signature (its own HMAC, not ours) and the CloudEvents attributes, and de-duplicating on the event id.
/// It can be stopped and started again on the same port, and told to fail after processing (to provoke a redelivery).
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private WebApplication? _app;

    private WebhookReceiver(string secret) => Secret = secret;

    /// <summary>The secret it verifies with; a test of rotation switches it, as the receiver's operator would.</summary>
    public string Secret { get; set; }
    public int Port { get; private set; }
    public Uri Url => new($"http://127.0.0.1:{Port}/hooks/frontlijn");

    /// <summary>Every valid event by id (first arrival).</summary>
    public ConcurrentDictionary<Guid, JsonNode> Events { get; } = new();

    /// <summary>Every valid arrival, duplicates included.</summary>
    public ConcurrentQueue<Guid> Arrivals { get; } = new();

    /// <summary>Every request as it came in (headers needed for signatures), valid or not.</summary>
    public ConcurrentQueue<(string Id, string Timestamp, string Signature, string Body)> Raw { get; } = new();

    /// <summary>What was wrong with invalid arrivals; must stay empty.</summary>
    public ConcurrentQueue<string> Problems { get; } = new();

    private int _failAfterProcessing;

    /// <summary>The next <paramref name="count"/> first arrivals are processed and then answered 500 (the sender retries).</summary>
    public void FailAfterProcessing(int count) => Volatile.Write(ref _failAfterProcessing, count);

    public static async Task<WebhookReceiver> StartAsync(string secret)
    {
        var receiver = new WebhookReceiver(secret);
        await receiver.StartAsync(0);
        return receiver;
    }

    public async Task StartAsync(int port)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, port));
        var app = builder.Build();
        app.MapPost("/hooks/frontlijn", Receive);
        await app.StartAsync();
        Port = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First()).Port;
        _app = app;
    }

    public Task RestartAsync() => StartAsync(Port);

    public async Task StopAsync()
    {
        if (_app is null) return;
        await _app.StopAsync();
        await _app.DisposeAsync();
        _app = null;
    }

    private async Task<IResult> Receive(HttpRequest request)
    {
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        var body = await reader.ReadToEndAsync();
        var id = request.Headers["webhook-id"].ToString();
        var timestamp = request.Headers["webhook-timestamp"].ToString();
        var signature = request.Headers["webhook-signature"].ToString();
        Raw.Enqueue((id, timestamp, signature, body));

        var problem = Check(request.ContentType, id, timestamp, signature, body, out var cloudEvent);
        if (problem is not null)
        {
            Problems.Enqueue(problem);
            return Results.BadRequest();
        }
        var eventId = Guid.Parse(id);
        Arrivals.Enqueue(eventId);
        var first = Events.TryAdd(eventId, cloudEvent!);
        if (first && Interlocked.Decrement(ref _failAfterProcessing) >= 0)
        {
            return Results.StatusCode(500);
        }
        return Results.NoContent();
    }

    private string? Check(string? contentType, string id, string timestamp, string signature, string body, out JsonNode? cloudEvent)
    {
        cloudEvent = null;
        if (contentType?.StartsWith("application/cloudevents+json", StringComparison.Ordinal) != true) return $"content type {contentType}";
        if (!long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out _)) return "webhook-timestamp is not unix seconds";
        var key = Convert.FromBase64String(Secret["whsec_".Length..]);
        var expected = "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{id}.{timestamp}.{body}")));
        var valid = signature.Split(' ').Any(s => CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(s), Encoding.ASCII.GetBytes(expected)));
        if (!valid) return "signature does not verify";

        var json = JsonNode.Parse(body)!;
        string? Attribute(string name) => json[name]?.GetValue<string>();
        if (Attribute("specversion") != "1.0") return "specversion";
        if (Attribute("id") != id || !Guid.TryParse(id, out _)) return "id is not the webhook-id uuid";
        if (Attribute("source")?.StartsWith("urn:nld:frontlijn:", StringComparison.Ordinal) != true) return "source";
        if (Attribute("type")?.StartsWith("nl.frontlijn.", StringComparison.Ordinal) != true) return "type";
        if (Attribute("datacontenttype") != "application/json") return "datacontenttype";
        if (!Guid.TryParse(Attribute("subject"), out _)) return "subject is not an id";
        if (!DateTimeOffset.TryParseExact(Attribute("time"), ["yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK", "yyyy-MM-dd'T'HH:mm:ssK"],
                CultureInfo.InvariantCulture, DateTimeStyles.None, out _)) return $"time is not RFC 3339: {Attribute("time")}";
        if (json["data"] is not JsonObject) return "data is not a JSON object";
        cloudEvent = json;
        return null;
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
