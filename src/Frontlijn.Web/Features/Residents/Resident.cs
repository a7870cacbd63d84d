using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Frontlijn.Web.Infrastructure.Web;

namespace Frontlijn.Web.Features.Residents;

/// <summary>The signed-in resident: a household member, and only ever their own household.</summary>
public sealed class ResidentScope(CurrentUser user)
{
    public Guid MemberId => user.ResidentMemberId ?? throw Refused();

    public Guid HouseholdId => user.ResidentHouseholdId ?? throw Refused();

    private static ProblemException Refused() => ProblemException.Forbidden("Dit is alleen voor bewoners die met DigiD zijn aangemeld.");
}

/// <summary>Notification types the household's own actions raise for its coach (also the SignalR <c>type</c>).</summary>
public static class ResidentNotificationTypes
{
    public const string ConsentWithdrawn = "nl.frontlijn.consent.withdrawn";
    public const string GoalNoteAdded = "nl.frontlijn.plan.household-note-added";
    public const string AgreementChanged = "nl.frontlijn.plan.household-agreement-changed";
}

/// <summary>The household's current coach (its one contact), to notify of what the household did itself.</summary>
internal static class HouseholdCoach
{
    internal const string CoachSql = "SELECT coach_id FROM coach_assignments WHERE household_id = @householdId AND to_at IS NULL";

    // The same no-op change HouseholdAccess uses: a change of one household is serialised from here on.
    internal const string LockSql = "UPDATE households SET version = version + 1 WHERE id = @householdId";

    public static async Task<IReadOnlyList<Guid>> RecipientsAsync(DbSession db, Guid householdId, CancellationToken ct) =>
        [.. await db.QueryAsync<Guid>(CoachSql, new { householdId }, ct)];

    public static async Task LockAsync(DbSession db, Guid householdId, CancellationToken ct)
    {
        if (await db.ExecuteAsync(LockSql, new { householdId }, ct) == 0) throw ProblemException.NotFound("Uw huishouden");
    }
}

/// <summary>A note of the household on a goal of its plan (1Gezin1Plan: the family's own voice).</summary>
/// <param name="WrittenBy">The member who wrote it (given and family name).</param>
public sealed record GoalNote(Guid Id, Guid GoalId, string Text, string WrittenBy, DateTimeOffset CreatedAt);

/// <summary>Whether a member agrees with the family plan, and since when.</summary>
public sealed record PlanAgreement(bool Agrees, DateTimeOffset RecordedAt);

public static class ResidentsEndpoints
{
    public const string Tag = "Mijn huishouden";

    public static RouteGroupBuilder MapResidents(this RouteGroupBuilder api)
    {
        GetMyHousehold.Map(api);
        WithdrawMyConsent.Map(api);
        ListMyAccessLog.Map(api);
        AddGoalNote.Map(api);
        SetPlanAgreement.Map(api);
        ExportMyHousehold.Map(api);
        return api;
    }
}
