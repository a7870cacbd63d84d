using FluentValidation;
using Frontlijn.Web.Features.AccessLog;
using Frontlijn.Web.Features.Households;
using Frontlijn.Web.Features.Notifications;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Mediator;

namespace Frontlijn.Web.Features.Signals;

/// <summary>
/// Any professional reports a concern about an address or person. Matching (open households only): by BSN, else by
/// postal code + house number, else by family name + date of birth; a match must be unambiguous. A matched household
/// with a coach gets the signal at its coach (one contact) and the sender learns who that is; otherwise the signal
/// waits in the triage queue of the household's team, or of the team whose neighbourhood covers the PC4, or in the
/// shared queue every team lead sees. A signal never creates a household.
/// </summary>
public static class SubmitSignal
{
    public sealed record Command(
        AddressInput? Address, IReadOnlyList<SignalMemberInput>? Members, string? Concern, IReadOnlyList<string>? Domains)
        : ICommand<Result>;

    public sealed record RoutedTo(Guid? CoachId, string? CoachDisplayName, Guid? TeamId);

    public sealed record Result(Guid SignalId, Guid? HouseholdId, bool Matched, RoutedTo RoutedTo);

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
        SELECT t.id
        FROM neighbourhood_postal_codes p
        JOIN team_neighbourhoods tn ON tn.neighbourhood_id = p.neighbourhood_id
        JOIN teams t ON t.id = tn.team_id
        WHERE p.postal_code = @pc4
        ORDER BY t.name, t.id
        """;

    internal const string InsertSql = """
        INSERT INTO signals (id, sender_id, created_at, concern, domains, street, house_number, house_number_suffix,
                             postal_code, city, matched, household_id, team_id, coach_id, status, triaged_by, triaged_at)
        VALUES (@id, @senderId, @now, @concern, @domains, @street, @houseNumber, @houseNumberSuffix,
                @postalCode, @city, @matched, @householdId, @teamId, @coachId, @status, NULL, NULL)
        """;

    internal const string InsertMemberSql = """
        INSERT INTO signal_members (id, signal_id, sort_order, given_name, family_name, date_of_birth, role, bsn_hash, bsn_last4)
        VALUES (@id, @signalId, @sortOrder, @givenName, @familyName, @dateOfBirth, @role, @bsnHash, @bsnLast4)
        """;

    /// <summary>Team leads of one team, or every team lead when the signal is in the shared queue (team null).</summary>
    internal const string TeamLeadsSql = """
        SELECT id FROM users WHERE role = @role AND (@teamId IS NULL OR team_id = @teamId)
        """;

    internal sealed record IdRow
    {
        public Guid Id { get; init; }
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

            var householdId = await MatchAsync(postalCode, address.HouseNumber!.Value, suffix,
                members.Where(m => m.BsnHash is not null).Select(m => m.BsnHash!).ToArray(),
                members.Where(m => m.DateOfBirth is not null).Select(m => (m.FamilyName, m.DateOfBirth!.Value)).ToList(), ct);

            Guid? teamId;
            Guid? coachId = null;
            string? coachName = null;
            if (householdId is { } matchedId)
            {
                var household = (await db.QuerySingleOrDefaultAsync<HouseholdRow>(HouseholdAccess.FindSql, new { id = matchedId }, ct))!;
                teamId = household.TeamId;
                coachId = household.CoachId;
                coachName = household.CoachDisplayName;
            }
            else
            {
                teamId = (await db.QueryAsync<IdRow>(TeamByPc4Sql, new { pc4 = PostalCodes.Pc4(postalCode) }, ct))
                    .Select(r => (Guid?)r.Id).FirstOrDefault();
            }

            var signalId = Guid.CreateVersion7();
            var status = coachId is null ? SignalStatus.Untriaged : SignalStatus.Routed;
            await db.ExecuteAsync(InsertSql, new
            {
                id = signalId, senderId = user.Id, now = time.GetUtcNow(), concern = command.Concern!.Trim(),
                domains = string.Join(',', (command.Domains ?? []).Distinct()), street = address.Street!.Trim(),
                houseNumber = address.HouseNumber.Value, houseNumberSuffix = suffix, postalCode, city = address.City!.Trim(),
                matched = householdId is null ? 0 : 1, householdId, teamId, coachId, status,
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
                var leads = (await db.QueryAsync<IdRow>(TeamLeadsSql, new { role = Roles.TeamLead, teamId }, ct))
                    .Select(r => r.Id).Where(id => id != user.Id).ToList();
                await notifier.NotifyAsync(leads, NotificationTypes.SignalRouted, teamId is null
                    ? "Nieuw signaal in de gedeelde triagewachtrij."
                    : "Nieuw signaal in de triagewachtrij van uw team.", householdId, null, ct);
            }
            return new Result(signalId, householdId, householdId is not null, new RoutedTo(coachId, coachName, teamId));
        }

        /// <summary>The one open household the signal is about, or null when there is none or it is ambiguous.</summary>
        private async Task<Guid?> MatchAsync(string postalCode, int houseNumber, string suffix, string[] hashes,
            List<(string FamilyName, DateOnly DateOfBirth)> people, CancellationToken ct)
        {
            if (hashes.Length > 0)
            {
                var byBsn = (await db.QueryAsync<IdRow>(MatchByBsnSql, new { hashes }, ct)).Select(r => r.Id).Distinct().ToList();
                if (byBsn.Count == 1) return byBsn[0];
            }
            var byAddress = (await db.QueryAsync<IdRow>(MatchByAddressSql, new { postalCode, houseNumber, houseNumberSuffix = suffix }, ct))
                .Select(r => r.Id).ToList();
            if (byAddress.Count == 1) return byAddress[0];
            var byName = new HashSet<Guid>();
            foreach (var (familyName, dateOfBirth) in people)
            {
                foreach (var row in await db.QueryAsync<IdRow>(MatchByNameSql, new { familyNameKey = FamilyNames.Key(familyName), dateOfBirth }, ct))
                {
                    byName.Add(row.Id);
                }
            }
            return byName.Count == 1 ? byName.Single() : null;
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
        .WithName("submitSignal")
        .WithSummary("Signaal melden; gaat naar de coach van een bekend huishouden, anders naar triage")
        .WithTags("Signalen");
}
