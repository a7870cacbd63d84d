using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Mediator;
using static Frontlijn.Web.Features.Requests.ChangeRequestStatus;

namespace Frontlijn.Web.Features.Requests;

/// <summary>The history of a request, version by version ('sent' is version 1).</summary>
public static class ListStatusChanges
{
    public sealed record Query(Guid RequestId) : IQuery<History>;

    public sealed record History(IReadOnlyList<StatusChange> Items);

    internal const string HistorySql = """
        SELECT id, request_id, version, change_kind, from_status, to_status, note, reason_code, due_at, changed_by, changed_at
        FROM request_status_changes
        WHERE request_id = @requestId
        ORDER BY version
        """;

    internal sealed record Row
    {
        public Guid Id { get; init; }
        public Guid RequestId { get; init; }
        public int Version { get; init; }
        public string ChangeKind { get; init; } = "";
        public string? FromStatus { get; init; }
        public string ToStatus { get; init; } = "";
        public string? Note { get; init; }
        public string? ReasonCode { get; init; }
        public DateTimeOffset DueAt { get; init; }
        public Guid? ChangedBy { get; init; }
        public DateTimeOffset ChangedAt { get; init; }
    }

    internal sealed class Handler(DbSession db, RequestAccess access) : IQueryHandler<Query, History>
    {
        public async ValueTask<History> Handle(Query query, CancellationToken ct)
        {
            await access.FindAsync(query.RequestId, "request-history", ct);
            var rows = await db.QueryAsync<Row>(HistorySql, new { query.RequestId }, ct);
            return new History(rows.Select(r => new StatusChange(r.Id, r.RequestId, r.Version, r.ChangeKind, r.FromStatus, r.ToStatus,
                r.Note, r.ReasonCode, WorkingDays.InAmsterdam(r.DueAt), r.ChangedBy, WorkingDays.InAmsterdam(r.ChangedAt))).ToList());
        }
    }

    public static void Map(RouteGroupBuilder api) => api
        .MapGet("/requests/{id:guid}/status-changes", async (Guid id, IMediator mediator, CancellationToken ct) =>
            TypedResults.Ok(await mediator.Send(new Query(id), ct)))
        .RequireAuthorization(Policies.RequestParticipant)
        .WithName("listRequestStatusChanges")
        .WithSummary("Statusgeschiedenis van een verzoek, per versie")
        .WithTags("Verzoeken");
}
