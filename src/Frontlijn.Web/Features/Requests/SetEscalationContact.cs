using FluentValidation;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;

namespace Frontlijn.Web.Features.Requests;

/// <summary>
/// The admin names an organisation's escalation contact: a back-office user of that organisation who hears first when
/// its requests stay unanswered past their due date. Without one, the whole back office hears it.
/// </summary>
public static class SetEscalationContact
{
    public sealed record Body(Guid? UserId);

    public sealed record Command(Guid OrganisationId, Guid? UserId) : ICommand<EscalationContact>;

    public sealed record EscalationContact(Guid OrganisationId, Guid? UserId);

    internal const string UserOfOrganisationSql = """
        SELECT COUNT(*) FROM users WHERE id = @userId AND organisation_id = @organisationId AND role = 'back-office'
        """;

    internal const string OrganisationExistsSql = "SELECT COUNT(*) FROM organisations WHERE id = @organisationId";

    // Replace rather than upsert: a delete and an insert in one transaction is the same on every database.
    internal const string ClearSql = "DELETE FROM organisation_escalation_contacts WHERE organisation_id = @organisationId";

    internal const string InsertSql = """
        INSERT INTO organisation_escalation_contacts (organisation_id, user_id) VALUES (@organisationId, @userId)
        """;

    internal sealed class Handler(DbSession db) : ICommandHandler<Command, EscalationContact>
    {
        public async ValueTask<EscalationContact> Handle(Command command, CancellationToken ct)
        {
            if (await db.ExecuteScalarAsync<int>(OrganisationExistsSql, new { command.OrganisationId }, ct) == 0)
            {
                throw ProblemException.NotFound("Deze organisatie");
            }
            if (command.UserId is { } userId &&
                await db.ExecuteScalarAsync<int>(UserOfOrganisationSql, new { userId, command.OrganisationId }, ct) == 0)
            {
                throw new ValidationException([new("userId", "Dit is geen back-officemedewerker van deze organisatie.")]);
            }
            await db.ExecuteAsync(ClearSql, new { command.OrganisationId }, ct);
            if (command.UserId is { } contact)
            {
                await db.ExecuteAsync(InsertSql, new { command.OrganisationId, userId = contact }, ct);
            }
            return new EscalationContact(command.OrganisationId, command.UserId);
        }
    }

    public static void Map(RouteGroupBuilder api) => api
        .MapPut("/organisations/{id:guid}/escalation-contact", async (Guid id, Body body, IMediator mediator, CancellationToken ct) =>
            TypedResults.Ok(await mediator.Send(new Command(id, body.UserId), ct)))
        .RequireAuthorization(Policies.Admin)
        .WithName("setEscalationContact")
        .WithSummary("Escalatiecontact van een organisatie instellen (beheerder); userId null wist het")
        .WithTags("Beheer");
}
