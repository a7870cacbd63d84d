using FluentValidation;
using Frontlijn.Web.Features.AccessLog;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Mediator;

namespace Frontlijn.Web.Features.Households;

/// <summary>Someone joins the household (a birth, a partner moving in): the same fields and rules as at registration.</summary>
public static class AddMember
{
    public sealed record Command(Guid HouseholdId, MemberInput? Member) : ICommand<Member>;

    /// <summary>The registration's member rules, with the field names of this body (givenName, not member.givenName).</summary>
    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator(TimeProvider time)
        {
            var member = new MemberValidator(time);
            RuleFor(c => c.Member).NotNull().WithMessage("Stuur het lid als JSON-object.");
            RuleFor(c => c).Custom((c, context) =>
            {
                if (c.Member is null) return;
                foreach (var failure in member.Validate(c.Member).Errors) context.AddFailure(failure);
            });
        }
    }

    internal sealed class Handler(
        DbSession db, HouseholdAccess access, CurrentUser user, BsnHasher bsn, AccessLogWriter log, TimeProvider time)
        : ICommandHandler<Command, Member>
    {
        public async ValueTask<Member> Handle(Command command, CancellationToken ct)
        {
            var household = await Members.LockForMemberChangeAsync(access, user, command.HouseholdId, ct);
            var member = command.Member!;
            var id = Guid.CreateVersion7();
            var bsnHash = member.Bsn is null ? null : bsn.Hash(member.Bsn);
            if (bsnHash is not null &&
                await db.ExecuteScalarAsync<int>(Members.SameBsnSql, new { householdId = household.Id, bsnHash, memberId = id }, ct) > 0)
            {
                throw new ValidationException([new("bsn", "Dit BSN staat al bij een lid van dit huishouden.")]);
            }
            await db.ExecuteAsync(RegisterHousehold.InsertMemberSql, new
            {
                id, householdId = household.Id, givenName = member.GivenName!.Trim(), familyName = member.FamilyName!.Trim(),
                familyNameKey = FamilyNames.Key(member.FamilyName), member.DateOfBirth, member.Role, bsnHash,
                bsnLast4 = member.Bsn is null ? null : Bsn.Last4(member.Bsn), now = time.GetUtcNow(),
            }, ct);
            await log.WriteAsync("create", "member", id, household.Id, ct);
            return (await Members.FindAsync(db, household.Id, id, ct)).ToMember();
        }
    }

    public static void Map(RouteGroupBuilder api) => api
        .MapPost("/households/{id:guid}/members", async (Guid id, MemberInput body, IMediator mediator, CancellationToken ct) =>
        {
            var member = await mediator.Send(new Command(id, body), ct);
            return TypedResults.Created($"/api/v1/households/{id}/members/{member.Id}", member);
        })
        .RequireAuthorization(Policies.CoachOrTeamLead)
        .WithName("addHouseholdMember")
        .WithSummary("Lid toevoegen (coach van het huishouden of vervanger, teamleider); BSN alleen gemaskeerd terug")
        .WithTags("Huishoudens");
}
