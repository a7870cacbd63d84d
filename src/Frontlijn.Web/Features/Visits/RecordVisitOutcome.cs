using FluentValidation;
using Frontlijn.Web.Features.AccessLog;
using Frontlijn.Web.Features.Households;
using Frontlijn.Web.Features.Notifications;
using Frontlijn.Web.Features.Signals;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Data;
using Frontlijn.Web.Infrastructure.Web;
using Mediator;

namespace Frontlijn.Web.Features.Visits;

/// <summary>
/// The visitor records what happened at the door, once. A <c>concern</c> raises a signal about the address in the same
/// transaction, routed by the signal's own handler (<see cref="SubmitSignal.Handler"/>: the household's one contact,
/// else a triage queue), with the visitor as its sender; the note (or else the visit's reason) is its concern.
/// Who may: a coach or team lead of the visit's team, or whoever planned it; anyone else gets 404.
/// </summary>
public static class RecordVisitOutcome
{
    public sealed record Body(string? Result, string? Note);

    public sealed record Command(Guid VisitId, string? Result, string? Note) : ICommand<Visit>;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.Result).NotEmpty().WithMessage("De uitkomst (result) is verplicht.")
                .Must(r => r is null || VisitResults.All.Contains(r))
                .WithMessage("De uitkomst (result) is no-answer, talked, concern of no-concern.");
            RuleFor(c => c.Note).MaximumLength(4000).WithMessage("De notitie (note) is hoogstens 4000 tekens.");
        }
    }

    // Conditional: of two recordings at once exactly one wins; the other is told it came too late (409).
    internal const string RecordSql = """
        UPDATE visits SET result = @result, note = @note, outcome_by = @outcomeBy, outcome_at = @now
        WHERE id = @id AND result IS NULL
        """;

    internal const string LinkSignalSql = "UPDATE visits SET signal_id = @signalId WHERE id = @id";

    internal sealed class Handler(
        DbSession db, CurrentUser user, TimeProvider time, BsnHasher bsn, Notifier notifier, AccessLogWriter log)
        : ICommandHandler<Command, Visit>
    {
        public async ValueTask<Visit> Handle(Command command, CancellationToken ct)
        {
            var visit = await db.QuerySingleOrDefaultAsync<VisitRow>(VisitRow.FindSql, new { id = command.VisitId }, ct);
            if (visit is null || (visit.TeamId != user.TeamId && visit.PlannedBy != user.Id))
            {
                if (visit?.HouseholdId is { } h) await log.WriteAsync("update", "visit", visit.Id, h, ct, AccessLogWriter.Denied);
                throw ProblemException.NotFound("Bezoek");
            }
            var note = string.IsNullOrWhiteSpace(command.Note) ? null : command.Note.Trim();
            var now = time.GetUtcNow();
            if (await db.ExecuteAsync(RecordSql, new { id = visit.Id, command.Result, note, outcomeBy = user.Id, now }, ct) == 0)
            {
                throw ProblemException.Conflict("De uitkomst van dit bezoek is al vastgelegd.");
            }
            await log.WriteAsync("update", "visit", visit.Id, visit.HouseholdId, ct);

            SubmitSignal.RoutedTo? routedTo = null;
            if (command.Result == VisitResults.Concern)
            {
                // The signal's own handler, in this unit of work: matching, routing, notifications and its access-log
                // rows are exactly a signal's, so a visit's concern can never be routed differently from any other.
                var address = new AddressInput(visit.Street, visit.HouseNumber, visit.HouseNumberSuffix, visit.PostalCode, visit.City);
                var concern = $"Zorg na bezoek achter de voordeur op {visit.PlannedOn:dd-MM-yyyy}: {note ?? visit.Reason}";
                var signal = await new SubmitSignal.Handler(db, user, time, bsn, notifier, log)
                    .Handle(new SubmitSignal.Command(address, [], concern, []), ct);
                await db.ExecuteAsync(LinkSignalSql, new { signalId = signal.SignalId, id = visit.Id }, ct);
                routedTo = signal.RoutedTo;
            }
            var row = (await db.QuerySingleOrDefaultAsync<VisitRow>(VisitRow.FindSql, new { id = visit.Id }, ct))!;
            return row.ToVisit(routedTo);
        }
    }

    public static void Map(RouteGroupBuilder api) => api
        .MapPost("/visits/{id:guid}/outcome", async (Guid id, Body body, IMediator mediator, CancellationToken ct) =>
            TypedResults.Ok(await mediator.Send(new Command(id, body.Result, body.Note), ct)))
        .RequireAuthorization(Policies.CoachOrTeamLead)
        .WithName("recordVisitOutcome")
        .WithSummary("Uitkomst van een bezoek vastleggen; een zorg wordt een signaal (bezoeker, team)")
        .WithTags("Bezoeken");
}
