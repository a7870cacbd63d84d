using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Frontlijn.Web.Infrastructure.Data;
using Hangfire;

namespace Frontlijn.Web.Features.Webhooks;

/// <summary>
/// Delivers the webhook outbox. Hangfire only schedules: the minutely sweep <see cref="RunAsync"/> and the
/// after-commit kick <see cref="DeliverOneAsync"/> both find their work in <c>webhook_outbox</c>, so a lost job loses
/// nothing. Each row is claimed with a conditional UPDATE on <c>locked_until</c> (one statement, the same on SQLite,
/// PostgreSQL and SQL Server); only the node whose UPDATE touched the row sends it, so two nodes never send one
/// event at the same time. A receiver may still see an event twice (it answered too late, we retried), which is why
/// every request carries <c>webhook-id</c> for de-duplication.
/// </summary>
public sealed class DeliverWebhooks(
    IServiceScopeFactory scopes, DbSession db, TimeProvider time, IHttpClientFactory httpClients, WebhookSecretStore secrets,
    ILogger<DeliverWebhooks> logger)
{
    public const string HttpClientName = "webhooks";
    public const string RecurringJobId = "webhooks-deliver";

    /// <summary>How long a claim holds: well over the HTTP timeout, so a slow receiver is not sent the event twice at once.</summary>
    internal static readonly TimeSpan Lease = TimeSpan.FromMinutes(2);

    internal static readonly TimeSpan HttpTimeout = TimeSpan.FromSeconds(10);

    private const int BatchSize = 100;
    private const int MaxBatchesPerRun = 20;
    private const int Parallelism = 4;

    /// <summary>Waits after the n-th failed attempt; the last one repeats until the retry window has passed.</summary>
    internal static readonly TimeSpan[] Backoff =
    [
        TimeSpan.FromSeconds(30), TimeSpan.FromMinutes(2), TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(30),
        TimeSpan.FromHours(1), TimeSpan.FromHours(2), TimeSpan.FromHours(4), TimeSpan.FromHours(8),
    ];

    internal const string DueSql = """
        SELECT id
        FROM webhook_outbox
        WHERE status = 'pending'
          AND next_attempt_at <= @now
          AND (locked_until IS NULL OR locked_until < @now)
        ORDER BY next_attempt_at, id
        {page}
        """;

    internal const string ClaimSql = """
        UPDATE webhook_outbox
        SET locked_until = @lockedUntil
        WHERE id = @id
          AND status = 'pending'
          AND next_attempt_at <= @now
          AND (locked_until IS NULL OR locked_until < @now)
        """;

    internal const string LoadSql = """
        SELECT o.id, o.organisation_id, o.payload, o.attempts, o.retry_until, g.webhook_url
        FROM webhook_outbox o
        JOIN organisations g ON g.id = o.organisation_id
        WHERE o.id = @id
        """;

    // Every outcome is written only while we still hold the claim (locked_until unchanged): if a receiver took longer
    // than the lease and another node claimed the row meanwhile, that node's outcome counts, not ours.
    internal const string DeliveredSql = """
        UPDATE webhook_outbox
        SET status = 'delivered', attempts = attempts + 1, delivered_at = @now, last_attempt_at = @now,
            last_status_code = @statusCode, last_error = NULL, locked_until = NULL
        WHERE id = @id AND locked_until = @lockedUntil
        """;

    internal const string RetryLaterSql = """
        UPDATE webhook_outbox
        SET attempts = attempts + 1, next_attempt_at = @nextAttemptAt, last_attempt_at = @now,
            last_status_code = @statusCode, last_error = @error, locked_until = NULL
        WHERE id = @id AND locked_until = @lockedUntil
        """;

    internal const string FailedSql = """
        UPDATE webhook_outbox
        SET status = 'failed', attempts = attempts + 1, failed_at = @now, last_attempt_at = @now,
            last_status_code = @statusCode, last_error = @error, locked_until = NULL
        WHERE id = @id AND locked_until = @lockedUntil
        """;

    private sealed record Due
    {
        public Guid Id { get; init; }
    }

    private sealed record Pending
    {
        public Guid Id { get; init; }
        public Guid OrganisationId { get; init; }
        public string Payload { get; init; } = "";
        public int Attempts { get; init; }
        public DateTimeOffset RetryUntil { get; init; }
        public string? WebhookUrl { get; init; }
    }

    /// <summary>Outcome of one run, for logs and tests.</summary>
    public sealed record RunResult(int Attempted, int Delivered, int Failed);

    /// <summary>The sweep: every due, unclaimed event, a few in parallel, in bounded batches.</summary>
    [AutomaticRetry(Attempts = 0)]
    [JobDisplayName("Webhooks afleveren")]
    public async Task<RunResult> RunAsync(CancellationToken ct)
    {
        int attempted = 0, delivered = 0, failed = 0;
        for (var batch = 0; batch < MaxBatchesPerRun; batch++)
        {
            var now = Now();
            var due = (await db.QueryAsync<Due>(DueSql, new { now, offset = 0, limit = BatchSize }, ct))
                .Select(d => d.Id).ToList();
            if (due.Count == 0) break;
            var outcomes = new System.Collections.Concurrent.ConcurrentBag<Outcome>();
            await Parallel.ForEachAsync(due, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = ct },
                async (id, token) =>
                {
                    // A scope per event: DbSession holds one connection, which must not be shared between threads.
                    await using var scope = scopes.CreateAsyncScope();
                    var worker = scope.ServiceProvider.GetRequiredService<DeliverWebhooks>();
                    outcomes.Add(await worker.TryDeliverAsync(id, token));
                });
            attempted += outcomes.Count(o => o != Outcome.NotClaimed);
            delivered += outcomes.Count(o => o == Outcome.Delivered);
            failed += outcomes.Count(o => o == Outcome.Failed);
            if (due.Count < BatchSize) break;
        }
        if (attempted > 0)
        {
            logger.LogInformation("Webhook sweep: {Attempted} attempted, {Delivered} delivered, {Failed} finally failed",
                attempted, delivered, failed);
        }
        return new RunResult(attempted, delivered, failed);
    }

    /// <summary>The after-commit kick for one event; does nothing if the event is not due or someone else has it.</summary>
    [AutomaticRetry(Attempts = 0)]
    [JobDisplayName("Webhook afleveren")]
    public async Task DeliverOneAsync(Guid id, CancellationToken ct) => await TryDeliverAsync(id, ct);

    internal enum Outcome
    {
        NotClaimed,
        Delivered,
        RetryLater,
        Failed,
    }

    internal async Task<Outcome> TryDeliverAsync(Guid id, CancellationToken ct)
    {
        var now = Now();
        var lockedUntil = now + Lease;
        if (await db.ExecuteAsync(ClaimSql, new { id, now, lockedUntil }, ct) != 1)
        {
            return Outcome.NotClaimed;
        }
        var pending = await db.QuerySingleOrDefaultAsync<Pending>(LoadSql, new { id }, ct);
        if (pending is null) return Outcome.NotClaimed;

        var (statusCode, error) = await SendAsync(pending, ct);
        var finishedAt = Now();
        if (error is null)
        {
            await db.ExecuteAsync(DeliveredSql, new { id, now = finishedAt, statusCode, lockedUntil }, ct);
            return Outcome.Delivered;
        }
        error = error.Length > 1000 ? error[..1000] : error;
        if (finishedAt >= pending.RetryUntil)
        {
            await db.ExecuteAsync(FailedSql, new { id, now = finishedAt, statusCode, error, lockedUntil }, ct);
            logger.LogWarning("Webhook event {EventId} finally failed after {Attempts} attempts: {Error}",
                id, pending.Attempts + 1, error);
            return Outcome.Failed;
        }
        var nextAttemptAt = finishedAt + Delay(pending.Attempts + 1);
        await db.ExecuteAsync(RetryLaterSql, new { id, now = finishedAt, nextAttemptAt, statusCode, error, lockedUntil }, ct);
        return Outcome.RetryLater;
    }

    private async Task<(int? StatusCode, string? Error)> SendAsync(Pending pending, CancellationToken ct)
    {
        var active = string.IsNullOrEmpty(pending.WebhookUrl) ? [] : await secrets.ActiveAsync(db, pending.OrganisationId, ct);
        if (active.Count == 0)
        {
            return (null, "De organisatie heeft geen webhook-URL of -geheim (meer).");
        }
        var timestamp = time.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var eventId = pending.Id.ToString();
        using var request = new HttpRequestMessage(HttpMethod.Post, pending.WebhookUrl);
        request.Content = new StringContent(pending.Payload, Encoding.UTF8);
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/cloudevents+json") { CharSet = "utf-8" };
        request.Headers.Add("webhook-id", eventId);
        request.Headers.Add("webhook-timestamp", timestamp);
        request.Headers.Add("webhook-signature", SignAll(active, eventId, timestamp, pending.Payload));
        try
        {
            using var response = await httpClients.CreateClient(HttpClientName)
                .SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            var status = (int)response.StatusCode;
            return response.IsSuccessStatusCode ? (status, null) : (status, $"De ontvanger antwoordde HTTP {status}.");
        }
        catch (HttpRequestException ex) when (ex.InnerException is WebhookAddressRefusedException refused)
        {
            // Nothing was sent; retried like any failure (the admin may correct Webhooks:AllowedNetworks or the URL).
            return (null, refused.Message);
        }
        catch (HttpRequestException ex)
        {
            return (null, $"Verbinding mislukt: {ex.HttpRequestError}.");
        }
        catch (TaskCanceledException) when (!ct.IsCancellationRequested)
        {
            return (null, $"Geen antwoord binnen {HttpTimeout.TotalSeconds:0} seconden.");
        }
    }

    /// <summary>Standard Webhooks: <c>v1,</c> + base64(HMAC-SHA256(secret, "{id}.{timestamp}.{body}")), secret = base64 after <c>whsec_</c>.</summary>
    public static string Sign(string secret, string eventId, string timestamp, string body)
    {
        var key = Convert.FromBase64String(secret.StartsWith("whsec_", StringComparison.Ordinal) ? secret["whsec_".Length..] : secret);
        var signature = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes($"{eventId}.{timestamp}.{body}"));
        return "v1," + Convert.ToBase64String(signature);
    }

    /// <summary>
    /// Standard Webhooks with rotation: one <c>v1,&lt;sig&gt;</c> per active secret, space-separated, so a receiver that
    /// already switched to the new secret and one that still has the old one both find a signature they can verify.
    /// </summary>
    public static string SignAll(IEnumerable<string> secrets, string eventId, string timestamp, string body) =>
        string.Join(' ', secrets.Select(secret => Sign(secret, eventId, timestamp, body)));

    /// <summary>The wait after the <paramref name="attempt"/>-th failure, with ±10 % jitter so that retries of many
    /// events for one receiver that was down do not all arrive in the same second.</summary>
    internal static TimeSpan Delay(int attempt)
    {
        var baseDelay = Backoff[Math.Clamp(attempt, 1, Backoff.Length) - 1];
#pragma warning disable CA5394 // jitter needs no cryptographic randomness
        var factor = 0.9 + (Random.Shared.NextDouble() * 0.2);
#pragma warning restore CA5394
        return TimeSpan.FromMilliseconds(Math.Round(baseDelay.TotalMilliseconds * factor));
    }

    /// <summary>
    /// Whole milliseconds: PostgreSQL keeps microseconds and SQLite our fixed text, so a claim's <c>locked_until</c> read
    /// back or compared (<c>locked_until = @lockedUntil</c>) must survive every database's precision unchanged.
    /// </summary>
    private DateTimeOffset Now()
    {
        var now = time.GetUtcNow();
        return new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerMillisecond), TimeSpan.Zero);
    }
}

/// <summary>
/// Kicks a delivery right after commit. Only where this node runs a job server (<c>Jobs:Enabled</c>); elsewhere the
/// sweep of a node that does will deliver within a minute. Tests run without a server and call the job directly.
/// </summary>
public sealed class WebhookDeliveryTrigger(IConfiguration configuration, IServiceProvider services)
{
    private readonly bool _enabled = configuration.GetValue("Jobs:Enabled", true);

    public void Trigger(Guid eventId)
    {
        if (!_enabled) return;
        services.GetRequiredService<IBackgroundJobClient>()
            .Enqueue<DeliverWebhooks>(job => job.DeliverOneAsync(eventId, CancellationToken.None));
    }
}
