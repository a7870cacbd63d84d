using FluentValidation;
using Frontlijn.Web.Features.AccessLog;
using Frontlijn.Web.Features.Requests;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;

namespace Frontlijn.Web.Features.Rights;

/// <summary>
/// <c>POST /api/v1/households/{id}/legal-hold</c> (admin): blocks the household's erasure until <c>until</c> (AVG art.
/// 17(3)(b) and (e): a legal obligation, a legal claim, an investigation). A household may have several holds; the
/// latest <c>until</c> counts, so a second, shorter hold never shortens the first. A hold is never deleted: it explains
/// why a household outlived its period.
/// </summary>
public static class PlaceLegalHold
{
    public sealed record Body(string? Reason, DateOnly? Until);

    public sealed record Command(Guid HouseholdId, string? Reason, DateOnly? Until) : ICommand<LegalHold>;

    public sealed record LegalHold(Guid Id, Guid HouseholdId, string Reason, DateOnly Until, Guid PlacedBy, DateTimeOffset PlacedAt);

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator(TimeProvider time)
        {
            RuleFor(c => c.Reason).NotEmpty().WithMessage("Geef de reden van de bewaarplicht (bijvoorbeeld een lopende procedure).")
                .MaximumLength(1000).WithMessage("De reden is hoogstens 1000 tekens.");
            RuleFor(c => c.Until).NotNull().WithMessage("Geef de datum tot wanneer de gegevens bewaard moeten blijven.")
                .Must(d => d is null || d >= WorkingDays.LocalDate(time.GetUtcNow()))
                .WithMessage("De datum ligt niet in het verleden.")
                .Must(d => d is null || d <= WorkingDays.LocalDate(time.GetUtcNow()).AddYears(100))
                .WithMessage("De datum ligt hoogstens 100 jaar vooruit.");
        }
    }

    internal const string HouseholdSql = "SELECT COUNT(*) FROM households WHERE id = @householdId AND erased_at IS NULL";

    internal const string ExistsSql = "SELECT COUNT(*) FROM households WHERE id = @householdId";

    internal const string InsertSql = """
        INSERT INTO legal_holds (id, household_id, reason, until_on, placed_by, placed_at)
        VALUES (@id, @householdId, @reason, @until, @placedBy, @now)
        """;

    internal sealed class Handler(DbSession db, CurrentUser user, AccessLogWriter log, TimeProvider time) : ICommandHandler<Command, LegalHold>
    {
        public async ValueTask<LegalHold> Handle(Command command, CancellationToken ct)
        {
            // The gate answers 410 for an erased household before this runs; a race with the sweep ends here as 410 too.
            if (await db.ExecuteScalarAsync<int>(HouseholdSql, new { command.HouseholdId }, ct) == 0)
            {
                var exists = await db.ExecuteScalarAsync<int>(ExistsSql, new { command.HouseholdId }, ct);
                throw exists == 0 ? ProblemException.NotFound("Dit huishouden") : Erasure.Gone();
            }
            var hold = new LegalHold(Guid.CreateVersion7(), command.HouseholdId, command.Reason!.Trim(), command.Until!.Value, user.Id,
                time.GetUtcNow());
            await db.ExecuteAsync(InsertSql, new
            {
                hold.Id, hold.HouseholdId, hold.Reason, hold.Until, placedBy = hold.PlacedBy, now = hold.PlacedAt,
            }, ct);
            await log.WriteAsync("create", "legal-hold", hold.Id, hold.HouseholdId, ct);
            return hold;
        }
    }

    public static void Map(RouteGroupBuilder api) => api
        .MapPost("/households/{id:guid}/legal-hold", async (Guid id, Body body, IMediator mediator, CancellationToken ct) =>
        {
            var hold = await mediator.Send(new Command(id, body.Reason, body.Until), ct);
            return TypedResults.Created($"/api/v1/households/{id}/legal-hold", hold);
        })
        .RequireAuthorization(Policies.Admin)
        .ProducesProblem(StatusCodes.Status410Gone)
        .WithName("placeLegalHold")
        .WithSummary("Bewaarplicht vastleggen: de gegevens van het huishouden worden niet vernietigd tot de datum (beheerder)")
        .WithTags("Huishoudens");
}
