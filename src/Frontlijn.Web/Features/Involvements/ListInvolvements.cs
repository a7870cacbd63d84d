using Frontlijn.Web.Features.Requests;
using Frontlijn.Web.Features.Households;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Mediator;

namespace Frontlijn.Web.Features.Involvements;

public static class ListInvolvements
{
    public sealed record Query(Guid HouseholdId, bool IncludeEnded) : IQuery<Register>;

    /// <summary>The register of one household, open first, with how many organisations and professionals are involved now.</summary>
    public sealed record Register(int OrganisationsNow, int ProfessionalsNow, IReadOnlyList<Involvement> Items);

    /// <summary>An involvement as <see cref="Row"/> reads it: names from the organisation and user rows when there are any.</summary>
    internal const string SelectRows = """
        SELECT i.id, i.organisation_id, COALESCE(o.name, i.provider_name) AS provider_name, i.professional_id,
               COALESCE(u.display_name, i.professional_name) AS professional_name, i.source, i.since, i.last_activity_at,
               i.ended_at, i.end_reason
        FROM involvements i
        LEFT JOIN organisations o ON o.id = i.organisation_id
        LEFT JOIN users u ON u.id = i.professional_id
        """;

    internal const string ListSql = SelectRows + "\n" + """
        WHERE i.household_id = @householdId AND (@includeEnded = 1 OR i.ended_at IS NULL)
        ORDER BY CASE WHEN i.ended_at IS NULL THEN 0 ELSE 1 END, i.since, i.id
        """;

    internal sealed record Row
    {
        public Guid Id { get; init; }
        public Guid? OrganisationId { get; init; }
        public string? ProviderName { get; init; }
        public Guid? ProfessionalId { get; init; }
        public string? ProfessionalName { get; init; }
        public string Source { get; init; } = "";
        public DateTimeOffset Since { get; init; }
        public DateTimeOffset LastActivityAt { get; init; }
        public DateTimeOffset? EndedAt { get; init; }
        public string? EndReason { get; init; }

        public Involvement ToInvolvement() => new(Id, OrganisationId, ProviderName ?? "", ProfessionalId, ProfessionalName, Source,
            WorkingDays.LocalDate(Since), LastActivityAt, EndedAt is { } ended ? WorkingDays.LocalDate(ended) : null, EndReason);
    }

    internal sealed class Handler(DbSession db, HouseholdAccess access) : IQueryHandler<Query, Register>
    {
        public async ValueTask<Register> Handle(Query query, CancellationToken ct)
        {
            await access.ReadAsync(query.HouseholdId, "involvement", ct);
            var rows = await db.QueryAsync<Row>(ListSql, new { query.HouseholdId, includeEnded = query.IncludeEnded ? 1 : 0 }, ct);
            var counts = await db.QuerySingleOrDefaultAsync<OpenInvolvementCounts.Row>(OpenInvolvementCounts.Sql, new { query.HouseholdId }, ct)
                         ?? new OpenInvolvementCounts.Row();
            return new Register(counts.Organisations, counts.Professionals, rows.Select(r => r.ToInvolvement()).ToList());
        }
    }

    public static void Map(RouteGroupBuilder api) => api
        .MapGet("/households/{id:guid}/involvements", async (Guid id, bool? includeEnded, IMediator mediator, CancellationToken ct) =>
            TypedResults.Ok(await mediator.Send(new Query(id, includeEnded ?? true), ct)))
        .RequireAuthorization(Policies.CoachOrTeamLead)
        .WithName("listInvolvements")
        .WithSummary("Betrokken aanbieders en professionals van een huishouden, lopende eerst")
        .WithTags("Betrokkenheid");
}
