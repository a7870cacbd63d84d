using FluentValidation;
using Frontlijn.Web.Features.AccessLog;
using Frontlijn.Web.Features.Households;
using Frontlijn.Web.Features.Requests;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;

namespace Frontlijn.Web.Features.Meetings;

/// <summary>
/// A meeting about a household (round table, case consultation, home visit, other): when, how long, who took part,
/// and whether the household was there. Participants are the professionals: a Frontlijn user, an organisation, or a
/// name for someone outside Frontlijn; the household itself is <c>householdPresent</c>, never a participant. So the
/// professional-hours of a meeting are its duration times its number of participants.
/// </summary>
public sealed record Meeting(
    Guid Id, Guid HouseholdId, DateOnly Date, string Kind, int DurationMinutes, IReadOnlyList<MeetingParticipant> Participants,
    bool HouseholdPresent, double ProfessionalHours, Guid RecordedBy, DateTimeOffset RecordedAt);

public sealed record MeetingParticipant(Guid? OrganisationId, Guid? UserId, string? Name);

public static class MeetingKinds
{
    public static readonly IReadOnlyList<string> All = ["round-table", "case-consultation", "home-visit", "other"];

    public static string Label(string kind) => kind switch
    {
        "round-table" => "Rondetafelgesprek",
        "case-consultation" => "Casusoverleg",
        "home-visit" => "Huisbezoek",
        _ => "Anders",
    };
}

public static class RecordMeeting
{
    public sealed record Body(
        DateOnly? Date, string? Kind, int? DurationMinutes, IReadOnlyList<MeetingParticipant?>? Participants, bool? HouseholdPresent);

    public sealed record Command(
        Guid HouseholdId, DateOnly? Date, string? Kind, int? DurationMinutes, IReadOnlyList<MeetingParticipant?>? Participants,
        bool? HouseholdPresent) : ICommand<Meeting>;

    public const int MaxParticipants = 50;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator(TimeProvider time)
        {
            RuleFor(c => c.Date).NotNull().Must(d => d is null || d <= WorkingDays.LocalDate(time.GetUtcNow()).AddYears(1))
                .WithMessage("De datum (date) is verplicht en ligt hoogstens een jaar vooruit.");
            RuleFor(c => c.Kind).NotEmpty().Must(k => k is null || MeetingKinds.All.Contains(k))
                .WithMessage("Soort (kind) is round-table, case-consultation, home-visit of other.");
            RuleFor(c => c.DurationMinutes).NotNull().InclusiveBetween(1, 1440)
                .WithMessage("De duur (durationMinutes) is 1 tot en met 1440 minuten.");
            RuleFor(c => c.HouseholdPresent).NotNull().WithMessage("Geef aan of het huishouden erbij was (householdPresent).");
            RuleFor(c => c.Participants).NotNull().WithMessage("Geef de deelnemers (participants; mag een lege lijst zijn).")
                .Must(p => p is null || p.Count <= MaxParticipants).WithMessage($"Hoogstens {MaxParticipants} deelnemers.");
            RuleForEach(c => c.Participants).NotNull().WithMessage("Een deelnemer mag niet leeg (null) zijn.")
                .Must(p => p is null || p.OrganisationId is not null || p.UserId is not null || !string.IsNullOrWhiteSpace(p.Name))
                .WithMessage("Een deelnemer heeft een organisatie (organisationId), een gebruiker (userId) of een naam (name).")
                .Must(p => p is null || p.Name is null || p.Name.Length <= 200).WithMessage("Een naam is hoogstens 200 tekens.");
        }
    }

    internal const string InsertSql = """
        INSERT INTO meetings (id, household_id, meeting_on, kind, duration_minutes, household_present, recorded_by, recorded_at)
        VALUES (@id, @householdId, @date, @kind, @durationMinutes, @householdPresent, @recordedBy, @now)
        """;

    internal const string InsertParticipantSql = """
        INSERT INTO meeting_participants (id, meeting_id, position, organisation_id, user_id, name)
        VALUES (@id, @meetingId, @position, @organisationId, @userId, @name)
        """;

    internal const string OrganisationExistsSql = "SELECT COUNT(*) FROM organisations WHERE id = @id";
    internal const string UserExistsSql = "SELECT COUNT(*) FROM users WHERE id = @id";

    internal sealed class Handler(DbSession db, HouseholdAccess access, CurrentUser user, AccessLogWriter log, TimeProvider time)
        : ICommandHandler<Command, Meeting>
    {
        public async ValueTask<Meeting> Handle(Command command, CancellationToken ct)
        {
            var household = await access.LockForChangeAsync(command.HouseholdId, ct, "meeting");
            if (!user.IsInRole(Roles.TeamLead))
            {
                await access.RequireOwnCoachAsync(household, "create", "meeting",
                    "Alleen de coach van dit huishouden (of diens waarnemer) en de teamleider leggen overleggen vast.", ct);
            }
            var participants = command.Participants!.Select(p => p! with { Name = string.IsNullOrWhiteSpace(p.Name) ? null : p.Name.Trim() }).ToList();
            var errors = new List<FluentValidation.Results.ValidationFailure>();
            for (var i = 0; i < participants.Count; i++)
            {
                if (participants[i].OrganisationId is { } o && await db.ExecuteScalarAsync<int>(OrganisationExistsSql, new { id = o }, ct) == 0)
                {
                    errors.Add(new($"participants[{i}].organisationId", "Deze organisatie bestaat niet."));
                }
                if (participants[i].UserId is { } u && await db.ExecuteScalarAsync<int>(UserExistsSql, new { id = u }, ct) == 0)
                {
                    errors.Add(new($"participants[{i}].userId", "Deze gebruiker bestaat niet."));
                }
            }
            if (errors.Count > 0) throw new ValidationException(errors);

            var now = time.GetUtcNow();
            var id = Guid.CreateVersion7(now);
            await db.ExecuteAsync(InsertSql, new
            {
                id, command.HouseholdId, date = command.Date!.Value, command.Kind, durationMinutes = command.DurationMinutes!.Value,
                householdPresent = command.HouseholdPresent!.Value ? 1 : 0, recordedBy = user.Id, now,
            }, ct);
            for (var i = 0; i < participants.Count; i++)
            {
                await db.ExecuteAsync(InsertParticipantSql, new
                {
                    id = Guid.CreateVersion7(now), meetingId = id, position = i, participants[i].OrganisationId, participants[i].UserId,
                    participants[i].Name,
                }, ct);
            }
            await log.WriteAsync("create", "meeting", id, command.HouseholdId, ct);
            return new Meeting(id, command.HouseholdId, command.Date!.Value, command.Kind!, command.DurationMinutes!.Value, participants,
                command.HouseholdPresent!.Value, ListMeetings.Hours(command.DurationMinutes!.Value, participants.Count), user.Id,
                WorkingDays.InAmsterdam(now));
        }
    }

    public static void Map(RouteGroupBuilder api) => api
        .MapPost("/households/{id:guid}/meetings", async (Guid id, Body body, IMediator mediator, CancellationToken ct) =>
        {
            var created = await mediator.Send(new Command(id, body.Date, body.Kind, body.DurationMinutes, body.Participants, body.HouseholdPresent), ct);
            return TypedResults.Created($"/api/v1/households/{id}/meetings/{created.Id}", created);
        })
        .RequireAuthorization(Policies.CoachOrTeamLead)
        .WithName("recordMeeting")
        .WithSummary("Overleg over een huishouden vastleggen (coach van het huishouden, teamleider)")
        .WithTags("Overleggen");
}

