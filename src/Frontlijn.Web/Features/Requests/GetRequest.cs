using Frontlijn.Web.Infrastructure.Auth;
using Mediator;

namespace Frontlijn.Web.Features.Requests;

public static class GetRequest
{
    public sealed record Query(Guid Id) : IQuery<RequestDetail>;

    internal sealed class Handler(RequestAccess access, TimeProvider time) : IQueryHandler<Query, RequestDetail>
    {
        public async ValueTask<RequestDetail> Handle(Query query, CancellationToken ct) =>
            (await access.FindAsync(query.Id, "request", ct)).ToDetail(time.GetUtcNow());
    }

    public static void Map(RouteGroupBuilder api) => api
        .MapGet("/requests/{id:guid}", async (Guid id, IMediator mediator, CancellationToken ct) =>
            TypedResults.Ok(await mediator.Send(new Query(id), ct)))
        .RequireAuthorization(Policies.RequestParticipant)
        .WithName("getRequest")
        .WithSummary("Eén verzoek met status, termijn (dueAt) en versie")
        .WithTags("Verzoeken");
}
