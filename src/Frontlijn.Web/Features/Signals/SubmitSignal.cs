using FluentValidation;
using Frontlijn.Web.Features.AccessLog;
using Frontlijn.Web.Features.Households;
using Frontlijn.Web.Features.Notifications;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Mediator;
using System.Text.Json.Serialization;

namespace Frontlijn.Web.Features.Signals;

/// <summary>
/// Any professional reports a concern about an address or person. Matching (open households only): by BSN, else by
/// postal code + house number, else by family name + date of birth; a match must be unambiguous. A matched household
/// with a coach gets the signal at its coach (one contact); otherwise the signal waits in the triage queue of the
/// household's team, or of the team whose neighbourhood covers the PC4, or in the shared queue of the address's
/// municipality (the team leads whose team covers a neighbourhood of it; every team lead when the city is no known
/// municipality). A signal never creates a household.
/// <para>
/// No oracle (SPEC "Signals: no oracle"): only a coach or team lead of the matched household's team gets the full
/// answer (<c>householdId</c>, <c>matched</c>, ids). Anyone else learns only <c>{kind, displayName, teamName}</c>:
/// the coach's name when the sender proved they know the person (BSN, or family name + date of birth); otherwise the
/// team responsible for the address, computed from the address alone exactly as for a signal that matches nothing,
/// so "a household in care lives here" and "nobody is known here" read the same.
/// </para>
/// </summary>
public static class SubmitSignal
{
    public sealed record Command(
        AddressInput? Address, IReadOnlyList<SignalMemberInput>? Members, string? Concern, IReadOnlyList<string>? Domains)
        : ICommand<Result>;

    public const string KindCoach = "coach";
    public const string KindTeam = "team";

    /// <summary>The shared queue's name in an answer, when no team covers the address.</summary>
    public const string SharedQueueName = "Gedeelde triagewachtrij";

    /// <summary>
    /// Where the signal went. <c>coachId</c> and <c>teamId</c> only for the household's own team (omitted otherwise);
    /// <c>teamName</c> null for the shared queue.
    /// </summary>
    public sealed record RoutedTo(
        string Kind, string DisplayName, string? TeamName,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Guid? CoachId,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Guid? TeamId);

