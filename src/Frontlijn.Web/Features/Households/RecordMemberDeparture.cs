using FluentValidation;
using Frontlijn.Web.Features.AccessLog;
using Frontlijn.Web.Features.Requests;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;

namespace Frontlijn.Web.Features.Households;

/// <summary>
/// A member left the household (moved out, came of age, died): the row stays with the date and reason, so the
/// history shows who was part of it when; a departed member no longer counts as a member (the household shows
/// <c>departedOn</c>) and cannot give consent for it. The last current member cannot leave: a household without
/// members is a closure, not a departure.
/// </summary>
public static class RecordMemberDeparture
{
    public sealed record Body(DateOnly? On, string? Reason);

    public sealed record Command(Guid HouseholdId, Guid MemberId, DateOnly? On, string? Reason) : ICommand<Member>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator(TimeProvider time)
        {
            RuleFor(c => c.On).NotNull().WithMessage("Geef de datum van vertrek (on).")
                .Must(d => d is null || d <= WorkingDays.LocalDate(time.GetUtcNow()))
                .WithMessage("De datum van vertrek ligt niet in de toekomst.");
            RuleFor(c => c.Reason).NotEmpty().WithMessage("Geef een reden van vertrek.")
                .MaximumLength(1000).WithMessage("De reden is hoogstens 1000 tekens.");
        }
    }

    internal const string DepartSql = """
        UPDATE household_members SET departed_on = @on, departure_reason = @reason
        WHERE id = @memberId AND household_id = @householdId AND departed_on IS NULL
        """;

    internal const string CurrentMembersSql =
        "SELECT COUNT(*) FROM household_members WHERE household_id = @householdId AND departed_on IS NULL";

    internal sealed class Handler(DbSession db, HouseholdAccess access, CurrentUser user, AccessLogWriter log)
        : ICommandHandler<Command, Member>
    {
        public async ValueTask<Member> Handle(Command command, CancellationToken ct)
        {
            var household = await Members.LockForMemberChangeAsync(access, user, command.HouseholdId, ct);
            var member = await Members.FindAsync(db, household.Id, command.MemberId, ct);
            if (member.DepartedOn is not null)
            {
                throw ProblemException.Conflict("Dit lid is al vertrokken.");
            }
            if (await db.ExecuteScalarAsync<int>(CurrentMembersSql, new { householdId = household.Id }, ct) <= 1)
            {
                throw ProblemException.Conflict("Dit is het laatste lid van het huishouden; sluit dan het huishouden af.");
            }
            await db.ExecuteAsync(DepartSql, new
            {
                householdId = household.Id, command.MemberId, on = command.On!.Value, reason = command.Reason!.Trim(),
            }, ct);
            await log.WriteAsync("update", "member", command.MemberId, household.Id, ct);
            return (await Members.FindAsync(db, household.Id, command.MemberId, ct)).ToMember();
        }
    }

    public static void Map(RouteGroupBuilder api) => api
        .MapPost("/households/{id:guid}/members/{memberId:guid}/departure",
            async (Guid id, Guid memberId, Body body, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new Command(id, memberId, body.On, body.Reason), ct)))
        .RequireAuthorization(Policies.CoachOrTeamLead)
        .WithName("recordMemberDeparture")
        .WithSummary("Vertrek van een lid vastleggen {on, reason}: blijft in de geschiedenis, telt niet meer mee")
        .WithTags("Huishoudens");
}
