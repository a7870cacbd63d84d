using FluentValidation;
using FluentValidation.Results;
using Frontlijn.Web.Features.AccessLog;
using Frontlijn.Web.Features.Households;
using Frontlijn.Web.Features.Requests;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;

namespace Frontlijn.Web.Features.Assessments;

/// <summary>
/// The household's coach (or the team lead of its team) records a ZRM assessment of one member. Codes and scores only.
/// </summary>
public static class RecordAssessment
{
    public sealed record Body(
        Guid? MemberId, string? Phase, DateOnly? AssessedOn, string? InstrumentVersion, Dictionary<string, int>? Scores);

    public sealed record Command(
        Guid HouseholdId, Guid? MemberId, string? Phase, DateOnly? AssessedOn, string? InstrumentVersion,
        IReadOnlyDictionary<string, int>? Scores) : ICommand<Assessment>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator(TimeProvider time)
        {
            RuleFor(c => c.MemberId).NotNull().NotEqual(Guid.Empty);
            RuleFor(c => c.Phase).NotEmpty().Must(p => p is null || AssessmentPhase.All.Contains(p))
                .WithMessage("De fase is intake, evaluation of closure.");
            RuleFor(c => c.AssessedOn).NotNull()
                .Must(d => d is null || (d <= WorkingDays.LocalDate(time.GetUtcNow()) && d.Value.Year >= 2000))
                .WithMessage("De datum van de meting ligt niet in de toekomst (en niet voor 2000).");
            RuleFor(c => c.InstrumentVersion).NotEmpty().MaximumLength(50).When(c => c.InstrumentVersion is not null);
            RuleFor(c => c.Scores).NotEmpty().WithMessage("Een meting scoort minstens één ZRM-domein.");
            RuleFor(c => c.Scores).Custom(ScoresAreValid);
        }

        /// <summary>
        /// Every key a domain code, every score 1–5. An unknown key is reported under <c>scores</c> (it is not a field
        /// of ours); a wrong score under <c>scores.{code}</c>, so that a form can mark that domain.
        /// </summary>
        internal static void ScoresAreValid(IReadOnlyDictionary<string, int>? scores, ValidationContext<Command> context)
        {
            foreach (var (code, score) in scores ?? new Dictionary<string, int>())
            {
                if (!Zrm.IsDomain(code))
                {
                    var shown = code.Length > 40 ? code[..40] + "…" : code;
                    context.AddFailure(new ValidationFailure("scores", $"'{shown}' is geen ZRM-domein. {Zrm.DomainMessage}"));
                }
                else if (!Zrm.IsScore(score))
                {
                    context.AddFailure(new ValidationFailure($"scores.{code}", Zrm.ScoreMessage));
                }
            }
        }
    }

    internal const string MemberOfHouseholdSql = "SELECT COUNT(*) FROM household_members WHERE id = @memberId AND household_id = @householdId";

    internal const string InsertSql = """
        INSERT INTO assessments (id, household_id, member_id, phase, assessed_on, assessor_id, instrument_version, created_at)
        VALUES (@id, @householdId, @memberId, @phase, @assessedOn, @assessorId, @instrumentVersion, @now)
        """;

    internal const string InsertScoreSql = """
        INSERT INTO assessment_scores (assessment_id, domain, score) VALUES (@assessmentId, @domain, @score)
        """;

    internal sealed class Handler(DbSession db, HouseholdAccess households, CurrentUser user, AccessLogWriter log, TimeProvider time)
        : ICommandHandler<Command, Assessment>
    {
        public async ValueTask<Assessment> Handle(Command command, CancellationToken ct)
        {
            var household = await households.LockForChangeAsync(command.HouseholdId, ct);
            if (household.Status == HouseholdStatus.Closed)
            {
                throw ProblemException.Conflict("Dit huishouden is afgesloten; er kunnen geen metingen meer worden vastgelegd.");
            }
            if (!user.IsInRole(Roles.TeamLead) && household.CoachId != user.Id)
            {
                throw ProblemException.Forbidden("Alleen de coach van dit huishouden of de teamleider legt ZRM-metingen vast.");
            }
            var memberId = command.MemberId!.Value;
            if (await db.ExecuteScalarAsync<int>(MemberOfHouseholdSql, new { memberId, householdId = household.Id }, ct) == 0)
            {
                throw new ValidationException([new ValidationFailure("memberId", "Dit is geen lid van dit huishouden.")]);
            }

            var now = time.GetUtcNow();
            var id = Guid.CreateVersion7(now);
            var instrumentVersion = command.InstrumentVersion?.Trim() ?? Zrm.DefaultInstrumentVersion;
            await db.ExecuteAsync(InsertSql, new
            {
                id, householdId = household.Id, memberId, command.Phase, command.AssessedOn, assessorId = user.Id,
                instrumentVersion, now,
            }, ct);
            var scores = command.Scores!.OrderBy(s => Zrm.Position(s.Key)).ToDictionary(s => s.Key, s => s.Value, StringComparer.Ordinal);
            foreach (var (domain, score) in scores)
            {
                await db.ExecuteAsync(InsertScoreSql, new { assessmentId = id, domain, score }, ct);
            }
            await log.WriteAsync("create", "assessment", id, household.Id, ct);
            return new Assessment(id, memberId, command.Phase!, command.AssessedOn!.Value, instrumentVersion,
                new Assessor(user.Id, user.DisplayName), scores, now);
        }
    }

    public static void Map(RouteGroupBuilder api) => api
        .MapPost("/households/{id:guid}/assessments", async (Guid id, Body body, IMediator mediator, CancellationToken ct) =>
        {
            var assessment = await mediator.Send(
                new Command(id, body.MemberId, body.Phase, body.AssessedOn, body.InstrumentVersion, body.Scores), ct);
            return TypedResults.Created($"/api/v1/households/{id}/assessments/{assessment.Id}", assessment);
        })
        // Any known user reaches the handler, which answers 404 outside need-to-know.
        .RequireAuthorization(Policies.CoachOrTeamLead)
        .WithName("recordAssessment")
        .WithSummary("ZRM-meting (ZRM 2017) van een lid vastleggen: fase, datum, scores 1–5 per domeincode")
        .WithTags("ZRM-metingen");
}
