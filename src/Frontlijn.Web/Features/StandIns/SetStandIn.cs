using FluentValidation;
using Frontlijn.Web.Features.Requests;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;

namespace Frontlijn.Web.Features.StandIns;

/// <summary>
/// The team lead names a stand-in (waarnemer) for a coach of their team: <c>PUT /users/{id}/stand-in
/// {standInId, from, until}</c>, Amsterdam calendar days, both included. During that period the stand-in acts on the
/// coach's households as their coach (consents, involvements, thread, requests) and every access-log row of theirs
/// about those households carries <c>onBehalfOf</c> = the coach. The stand-in is an active coach of the same team, so
/// need-to-know stays within the team. PUT replaces: a coach has one stand-in at a time, and naming a new one ends
/// the running or planned one.
/// </summary>
public static class SetStandIn
{
    public sealed record Body(Guid? StandInId, DateOnly? From, DateOnly? Until);

    public sealed record Command(Guid CoachId, Guid? StandInId, DateOnly? From, DateOnly? Until) : ICommand<StandIn>;

    public sealed record StandIn(Guid Id, Guid CoachId, Guid StandInId, string StandInDisplayName, DateOnly From, DateOnly Until);

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator(TimeProvider time)
        {
            // Messages without API words: the stand-in page shows them at its fields as they are.
            RuleFor(c => c.StandInId).NotNull().WithMessage("Kies een waarnemer.").NotEqual(Guid.Empty).WithMessage("Kies een waarnemer.");
            RuleFor(c => c.StandInId).NotEqual(c => c.CoachId).WithMessage("Een coach neemt niet voor zichzelf waar.");
            RuleFor(c => c.From).NotNull().WithMessage("Vul de eerste dag van de waarneming in.");
            RuleFor(c => c.Until).NotNull().WithMessage("Vul de laatste dag van de waarneming in.")
                .Must((c, until) => until is null || c.From is null || until >= c.From)
                .WithMessage("De laatste dag ligt op of na de eerste dag.")
                .Must(until => until is null || until >= WorkingDays.LocalDate(time.GetUtcNow()))
                .WithMessage("Een waarneming die al voorbij is, kan niet meer worden ingesteld.")
                .Must((c, until) => until is null || c.From is null || until.Value.DayNumber - c.From.Value.DayNumber <= 366)
                .WithMessage("Een waarneming duurt hoogstens een jaar.");
        }
    }

    /// <summary>A coach of the caller's team (else 404: a team lead sees only their own team).</summary>
    internal const string CoachOfTeamSql = """
        SELECT COUNT(*) FROM users WHERE id = @id AND role = 'coach' AND team_id = @teamId
        """;

    internal const string StandInSql = """
        SELECT display_name FROM users
        WHERE id = @id AND role = 'coach' AND team_id = @teamId AND deactivated_at IS NULL
        """;

    // Ends what is running or still to come; what is over stays as it was.
    internal const string EndOpenSql = """
        UPDATE stand_ins SET ended_at = @now, ended_by = @userId
        WHERE coach_id = @coachId AND ended_at IS NULL AND until_at > @now
        """;

    internal const string InsertSql = """
        INSERT INTO stand_ins (id, coach_id, stand_in_id, from_at, until_at, ended_at, created_by, created_at, ended_by)
        VALUES (@id, @coachId, @standInId, @fromAt, @untilAt, NULL, @userId, @now, NULL)
        """;

    internal sealed class Handler(DbSession db, CurrentUser user, TimeProvider time) : ICommandHandler<Command, StandIn>
    {
        public async ValueTask<StandIn> Handle(Command command, CancellationToken ct)
        {
            var teamId = StandInRules.TeamOfLead(user);
            if (await db.ExecuteScalarAsync<int>(CoachOfTeamSql, new { id = command.CoachId, teamId }, ct) == 0)
            {
                throw ProblemException.NotFound("Deze coach");
            }
            var name = await db.QuerySingleOrDefaultAsync<string>(StandInSql, new { id = command.StandInId, teamId }, ct)
                       ?? throw new ValidationException([new("standInId", "De waarnemer is een actieve coach van hetzelfde team.")]);
            var now = time.GetUtcNow();
            await db.ExecuteAsync(EndOpenSql, new { now, userId = user.Id, command.CoachId }, ct);
            var id = Guid.CreateVersion7(now);
            await db.ExecuteAsync(InsertSql, new
            {
                id, command.CoachId, standInId = command.StandInId!.Value,
                fromAt = WorkingDays.StartOfDay(command.From!.Value), untilAt = WorkingDays.StartOfDay(command.Until!.Value.AddDays(1)),
                userId = user.Id, now,
            }, ct);
            return new StandIn(id, command.CoachId, command.StandInId.Value, name, command.From.Value, command.Until.Value);
        }
    }

    public static void Map(RouteGroupBuilder api) => api
        .MapPut("/users/{id:guid}/stand-in", async (Guid id, Body body, IMediator mediator, CancellationToken ct) =>
            TypedResults.Ok(await mediator.Send(new Command(id, body.StandInId, body.From, body.Until), ct)))
        .RequireAuthorization(Policies.TeamLead)
        .WithName("setStandIn")
        .WithSummary("Waarnemer voor een coach van het eigen team instellen (teamleider); vervangt een lopende waarneming")
        .WithTags("Waarneming");
}

/// <summary>The team lead ends the coach's running (or planned) stand-in now: <c>DELETE /users/{id}/stand-in</c>.</summary>
public static class EndStandIn
{
    public sealed record Command(Guid CoachId) : ICommand<bool>;

    internal sealed class Handler(DbSession db, CurrentUser user, TimeProvider time) : ICommandHandler<Command, bool>
    {
        public async ValueTask<bool> Handle(Command command, CancellationToken ct)
        {
            var teamId = StandInRules.TeamOfLead(user);
            if (await db.ExecuteScalarAsync<int>(SetStandIn.CoachOfTeamSql, new { id = command.CoachId, teamId }, ct) == 0)
            {
                throw ProblemException.NotFound("Deze coach");
            }
            if (await db.ExecuteAsync(SetStandIn.EndOpenSql, new { now = time.GetUtcNow(), userId = user.Id, command.CoachId }, ct) == 0)
            {
                throw ProblemException.NotFound("Een lopende of geplande waarneming voor deze coach");
            }
            return true;
        }
    }

    public static void Map(RouteGroupBuilder api) => api
        .MapDelete("/users/{id:guid}/stand-in", async (Guid id, IMediator mediator, CancellationToken ct) =>
        {
            await mediator.Send(new Command(id), ct);
            return TypedResults.NoContent();
        })
        .RequireAuthorization(Policies.TeamLead)
        .WithName("endStandIn")
        .WithSummary("Waarneming voor een coach nu beëindigen (teamleider)")
        .WithTags("Waarneming");
}

internal static class StandInRules
{
    /// <summary>A team lead without a team manages no coaches: 403, never a 500.</summary>
    public static Guid TeamOfLead(CurrentUser user) =>
        user.TeamId ?? throw ProblemException.Forbidden("U bent teamleider zonder team; u beheert geen waarneming.");
}

public static class StandInsEndpoints
{
    public static RouteGroupBuilder MapStandIns(this RouteGroupBuilder api)
    {
        SetStandIn.Map(api);
        EndStandIn.Map(api);
        return api;
    }
}
