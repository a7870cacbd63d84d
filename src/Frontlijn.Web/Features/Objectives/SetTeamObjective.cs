using FluentValidation;
using Frontlijn.Web.Features.AccessLog;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Mediator;

namespace Frontlijn.Web.Features.Objectives;

/// <summary>POST /teams/{id}/objectives: the team lead sets a target for one metric over a period (Plan).</summary>
public static class SetTeamObjective
{
    public sealed record Body(string? Metric, double? Target, DateOnly? From, DateOnly? To);

    public sealed record Command(Guid TeamId, string? Metric, double? Target, DateOnly? From, DateOnly? To) : ICommand<TeamObjective>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.Metric).NotEmpty().WithMessage("Kies een maatstaf.")
                .Must(m => m is null || ObjectiveMetrics.All.Contains(m))
                .WithMessage($"Kies een van de maatstaven: {string.Join(", ", ObjectiveMetrics.All)}.");
            RuleFor(c => c.Target).NotNull().WithMessage("Geef een streefwaarde.")
                .Must(t => t is null || (double.IsFinite(t.Value) && t >= 0)).WithMessage("De streefwaarde is een getal van 0 of meer.");
            RuleFor(c => c.Target).Must(t => t is null or <= 1.0)
                .When(c => c.Metric is not null && ObjectiveMetrics.IsShare(c.Metric))
                .WithMessage("Een aandeel ligt tussen 0 en 1.");
            RuleFor(c => c.From).NotNull().WithMessage("Geef een begindatum.");
            RuleFor(c => c.To).NotNull().WithMessage("Geef een einddatum.");
            RuleFor(c => c.To).Must((c, to) => c.From is null || to is null || to >= c.From)
                .WithMessage("De einddatum ligt niet voor de begindatum.");
            RuleFor(c => c.To).Must((c, to) => c.From is null || to is null || to.Value.DayNumber - c.From.Value.DayNumber <= 366 * 5)
                .WithMessage("Een teamdoel loopt hoogstens vijf jaar.");
        }
    }

    internal const string InsertSql = """
        INSERT INTO team_objectives (id, team_id, metric, target, from_on, to_on, created_by, created_at)
        VALUES (@id, @teamId, @metric, @target, @fromOn, @toOn, @createdBy, @now)
        """;

    internal sealed class Handler(DbSession db, ObjectiveAccess access, ObjectiveProgress progress, CurrentUser user,
        AccessLogWriter log, TimeProvider time) : ICommandHandler<Command, TeamObjective>
    {
        public async ValueTask<TeamObjective> Handle(Command command, CancellationToken ct)
        {
            await access.EnsureAsync(command.TeamId, ct);
            var id = Guid.CreateVersion7();
            var now = time.GetUtcNow();
            var (metric, target, fromOn, toOn) = (command.Metric!, command.Target!.Value, command.From!.Value, command.To!.Value);
            await db.ExecuteAsync(InsertSql, new { id, command.TeamId, metric, target, fromOn, toOn, createdBy = user.Id, now }, ct);
            await log.WriteAsync("create", "team-objective", id, null, ct);
            return new TeamObjective(id, command.TeamId, metric, target, fromOn, toOn, ObjectiveMetrics.HigherIsBetter(metric), now,
                await progress.ProgressAsync(command.TeamId, metric, target, fromOn, toOn, ct));
        }
    }

    public static void Map(RouteGroupBuilder api) => api
        .MapPost("/teams/{id:guid}/objectives", async (Guid id, Body body, IMediator mediator, CancellationToken ct) =>
        {
            var created = await mediator.Send(new Command(id, body.Metric, body.Target, body.From, body.To), ct);
            return TypedResults.Created($"/api/v1/teams/{id}/objectives/{created.Id}", created);
        })
        .RequireAuthorization(Policies.TeamLeadOrAdmin)
        .WithName("createTeamObjective")
        .WithSummary("Teamdoel vastleggen (teamleider van het team, of beheerder)")
        .WithTags("Rapportages");
}
