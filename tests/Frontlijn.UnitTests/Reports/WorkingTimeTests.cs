using System.Globalization;
using Frontlijn.Web.Features.Reports;
using Frontlijn.Web.Features.Requests;

namespace Frontlijn.UnitTests.Reports;

/// <summary>Working time between two moments, against hand counts on the 2025/2026 calendar.</summary>
public sealed class WorkingTimeTests
{
    private static readonly WorkingDays Calendar = new();

    private static DateTimeOffset At(string rfc3339) => DateTimeOffset.Parse(rfc3339, CultureInfo.InvariantCulture);

    [Theory]
    // Within one working day: the wall clock.
    [InlineData("2025-03-03T09:00:00+01:00", "2025-03-03T12:00:00+01:00", 3)]
    // Friday 16:00 → Tuesday 10:00 over Koningsdag on Saturday 26 April 2025 and a Sunday: 8 + 24 (Monday) + 10.
    [InlineData("2025-04-25T16:00:00+02:00", "2025-04-29T10:00:00+02:00", 42)]
    // Christmas Eve noon → the Monday after: both Christmas days and the weekend are off, 12 + 12.
    [InlineData("2025-12-24T12:00:00+01:00", "2025-12-29T12:00:00+01:00", 24)]
    // Over the spring clock change (Sunday 30 March 2025): Friday 12:00 → Monday 12:00, 12 + 12.
    [InlineData("2025-03-28T12:00:00+01:00", "2025-03-31T12:00:00+02:00", 24)]
    // Sent on Hemelvaartsdag (29 May 2025): only the Friday morning counts.
    [InlineData("2025-05-29T09:00:00+02:00", "2025-05-30T09:00:00+02:00", 9)]
    // Sent on a Saturday, answered on the Sunday: no working time at all.
    [InlineData("2026-02-21T10:00:00+01:00", "2026-02-22T18:00:00+01:00", 0)]
    // Answered before it was sent (bad data): zero, never negative.
    [InlineData("2026-02-20T10:00:00+01:00", "2026-02-20T09:00:00+01:00", 0)]
    public void Between_CountsOnlyTheHoursOnWorkingDays(string from, string until, double hours) =>
        Assert.Equal(hours, WorkingTime.Between(Calendar, At(from), At(until)).TotalHours, 6);

    [Fact]
    public void Between_ADayWithTheAutumnClockChange_IsNotAWorkingDay_ButAWorkingDayAfterItIs24Hours()
    {
        // Sunday 26 October 2025 has 25 hours, but it is a Sunday; Monday the 27th counts 24.
        Assert.Equal(24, WorkingTime.Between(Calendar, At("2025-10-25T00:00:00+02:00"), At("2025-10-28T00:00:00+01:00")).TotalHours, 6);
    }

    [Fact]
    public void Median_IsTheMiddleValue_OrTheMeanOfTheMiddleTwo()
    {
        Assert.Null(WorkingTime.Median([]));
        Assert.Equal(24, WorkingTime.Median([42, 3, 24]));
        Assert.Equal(16.5, WorkingTime.Median([24, 9]));
    }
}
