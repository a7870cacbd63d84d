using FluentValidation;
using Frontlijn.Web.Features.Households;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;

namespace Frontlijn.Web.Features.Caseload;

/// <summary>
/// <c>POST /api/v1/users/{id}/caseload-handover {toCoachIds, reason}</c> (team lead of that coach's team): every open
/// household of the coach is handed over in one transaction, so a coach who leaves can be deactivated right after.
/// <para>
/// Distribution: round robin over <c>toCoachIds</c> in the order given (oldest assignment first), skipping a coach whose
/// caseload is full (<c>maxCaseload</c>); the order is the team lead's way to say who takes the first. When not all
/// fit, nothing changes: 409 with what does not fit and every coach's free places.
/// </para>
/// <para>
/// Each household goes through <see cref="CoachAssigner"/>, exactly as <c>PUT /households/{id}/coach</c>: the same
/// coach history, notifications and access-log rows. Households are locked first (id order) and the coaches after,
/// the order a single handover takes them in too, so the two cannot deadlock each other.
/// </para>
/// </summary>
public static class HandOverCaseload
{
    public const string Distribution = "round-robin";

    public sealed record Body(IReadOnlyList<Guid>? ToCoachIds, string? Reason);

    public sealed record Command(Guid CoachId, IReadOnlyList<Guid>? ToCoachIds, string? Reason) : ICommand<Result>;

    public sealed record HandedOver(Guid HouseholdId, CoachRef Coach);

