using Frontlijn.Web.Features.Requests;
using FluentValidation;
using Frontlijn.Web.Features.Involvements;
using Frontlijn.Web.Infrastructure.Auth;
using Frontlijn.Web.Infrastructure.Web;

namespace Frontlijn.Web.Features.Reports;

/// <summary>
/// A team lead reports on their own team only: another team's id answers 404 (need-to-know), no id means their own.
/// The period is a range of Amsterdam calendar dates (default: the last twelve months up to today); in SQL it is the
/// half-open instant range [start of <c>from</c>, start of the day after <c>to</c>).
/// </summary>
public sealed record ReportPeriod(DateOnly From, DateOnly To)
{
    public DateTimeOffset Start => WorkingDays.StartOfDay(From);
    public DateTimeOffset End => WorkingDays.StartOfDay(To.AddDays(1));

    public static ReportPeriod Resolve(DateOnly? from, DateOnly? to, TimeProvider time)
    {
        var end = to ?? WorkingDays.LocalDate(time.GetUtcNow());
        var start = from ?? end.AddMonths(-12).AddDays(1);
        var errors = new List<FluentValidation.Results.ValidationFailure>();
        // Dutch without API words: the report page shows these messages at its date fields as they are.
        if (start > end) errors.Add(new("from", "De begindatum ligt niet na de einddatum."));
        if (end.DayNumber - start.DayNumber > 366 * 10) errors.Add(new("from", "Een rapportperiode is hoogstens tien jaar."));
        if (errors.Count > 0) throw new ValidationException(errors);
        return new ReportPeriod(start, end);
    }
}

public sealed class ReportScope(CurrentUser user)
{
    public Guid TeamFor(Guid? requestedTeamId)
    {
        if (!user.IsInRole(Roles.TeamLead) || user.TeamId is not { } own)
        {
            throw ProblemException.Forbidden("Rapportages zijn voor teamleiders.");
        }
        if (requestedTeamId is { } requested && requested != own)
        {
            throw ProblemException.NotFound("Dit team");
        }
        return own;
    }

    /// <summary>
    /// A report over neighbourhoods: the team lead sees their own team (null requested: their own), the functional
    /// administrator the whole municipality (null: no team filter).
    /// </summary>
    public Guid? TeamOrMunicipality()
    {
        if (user.IsInRole(Roles.Admin)) return null;
        return TeamFor(null);
    }
}