public static class ListMeetings
{
    public sealed record Query(Guid HouseholdId) : IQuery<IReadOnlyList<Meeting>>;

    internal static double Hours(int durationMinutes, int participants) => Math.Round(durationMinutes * participants / 60.0, 2);

    internal const string MeetingsSql = """
        SELECT id, household_id, meeting_on, kind, duration_minutes, household_present, recorded_by, recorded_at
        FROM meetings WHERE household_id = @householdId
        ORDER BY meeting_on DESC, recorded_at DESC, id
        """;

    internal const string ParticipantsSql = """
        SELECT p.meeting_id, p.organisation_id, p.user_id, p.name
        FROM meeting_participants p JOIN meetings m ON m.id = p.meeting_id
        WHERE m.household_id = @householdId
        ORDER BY p.meeting_id, p.position
        """;

    internal sealed record Row
    {
        public Guid Id { get; init; }
        public Guid HouseholdId { get; init; }
        public DateOnly MeetingOn { get; init; }
        public string Kind { get; init; } = "";
        public int DurationMinutes { get; init; }
        public int HouseholdPresent { get; init; }
        public Guid RecordedBy { get; init; }
        public DateTimeOffset RecordedAt { get; init; }
    }

    internal sealed record ParticipantRow
    {
        public Guid MeetingId { get; init; }
        public Guid? OrganisationId { get; init; }
        public Guid? UserId { get; init; }
        public string? Name { get; init; }
    }

    internal sealed class Handler(DbSession db, HouseholdAccess access) : IQueryHandler<Query, IReadOnlyList<Meeting>>
    {
        public async ValueTask<IReadOnlyList<Meeting>> Handle(Query query, CancellationToken ct)
        {
            await access.ReadAsync(query.HouseholdId, "meeting", ct);
            var participants = (await db.QueryAsync<ParticipantRow>(ParticipantsSql, new { query.HouseholdId }, ct))
                .ToLookup(p => p.MeetingId, p => new MeetingParticipant(p.OrganisationId, p.UserId, p.Name));
            return (await db.QueryAsync<Row>(MeetingsSql, new { query.HouseholdId }, ct)).Select(m =>
            {
                var list = participants[m.Id].ToList();
                return new Meeting(m.Id, m.HouseholdId, m.MeetingOn, m.Kind, m.DurationMinutes, list, m.HouseholdPresent == 1,
                    Hours(m.DurationMinutes, list.Count), m.RecordedBy, WorkingDays.InAmsterdam(m.RecordedAt));
            }).ToList();
        }
    }

    public static void Map(RouteGroupBuilder api) => api
        .MapGet("/households/{id:guid}/meetings", async (Guid id, IMediator mediator, CancellationToken ct) =>
            TypedResults.Ok(await mediator.Send(new Query(id), ct)))
        .RequireAuthorization(Policies.CoachOrTeamLead)
        .WithName("listMeetings")
        .WithSummary("Overleggen over een huishouden, nieuwste eerst (coach, teamleider van het team)")
        .WithTags("Overleggen");

    public static RouteGroupBuilder MapMeetings(this RouteGroupBuilder api)
    {
        RecordMeeting.Map(api);
        Map(api);
        return api;
    }
}
