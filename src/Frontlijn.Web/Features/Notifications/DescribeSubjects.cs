using Frontlijn.Web.Features.AccessLog;
using Frontlijn.Web.Features.Households;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Mediator;

namespace Frontlijn.Web.Features.Notifications;

/// <summary>
/// Who the notifications in the bell are about: the household (family name, address) and its coach, for the requests
/// and households the notifications point at. Titles carry no names on purpose (they show on lock screens and in
/// logs), so the bell asks for this when its panel is opened. Need-to-know as everywhere: a coach or team lead for the
/// households of their team, a back office for the requests addressed to its organisation (what those requests carry);
/// anything else is simply not described. Takes ids rather than notification ids, so it does not depend on how the
/// inbox stores its rows. Every household described is one access-log row (a read of its name and address).
/// </summary>
public static class DescribeSubjects
{
    public const int MaxIds = 100;

    public sealed record Query(IReadOnlyList<Guid> RequestIds, IReadOnlyList<Guid> HouseholdIds) : IQuery<Subjects>;

    public sealed record Subject(Guid HouseholdId, string? FamilyName, Address Address, string? CoachDisplayName);

    public sealed record Subjects(IReadOnlyDictionary<Guid, Subject> Requests, IReadOnlyDictionary<Guid, Subject> Households);

    private const string Columns = """
        h.id AS household_id, h.street, h.house_number, h.house_number_suffix, h.postal_code, h.city,
        COALESCE(
            (SELECT MIN(m.family_name) FROM household_members m
             WHERE m.household_id = h.id AND m.role = 'head' AND m.departed_on IS NULL),
            (SELECT MIN(m.family_name) FROM household_members m
             WHERE m.household_id = h.id AND m.departed_on IS NULL)) AS family_name,
        cu.display_name AS coach_display_name
        """;

    private const string Coach = """
        LEFT JOIN coach_assignments a ON a.household_id = h.id AND a.to_at IS NULL
        LEFT JOIN users cu ON cu.id = a.coach_id
        """;

    // Exactly one of organisationId / teamId is set, from the caller's role.
    internal const string RequestsSql = "SELECT r.id AS subject_id, " + Columns + """

        FROM requests r
        JOIN households h ON h.id = r.household_id
        """ + "\n" + Coach + "\n" + """
        WHERE r.id IN @ids
          AND ((@organisationId IS NOT NULL AND r.organisation_id = @organisationId)
               OR (@teamId IS NOT NULL AND h.team_id = @teamId))
        """;

    internal const string HouseholdsSql = "SELECT h.id AS subject_id, " + Columns + """

        FROM households h
        """ + "\n" + Coach + "\n" + """
        WHERE h.id IN @ids AND h.team_id = @teamId
        """;

    internal sealed record Row
    {
        public Guid SubjectId { get; init; }
        public Guid HouseholdId { get; init; }
        public string Street { get; init; } = "";
        public int HouseNumber { get; init; }
        public string HouseNumberSuffix { get; init; } = "";
        public string PostalCode { get; init; } = "";
        public string City { get; init; } = "";
        public string? FamilyName { get; init; }
        public string? CoachDisplayName { get; init; }

        public Subject ToSubject() => new(HouseholdId, FamilyName,
            new Address(Street, HouseNumber, HouseNumberSuffix.Length == 0 ? null : HouseNumberSuffix, PostalCode, City),
            CoachDisplayName);
    }

    internal sealed class Handler(DbSession db, CurrentUser user, AccessLogWriter log) : IQueryHandler<Query, Subjects>
    {
        public async ValueTask<Subjects> Handle(Query query, CancellationToken ct)
        {
            Guid? organisationId = user.IsInRole(Roles.BackOffice) ? user.OrganisationId : null;
            Guid? teamId = user.IsInRole(Roles.Coach) || user.IsInRole(Roles.TeamLead) ? user.TeamId : null;
            var requests = new Dictionary<Guid, Subject>();
            var households = new Dictionary<Guid, Subject>();
            if (organisationId is null && teamId is null) return new Subjects(requests, households);

            var requestIds = query.RequestIds.Distinct().Take(MaxIds).ToArray();
            if (requestIds.Length > 0)
            {
                foreach (var row in await db.QueryAsync<Row>(RequestsSql, new { ids = requestIds, organisationId, teamId }, ct))
                {
                    requests[row.SubjectId] = row.ToSubject();
                }
            }
            var householdIds = query.HouseholdIds.Distinct().Take(MaxIds).ToArray();
            if (householdIds.Length > 0 && teamId is not null)
            {
                foreach (var row in await db.QueryAsync<Row>(HouseholdsSql, new { ids = householdIds, teamId }, ct))
                {
                    households[row.SubjectId] = row.ToSubject();
                }
            }
            var read = requests.Values.Concat(households.Values).Select(s => s.HouseholdId).Distinct()
                .Select(h => ((Guid?)null, (Guid?)h)).ToList();
            await log.WriteListedAsync("read", "notification-subject", read, ct);
            return new Subjects(requests, households);
        }
    }
}
