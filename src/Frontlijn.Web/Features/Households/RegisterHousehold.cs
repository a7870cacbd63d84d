using System.Data.Common;
using FluentValidation;
using Frontlijn.Web.Features.AccessLog;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;
using Frontlijn.Web.Features.Reports;

namespace Frontlijn.Web.Features.Households;

/// <summary>
/// A coach or team lead registers a household of their own team. A coach who registers becomes its coach at once
/// (status active); a team lead's registration is <c>registered</c> and waits for a coach. One open household per
/// address: a second registration is refused with a pointer to the existing contact when the caller may know it.
/// </summary>
public static class RegisterHousehold
{
    public sealed record Command(Guid? NeighbourhoodId, AddressInput? Address, IReadOnlyList<MemberInput>? Members)
        : ICommand<HouseholdDetail>;

    public const int MaxMembers = 30;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator(TimeProvider time)
        {
            RuleFor(c => c.NeighbourhoodId).NotNull().NotEqual(Guid.Empty);
            RuleFor(c => c.Address).NotNull().SetValidator(new AddressValidator()!);
            RuleFor(c => c.Members).NotEmpty().WithMessage("Een huishouden heeft minstens één lid.")
                .Must(m => m is null || m.Count <= MaxMembers).WithMessage($"Een huishouden heeft hoogstens {MaxMembers} leden.")
                .Must(m => m is null || m.Where(x => x?.Bsn is not null).GroupBy(x => x.Bsn).All(g => g.Count() == 1))
                .WithMessage("Hetzelfde BSN staat bij meer dan één lid.");
            RuleForEach(c => c.Members).NotNull().SetValidator(new MemberValidator(time));
        }
    }

    /// <summary>A household to create, already normalised (also used by signal triage).</summary>
    internal sealed record NewHousehold(
        Guid NeighbourhoodId, Guid TeamId, string Street, int HouseNumber, string HouseNumberSuffix, string PostalCode,
        string City, IReadOnlyList<NewMember> Members);

    internal sealed record NewMember(
        string? GivenName, string FamilyName, DateOnly? DateOfBirth, string Role, string? BsnHash, string? BsnLast4);

    internal const string NeighbourhoodOfTeamSql = """
        SELECT COUNT(*) FROM team_neighbourhoods WHERE team_id = @teamId AND neighbourhood_id = @neighbourhoodId
        """;

    internal const string NeighbourhoodExistsSql = "SELECT COUNT(*) FROM neighbourhoods WHERE id = @neighbourhoodId";

    internal const string OpenAtAddressSql = """
        SELECT h.id, h.team_id, u.display_name AS coach_display_name
        FROM households h
        LEFT JOIN coach_assignments a ON a.household_id = h.id AND a.to_at IS NULL
        LEFT JOIN users u ON u.id = a.coach_id
        WHERE h.closed_at IS NULL AND h.postal_code = @postalCode AND h.house_number = @houseNumber
          AND h.house_number_suffix = @houseNumberSuffix
        """;

    internal const string InsertSql = """
        INSERT INTO households (id, neighbourhood_id, team_id, street, house_number, house_number_suffix, postal_code, city,
                                status, closure_reason, registered_by, created_at, closed_at, version)
        VALUES (@id, @neighbourhoodId, @teamId, @street, @houseNumber, @houseNumberSuffix, @postalCode, @city,
                @status, NULL, @registeredBy, @now, NULL, 1)
        """;

    internal const string InsertMemberSql = """
        INSERT INTO household_members (id, household_id, given_name, family_name, family_name_key, date_of_birth, role,
                                       bsn_hash, bsn_last4, created_at)
        VALUES (@id, @householdId, @givenName, @familyName, @familyNameKey, @dateOfBirth, @role, @bsnHash, @bsnLast4, @now)
        """;

    internal sealed record ExistingRow
    {
        public Guid Id { get; init; }
        public Guid TeamId { get; init; }
        public string? CoachDisplayName { get; init; }
    }

    /// <summary>Inserts the household and its members (status registered); 409 when the address already has an open one.</summary>
    internal static async Task<HouseholdRow> InsertAsync(
        DbSession db, CurrentUser user, TimeProvider time, NewHousehold household, CancellationToken ct)
    {
        var existing = await db.QuerySingleOrDefaultAsync<ExistingRow>(OpenAtAddressSql, new
        {
            household.PostalCode, household.HouseNumber, household.HouseNumberSuffix,
        }, ct);
        if (existing is not null) throw DuplicateAddress(existing, user);

        var id = Guid.CreateVersion7();
        var now = time.GetUtcNow();
        try
        {
            await db.ExecuteAsync(InsertSql, new
            {
                id, household.NeighbourhoodId, household.TeamId, household.Street, household.HouseNumber,
                household.HouseNumberSuffix, household.PostalCode, household.City, status = HouseholdStatus.Registered,
                registeredBy = user.Id, now,
            }, ct);
        }
        catch (DbException ex) when (db.Dialect.IsUniqueViolation(ex))
        {
            throw ProblemException.Conflict("Zojuist is op dit adres al een huishouden geregistreerd.");
        }
        foreach (var member in household.Members)
        {
            await db.ExecuteAsync(InsertMemberSql, new
            {
                id = Guid.CreateVersion7(), householdId = id, member.GivenName, member.FamilyName,
                familyNameKey = FamilyNames.Key(member.FamilyName), member.DateOfBirth, member.Role, member.BsnHash,
                member.BsnLast4, now,
            }, ct);
        }
        await HouseholdSummary.RefreshAsync(db, id, ct);
        return new HouseholdRow
        {
            Id = id, NeighbourhoodId = household.NeighbourhoodId, TeamId = household.TeamId, Street = household.Street,
            HouseNumber = household.HouseNumber, HouseNumberSuffix = household.HouseNumberSuffix,
            PostalCode = household.PostalCode, City = household.City, Status = HouseholdStatus.Registered,
            CreatedAt = now, Version = 1,
        };
    }

    private static ProblemException DuplicateAddress(ExistingRow existing, CurrentUser user)
    {
        if ((user.IsInRole(Roles.Coach) || user.IsInRole(Roles.TeamLead)) && user.TeamId == existing.TeamId)
        {
            var contact = existing.CoachDisplayName is { } name
                ? $"De contactpersoon is {name}."
                : "Het wacht nog op een coach (triage door de teamleider).";
            return new ProblemException(409, "Conflict",
                $"Op dit adres is al een lopend huishouden van uw team. {contact}")
            {
                Extensions = new Dictionary<string, object?> { ["householdId"] = existing.Id },
            };
        }
        // Another team's household: the caller may not read it, but the one-contact model says where to go.
        return ProblemException.Conflict(
            "Op dit adres is al een lopend huishouden bij een ander team. Meld uw zorg als signaal " +
            "(POST /api/v1/signals); dan komt die bij de contactpersoon van dat huishouden.");
    }

    internal sealed class Handler(
        DbSession db, CurrentUser user, TimeProvider time, BsnHasher bsn, CoachAssigner assigner, AccessLogWriter log)
        : ICommandHandler<Command, HouseholdDetail>
    {
        public async ValueTask<HouseholdDetail> Handle(Command command, CancellationToken ct)
        {
            var teamId = user.TeamId ?? throw ProblemException.Forbidden("Alleen coaches en teamleiders van een team registreren huishoudens.");
            var neighbourhoodId = command.NeighbourhoodId!.Value;
            if (await db.ExecuteScalarAsync<int>(NeighbourhoodExistsSql, new { neighbourhoodId }, ct) == 0)
            {
                throw new ValidationException([new("neighbourhoodId", "Deze wijk bestaat niet.")]);
            }
            if (await db.ExecuteScalarAsync<int>(NeighbourhoodOfTeamSql, new { teamId, neighbourhoodId }, ct) == 0)
            {
                throw new ValidationException([new("neighbourhoodId", "Deze wijk hoort niet bij uw team.")]);
            }
            var address = command.Address!;
            var household = await InsertAsync(db, user, time, new NewHousehold(
                neighbourhoodId, teamId, address.Street!.Trim(), address.HouseNumber!.Value, address.NormalisedSuffix(),
                address.NormalisedPostalCode(), address.City!.Trim(),
                command.Members!.Select(m => new NewMember(
                    m.GivenName!.Trim(), m.FamilyName!.Trim(), m.DateOfBirth, m.Role!,
                    m.Bsn is null ? null : bsn.Hash(m.Bsn), m.Bsn is null ? null : Bsn.Last4(m.Bsn))).ToList()), ct);
            await log.WriteAsync("create", "household", household.Id, household.Id, ct);

            if (user.IsInRole(Roles.Coach))
            {
                var coach = await assigner.AssignAsync(household, user.Id, "Geregistreerd door de coach", ct);
                household = household with
                {
                    Status = HouseholdStatus.Active, CoachId = coach.Id, CoachDisplayName = coach.DisplayName,
                };
            }
            return await GetHousehold.DetailAsync(db, household, ct);
        }
    }

    public static void Map(RouteGroupBuilder api) => api
        .MapPost("/households", async (Command command, IMediator mediator, CancellationToken ct) =>
        {
            var created = await mediator.Send(command, ct);
            return TypedResults.Created($"/api/v1/households/{created.Id}", created);
        })
        .RequireAuthorization(Policies.CoachOrTeamLead)
        .WithName("registerHousehold")
        .WithSummary("Huishouden registreren; een coach wordt meteen de contactpersoon")
        .WithTags("Huishoudens");
}
