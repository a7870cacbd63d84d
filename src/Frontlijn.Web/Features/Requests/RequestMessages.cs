using FluentValidation;
using Frontlijn.Web.Features.AccessLog;
using Frontlijn.Web.Features.Involvements;
using Frontlijn.Web.Features.Notifications;
using Frontlijn.Web.Features.StandIns;
using Frontlijn.Web.Features.Webhooks;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;

namespace Frontlijn.Web.Features.Requests;

/// <summary>A message in the clarification thread of a request, between the household's coach and the addressed back office.</summary>
public sealed record RequestMessage(Guid Id, Guid RequestId, Guid AuthorId, string AuthorDisplayName, string AuthorRole, string Text,
    DateTimeOffset CreatedAt);

public static class PostRequestMessage
{
    public sealed record Body(string? Text);

    public sealed record Command(Guid RequestId, string? Text) : ICommand<RequestMessage>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => RuleFor(c => c.Text).NotEmpty().MaximumLength(4000).WithName("text");
    }

    internal const string InsertSql = """
        INSERT INTO request_messages (id, request_id, author_id, body, created_at)
        VALUES (@id, @requestId, @authorId, @body, @now)
        """;

    internal sealed class Handler(
        DbSession db, CurrentUser user, RequestAccess access, AccessLogWriter log, Notifier notifier, WebhookOutbox webhooks,
        InvolvementRecorder involvements, StandInLookup standIns, TimeProvider time) : ICommandHandler<Command, RequestMessage>
    {
        public async ValueTask<RequestMessage> Handle(Command command, CancellationToken ct)
        {
            var row = await access.FindAsync(command.RequestId, null, ct);
            var fromBackOffice = access.IsAddressee(row);
            // The thread is between the household's own coach (or their stand-in) and the addressee: not any coach of
            // the team, and not the team lead (who reads it, and hears of it through escalation).
            var ownCoach = user.IsInRole(Roles.Coach) && row.CoachId is { } coach &&
                           (coach == user.Id || await standIns.ActsForAsync(coach, ct));
            if (!fromBackOffice && !ownCoach)
            {
                await log.WriteAsync("create", "request-message", row.Id, row.HouseholdId, ct, AccessLogWriter.Denied);
                throw ProblemException.Forbidden(
                    "De verduidelijking loopt tussen de coach van het huishouden (of diens waarnemer) en de organisatie waaraan het verzoek is gericht.");
            }
            // The back office's message may record an involvement and refresh the summary: the household's row lock first.
            if (fromBackOffice) await Households.HouseholdAccess.HoldAsync(db, row.HouseholdId, ct);
            var now = time.GetUtcNow();
            var message = new RequestMessage(Guid.CreateVersion7(now), row.Id, user.Id, user.DisplayName, user.Role, command.Text!, now);
            await db.ExecuteAsync(InsertSql, new { message.Id, requestId = row.Id, authorId = user.Id, body = message.Text, now }, ct);
            await log.WriteAsync("create", "request-message", message.Id, row.HouseholdId, ct);
            if (fromBackOffice)
            {
                await involvements.RecordHandlingAsync(row.HouseholdId, row.OrganisationId, user.Id, ct);
            }
            var recipients = fromBackOffice ? [row.CoachConcerned] : await RequestRecipients.BackOfficeAsync(db, row.OrganisationId, ct);
            await notifier.NotifyAsync(recipients, RequestEventTypes.MessagePosted, $"Nieuw bericht bij verzoek: {row.ServiceName}",
                row.HouseholdId, row.Id, ct);
            await webhooks.EnqueueAsync(row.OrganisationId, RequestEventTypes.MessagePosted, row.Id, new
            {
                requestId = row.Id, messageId = message.Id, authorRole = user.Role, status = row.Status, version = row.Version,
            }, ct);
            return message with { CreatedAt = WorkingDays.InAmsterdam(now) };
        }
    }

    public static void Map(RouteGroupBuilder api) => api
        .MapPost("/requests/{id:guid}/messages", async (Guid id, Body body, IMediator mediator, CancellationToken ct) =>
        {
            var message = await mediator.Send(new Command(id, body.Text), ct);
            return TypedResults.Created($"/api/v1/requests/{id}/messages", message);
        })
        .RequireAuthorization(Policies.CoachOrBackOffice)
        .WithName("postRequestMessage")
        .WithSummary("Bericht in de verduidelijking van een verzoek (coach of back office van de geadresseerde)")
        .WithTags("Verzoeken");
}

public static class ListRequestMessages
{
    public sealed record Query(Guid RequestId) : IQuery<Thread>;

    public sealed record Thread(IReadOnlyList<RequestMessage> Items);

    internal const string ThreadSql = """
        SELECT m.id, m.request_id, m.author_id, u.display_name AS author_display_name, u.role AS author_role, m.body, m.created_at
        FROM request_messages m
        JOIN users u ON u.id = m.author_id
        WHERE m.request_id = @requestId
        ORDER BY m.created_at, m.id
        """;

    internal sealed record Row
    {
        public Guid Id { get; init; }
        public Guid RequestId { get; init; }
        public Guid AuthorId { get; init; }
        public string AuthorDisplayName { get; init; } = "";
        public string AuthorRole { get; init; } = "";
        public string Body { get; init; } = "";
        public DateTimeOffset CreatedAt { get; init; }
    }

    internal sealed class Handler(DbSession db, RequestAccess access) : IQueryHandler<Query, Thread>
    {
        public async ValueTask<Thread> Handle(Query query, CancellationToken ct)
        {
            await access.FindAsync(query.RequestId, "request-message", ct);
            var rows = await db.QueryAsync<Row>(ThreadSql, new { query.RequestId }, ct);
            return new Thread(rows.Select(r => new RequestMessage(r.Id, r.RequestId, r.AuthorId, r.AuthorDisplayName, r.AuthorRole,
                r.Body, WorkingDays.InAmsterdam(r.CreatedAt))).ToList());
        }
    }

    public static void Map(RouteGroupBuilder api) => api
        .MapGet("/requests/{id:guid}/messages", async (Guid id, IMediator mediator, CancellationToken ct) =>
            TypedResults.Ok(await mediator.Send(new Query(id), ct)))
        .RequireAuthorization(Policies.RequestParticipant)
        .WithName("listRequestMessages")
        .WithSummary("De verduidelijking van een verzoek, oudste eerst")
        .WithTags("Verzoeken");
}
