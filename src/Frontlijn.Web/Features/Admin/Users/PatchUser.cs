using System.Data.Common;
using System.Text.Json.Nodes;
using FluentValidation;
using FluentValidation.Results;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;

namespace Frontlijn.Web.Features.Admin.Users;

/// <summary>
/// <c>PATCH /api/v1/users/{id}</c> (admin, JSON Merge Patch): change a user over time. Deactivating (<c>active:
/// false</c>) keeps the user in every history, ends their sessions at once and is refused (409, with the count) for a
/// coach who is still the contact of open households. <c>active: true</c> reactivates.
/// </summary>
public static class PatchUser
{
    public const string MediaType = MergePatch.MediaType;

    public sealed record Command(
        Guid Id,
        Change<string?> DisplayName = default,
        Change<string?> Role = default,
        Change<Guid?> TeamId = default,
        Change<Guid?> OrganisationId = default,
        Change<int?> MaxCaseload = default,
        Change<bool?> Active = default,
        Change<string?> ExternalSubject = default) : ICommand<User>;

    /// <summary>The body as the OpenAPI document describes it: every member optional; null clears teamId,
    /// organisationId and externalSubject.</summary>
    public sealed record Patch(
        string? DisplayName, string? Role, Guid? TeamId, Guid? OrganisationId, int? MaxCaseload, bool? Active,
        string? ExternalSubject);

    private static readonly string[] Members =
        ["displayName", "role", "teamId", "organisationId", "maxCaseload", "active", "externalSubject"];

