using System.Data.Common;
using System.Text.Json.Nodes;
using FluentValidation;
using Frontlijn.Web.Features.AccessLog;
using Frontlijn.Web.Features.Notifications;
using Frontlijn.Web.Features.Requests;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;
using Frontlijn.Web.Features.Reports;

namespace Frontlijn.Web.Features.Households;

/// <summary>
/// <c>PATCH /api/v1/households/{id}</c> (JSON Merge Patch: <c>address</c>, <c>neighbourhoodId</c>): the household
/// moves. The address is validated as at registration and replaced as a whole; one open household per address holds.
/// <para>
/// A move into a neighbourhood of another team does not hand the household over by itself: the household stays with
/// its team and its coach stays the contact (one contact, no gap), and an untriaged signal about it lands in the
/// receiving team's triage queue (its team leads are notified). When that team's lead triages the signal with a coach
/// of their own (POST /signals/{id}/triage), the household joins their team and the new coach takes over.
/// </para>
/// </summary>
public static class MoveHousehold
{
    public const string MediaType = MergePatch.MediaType;

    /// <summary>The body as the OpenAPI document describes it.</summary>
    public sealed record Patch(AddressInput? Address, Guid? NeighbourhoodId);

    public sealed record Command(Guid HouseholdId, AddressInput? Address, Guid? NeighbourhoodId) : ICommand<HouseholdDetail>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.Address).SetValidator(new AddressValidator()!).When(c => c.Address is not null);
            RuleFor(c => c.NeighbourhoodId).NotEqual(Guid.Empty);
            RuleFor(c => c).Must(c => c.Address is not null || c.NeighbourhoodId is not null).WithName("address")
                .WithMessage("Geef een nieuw adres (address) of een nieuwe wijk (neighbourhoodId).");
        }
    }

    internal const string TeamsOfNeighbourhoodSql = """
        SELECT team_id FROM team_neighbourhoods WHERE neighbourhood_id = @neighbourhoodId ORDER BY team_id
        """;

    internal const string OtherOpenAtAddressSql = """
        SELECT COUNT(*) FROM households
        WHERE closed_at IS NULL AND postal_code = @postalCode AND house_number = @houseNumber
          AND house_number_suffix = @houseNumberSuffix AND id <> @id
        """;

    internal const string UpdateSql = """
        UPDATE households
        SET street = @street, house_number = @houseNumber, house_number_suffix = @houseNumberSuffix,
            postal_code = @postalCode, city = @city, neighbourhood_id = @neighbourhoodId
        WHERE id = @id
        """;

    /// <summary>The receiving team's triage item: ids and the address only, never who lives there or why.</summary>
    internal const string InsertSignalSql = """
        INSERT INTO signals (id, sender_id, created_at, concern, domains, street, house_number, house_number_suffix,
                             postal_code, city, matched, household_id, team_id, coach_id, status, triaged_by, triaged_at,
                             municipality)
        VALUES (@id, @senderId, @now, @concern, '', @street, @houseNumber, @houseNumberSuffix,
                @postalCode, @city, 1, @householdId, @teamId, @coachId, 'untriaged', NULL, NULL, NULL)
        """;

    /// <summary>
    /// The receiving team's move item that is still waiting for its triage. A second move before triage (a wrong house
    /// number corrected, a move on within that team's area) updates this item instead of adding a second one: two
    /// items for one household would let two team leads triage it twice, and the second triage would answer 404.
    /// </summary>
    internal const string PendingMoveSignalSql = """
        SELECT id FROM signals
        WHERE household_id = @householdId AND team_id = @teamId AND status = 'untriaged' AND concern = @concern
        ORDER BY created_at, id
        """;

    internal const string UpdatePendingMoveSignalSql = """
        UPDATE signals
        SET street = @street, house_number = @houseNumber, house_number_suffix = @houseNumberSuffix,
            postal_code = @postalCode, city = @city, coach_id = @coachId
        WHERE id = @id AND status = 'untriaged'
        """;

    internal const string MoveConcern =
        "Verhuizing naar een wijk van uw team. De huidige coach blijft contactpersoon tot u een coach van uw team toewijst.";


    internal sealed class Handler(
        DbSession db, HouseholdAccess access, CurrentUser user, AccessLogWriter log, Notifier notifier, TimeProvider time)
        : ICommandHandler<Command, HouseholdDetail>
    {
        public async ValueTask<HouseholdDetail> Handle(Command command, CancellationToken ct)
        {
            var household = await access.LockForChangeAsync(command.HouseholdId, ct);
            if (!user.IsInRole(Roles.TeamLead))
            {
                await access.RequireOwnCoachAsync(household, "update", "household",
                    "Alleen de coach van dit huishouden (of diens vervanger) en de teamleider leggen een verhuizing vast.", ct);
            }
            if (household.Status == HouseholdStatus.Closed)
            {
                throw ProblemException.Conflict("Dit huishouden is afgesloten; een verhuizing wordt niet meer vastgelegd.");
            }
            var neighbourhoodId = command.NeighbourhoodId ?? household.NeighbourhoodId;
            var teams = (await db.QueryAsync<Guid>(TeamsOfNeighbourhoodSql, new { neighbourhoodId }, ct)).ToList();
            if (teams.Count == 0)
            {
                throw new ValidationException([new("neighbourhoodId", "Deze wijk bestaat niet of hoort bij geen team.")]);
            }
            var a = command.Address;
            var moved = household with
            {
                NeighbourhoodId = neighbourhoodId,
                Street = a?.Street?.Trim() ?? household.Street,
                HouseNumber = a?.HouseNumber ?? household.HouseNumber,
                HouseNumberSuffix = a is null ? household.HouseNumberSuffix : a.NormalisedSuffix(),
                PostalCode = a is null ? household.PostalCode : a.NormalisedPostalCode(),
                City = a?.City?.Trim() ?? household.City,
            };
            if (await db.ExecuteScalarAsync<int>(OtherOpenAtAddressSql, new
                {
                    moved.PostalCode, moved.HouseNumber, moved.HouseNumberSuffix, id = household.Id,
                }, ct) > 0)
            {
                throw ProblemException.Conflict(
                    "Op dit adres staat al een lopend huishouden. Is het hetzelfde gezin, meld het dan bij de teamleider.");
            }
            try
            {
                await db.ExecuteAsync(UpdateSql, new
                {
                    id = household.Id, moved.Street, moved.HouseNumber, moved.HouseNumberSuffix, moved.PostalCode, moved.City,
                    neighbourhoodId,
                }, ct);
            }
            catch (DbException ex) when (db.Dialect.IsUniqueViolation(ex))
            {
                throw ProblemException.Conflict("Zojuist is op dit adres een huishouden geregistreerd.");
            }
            await log.WriteAsync("update", "household", household.Id, household.Id, ct);
            await HouseholdSummary.RefreshAsync(db, household.Id, ct);

            if (!teams.Contains(household.TeamId))
            {
                // Into another team's area: that team's triage queue, the current coach stays the contact meanwhile.
                var receiving = teams[0];
                var pending = (await db.QueryAsync<Guid>(PendingMoveSignalSql,
                    new { householdId = household.Id, teamId = receiving, concern = MoveConcern }, ct)).Cast<Guid?>().FirstOrDefault();
                if (pending is { } existing)
                {
                    // Already in that team's queue: the item gets the new address, its team leads were told before.
                    await db.ExecuteAsync(UpdatePendingMoveSignalSql, new
                    {
                        id = existing, moved.Street, moved.HouseNumber, moved.HouseNumberSuffix, moved.PostalCode, moved.City,
                        coachId = household.CoachId,
                    }, ct);
                    return await GetHousehold.DetailAsync(db, moved, ct);
                }
                await db.ExecuteAsync(InsertSignalSql, new
                {
                    id = Guid.CreateVersion7(), senderId = user.Id, now = time.GetUtcNow(), concern = MoveConcern,
                    moved.Street, moved.HouseNumber, moved.HouseNumberSuffix, moved.PostalCode, moved.City,
                    householdId = household.Id, teamId = receiving, coachId = household.CoachId,
                }, ct);
                var leads = await RequestRecipients.TeamLeadsAsync(db, receiving, ct);
                await notifier.NotifyAsync(leads, NotificationTypes.SignalRouted,
                    "Nieuw signaal in de triagewachtrij van uw team: een huishouden is naar uw wijk verhuisd.", household.Id, null, ct);
            }
            return await GetHousehold.DetailAsync(db, moved, ct);
        }
    }

    private static readonly string[] Members = ["address", "neighbourhoodId"];

    /// <summary>Reads the merge patch: <c>address</c> (a whole address) and <c>neighbourhoodId</c>; nothing else.</summary>
    public static Command Read(Guid id, JsonNode? body)
    {
        var patch = new MergePatch(body, Members);
        var address = patch.Whole<AddressInput>("address", "een volledig adres (street, houseNumber, postalCode, city)");
        if (address is { IsSet: true, Value: null })
        {
            patch.Refuse("address", "'address' is een volledig adres (street, houseNumber, postalCode, city).");
        }
        var neighbourhoodId = patch.Uuid("neighbourhoodId");
        if (neighbourhoodId is { IsSet: true, Value: null }) patch.Refuse("neighbourhoodId", "'neighbourhoodId' moet een uuid zijn.");
        patch.ThrowIfInvalid();
        return new Command(id, address.Value, neighbourhoodId.Value);
    }

    public static void Map(RouteGroupBuilder api) => api
        .MapPatch("/households/{id:guid}", async (Guid id, HttpRequest request, IMediator mediator, CancellationToken ct) =>
        {
            var body = await MergePatch.ReadBodyAsync(request, ct);
            return TypedResults.Ok(await mediator.Send(Read(id, body), ct));
        })
        .Accepts<Patch>(MediaType)
        .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
        .RequireAuthorization(Policies.CoachOrTeamLead)
        .WithName("moveHousehold")
        .WithSummary("Verhuizing vastleggen (JSON Merge Patch: address, neighbourhoodId); naar een wijk van een ander team: triage daar")
        .WithTags("Huishoudens");
}
