using Frontlijn.Web.Features.Households;
using Frontlijn.Web.Infrastructure.Data;
using Mediator;

namespace Frontlijn.Web.Features.Residents;

/// <summary>
/// For the coach's household page: what the household said itself through the portal — its notes on goals, whether
/// each resident agrees with the plan, and the consents it withdrew. Same need-to-know as the household
/// (<see cref="HouseholdAccess.ReadAsync"/>: the team's coaches and team lead; 404 and a logged refusal otherwise).
/// </summary>
public static class GetHouseholdVoice
{
    public sealed record Query(Guid HouseholdId) : IQuery<HouseholdVoice>;

    public sealed record HouseholdVoice(
        IReadOnlyList<Agreement> Agreements, IReadOnlyList<Note> Notes, IReadOnlyList<WithdrawnConsent> WithdrawnConsents);

    public sealed record Agreement(string MemberName, bool Agrees, DateTimeOffset RecordedAt);

    public sealed record Note(Guid GoalId, string GoalDescription, string MemberName, string Text, DateTimeOffset CreatedAt);

    public sealed record WithdrawnConsent(Guid ConsentId, string OrganisationName, string Purpose, string MemberName, DateOnly WithdrawnOn);

    internal const string AgreementsSql = """
        SELECT m.given_name, m.family_name, a.agrees, a.recorded_at
        FROM plan_agreements a
        JOIN household_members m ON m.id = a.member_id
        WHERE a.household_id = @householdId
        ORDER BY a.recorded_at DESC
        """;

    internal const string NotesSql = """
        SELECT n.goal_id, g.description AS goal_description, m.given_name, m.family_name, n.text, n.created_at
        FROM plan_goal_notes n
        JOIN plan_goals g ON g.id = n.goal_id
        JOIN household_members m ON m.id = n.member_id
        WHERE n.household_id = @householdId
        ORDER BY n.created_at DESC, n.id DESC
        """;

    internal const string WithdrawnSql = """
        SELECT c.id AS consent_id, o.name AS organisation_name, c.purpose, m.given_name, m.family_name, c.withdrawn_on
        FROM consents c
        JOIN organisations o ON o.id = c.organisation_id
        JOIN household_members m ON m.id = c.withdrawn_by_member_id
        WHERE c.household_id = @householdId AND c.withdrawn_on IS NOT NULL
        ORDER BY c.withdrawn_on DESC, c.id
        """;

    internal sealed record AgreementRow
    {
        public string? GivenName { get; init; }
        public string FamilyName { get; init; } = "";
        public bool Agrees { get; init; }
        public DateTimeOffset RecordedAt { get; init; }
    }

    internal sealed record NoteRow
    {
        public Guid GoalId { get; init; }
        public string GoalDescription { get; init; } = "";
        public string? GivenName { get; init; }
        public string FamilyName { get; init; } = "";
        public string Text { get; init; } = "";
        public DateTimeOffset CreatedAt { get; init; }
    }

    internal sealed record WithdrawnRow
    {
        public Guid ConsentId { get; init; }
        public string OrganisationName { get; init; } = "";
        public string Purpose { get; init; } = "";
        public string? GivenName { get; init; }
        public string FamilyName { get; init; } = "";
        public DateOnly WithdrawnOn { get; init; }
    }

    internal sealed class Handler(DbSession db, HouseholdAccess households) : IQueryHandler<Query, HouseholdVoice>
    {
        public async ValueTask<HouseholdVoice> Handle(Query query, CancellationToken ct)
        {
            await households.ReadAsync(query.HouseholdId, "household-voice", ct);
            var householdId = query.HouseholdId;
            var agreements = (await db.QueryAsync<AgreementRow>(AgreementsSql, new { householdId }, ct))
                .Select(a => new Agreement(GetMyHousehold.Name(a.GivenName, a.FamilyName), a.Agrees, a.RecordedAt)).ToList();
            var notes = (await db.QueryAsync<NoteRow>(NotesSql, new { householdId }, ct))
                .Select(n => new Note(n.GoalId, n.GoalDescription, GetMyHousehold.Name(n.GivenName, n.FamilyName), n.Text, n.CreatedAt)).ToList();
            var withdrawn = (await db.QueryAsync<WithdrawnRow>(WithdrawnSql, new { householdId }, ct))
                .Select(w => new WithdrawnConsent(w.ConsentId, w.OrganisationName, w.Purpose, GetMyHousehold.Name(w.GivenName, w.FamilyName),
                    w.WithdrawnOn)).ToList();
            return new HouseholdVoice(agreements, notes, withdrawn);
        }
    }
}