    /// <summary><c>householdId</c> and <c>matched</c> only for a coach or team lead of the matched household's team.</summary>
    public sealed record Result(
        Guid SignalId,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] Guid? HouseholdId,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] bool? Matched,
        RoutedTo RoutedTo);

    /// <summary>How a household was found: BSN and name + date of birth show the sender knows the person.</summary>
    internal enum MatchedOn
    {
        Bsn,
        Address,
        NameAndDateOfBirth,
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator(TimeProvider time)
        {
            RuleFor(c => c.Address).NotNull().SetValidator(new AddressValidator()!);
            RuleFor(c => c.Members).Must(m => m is null || m.Count <= RegisterHousehold.MaxMembers)
                .WithMessage($"Hoogstens {RegisterHousehold.MaxMembers} personen per signaal.");
            RuleForEach(c => c.Members).NotNull().SetValidator(new SignalMemberValidator(time));
            RuleFor(c => c.Concern).NotEmpty().MaximumLength(4000);
            RuleForEach(c => c.Domains).Must(d => d is not null && Assessments.Zrm.IsDomain(d))
                .WithMessage("Onbekend levensdomein; gebruik de ZRM-codes, zoals financien of huisvesting.");
        }
    }

    internal const string MatchByBsnSql = """
        SELECT DISTINCT h.id
        FROM households h
        JOIN household_members m ON m.household_id = h.id
        WHERE h.closed_at IS NULL AND m.bsn_hash IN @hashes
        """;

    internal const string MatchByAddressSql = """
        SELECT id FROM households
        WHERE closed_at IS NULL AND postal_code = @postalCode AND house_number = @houseNumber
          AND house_number_suffix = @houseNumberSuffix
        """;

    internal const string MatchByNameSql = """
        SELECT DISTINCT h.id
        FROM households h
        JOIN household_members m ON m.household_id = h.id
        WHERE h.closed_at IS NULL AND m.family_name_key = @familyNameKey AND m.date_of_birth = @dateOfBirth
        """;

    // Several teams may cover one neighbourhood; the first by name decides, so routing is predictable.
    internal const string TeamByPc4Sql = """
        SELECT t.id, t.name
        FROM neighbourhood_postal_codes p
        JOIN team_neighbourhoods tn ON tn.neighbourhood_id = p.neighbourhood_id
        JOIN teams t ON t.id = tn.team_id
        WHERE p.postal_code = @pc4
        ORDER BY t.name, t.id
        """;

    internal const string TeamNameSql = "SELECT name FROM teams WHERE id = @id";

    // The municipality of an address no team covers: its city as a municipality that neighbourhoods name.
    internal const string MunicipalitySql = """
        SELECT DISTINCT municipality FROM neighbourhoods WHERE LOWER(municipality) = LOWER(@city)
        """;

    internal const string InsertSql = """
        INSERT INTO signals (id, sender_id, created_at, concern, domains, street, house_number, house_number_suffix,
                             postal_code, city, matched, household_id, team_id, coach_id, status, triaged_by, triaged_at,
                             municipality)
        VALUES (@id, @senderId, @now, @concern, @domains, @street, @houseNumber, @houseNumberSuffix,
                @postalCode, @city, @matched, @householdId, @teamId, @coachId, @status, NULL, NULL, @municipality)
        """;

    internal const string InsertMemberSql = """
        INSERT INTO signal_members (id, signal_id, sort_order, given_name, family_name, date_of_birth, role, bsn_hash, bsn_last4)
        VALUES (@id, @signalId, @sortOrder, @givenName, @familyName, @dateOfBirth, @role, @bsnHash, @bsnLast4)
        """;

    internal const string TeamLeadsSql = "SELECT id FROM users WHERE role = @role AND team_id = @teamId";

    /// <summary>The shared queue of a municipality: team leads whose team covers a neighbourhood of it.</summary>
    internal const string MunicipalityTeamLeadsSql = """
        SELECT DISTINCT u.id
        FROM users u
        JOIN team_neighbourhoods tn ON tn.team_id = u.team_id
        JOIN neighbourhoods n ON n.id = tn.neighbourhood_id
        WHERE u.role = @role AND n.municipality = @municipality
        """;

    /// <summary>A signal of no known municipality: every team lead of the installation, so that it is never lost.</summary>
    internal const string AllTeamLeadsSql = "SELECT id FROM users WHERE role = @role";

    internal sealed record IdRow
    {
        public Guid Id { get; init; }
    }

    internal sealed record TeamRow
    {
        public Guid Id { get; init; }
        public string Name { get; init; } = "";
    }

    internal sealed class Handler(
        DbSession db, CurrentUser user, TimeProvider time, BsnHasher bsn, Notifier notifier, AccessLogWriter log)
        : ICommandHandler<Command, Result>
    {
        public async ValueTask<Result> Handle(Command command, CancellationToken ct)
        {
            var address = command.Address!;
            var postalCode = address.NormalisedPostalCode();
            var suffix = address.NormalisedSuffix();
            var members = (command.Members ?? []).Select(m => new
            {
                GivenName = m.GivenName?.Trim(), FamilyName = m.FamilyName!.Trim(), m.DateOfBirth, m.Role,
                BsnHash = m.Bsn is null ? null : bsn.Hash(m.Bsn), BsnLast4 = m.Bsn is null ? null : Bsn.Last4(m.Bsn),
            }).ToList();

            var (householdId, matchedOn) = await MatchAsync(postalCode, address.HouseNumber!.Value, suffix,
                members.Where(m => m.BsnHash is not null).Select(m => m.BsnHash!).ToArray(),
                members.Where(m => m.DateOfBirth is not null).Select(m => (m.FamilyName, m.DateOfBirth!.Value)).ToList(), ct);

            // The team responsible for the address, from the address alone: where an unmatched signal goes, and all
            // that an outsider is told unless they proved they know the person.
            var addressTeam = (await db.QueryAsync<TeamRow>(TeamByPc4Sql, new { pc4 = PostalCodes.Pc4(postalCode) }, ct)).FirstOrDefault();
            var city = address.City!.Trim();
            Guid? teamId;
            Guid? coachId = null;
            string? coachName = null;
            HouseholdRow? household = null;
            if (householdId is { } matchedId)
            {
                household = (await db.QuerySingleOrDefaultAsync<HouseholdRow>(HouseholdAccess.FindSql, new { id = matchedId }, ct))!;
                teamId = household.TeamId;
                coachId = household.CoachId;
                coachName = household.CoachDisplayName;
            }
            else
            {
                teamId = addressTeam?.Id;
            }
            var municipality = teamId is null
                ? (await db.QueryAsync<string>(MunicipalitySql, new { city }, ct)).Order(StringComparer.Ordinal).FirstOrDefault()
                : null;

            var signalId = Guid.CreateVersion7();
            var status = coachId is null ? SignalStatus.Untriaged : SignalStatus.Routed;
            await db.ExecuteAsync(InsertSql, new
            {
                id = signalId, senderId = user.Id, now = time.GetUtcNow(), concern = command.Concern!.Trim(),
                domains = string.Join(',', (command.Domains ?? []).Distinct()), street = address.Street!.Trim(),
                houseNumber = address.HouseNumber.Value, houseNumberSuffix = suffix, postalCode, city,
                matched = householdId is null ? 0 : 1, householdId, teamId, coachId, status, municipality,
            }, ct);
            for (var i = 0; i < members.Count; i++)
            {
                var m = members[i];
                await db.ExecuteAsync(InsertMemberSql, new
                {
                    id = Guid.CreateVersion7(), signalId, sortOrder = i, m.GivenName, m.FamilyName, m.DateOfBirth, m.Role,
                    m.BsnHash, m.BsnLast4,
                }, ct);
            }
            await log.WriteAsync("create", "signal", signalId, householdId, ct);
            if (householdId is not null)
            {
                await log.WriteAsync("match", "household", householdId, householdId, ct);
            }

            if (coachId is { } coach)
            {
                if (coach != user.Id)
                {
                    await notifier.NotifyAsync([coach], NotificationTypes.SignalRouted,
                        "Nieuw signaal over een huishouden in uw caseload.", householdId, null, ct);
                }
            }
            else
            {
                var leads = (teamId is not null
                        ? await db.QueryAsync<IdRow>(TeamLeadsSql, new { role = Roles.TeamLead, teamId }, ct)
                        : municipality is not null
                            ? await db.QueryAsync<IdRow>(MunicipalityTeamLeadsSql, new { role = Roles.TeamLead, municipality }, ct)
                            : await db.QueryAsync<IdRow>(AllTeamLeadsSql, new { role = Roles.TeamLead }, ct))
                    .Select(r => r.Id).Where(id => id != user.Id).ToList();
                await notifier.NotifyAsync(leads, NotificationTypes.SignalRouted, teamId is null
                    ? "Nieuw signaal in de gedeelde triagewachtrij."
                    : "Nieuw signaal in de triagewachtrij van uw team.", householdId, null, ct);
            }

            var insider = household is not null &&
                          (user.IsInRole(Roles.Coach) || user.IsInRole(Roles.TeamLead)) && user.TeamId == household.TeamId;
            if (insider)
            {
                var teamName = await db.QuerySingleOrDefaultAsync<string>(TeamNameSql, new { id = household!.TeamId }, ct) ?? "";
                return new Result(signalId, householdId, true, coachId is not null
                    ? new RoutedTo(KindCoach, coachName ?? "", teamName, coachId, household.TeamId)
                    : new RoutedTo(KindTeam, teamName, teamName, null, household.TeamId));
            }
            var provedKnowledge = matchedOn is MatchedOn.Bsn or MatchedOn.NameAndDateOfBirth;
            if (coachId is not null && provedKnowledge)
            {
                var teamName = await db.QuerySingleOrDefaultAsync<string>(TeamNameSql, new { id = household!.TeamId }, ct);
                return new Result(signalId, null, null, new RoutedTo(KindCoach, coachName ?? "", teamName, null, null));
            }
            return new Result(signalId, null, null, addressTeam is null
                ? new RoutedTo(KindTeam, SharedQueueName, null, null, null)
                : new RoutedTo(KindTeam, addressTeam.Name, addressTeam.Name, null, null));
        }

        /// <summary>The one open household the signal is about and how it was found; null when there is none or it is ambiguous.</summary>
        private async Task<(Guid? HouseholdId, MatchedOn? On)> MatchAsync(string postalCode, int houseNumber, string suffix, string[] hashes,
            List<(string FamilyName, DateOnly DateOfBirth)> people, CancellationToken ct)
        {
            if (hashes.Length > 0)
            {
                var byBsn = (await db.QueryAsync<IdRow>(MatchByBsnSql, new { hashes }, ct)).Select(r => r.Id).Distinct().ToList();
                if (byBsn.Count == 1) return (byBsn[0], MatchedOn.Bsn);
            }
            var byAddress = (await db.QueryAsync<IdRow>(MatchByAddressSql, new { postalCode, houseNumber, houseNumberSuffix = suffix }, ct))
                .Select(r => r.Id).ToList();
            if (byAddress.Count == 1) return (byAddress[0], MatchedOn.Address);
            var byName = new HashSet<Guid>();
            foreach (var (familyName, dateOfBirth) in people)
            {
                foreach (var row in await db.QueryAsync<IdRow>(MatchByNameSql, new { familyNameKey = FamilyNames.Key(familyName), dateOfBirth }, ct))
                {
                    byName.Add(row.Id);
                }
            }
            return byName.Count == 1 ? (byName.Single(), MatchedOn.NameAndDateOfBirth) : (null, null);
        }
    }

    public static void Map(RouteGroupBuilder api) => api
        .MapPost("/signals", async (Command command, IMediator mediator, CancellationToken ct) =>
        {
            var result = await mediator.Send(command, ct);
            // No Location: a signal is read through the triage queue (or by the contact it reached), not by its sender.
            return TypedResults.Created((string?)null, result);
        })
        .RequireAuthorization(Policies.KnownUser)
        .RequireRateLimiting(SignalRateLimit.Policy)
        .ProducesProblem(StatusCodes.Status429TooManyRequests)
        .WithName("submitSignal")
        .WithSummary("Signaal melden; gaat naar de coach van een bekend huishouden, anders naar triage")
        .WithTags("Signalen");
}
