using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;

namespace Frontlijn.Web.Features.Admin.Users;

public static class ListUsers
{
    /// <summary>Optional filters: one role, one team, one organisation.</summary>
    public sealed record Query(WebConventions.Paging Paging, string? Role, Guid? TeamId, Guid? OrganisationId)
        : IQuery<PagedResult<User>>;

    private const string Filter = """
        WHERE (@role IS NULL OR role = @role)
          AND (@teamId IS NULL OR team_id = @teamId)
          AND (@organisationId IS NULL OR organisation_id = @organisationId)
        """;

    internal const string CountSql = "SELECT COUNT(*) FROM users " + Filter;

    internal const string PageSql = """
        SELECT id, username, display_name, role, team_id, organisation_id, max_caseload, deactivated_at, external_subject, external_issuer
        FROM users
        """ + "\n" + Filter + "\n" + """
        ORDER BY username, id
        {page}
        """;

    internal sealed class Handler(DbSession db) : IQueryHandler<Query, PagedResult<User>>
    {
        public async ValueTask<PagedResult<User>> Handle(Query query, CancellationToken ct)
        {
            var filter = new { query.Role, query.TeamId, query.OrganisationId };
            var total = await db.ExecuteScalarAsync<int>(CountSql, filter, ct);
            var items = (await db.QueryAsync<UserRow>(PageSql, new
            {
                query.Role, query.TeamId, query.OrganisationId, offset = query.Paging.Offset, limit = query.Paging.Limit,
            }, ct)).Select(r => r.ToUser()).ToList();
            return new PagedResult<User>(items, query.Paging.Page, query.Paging.PageSize, total);
        }
    }

    public static void Map(RouteGroupBuilder api) => api
        .MapGet("/users", async (int? page, int? pageSize, string? role, Guid? teamId, Guid? organisationId,
                IMediator mediator, CancellationToken ct) =>
        {
            if (role is not null && !Roles.All.Contains(role))
            {
                throw new FluentValidation.ValidationException([new("role", "Rol is coach, back-office, team-lead of admin.")]);
            }
            return TypedResults.Ok(await mediator.Send(
                new Query(WebConventions.ReadPaging(page, pageSize), role, teamId, organisationId), ct));
        })
        .RequireAuthorization(Policies.Admin)
        .WithName("listUsers")
        .WithSummary("Gebruikers (beheerder), op gebruikersnaam")
        .WithTags("Beheer");
}
