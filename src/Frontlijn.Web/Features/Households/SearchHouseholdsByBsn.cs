using FluentValidation;
using Frontlijn.Web.Features.AccessLog;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;

namespace Frontlijn.Web.Features.Households;

/// <summary>
/// <c>POST /api/v1/households/search {bsn}</c>: the households of the caller's own team with a current member of that
/// BSN, matched through the keyed hash (the number is never stored, and travels in the body, never in a URL). Every
/// search is access-logged — each household found, and a search that found nothing (so fishing shows in the log) —
/// without the number. Another team's household is never found here: out of scope is simply not there.
/// </summary>
public static class SearchHouseholdsByBsn
{
    public sealed record Body(string? Bsn);

    public sealed record Command(string? Bsn) : ICommand<Result>;

    public sealed record Result(IReadOnlyList<ListHouseholds.HouseholdSummary> Items);

    public sealed class Validator : AbstractValidator<Command>
    {
        // Two rules: a When on one chain would make the NotEmpty conditional too.
        public Validator()
        {
            RuleFor(c => c.Bsn).NotEmpty().WithMessage("Geef een BSN.");
            RuleFor(c => c.Bsn).Must(Bsn.IsValid).When(c => !string.IsNullOrEmpty(c.Bsn))
                .WithMessage("Dit is geen geldig BSN: negen cijfers die voldoen aan de elfproef.");
        }
    }

    internal const string SearchSql = """
        SELECT h.id, h.neighbourhood_id, h.team_id, h.street, h.house_number, h.house_number_suffix, h.postal_code,
               h.city, h.status, h.closure_reason, h.created_at, h.closed_at, h.version,
               a.coach_id, u.display_name AS coach_display_name
        FROM households h
        LEFT JOIN coach_assignments a ON a.household_id = h.id AND a.to_at IS NULL
        LEFT JOIN users u ON u.id = a.coach_id
        WHERE h.team_id = @teamId
          AND EXISTS (SELECT 1 FROM household_members m
                      WHERE m.household_id = h.id AND m.bsn_hash = @bsnHash AND m.departed_on IS NULL)
        ORDER BY h.created_at, h.id
        """;

    // A command, not a query: the search's log rows are written in its unit of work like any change's.
    internal sealed class Handler(DbSession db, CurrentUser user, BsnHasher bsn, AccessLogWriter log) : ICommandHandler<Command, Result>
    {
        public async ValueTask<Result> Handle(Command command, CancellationToken ct)
        {
            if (!(user.IsInRole(Roles.Coach) || user.IsInRole(Roles.TeamLead)) || user.TeamId is not { } teamId)
            {
                throw ProblemException.NotFound("Deze zoekopdracht");
            }
            var rows = (await db.QueryAsync<HouseholdRow>(SearchSql, new { teamId, bsnHash = bsn.Hash(command.Bsn!) }, ct)).ToList();
            if (rows.Count == 0)
            {
                await log.WriteAsync("search", "household", null, null, ct);
            }
            foreach (var row in rows)
            {
                await log.WriteAsync("search", "household", row.Id, row.Id, ct);
            }
            return new Result(rows.Select(r => new ListHouseholds.HouseholdSummary(r.Id, r.Status, r.Address, r.Coach, r.CreatedAt)).ToList());
        }
    }

    public static void Map(RouteGroupBuilder api) => api
        .MapPost("/households/search", async (Body body, IMediator mediator, CancellationToken ct) =>
            TypedResults.Ok(await mediator.Send(new Command(body.Bsn), ct)))
        .RequireAuthorization(Policies.CoachOrTeamLead)
        .WithName("searchHouseholdsByBsn")
        .WithSummary("Huishoudens van het eigen team zoeken op BSN (in de body, nooit in de URL; gelogd)")
        .WithTags("Huishoudens");
}
