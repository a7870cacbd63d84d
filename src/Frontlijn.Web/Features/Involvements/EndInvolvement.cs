using FluentValidation;
using Frontlijn.Web.Features.AccessLog;
using Frontlijn.Web.Features.Requests;
using Frontlijn.Web.Features.Households;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;
using Frontlijn.Web.Features.Reports;

namespace Frontlijn.Web.Features.Involvements;

/// <summary>The coach ends an involvement explicitly (the provider is no longer involved), as of a date (today by default).</summary>
public static class EndInvolvement
{
    public sealed record Body(DateOnly? EndedOn);

    public sealed record Command(Guid HouseholdId, Guid InvolvementId, DateOnly? EndedOn) : ICommand<Involvement>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator(TimeProvider time) => RuleFor(c => c.EndedOn)
            .Must(d => d is null || d <= WorkingDays.LocalDate(time.GetUtcNow()))
            .WithMessage("Einddatum ligt niet in de toekomst.");
    }

    internal const string EndSql = """
        UPDATE involvements SET ended_at = @endedAt, end_reason = 'explicit'
        WHERE id = @involvementId AND household_id = @householdId AND ended_at IS NULL AND since <= @endedAt
        """;

    internal const string FindSql = ListInvolvements.SelectRows + "\n" + """
        WHERE i.id = @involvementId AND i.household_id = @householdId
        """;

    internal sealed class Handler(DbSession db, HouseholdAccess access, AccessLogWriter log, InvolvementThreshold threshold, TimeProvider time)
        : ICommandHandler<Command, Involvement>
    {
        public async ValueTask<Involvement> Handle(Command command, CancellationToken ct)
        {
            var household = await access.LockForChangeAsync(command.HouseholdId, ct, "involvement");
            await access.RequireOwnCoachAsync(household, "update", "involvement", InvolvementAccess.OwnCoachOnly, ct);
            var before = await db.QuerySingleOrDefaultAsync<ListInvolvements.Row>(FindSql, new { command.HouseholdId, command.InvolvementId }, ct)
                         ?? throw ProblemException.NotFound("Deze betrokkenheid");
            if (before.EndedAt is not null)
            {
                throw ProblemException.Conflict("Deze betrokkenheid is al beëindigd.");
            }
            var now = time.GetUtcNow();
            var endedAt = command.EndedOn is { } date && date < WorkingDays.LocalDate(now) ? WorkingDays.StartOfDay(date.AddDays(1)) : now;
            if (await db.ExecuteAsync(EndSql, new { command.HouseholdId, command.InvolvementId, endedAt }, ct) == 0)
            {
                throw new ValidationException([new("endedOn", "Een betrokkenheid eindigt niet vóór zij begon.")]);
            }
            await log.WriteAsync("update", "involvement", command.InvolvementId, command.HouseholdId, ct);
            await HouseholdSummary.RefreshAsync(db, command.HouseholdId, ct);
            await threshold.CheckAsync(command.HouseholdId, ct);
            var after = await db.QuerySingleOrDefaultAsync<ListInvolvements.Row>(FindSql, new { command.HouseholdId, command.InvolvementId }, ct);
            return after!.ToInvolvement();
        }
    }

    public static void Map(RouteGroupBuilder api) => api
        .MapPost("/households/{id:guid}/involvements/{involvementId:guid}/end",
            async (Guid id, Guid involvementId, Body? body, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new Command(id, involvementId, body?.EndedOn), ct)))
        .RequireAuthorization(Policies.Coach)
        .WithName("endInvolvement")
        .WithSummary("Betrokkenheid beëindigen")
        .WithTags("Betrokkenheid");
}
