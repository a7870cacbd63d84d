using FluentValidation;
using Frontlijn.Web.Features.AccessLog;
using Frontlijn.Web.Features.Households;
using Frontlijn.Web.Features.Notifications;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;

namespace Frontlijn.Web.Features.Requests;

/// <summary>
/// The back office divides its work: a request addressed to the organisation is assigned to one colleague (an active
/// back-office user of that same organisation), or to nobody (<c>userId</c> null, or DELETE). A contract extension
/// (issue 10): the SPEC names no assignment. It is internal to the organisation, so it does not change the request's
/// <c>version</c> (a colleague's open status form stays valid), tells the coach nothing and sends no webhook; the new
/// assignee is notified.
/// </summary>
public static class AssignRequest
{
    public sealed record Body(Guid? UserId);

    public sealed record Command(Guid RequestId, Guid? UserId) : ICommand<Assignment>;

    public sealed record Assignment(Guid RequestId, CoachRef? Assignee);

    public const string AssignedType = "nl.frontlijn.request.assigned";

    internal const string ColleagueSql = """
        SELECT id, display_name, role, organisation_id, deactivated_at FROM users WHERE id = @userId
        """;

    internal const string UpdateSql = """
        UPDATE requests SET assignee_id = @userId, assigned_at = @now WHERE id = @id
        """;

    internal sealed record ColleagueRow
    {
        public Guid Id { get; init; }
        public string DisplayName { get; init; } = "";
        public string Role { get; init; } = "";
        public Guid? OrganisationId { get; init; }
        public DateTimeOffset? DeactivatedAt { get; init; }
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => RuleFor(c => c.UserId).NotEqual(Guid.Empty)
            .WithMessage("Kies een collega (userId), of laat het leeg om de toewijzing op te heffen.");
    }

    internal sealed class Handler(DbSession db, RequestAccess access, AccessLogWriter log, Notifier notifier, CurrentUser user,
        TimeProvider time) : ICommandHandler<Command, Assignment>
    {
        public async ValueTask<Assignment> Handle(Command command, CancellationToken ct)
        {
            // 404 (logged) for a request of another organisation, as for every read of it.
            var row = await access.FindAsync(command.RequestId, null, ct);
            if (!access.IsAddressee(row))
            {
                throw ProblemException.Forbidden("Alleen de organisatie waaraan het verzoek is gericht, verdeelt het werk.");
            }
            if (row.Status is RequestStatus.Answered or RequestStatus.Declined or RequestStatus.Withdrawn)
            {
                throw ProblemException.Conflict("Dit verzoek is afgerond; er valt geen werk meer toe te wijzen.");
            }
            CoachRef? assignee = null;
            if (command.UserId is { } userId)
            {
                var colleague = await db.QuerySingleOrDefaultAsync<ColleagueRow>(ColleagueSql, new { userId }, ct);
                // Someone outside the organisation is "not a colleague", whether or not they exist: no user oracle.
                if (colleague is null || colleague.Role != Roles.BackOffice || colleague.OrganisationId != row.OrganisationId)
                {
                    throw new ValidationException([new("userId", "Kies een collega van de back office van uw eigen organisatie.")]);
                }
                if (colleague.DeactivatedAt is not null)
                {
                    throw ProblemException.Conflict($"{colleague.DisplayName} is niet meer actief en kan geen werk toegewezen krijgen.");
                }
                assignee = new CoachRef(colleague.Id, colleague.DisplayName);
            }
            var now = time.GetUtcNow();
            await db.ExecuteAsync(UpdateSql, new { id = row.Id, userId = command.UserId, now = command.UserId is null ? (DateTimeOffset?)null : now }, ct);
            await log.WriteAsync("update", "request", row.Id, row.HouseholdId, ct);
            if (assignee is not null && assignee.Id != user.Id && assignee.Id != row.AssigneeId)
            {
                await notifier.NotifyAsync([assignee.Id], AssignedType,
                    $"{user.DisplayName} heeft een verzoek aan u toegewezen: {row.ServiceName}", row.HouseholdId, row.Id, ct);
            }
            return new Assignment(row.Id, assignee);
        }
    }

    public static void Map(RouteGroupBuilder api)
    {
        api.MapPut("/requests/{id:guid}/assignee", async (Guid id, Body body, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new Command(id, body.UserId), ct)))
            .RequireAuthorization(Policies.BackOffice)
            .WithName("assignRequest")
            .WithSummary("Verzoek toewijzen aan een collega van de eigen back office (userId null heft het op)")
            .WithTags("Verzoeken");
        api.MapDelete("/requests/{id:guid}/assignee", async (Guid id, IMediator mediator, CancellationToken ct) =>
            {
                await mediator.Send(new Command(id, null), ct);
                return TypedResults.NoContent();
            })
            .RequireAuthorization(Policies.BackOffice)
            .WithName("unassignRequest")
            .WithSummary("Toewijzing van een verzoek opheffen (back office van de geadresseerde)")
            .WithTags("Verzoeken");
    }
}