    /// <summary>Each member on its own; whether they fit together is decided on the merged user (handler).</summary>
    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            When(c => c.DisplayName.IsSet, () =>
                RuleFor(c => c.DisplayName.Value).NotEmpty().MaximumLength(200).WithName("displayName").OverridePropertyName("displayName"));
            When(c => c.Role.IsSet, () =>
                RuleFor(c => c.Role.Value).Must(r => r is not null && Roles.All.Contains(r))
                    .WithMessage("Rol is coach, back-office, team-lead of admin.").WithName("role").OverridePropertyName("role"));
            When(c => c.MaxCaseload.IsSet, () =>
                RuleFor(c => c.MaxCaseload.Value).NotNull().InclusiveBetween(1, 200).WithName("maxCaseload").OverridePropertyName("maxCaseload"));
            When(c => c.Active.IsSet, () =>
                RuleFor(c => c.Active.Value).NotNull().WithMessage("'active' is true of false.").WithName("active").OverridePropertyName("active"));
            When(c => c.ExternalSubject.IsSet && c.ExternalSubject.Value is not null, () =>
                RuleFor(c => c.ExternalSubject.Value).NotEmpty().MaximumLength(255).WithName("externalSubject").OverridePropertyName("externalSubject"));
        }
    }

    internal const string FindSql = """
        SELECT id, username, display_name, role, team_id, organisation_id, max_caseload, deactivated_at, external_subject,
               external_issuer
        FROM users
        WHERE id = @id
        """;

    /// <summary>Households whose open contact this coach is (an open assignment on a household that is not closed).</summary>
    internal const string OpenHouseholdsSql = """
        SELECT COUNT(*)
        FROM coach_assignments a
        JOIN households h ON h.id = a.household_id
        WHERE a.coach_id = @id AND a.to_at IS NULL AND h.status <> 'closed'
        """;

    internal const string UpdateSql = """
        UPDATE users
        SET display_name = @displayName, role = @role, team_id = @teamId, organisation_id = @organisationId,
            max_caseload = @maxCaseload, external_issuer = @externalIssuer, external_subject = @externalSubject,
            deactivated_at = @deactivatedAt
        WHERE id = @id
        """;

    // The organisation feed (migration 0027): a back-office user reads in their organisation's cursor space, everyone
    // else in their own (Features/Notifications/Notifier.cs). A move between spaces, in this transaction: the
    // organisations involved are locked first (id order, the order of every notifier), then the user row (LockUserSql);
    // the new space's counter is raised to at least the cursor the user last held (the old space's counter), so no
    // cursor their client holds ever goes backwards; joining an organisation sets feed_since_seq to its counter (its
    // older rows are not theirs). The user row is locked (LockUserSql) before it is read for the merge.
    internal const string LockOrganisationCursorSql = "UPDATE organisations SET notification_seq = notification_seq WHERE id = @organisationId";
    internal const string LockUserSql = "UPDATE users SET notification_seq = notification_seq WHERE id = @id";
    internal const string OrganisationCursorSql = "SELECT notification_seq FROM organisations WHERE id = @organisationId";
    internal const string OwnCursorSql = "SELECT notification_seq FROM users WHERE id = @id";
    internal const string RaiseOrganisationCursorSql = """
        UPDATE organisations SET notification_seq = CASE WHEN notification_seq < @lastCursor THEN @lastCursor ELSE notification_seq END
        WHERE id = @organisationId
        """;
    internal const string JoinOrganisationFeedSql =
        "UPDATE users SET feed_since_seq = (SELECT o.notification_seq FROM organisations o WHERE o.id = @organisationId) WHERE id = @id";
    internal const string LeaveOrganisationFeedSql = """
        UPDATE users SET notification_seq = CASE WHEN notification_seq < @lastCursor THEN @lastCursor ELSE notification_seq END,
                         feed_since_seq = 0
        WHERE id = @id
        """;

    /// <summary>The cursor space a user reads in: their organisation's for a back-office user, else their own (null).</summary>
    private static Guid? SpaceOf(string? role, Guid? organisationId) => role == Roles.BackOffice ? organisationId : null;

    /// <summary>The organisations a move between two spaces locks, in id order (the order of every notifier); none when it stays.</summary>
    private static List<Guid> SpacesToLock(Guid? from, Guid? to) =>
        from == to ? [] : new[] { from, to }.OfType<Guid>().Order().ToList();

    internal sealed class Handler(DbSession db, TimeProvider time, ProviderIssuer issuers, CurrentUser me, SessionStore sessions,
        UserCache cache, Frontlijn.Web.Infrastructure.Realtime.HubRevocation revocation,
        Frontlijn.Web.Infrastructure.Mediator.AfterCommit afterCommit)
        : ICommandHandler<Command, User>
    {
        public async ValueTask<User> Handle(Command command, CancellationToken ct)
        {
            // Two admins editing the same user at once: each merged its patch onto a row read WITHOUT a lock, so the
            // later UPDATE wrote back the earlier one's stale values (a lost name/caseload/role change), and a
            // concurrent move computed its cursor raise from the space the user had already left (a cursor going
            // backwards). Now: a first, unlocked read only tells which organisations to lock (organisations before
            // users, id order, as every notifier); then the user row is locked (a no-op UPDATE: a row lock on all
            // three databases — PostgreSQL's no-key update lock, SQL Server's X lock, SQLite's one writer) and read
            // again; everything below works on that locked row.
            var seen = await db.QuerySingleOrDefaultAsync<UserRow>(FindSql, new { id = command.Id }, ct)
                ?? throw ProblemException.NotFound("Deze gebruiker");
            var lockedSpaces = SpacesToLock(SpaceOf(seen.Role, seen.OrganisationId),
                SpaceOf(command.Role.Or(seen.Role), command.OrganisationId.Or(seen.OrganisationId)));
            foreach (var space in lockedSpaces)
            {
                await db.ExecuteAsync(LockOrganisationCursorSql, new { organisationId = space }, ct);
            }
            await db.ExecuteAsync(LockUserSql, new { id = command.Id }, ct);
            var current = await db.QuerySingleOrDefaultAsync<UserRow>(FindSql, new { id = command.Id }, ct)
                ?? throw ProblemException.NotFound("Deze gebruiker");

            var role = command.Role.Or(current.Role)!;
            var teamId = command.TeamId.Or(current.TeamId);
            var organisationId = command.OrganisationId.Or(current.OrganisationId);
            var active = command.Active.Or(current.DeactivatedAt is null) ?? true;
            var externalSubject = command.ExternalSubject.Or(current.ExternalSubject);
            await CheckMergedAsync(command, role, teamId, organisationId, ct);

            var roleChanges = command.Role.IsSet && role != current.Role;
            var deactivating = current.DeactivatedAt is null && !active;
            if (command.Id == me.Id && (deactivating || roleChanges))
            {
                // The last way back in would be the database.
                throw ProblemException.Conflict("U kunt uw eigen account niet deactiveren of uw eigen rol wijzigen.");
            }
            if (current.Role == Roles.Coach && (deactivating || roleChanges))
            {
                var open = await db.ExecuteScalarAsync<int>(OpenHouseholdsSql, new { id = command.Id }, ct);
                if (open > 0)
                {
                    throw new ProblemException(409, "Conflict",
                        $"Deze coach is nog de contactpersoon van {open} open {(open == 1 ? "huishouden" : "huishoudens")}. " +
                        $"Draag {(open == 1 ? "dat" : "die")} eerst over aan een andere coach voordat u " +
                        (deactivating ? "de coach deactiveert." : "de rol wijzigt."))
                    {
                        Extensions = new Dictionary<string, object?> { ["openHouseholds"] = open },
                    };
                }
            }

            var deactivatedAt = active ? (DateTimeOffset?)null : current.DeactivatedAt ?? time.GetUtcNow();
            var updated = current with
            {
                DisplayName = command.DisplayName.Or(current.DisplayName)!.Trim(),
                Role = role,
                TeamId = teamId,
                OrganisationId = organisationId,
                MaxCaseload = command.MaxCaseload.Or(current.MaxCaseload) ?? current.MaxCaseload,
                DeactivatedAt = deactivatedAt,
                ExternalSubject = string.IsNullOrWhiteSpace(externalSubject) ? null : externalSubject.Trim(),
            };
            // The same issuer as POST /users and the sign-in lookup use (the provider's, from its discovery document);
            // an unchanged subject keeps the issuer it was bound with, so unrelated edits never need the provider.
            var externalIssuer = updated.ExternalSubject is null ? null
                : updated.ExternalSubject == current.ExternalSubject && current.ExternalIssuer is not null ? current.ExternalIssuer
                : await issuers.GetAsync(ct);
            updated = updated with { ExternalIssuer = externalIssuer };
            var oldSpace = SpaceOf(current.Role, current.OrganisationId);
            var newSpace = SpaceOf(updated.Role, updated.OrganisationId);
            var spaceChanges = oldSpace != newSpace;
            long oldSpaceCursor = 0;
            if (spaceChanges)
            {
                // Another admin moved the user between our first read and the lock: the space they are in now is not
                // locked, and locking it after the user row would break the lock order (deadlock with a notifier).
                // Nothing is written; the admin sees the new state and decides again.
                if (SpacesToLock(oldSpace, newSpace).Any(s => !lockedSpaces.Contains(s)))
                {
                    throw ProblemException.Conflict(
                        "Deze gebruiker is zojuist door een andere beheerder gewijzigd; er is niets opgeslagen. Bekijk de gebruiker opnieuw en probeer het nog eens.");
                }
                if (oldSpace is { } old) oldSpaceCursor = await db.ExecuteScalarAsync<long>(OrganisationCursorSql, new { organisationId = old }, ct);
            }
            try
            {
                await db.ExecuteAsync(UpdateSql, new
                {
                    updated.Id, updated.DisplayName, updated.Role, updated.TeamId, updated.OrganisationId,
                    updated.MaxCaseload, updated.DeactivatedAt, updated.ExternalSubject, externalIssuer,
                }, ct);
            }
            catch (DbException ex) when (db.Dialect.IsUniqueViolation(ex))
            {
                throw ProblemException.Conflict("Dit externe account-ID is al gekoppeld aan een andere gebruiker.");
            }
            if (spaceChanges)
            {
                // The user row is locked (LockUserSql): their own counter is read under it.
                var lastCursor = oldSpace is null ? await db.ExecuteScalarAsync<long>(OwnCursorSql, new { id = command.Id }, ct) : oldSpaceCursor;
                if (newSpace is { } joined)
                {
                    await db.ExecuteAsync(RaiseOrganisationCursorSql, new { organisationId = joined, lastCursor }, ct);
                    await db.ExecuteAsync(JoinOrganisationFeedSql, new { organisationId = joined, id = command.Id }, ct);
                }
                else
                {
                    await db.ExecuteAsync(LeaveOrganisationFeedSql, new { lastCursor, id = command.Id }, ct);
                }
            }
            if (deactivating)
            {
                // In the same transaction: the user's cookies are refused from the moment this commits, on every node.
                await sessions.EndAllAsync(command.Id, SessionEndReasons.Deactivated, ct);
            }
            // Whatever changed (active, role, team, organisation, name, the external account): no node may answer from
            // its user cache with the old row. After the commit, and before this response: InvalidateAsync waits for
            // the other nodes (Infrastructure/Auth/UserCache.cs).
            // A change of who the user is or may see also closes their hub connections on every node: they joined
            // the old team's and organisation's groups at connect, and a deactivated user's must not stay open
            // (Infrastructure/Realtime/HubConnections.cs). A new name or caseload leaves them open.
            var identityChanged = deactivating || role != current.Role || teamId != current.TeamId ||
                organisationId != current.OrganisationId || updated.ExternalSubject != current.ExternalSubject ||
                externalIssuer != current.ExternalIssuer;
            afterCommit.Enqueue(token => identityChanged
                ? revocation.UserChangedAsync(command.Id, token)
                : cache.InvalidateAsync(command.Id, token));
            return updated.ToUser();
        }

        /// <summary>The same rules as creating a user, on the user as the patch leaves them.</summary>
        private async Task CheckMergedAsync(Command command, string role, Guid? teamId, Guid? organisationId, CancellationToken ct)
        {
            var errors = new List<ValidationFailure>();
            if (role is Roles.Coach or Roles.TeamLead && teamId is null)
                errors.Add(new("teamId", "Een coach of teamleider hoort bij een team."));
            if (role is Roles.BackOffice or Roles.Admin && teamId is not null)
                errors.Add(new("teamId", "Alleen coaches en teamleiders horen bij een team."));
            if (role == Roles.BackOffice && organisationId is null)
                errors.Add(new("organisationId", "Een backofficemedewerker hoort bij een organisatie."));
            if (role != Roles.BackOffice && organisationId is not null)
                errors.Add(new("organisationId", "Alleen backofficemedewerkers horen bij een organisatie."));
            if (command.MaxCaseload.IsSet && role != Roles.Coach)
                errors.Add(new("maxCaseload", "Alleen een coach heeft een maximale caseload."));
            if (command.TeamId.Value is { } team && errors.All(e => e.PropertyName != "teamId") &&
                await db.ExecuteScalarAsync<int>(CreateUser.TeamExistsSql, new { teamId = team }, ct) == 0)
                errors.Add(new("teamId", "Dit team bestaat niet."));
            if (command.OrganisationId.Value is { } organisation && errors.All(e => e.PropertyName != "organisationId") &&
                await db.ExecuteScalarAsync<int>(CreateUser.OrganisationExistsSql, new { organisationId = organisation }, ct) == 0)
                errors.Add(new("organisationId", "Deze organisatie bestaat niet."));
            if (errors.Count > 0) throw new ValidationException(errors);
        }
    }

    /// <summary>Reads a merge patch: each member's JSON type, unknown members refused (a typo must not be ignored).</summary>
    public static Command Read(Guid id, JsonNode? body)
    {
        var patch = new MergePatch(body, Members);
        var command = new Command(id,
            patch.Text("displayName"), patch.Text("role"), patch.Uuid("teamId"), patch.Uuid("organisationId"),
            patch.Number("maxCaseload"), patch.Flag("active"), patch.Text("externalSubject"));
        patch.ThrowIfInvalid();
        return command;
    }

    public static void Map(RouteGroupBuilder api) => api
        .MapPatch("/users/{id:guid}", async (Guid id, HttpRequest request, IMediator mediator, CancellationToken ct) =>
            TypedResults.Ok(await mediator.Send(Read(id, await MergePatch.ReadBodyAsync(request, ct)), ct)))
        .Accepts<Patch>(MediaType)
        .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
        .RequireAuthorization(Policies.Admin)
        .WithName("patchUser")
        .WithSummary("Gebruiker wijzigen, deactiveren of weer activeren (beheerder, JSON Merge Patch)")
        .WithTags("Beheer");
}
