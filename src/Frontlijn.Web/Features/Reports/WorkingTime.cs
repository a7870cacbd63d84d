using Frontlijn.Web.Features.Requests;

namespace Frontlijn.Web.Features.Reports;

/// <summary>
/// Response time in working time: the part of [sent, answered) that falls on Amsterdam working days (the same
/// calendar as due dates: <see cref="WorkingDays"/>, weekends and public holidays skipped), each working day counted
/// whole, 24 hours, because the due date gives the whole day too (until 23:59:59). A request sent on Friday afternoon
/// and answered on Monday morning took the Friday evening and the Monday morning, not the weekend. Days are cut at
/// local midnight as real instants, so a day with a clock change counts 23 or 25 hours.
/// </summary>
public static class WorkingTime
{
    public static TimeSpan Between(WorkingDays calendar, DateTimeOffset from, DateTimeOffset until)
    {
        if (until <= from) return TimeSpan.Zero;
        var total = TimeSpan.Zero;
        for (var day = WorkingDays.LocalDate(from); day <= WorkingDays.LocalDate(until); day = day.AddDays(1))
        {
            if (!calendar.IsWorkingDay(day)) continue;
            var start = WorkingDays.StartOfDay(day);
            var end = WorkingDays.StartOfDay(day.AddDays(1));
            var overlap = (until < end ? until : end) - (from > start ? from : start);
            if (overlap > TimeSpan.Zero) total += overlap;
        }
        return total;
    }

    /// <summary>The median (mean of the middle two for an even count); null for none.</summary>
    public static double? Median(IReadOnlyList<double> values)
    {
        if (values.Count == 0) return null;
        var sorted = values.Order().ToArray();
        var middle = sorted.Length / 2;
        return sorted.Length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }
}
