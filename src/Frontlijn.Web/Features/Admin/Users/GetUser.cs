using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;

namespace Frontlijn.Web.Features.Admin.Users;

public static class GetUser
{
    public sealed record Query(Guid Id) : IQuery<User>;

    internal const string FindSql = """
        SELECT id, username, display_name, role, team_id, organisation_id, max_caseload, deactivated_at, external_subject, external_issuer
        FROM users
        WHERE id = @id
        """;

    internal sealed class Handler(DbSession db) : IQueryHandler<Query, User>
    {
        public async ValueTask<User> Handle(Query query, CancellationToken ct) =>
            (await db.QuerySingleOrDefaultAsync<UserRow>(FindSql, new { id = query.Id }, ct))?.ToUser()
            ?? throw ProblemException.NotFound("Deze gebruiker");
    }

    public static void Map(RouteGroupBuilder api) => api
        .MapGet("/users/{id:guid}", async (Guid id, IMediator mediator, CancellationToken ct) =>
            TypedResults.Ok(await mediator.Send(new Query(id), ct)))
        .RequireAuthorization(Policies.Admin)
        .WithName("getUser")
        .WithSummary("Eén gebruiker (beheerder)")
        .WithTags("Beheer");
}
