using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Mediator;

namespace Frontlijn.Web.Features.Households;

public static class GetHousehold
{
    public sealed record Query(Guid Id) : IQuery<HouseholdDetail>;

    internal const string MembersSql = """
        SELECT id, given_name, family_name, date_of_birth, role, bsn_last4, departed_on
        FROM household_members
        WHERE household_id = @householdId
        ORDER BY created_at, family_name, given_name, id
        """;

    internal sealed record MemberRow
    {
        public Guid Id { get; init; }
        public string? GivenName { get; init; }
        public string FamilyName { get; init; } = "";
        public DateOnly? DateOfBirth { get; init; }
        public string Role { get; init; } = "";
        public string? BsnLast4 { get; init; }
        public DateOnly? DepartedOn { get; init; }

        public Member ToMember() => new(Id, GivenName, FamilyName, DateOfBirth, Role, Bsn.Mask(BsnLast4), DepartedOn);
    }

    /// <summary>The detail of a household the caller may see; the BSN only as its mask.</summary>
    internal static async Task<HouseholdDetail> DetailAsync(DbSession db, HouseholdRow household, CancellationToken ct)
    {
        var members = (await db.QueryAsync<MemberRow>(MembersSql, new { householdId = household.Id }, ct))
            .Select(m => m.ToMember())
            .ToList();
        return new HouseholdDetail(household.Id, household.Status, household.NeighbourhoodId, household.TeamId,
            household.Address, members, household.Coach, household.ClosureReason, household.CreatedAt, household.ClosedAt,
            household.Version);
    }

    internal sealed class Handler(DbSession db, HouseholdAccess access) : IQueryHandler<Query, HouseholdDetail>
    {
        public async ValueTask<HouseholdDetail> Handle(Query query, CancellationToken ct) =>
            await DetailAsync(db, await access.ReadAsync(query.Id, "household", ct), ct);
    }

    public static void Map(RouteGroupBuilder api) => api
        .MapGet("/households/{id:guid}", async (Guid id, IMediator mediator, CancellationToken ct) =>
            TypedResults.Ok(await mediator.Send(new Query(id), ct)))
        // Any known user reaches the handler, which answers 404 outside need-to-know (never 403: that would reveal existence).
        .RequireAuthorization(Policies.CoachOrTeamLead)
        // An erased household's 410 comes from HouseholdAccess.ReadAsync, from the row it reads anyway.
        .WithMetadata(Rights.ErasedCheckedInHandler.Instance)
        .WithName("getHousehold")
        .WithSummary("Eén huishouden van het eigen team: status, adres, leden (BSN gemaskeerd), coach")
        .WithTags("Huishoudens");
}
