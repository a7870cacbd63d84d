using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;

namespace Frontlijn.Web.Features.Notifications;

/// <summary>
/// The caller's own inbox, oldest first, after a cursor: a client that was offline asks for everything after the last
/// cursor it saw and is complete again. <c>nextCursor</c> is what to send as <c>after</c> next time.
/// </summary>
public static class ListNotifications
{
    public sealed record Query(Guid RecipientId, long After, int Limit) : IQuery<Inbox>;

    public sealed record InboxItem(
        Guid Id, long Cursor, string Type, Guid? HouseholdId, Guid? RequestId, string Title, DateTimeOffset CreatedAt,
        DateTimeOffset? ReadAt);

    public sealed record Inbox(IReadOnlyList<InboxItem> Items, long NextCursor, bool HasMore);

    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    // Through the view (migration 0027): the caller's personal rows plus, for a back-office user, their organisation's
    // rows since they joined it with their own read mark — one cursor space either way, so the same ?after= rule.
    internal const string PageSql = """
        SELECT id, seq, type, household_id, request_id, title, created_at, read_at
        FROM notification_inbox
        WHERE recipient_id = @recipientId AND seq > @after
        ORDER BY seq
        {page}
        """;

    internal sealed record Row
    {
        public Guid Id { get; init; }
        public long Seq { get; init; }
        public string Type { get; init; } = "";
        public Guid? HouseholdId { get; init; }
        public Guid? RequestId { get; init; }
        public string Title { get; init; } = "";
        public DateTimeOffset CreatedAt { get; init; }
        public DateTimeOffset? ReadAt { get; init; }
    }

    internal sealed class Handler(DbSession db) : IQueryHandler<Query, Inbox>
    {
        public async ValueTask<Inbox> Handle(Query query, CancellationToken ct)
        {
            // One row more than asked tells whether there is more without a second query.
            var rows = (await db.QueryAsync<Row>(PageSql, new
            {
                query.RecipientId, query.After, offset = 0, limit = query.Limit + 1,
            }, ct)).ToList();
            var items = rows.Take(query.Limit)
                .Select(r => new InboxItem(r.Id, r.Seq, r.Type, r.HouseholdId, r.RequestId, r.Title, r.CreatedAt, r.ReadAt))
                .ToList();
            return new Inbox(items, items.Count > 0 ? items[^1].Cursor : query.After, rows.Count > query.Limit);
        }
    }

    public static void Map(RouteGroupBuilder api) => api
        .MapGet("/notifications", async (long? after, int? limit, CurrentUser user, IMediator mediator, CancellationToken ct) =>
        {
            var errors = new List<FluentValidation.Results.ValidationFailure>();
            if (after is < 0) errors.Add(new("after", "after is een cursor uit een eerder antwoord (0 of hoger)."));
            if (limit is < 1 or > MaxLimit) errors.Add(new("limit", $"limit ligt tussen 1 en {MaxLimit}."));
            if (errors.Count > 0) throw new FluentValidation.ValidationException(errors);
            return TypedResults.Ok(await mediator.Send(new Query(user.Id, after ?? 0, limit ?? DefaultLimit), ct));
        })
        .RequireAuthorization(Policies.KnownUser)
        .WithName("listNotifications")
        .WithSummary("Eigen meldingen, oudste eerst, na een cursor (inhalen na een verbroken verbinding)")
        .WithTags("Meldingen");
}
