using System.Globalization;
using System.Text.Json.Nodes;
using FluentValidation;
using Frontlijn.Web.Features.AccessLog;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;

namespace Frontlijn.Web.Features.Households;

/// <summary>
/// <c>PATCH /api/v1/households/{id}/members/{memberId}</c> (JSON Merge Patch): correct or update a member — names,
/// date of birth, role, BSN. The merged member must pass the registration's rules. The BSN is stored as at
/// registration (keyed hash and last four digits), never returned or logged in full; <c>bsn: null</c> removes a BSN
/// that was entered by mistake. A departed member is history and is not changed (409).
/// </summary>
public static class PatchMember
{
    public const string MediaType = MergePatch.MediaType;

    /// <summary>The body as the OpenAPI document describes it: every member optional.</summary>
    public sealed record Patch(string? GivenName, string? FamilyName, DateOnly? DateOfBirth, string? Role, string? Bsn);

    /// <summary>What the patch sets; <c>BsnSet</c> tells "bsn: null" (remove) from "no bsn" (leave).</summary>
    public sealed record Command(
        Guid HouseholdId, Guid MemberId, string? GivenName, string? FamilyName, DateOnly? DateOfBirth, string? Role,
        bool BsnSet, string? Bsn) : ICommand<Member>;

    private static readonly string[] Fields = ["givenName", "familyName", "dateOfBirth", "role", "bsn"];

    /// <summary>Only the members present are checked here; the merged member is checked by the handler.</summary>
    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.Bsn).Must(Bsn.IsValid).When(c => c.Bsn is not null)
                .WithMessage("Dit is geen geldig BSN: negen cijfers die voldoen aan de elfproef.");
        }
    }

    internal const string UpdateSql = """
        UPDATE household_members
        SET given_name = @givenName, family_name = @familyName, family_name_key = @familyNameKey,
            date_of_birth = @dateOfBirth, role = @role, bsn_hash = @bsnHash, bsn_last4 = @bsnLast4
        WHERE id = @memberId AND household_id = @householdId
        """;

    internal const string BsnOfMemberSql = "SELECT bsn_hash FROM household_members WHERE id = @memberId";

    internal sealed class Handler(
        DbSession db, HouseholdAccess access, CurrentUser user, BsnHasher bsn, AccessLogWriter log, TimeProvider time)
        : ICommandHandler<Command, Member>
    {
        public async ValueTask<Member> Handle(Command command, CancellationToken ct)
        {
            var household = await Members.LockForMemberChangeAsync(access, user, command.HouseholdId, ct);
            var current = await Members.FindAsync(db, household.Id, command.MemberId, ct);
            if (current.DepartedOn is not null)
            {
                throw ProblemException.Conflict("Dit lid is vertrokken; zijn gegevens blijven zoals ze waren.");
            }
            var merged = new MemberInput(
                command.GivenName ?? current.GivenName, command.FamilyName ?? current.FamilyName,
                command.DateOfBirth ?? current.DateOfBirth, command.BsnSet ? command.Bsn : null, command.Role ?? current.Role);
            var errors = new MemberValidator(time).Validate(merged).Errors;
            if (errors.Count > 0) throw new ValidationException(errors);

            var bsnHash = await db.ExecuteScalarAsync<string?>(BsnOfMemberSql, new { command.MemberId }, ct);
            var bsnLast4 = current.BsnLast4;
            if (command.BsnSet)
            {
                bsnHash = command.Bsn is null ? null : bsn.Hash(command.Bsn);
                bsnLast4 = command.Bsn is null ? null : Bsn.Last4(command.Bsn);
                if (bsnHash is not null && await db.ExecuteScalarAsync<int>(Members.SameBsnSql,
                        new { householdId = household.Id, bsnHash, command.MemberId }, ct) > 0)
                {
                    throw new ValidationException([new("bsn", "Dit BSN staat al bij een ander lid van dit huishouden.")]);
                }
            }
            await db.ExecuteAsync(UpdateSql, new
            {
                householdId = household.Id, command.MemberId, givenName = merged.GivenName!.Trim(), familyName = merged.FamilyName!.Trim(),
                familyNameKey = FamilyNames.Key(merged.FamilyName), merged.DateOfBirth, merged.Role, bsnHash, bsnLast4,
            }, ct);
            await log.WriteAsync("update", "member", command.MemberId, household.Id, ct);
            return (await Members.FindAsync(db, household.Id, command.MemberId, ct)).ToMember();
        }
    }

    /// <summary>Reads a merge patch: each member's JSON type; unknown members and nulls where a value is required refused.</summary>
    public static Command Read(Guid householdId, Guid memberId, JsonNode? body)
    {
        var patch = new MergePatch(body, Fields);
        string? Required(string name)
        {
            var change = patch.Text(name);
            if (change is { IsSet: true, Value: null }) patch.Refuse(name, $"'{name}' kan niet leeg gemaakt worden.");
            return change.Value;
        }
        var dateText = Required("dateOfBirth");
        DateOnly? dateOfBirth = null;
        if (dateText is not null)
        {
            if (DateOnly.TryParseExact(dateText, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)) dateOfBirth = d;
            else patch.Refuse("dateOfBirth", "'dateOfBirth' is een datum als 2012-09-01.");
        }
        var bsn = patch.Text("bsn");
        var command = new Command(householdId, memberId, Required("givenName"), Required("familyName"), dateOfBirth,
            Required("role"), bsn.IsSet, bsn.Value);
        patch.ThrowIfInvalid();
        return command;
    }

    public static void Map(RouteGroupBuilder api) => api
        .MapPatch("/households/{id:guid}/members/{memberId:guid}",
            async (Guid id, Guid memberId, HttpRequest request, IMediator mediator, CancellationToken ct) =>
            {
                var body = await MergePatch.ReadBodyAsync(request, ct);
                return TypedResults.Ok(await mediator.Send(Read(id, memberId, body), ct));
            })
        .Accepts<Patch>(MediaType)
        .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
        .RequireAuthorization(Policies.CoachOrTeamLead)
        .WithName("patchHouseholdMember")
        .WithSummary("Lid wijzigen (JSON Merge Patch: namen, geboortedatum, rol, BSN); BSN alleen gemaskeerd terug")
        .WithTags("Huishoudens");
}
