using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Frontlijn.Web.Infrastructure.Web;

namespace Frontlijn.Web.Features.Households;

/// <summary>
/// What the member changes share: who may make them (the household's coach or their stand-in, and the team lead of
/// its team; a colleague of the team may see the household but not change who is in it: 403), and that a closed
/// household's composition is history (409).
/// </summary>
internal static class Members
{
    internal const string NotYours =
        "Alleen de coach van dit huishouden (of diens vervanger) en de teamleider wijzigen de leden.";

    internal const string FindSql = """
        SELECT id, given_name, family_name, date_of_birth, role, bsn_last4, departed_on
        FROM household_members
        WHERE id = @memberId AND household_id = @householdId
        """;

    /// <summary>Current members with this BSN hash (another member than <c>@memberId</c>).</summary>
    internal const string SameBsnSql = """
        SELECT COUNT(*) FROM household_members
        WHERE household_id = @householdId AND bsn_hash = @bsnHash AND departed_on IS NULL AND id <> @memberId
        """;

    internal static async Task<HouseholdRow> LockForMemberChangeAsync(
        HouseholdAccess access, CurrentUser user, Guid householdId, CancellationToken ct)
    {
        var household = await access.LockForChangeAsync(householdId, ct, "member");
        if (!user.IsInRole(Roles.TeamLead))
        {
            await access.RequireOwnCoachAsync(household, "update", "member", NotYours, ct);
        }
        if (household.Status == HouseholdStatus.Closed)
        {
            throw ProblemException.Conflict("Dit huishouden is afgesloten; de samenstelling wijzigt niet meer.");
        }
        return household;
    }

    internal static async Task<GetHousehold.MemberRow> FindAsync(DbSession db, Guid householdId, Guid memberId, CancellationToken ct) =>
        await db.QuerySingleOrDefaultAsync<GetHousehold.MemberRow>(FindSql, new { householdId, memberId }, ct)
        ?? throw ProblemException.NotFound("Dit lid");
}
