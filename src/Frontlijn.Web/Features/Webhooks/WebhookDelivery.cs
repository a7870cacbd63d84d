namespace Frontlijn.Web.Features.Webhooks;

/// <summary>
/// One outbound event and how its delivery went, as the admin sees it. The payload is not shown: the admin needs to
/// know what failed and why, and the receiver can be sent the event again with a retry.
/// </summary>
public sealed record WebhookDelivery(
    Guid Id, Guid OrganisationId, string Type, string Subject, string Status, int Attempts,
    DateTimeOffset CreatedAt, DateTimeOffset NextAttemptAt, DateTimeOffset RetryUntil, DateTimeOffset? LastAttemptAt,
    int? LastStatusCode, string? LastError, DateTimeOffset? DeliveredAt, DateTimeOffset? FailedAt)
{
    public const string Columns = """
        id, organisation_id, type, subject, status, attempts, created_at, next_attempt_at, retry_until, last_attempt_at,
        last_status_code, last_error, delivered_at, failed_at
        """;

    public static readonly IReadOnlySet<string> Statuses = new HashSet<string>(StringComparer.Ordinal) { "pending", "delivered", "failed" };
}

/// <summary>Dapper row (property-based, as Dapper needs for our type handlers).</summary>
internal sealed record WebhookDeliveryRow
{
    public Guid Id { get; init; }
    public Guid OrganisationId { get; init; }
    public string Type { get; init; } = "";
    public string Subject { get; init; } = "";
    public string Status { get; init; } = "";
    public int Attempts { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset NextAttemptAt { get; init; }
    public DateTimeOffset RetryUntil { get; init; }
    public DateTimeOffset? LastAttemptAt { get; init; }
    public int? LastStatusCode { get; init; }
    public string? LastError { get; init; }
    public DateTimeOffset? DeliveredAt { get; init; }
    public DateTimeOffset? FailedAt { get; init; }

    public WebhookDelivery ToDelivery() => new(Id, OrganisationId, Type, Subject, Status, Attempts, CreatedAt, NextAttemptAt,
        RetryUntil, LastAttemptAt, LastStatusCode, LastError, DeliveredAt, FailedAt);
}