    public sealed record Result(Guid CoachId, string Distribution, IReadOnlyList<HandedOver> HandedOver);

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.ToCoachIds).NotEmpty().WithMessage("Geef minstens één coach aan wie de caseload wordt overgedragen.");
            RuleFor(c => c.ToCoachIds).Must((c, ids) => ids is null || !ids.Contains(c.CoachId))
                .WithMessage("Een coach draagt zijn caseload niet aan zichzelf over.");
            RuleFor(c => c.ToCoachIds).Must(ids => ids is null || ids.Count <= 50).WithMessage("Hoogstens 50 coaches.");
            RuleForEach(c => c.ToCoachIds).NotEqual(Guid.Empty).WithMessage("Een coach-ID mag niet leeg zijn.");
            RuleFor(c => c.Reason).NotEmpty().MaximumLength(1000);
        }
    }

    internal const string CoachOfTeamSql = """
        SELECT COUNT(*) FROM users WHERE id = @id AND role = 'coach' AND team_id = @teamId
        """;

    internal const string TargetsSql = """
        SELECT id, display_name, role, team_id, max_caseload FROM users
        WHERE id IN @ids AND role = 'coach' AND team_id = @teamId AND deactivated_at IS NULL
        """;

    /// <summary>The same households PATCH /users counts before it lets a coach be deactivated.</summary>
    internal const string OpenHouseholdsSql = """
        SELECT a.household_id, h.team_id
        FROM coach_assignments a
        JOIN households h ON h.id = a.household_id
        WHERE a.coach_id = @id AND a.to_at IS NULL AND h.status <> 'closed'
        ORDER BY a.from_at, a.household_id
        """;

    internal sealed record OpenRow
    {
        public Guid HouseholdId { get; init; }
        public Guid TeamId { get; init; }
    }

    internal sealed class Handler(DbSession db, CurrentUser user, HouseholdAccess households, CoachAssigner assigner)
        : ICommandHandler<Command, Result>
    {
        public async ValueTask<Result> Handle(Command command, CancellationToken ct)
        {
            var teamId = user.TeamId ?? throw ProblemException.Forbidden("U bent teamleider zonder team; u beheert geen caseloads.");
            if (await db.ExecuteScalarAsync<int>(CoachOfTeamSql, new { id = command.CoachId, teamId }, ct) == 0)
            {
                throw ProblemException.NotFound("Deze coach");
            }
            var order = command.ToCoachIds!.Distinct().ToList();
            var found = (await db.QueryAsync<CoachAssigner.CoachRow>(TargetsSql, new { ids = order.ToArray(), teamId }, ct))
                .ToDictionary(c => c.Id);
            if (order.FirstOrDefault(id => !found.ContainsKey(id)) is var missing && missing != Guid.Empty)
            {
                throw new ValidationException([new("toCoachIds", $"{missing} is geen actieve coach van uw team.")]);
            }
            var targets = order.Select(id => found[id]).ToList();

            // Households first, then the coaches (see the summary), each set in a fixed order.
            var open = (await db.QueryAsync<OpenRow>(OpenHouseholdsSql, new { id = command.CoachId }, ct)).ToList();
            // A household that moved to another team's neighbourhood keeps its coach until that team assigns one
            // (SPEC "Households over time"): this team lead cannot hand it over, so it never fits here.
            var elsewhere = open.Where(o => o.TeamId != teamId).Select(o => o.HouseholdId).ToList();
            var ids = open.Where(o => o.TeamId == teamId).Select(o => o.HouseholdId).ToList();
            var locked = new List<HouseholdRow>();
            foreach (var householdId in ids.Order())
            {
                var household = await households.LockForChangeAsync(householdId, ct);
                // Read again under the lock: handed over by someone else meanwhile is no longer this caseload.
                if (household.CoachId == command.CoachId && household.Status != HouseholdStatus.Closed) locked.Add(household);
            }
            locked = [.. ids.Select(id => locked.Find(h => h.Id == id)).OfType<HouseholdRow>()];
            foreach (var id in targets.Select(t => t.Id).Append(command.CoachId).Distinct().Order())
            {
                await db.ExecuteAsync(CoachAssigner.LockUserSql, new { id }, ct);
            }
            var free = new Dictionary<Guid, int>();
            foreach (var target in targets)
            {
                free[target.Id] = target.MaxCaseload - await db.ExecuteScalarAsync<int>(CoachAssigner.OpenCaseloadSql, new { coachId = target.Id }, ct);
            }

            var freeBefore = new Dictionary<Guid, int>(free);

            // The plan, before any change: round robin, skipping the full and anyone outside the household's team.
            var plan = new List<(HouseholdRow Household, CoachAssigner.CoachRow Coach)>();
            var notPlaced = new List<Guid>(elsewhere);
            var next = 0;
            foreach (var household in locked)
            {
                var pick = Enumerable.Range(0, targets.Count).Select(i => (next + i) % targets.Count)
                    .Where(i => free[targets[i].Id] > 0 && targets[i].TeamId == household.TeamId)
                    .Select(i => (int?)i).FirstOrDefault();
                if (pick is not { } chosen)
                {
                    notPlaced.Add(household.Id);
                    continue;
                }
                plan.Add((household, targets[chosen]));
                free[targets[chosen].Id]--;
                next = (chosen + 1) % targets.Count;
            }
            if (notPlaced.Count > 0)
            {
                var capacity = targets
                    .Select(t => new { coachId = t.Id, displayName = t.DisplayName, freePlaces = Math.Max(0, freeBefore[t.Id]) })
                    .ToList();
                throw new ProblemException(409, "Conflict",
                    $"{notPlaced.Count} van de {locked.Count + elsewhere.Count} open huishoudens {(notPlaced.Count == 1 ? "past" : "passen")} niet bij de gekozen " +
                    "coaches (volle caseload" + (elsewhere.Count > 0 ? $"; {elsewhere.Count} {(elsewhere.Count == 1 ? "hoort" : "horen")} nu bij een ander team, dat zelf een coach toewijst" : "") +
                    "). Er is niets overgedragen; kies meer coaches of verhoog een maximale caseload.")
                {
                    Extensions = new Dictionary<string, object?>
                    {
                        ["openHouseholds"] = locked.Count + elsewhere.Count,
                        ["notPlacedHouseholdIds"] = notPlaced,
                        ["freePlaces"] = capacity,
                    },
                };
            }

            var reason = command.Reason!.Trim();
            var handedOver = new List<HandedOver>();
            foreach (var (household, coach) in plan)
            {
                handedOver.Add(new HandedOver(household.Id, await assigner.AssignAsync(household, coach.Id, reason, ct)));
            }
            return new Result(command.CoachId, Distribution, handedOver);
        }
    }

    public static void Map(RouteGroupBuilder api) => api
        .MapPost("/users/{id:guid}/caseload-handover", async (Guid id, Body body, IMediator mediator, CancellationToken ct) =>
            TypedResults.Ok(await mediator.Send(new Command(id, body.ToCoachIds, body.Reason), ct)))
        .RequireAuthorization(Policies.TeamLead)
        .WithName("handOverCaseload")
        .WithSummary("De hele caseload van een coach in één keer overdragen (teamleider van het team; round robin, binnen de maximale caseload)")
        .WithTags("Caseload");
}
