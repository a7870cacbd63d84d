using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using CloudNative.CloudEvents;
using CloudNative.CloudEvents.SystemTextJson;
using Frontlijn.Web.Infrastructure.Data;
using Frontlijn.Web.Infrastructure.Mediator;

namespace Frontlijn.Web.Features.Webhooks;

/// <summary>
/// <c>Webhooks:Installation</c> names this Frontlijn installation in the CloudEvents <c>source</c>
/// (<c>urn:nld:frontlijn:&lt;installation&gt;</c>, NL GOV profile); "dev" unless configured.
/// </summary>
public sealed partial record WebhookSettings(string Installation)
{
    public Uri Source { get; } = new($"urn:nld:frontlijn:{Installation}", UriKind.Absolute);

    public static WebhookSettings FromConfiguration(IConfiguration configuration)
    {
        var installation = configuration["Webhooks:Installation"]?.Trim() is { Length: > 0 } text ? text : "dev";
        if (!InstallationName().IsMatch(installation))
        {
            throw new InvalidOperationException(
                $"Webhooks:Installation '{installation}' must be lower-case letters, digits and hyphens (it becomes part of a URN).");
        }
        return new WebhookSettings(installation);
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]{0,62}$")]
    private static partial Regex InstallationName();
}

/// <summary>
/// Writes outbound CloudEvents to the durable outbox inside the caller's unit of work, so an event exists exactly when
/// the change it announces was committed. After the commit a delivery job is kicked for low latency; the recurring
/// sweep picks up anything the kick missed (crash, restart, job server elsewhere).
/// <para>
/// The envelope is built with the CNCF CloudEvents SDK (the stack's choice) rather than by hand: it enforces the
/// required attributes and their formats (absolute URI source, RFC 3339 time, specversion) so a malformed event cannot
/// be written. The encoded bytes are stored as they are, so the body that is signed is exactly the body that was
/// written, on every retry and on every node.
/// </para>
/// </summary>
public sealed partial class WebhookOutbox(
    DbSession db, TimeProvider time, WebhookSettings settings, AfterCommit afterCommit, WebhookDeliveryTrigger trigger)
{
    /// <summary>Deliveries are retried for at least this long before they are marked failed (SPEC: at least 24 hours).</summary>
    public static readonly TimeSpan RetryWindow = TimeSpan.FromHours(24);

    // Data is camelCase like the API; ids, statuses and dates only (no names, BSN or free text ever go out).
    private static readonly JsonSerializerOptions DataJson = new(JsonSerializerDefaults.Web);
    private static readonly JsonEventFormatter Formatter = new(DataJson, default);

    internal const string WebhookUrlSql = "SELECT webhook_url FROM organisations WHERE id = @organisationId";

    internal const string InsertSql = """
        INSERT INTO webhook_outbox (id, organisation_id, type, subject, payload, status, attempts, created_at,
                                    retry_until, next_attempt_at)
        VALUES (@id, @organisationId, @type, @subject, @payload, 'pending', 0, @now, @retryUntil, @now)
        """;

    /// <summary>
    /// Queues a CloudEvent of <paramref name="type"/> about <paramref name="subject"/> for <paramref name="organisationId"/>.
    /// Returns the event id, or null when the organisation has no webhook endpoint (nothing to deliver).
    /// </summary>
    public async Task<Guid?> EnqueueAsync(Guid organisationId, string type, Guid subject, object data, CancellationToken ct) =>
        await EnqueueAsync(organisationId, type, subject, data,
            token => db.ExecuteScalarAsync<string?>(WebhookUrlSql, new { organisationId }, token), ct);

    /// <summary>
    /// The same, for a caller that has already read the organisation's <c>webhook_url</c> in this unit of work (e.g.
    /// <c>SendRequest</c>, in the statement that checks the organisation): one SELECT less.
    /// </summary>
    public Task<Guid?> EnqueueAsync(Guid organisationId, string? webhookUrl, string type, Guid subject, object data, CancellationToken ct) =>
        EnqueueAsync(organisationId, type, subject, data, _ => Task.FromResult(webhookUrl), ct);

    private async Task<Guid?> EnqueueAsync(Guid organisationId, string type, Guid subject, object data,
        Func<CancellationToken, Task<string?>> webhookUrl, CancellationToken ct)
    {
        if (db.Transaction is null)
        {
            throw new InvalidOperationException(
                "Webhook events are written inside the unit of work of the change they announce; none is open.");
        }
        if (!EventType().IsMatch(type))
        {
            throw new ArgumentException($"'{type}' is not a Frontlijn event type (nl.frontlijn.<object>.<event>).", nameof(type));
        }
        var url = await webhookUrl(ct);
        if (url is null) return null;

        var now = time.GetUtcNow();
        var id = Guid.CreateVersion7(now);
        var payload = Encode(settings.Source, id, type, subject, now, data);
        await db.ExecuteAsync(InsertSql, new
        {
            id, organisationId, type, subject = subject.ToString(), payload, now, retryUntil = now + RetryWindow,
        }, ct);
        afterCommit.Enqueue(_ =>
        {
            trigger.Trigger(id);
            return Task.CompletedTask;
        });
        return id;
    }

    /// <summary>The structured-mode JSON body (<c>application/cloudevents+json</c>) of one event.</summary>
    internal static string Encode(Uri source, Guid id, string type, Guid subject, DateTimeOffset time, object data)
    {
        var cloudEvent = new CloudEvent(CloudEventsSpecVersion.V1_0)
        {
            Id = id.ToString(),
            Source = source,
            Type = type,
            Subject = subject.ToString(),
            Time = time.ToUniversalTime(),
            DataContentType = "application/json",
            Data = JsonSerializer.SerializeToElement(data, DataJson),
        };
        var body = Formatter.EncodeStructuredModeMessage(cloudEvent, out _);
        return Encoding.UTF8.GetString(body.Span);
    }

    [GeneratedRegex("^nl\\.frontlijn\\.[a-z]+(-[a-z]+)*\\.[a-z]+(-[a-z]+)*$")]
    private static partial Regex EventType();
}
