using FluentValidation;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;

namespace Frontlijn.Web.Features.Admin.Users;

public static class CreateUser
{
    /// <param name="ExternalSubject">Optional: the person's subject at the identity provider (<c>sub</c>, or the claim
    /// <c>Auth:SubjectClaim</c> names, e.g. Entra's <c>oid</c>). The issuer is not given: it is the configured
    /// provider's (<see cref="ProviderIssuer"/>).</param>
    public sealed record Command(
        string Username, string DisplayName, string Role, Guid? TeamId, Guid? OrganisationId, int? MaxCaseload,
        string? ExternalSubject = null)
        : ICommand<User>;

    public const int DefaultMaxCaseload = 20;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.Username).NotEmpty().MaximumLength(100).Matches("^[a-z0-9][a-z0-9._-]*$")
                .WithMessage("Gebruikersnaam bestaat uit kleine letters, cijfers, punt, koppelteken of liggend streepje.");
            RuleFor(c => c.DisplayName).NotEmpty().MaximumLength(200);
            RuleFor(c => c.Role).NotEmpty().Must(r => r is not null && Roles.All.Contains(r))
                .WithMessage("Rol is coach, back-office, team-lead of admin.");
            RuleFor(c => c.TeamId).NotNull().When(c => c.Role is Roles.Coach or Roles.TeamLead)
                .WithMessage("Een coach of teamleider hoort bij een team.");
            RuleFor(c => c.TeamId).Null().When(c => c.Role is Roles.BackOffice or Roles.Admin)
                .WithMessage("Alleen coaches en teamleiders horen bij een team.");
            RuleFor(c => c.OrganisationId).NotNull().When(c => c.Role == Roles.BackOffice)
                .WithMessage("Een backofficemedewerker hoort bij een organisatie.");
            RuleFor(c => c.OrganisationId).Null().When(c => c.Role != Roles.BackOffice)
                .WithMessage("Alleen backofficemedewerkers horen bij een organisatie.");
            RuleFor(c => c.MaxCaseload).InclusiveBetween(1, 200);
            RuleFor(c => c.ExternalSubject).NotEmpty().MaximumLength(255).Must(s => s == s?.Trim())
                .When(c => c.ExternalSubject is not null)
                .WithMessage("Extern account-ID is niet leeg, hoogstens 255 tekens en begint of eindigt niet met een spatie.");
            RuleFor(c => c.MaxCaseload).Null().When(c => c.Role != Roles.Coach)
                .WithMessage("Alleen een coach heeft een maximale caseload.");
        }
    }

    internal const string UsernameTakenSql = "SELECT COUNT(*) FROM users WHERE username = @username";
    internal const string TeamExistsSql = "SELECT COUNT(*) FROM teams WHERE id = @teamId";
    internal const string OrganisationExistsSql = "SELECT COUNT(*) FROM organisations WHERE id = @organisationId";
    internal const string ExternalIdentityTakenSql =
        "SELECT COUNT(*) FROM users WHERE external_issuer = @issuer AND external_subject = @subject";

    // feed_since_seq (migration 0027): a new back-office user joins their organisation's feed at its counter now —
    // the organisation's older rows are not theirs (no history inherited, none counted by the digest). The committed
    // counter is enough: a notification bumping it concurrently commits after it, above this value, and is theirs.
    internal const string InsertSql = """
        INSERT INTO users (id, username, display_name, role, team_id, organisation_id, max_caseload, created_at,
                           external_issuer, external_subject, feed_since_seq)
        VALUES (@id, @username, @displayName, @role, @teamId, @organisationId, @maxCaseload, @now,
                @externalIssuer, @externalSubject,
                COALESCE((SELECT o.notification_seq FROM organisations o WHERE o.id = @organisationId), 0))
        """;

    internal sealed class Handler(DbSession db, TimeProvider time, ProviderIssuer issuers) : ICommandHandler<Command, User>
    {
        public async ValueTask<User> Handle(Command command, CancellationToken ct)
        {
            if (command.TeamId is { } teamId && await db.ExecuteScalarAsync<int>(TeamExistsSql, new { teamId }, ct) == 0)
            {
                throw new ValidationException([new("teamId", "Dit team bestaat niet.")]);
            }
            if (command.OrganisationId is { } organisationId &&
                await db.ExecuteScalarAsync<int>(OrganisationExistsSql, new { organisationId }, ct) == 0)
            {
                throw new ValidationException([new("organisationId", "Deze organisatie bestaat niet.")]);
            }
            if (await db.ExecuteScalarAsync<int>(UsernameTakenSql, new { username = command.Username }, ct) > 0)
            {
                throw ProblemException.Conflict($"Gebruikersnaam '{command.Username}' is al in gebruik.");
            }
            string? issuer = null;
            if (command.ExternalSubject is { } subject)
            {
                issuer = await issuers.GetAsync(ct);
                if (await db.ExecuteScalarAsync<int>(ExternalIdentityTakenSql, new { issuer, subject }, ct) > 0)
                {
                    throw ProblemException.Conflict("Dit extern account-ID hoort al bij een andere gebruiker.");
                }
            }
            var user = new User(Guid.CreateVersion7(), command.Username, command.DisplayName, command.Role,
                command.TeamId, command.OrganisationId, command.MaxCaseload ?? DefaultMaxCaseload,
                ExternalSubject: command.ExternalSubject, ExternalIssuer: issuer);
            try
            {
                await db.ExecuteAsync(InsertSql, new
                {
                    user.Id, user.Username, user.DisplayName, user.Role, user.TeamId, user.OrganisationId, user.MaxCaseload,
                    now = time.GetUtcNow(), externalIssuer = issuer, externalSubject = user.ExternalSubject,
                }, ct);
            }
            catch (System.Data.Common.DbException ex) when (db.Dialect.IsUniqueViolation(ex))
            {
                // Another admin took the username or the account-ID between our checks and the insert.
                throw ProblemException.Conflict("Deze gebruikersnaam of dit extern account-ID is al in gebruik.");
            }
            return user;
        }
    }

    public static void Map(RouteGroupBuilder api) => api
        .MapPost("/users", async (Command command, IMediator mediator, CancellationToken ct) =>
        {
            var created = await mediator.Send(command, ct);
            return TypedResults.Created($"/api/v1/users/{created.Id}", created);
        })
        .RequireAuthorization(Policies.Admin)
        .WithName("createUser")
        .WithSummary("Gebruiker aanmaken (beheerder)")
        .WithDescription("`externalSubject` (optioneel) is het vaste account-ID van de persoon bij de identity provider " +
            "(`sub`, of de claim uit Auth:SubjectClaim, bijvoorbeeld `oid`); de issuer is altijd die van de " +
            "ingestelde provider en staat in `externalIssuer`. Zonder `externalSubject` kan de gebruiker niet " +
            "aanmelden, tenzij Auth:BindByUsername hem bij de eerste aanmelding koppelt. Een account-ID dat al bij " +
            "een andere gebruiker hoort: 409.")
        .WithTags("Beheer");
}
