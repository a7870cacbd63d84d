using Frontlijn.Web.Features.Requests;
using Microsoft.Extensions.Configuration;

namespace Frontlijn.UnitTests.Requests;

public sealed class WorkingDaysTests
{
    private static readonly WorkingDays Calendar = new();

    private static DateTimeOffset Amsterdam(int year, int month, int day, int hour, int minute, string offset) =>
        DateTimeOffset.Parse($"{year:D4}-{month:D2}-{day:D2}T{hour:D2}:{minute:D2}:00{offset}", System.Globalization.CultureInfo.InvariantCulture);

    [Theory]
    [InlineData(2019, 4, 21)]
    [InlineData(2024, 3, 31)]
    [InlineData(2025, 4, 20)]
    [InlineData(2026, 4, 5)]
    [InlineData(2027, 3, 28)]
    [InlineData(2038, 4, 25)]
    [InlineData(2285, 3, 22)]
    public void EasterSunday_MatchesTheKnownDates(int year, int month, int day) =>
        Assert.Equal(new DateOnly(year, month, day), WorkingDays.EasterSunday(year));

    [Fact]
    public void HolidaysOf2026_AreTheDutchPublicHolidays()
    {
        var holidays = Calendar.HolidaysOf(2026);
        Assert.Equal(
        [
            new DateOnly(2026, 1, 1), new DateOnly(2026, 4, 3), new DateOnly(2026, 4, 6), new DateOnly(2026, 4, 27),
            new DateOnly(2026, 5, 5), new DateOnly(2026, 5, 14), new DateOnly(2026, 5, 25), new DateOnly(2026, 12, 25),
            new DateOnly(2026, 12, 26),
        ], holidays.Keys.Order());
        Assert.Equal("Hemelvaartsdag", holidays[new DateOnly(2026, 5, 14)]);
        Assert.Equal("Goede Vrijdag", holidays[new DateOnly(2026, 4, 3)]);
    }

    [Fact]
    public void SentOnTheThursdayBeforeGoodFriday_SkipsGoodFridayTheWeekendAndEasterMonday()
    {
        var due = Calendar.DueAt(Amsterdam(2026, 4, 2, 10, 0, "+02:00"), 5);
        // Fri 3 Apr Goede Vrijdag, Sat/Sun, Mon 6 Apr Tweede Paasdag; then Tue 7 .. Mon 13 April.
        Assert.Equal(Amsterdam(2026, 4, 13, 23, 59, "+02:00").AddSeconds(59), due);
        Assert.Equal(TimeSpan.FromHours(2), due.Offset);
    }

    [Fact]
    public void Koningsdag_OnAMonday_IsSkipped()
    {
        // 27 April 2026 is a Monday.
        Assert.False(Calendar.IsWorkingDay(new DateOnly(2026, 4, 27)));
        var due = Calendar.DueAt(Amsterdam(2026, 4, 24, 9, 0, "+02:00"), 1);
        Assert.Equal(new DateOnly(2026, 4, 28), WorkingDays.LocalDate(due));
    }

    [Theory]
    [InlineData(2025)]
    [InlineData(2031)]
    public void Koningsdag_WhenTheTwentySeventhIsASunday_IsTheSaturdayBefore_AndTheMondayAfterIsAWorkingDay(int year)
    {
        Assert.Equal(DayOfWeek.Sunday, new DateOnly(year, 4, 27).DayOfWeek);
        var holidays = Calendar.HolidaysOf(year);
        Assert.Equal("Koningsdag", holidays[new DateOnly(year, 4, 26)]);
        Assert.False(holidays.ContainsKey(new DateOnly(year, 4, 27)));
        Assert.True(Calendar.IsWorkingDay(new DateOnly(year, 4, 28)));
        // Sent on Friday 25 April: the first working day after it is Monday 28 April.
        Assert.Equal(new DateOnly(year, 4, 28), Calendar.AddWorkingDays(new DateOnly(year, 4, 25), 1));
    }

    [Fact]
    public void SentOnChristmasEve_SkipsChristmasTheWeekendAndNewYear_AndIsInWinterTime()
    {
        // 25 Dec 2026 Fri, 26 Sat; 1 Jan 2027 Fri.
        var three = Calendar.DueAt(Amsterdam(2026, 12, 24, 16, 0, "+01:00"), 3);
        Assert.Equal(new DateOnly(2026, 12, 30), WorkingDays.LocalDate(three));
        var five = Calendar.DueAt(Amsterdam(2026, 12, 24, 16, 0, "+01:00"), 5);
        Assert.Equal(Amsterdam(2027, 1, 4, 23, 59, "+01:00").AddSeconds(59), five);
        Assert.Equal(TimeSpan.FromHours(1), five.Offset);
    }

    [Fact]
    public void DueDates_CarryTheOffsetOfTheirOwnDay_AcrossTheSwitchToSummerTime()
    {
        // Summer time starts on Sunday 29 March 2026.
        var winter = Calendar.DueAt(Amsterdam(2026, 3, 2, 9, 0, "+01:00"), 5);
        Assert.Equal("2026-03-09T23:59:59+01:00", winter.ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture));
        var summer = Calendar.DueAt(Amsterdam(2026, 3, 25, 9, 0, "+01:00"), 5);
        Assert.Equal("2026-04-01T23:59:59+02:00", summer.ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture));
        // ... and back to winter time on Sunday 25 October 2026.
        var autumn = Calendar.DueAt(Amsterdam(2026, 10, 22, 9, 0, "+02:00"), 2);
        Assert.Equal("2026-10-26T23:59:59+01:00", autumn.ToString("yyyy-MM-dd'T'HH:mm:sszzz", System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void TheSendingDay_IsTheDayInAmsterdam_NotInUtc()
    {
        // 22:30 UTC on Monday 2 March is 23:30 Monday in Amsterdam; 23:30 UTC is already Tuesday 00:30.
        Assert.Equal(new DateOnly(2026, 3, 3), WorkingDays.LocalDate(Calendar.DueAt(new DateTimeOffset(2026, 3, 2, 22, 30, 0, TimeSpan.Zero), 1)));
        Assert.Equal(new DateOnly(2026, 3, 4), WorkingDays.LocalDate(Calendar.DueAt(new DateTimeOffset(2026, 3, 2, 23, 30, 0, TimeSpan.Zero), 1)));
    }

    [Fact]
    public void SentOnAWeekend_CountsFromMonday()
    {
        // Saturday 7 March 2026: the first working day after it is Monday 9 March.
        Assert.Equal(new DateOnly(2026, 3, 9), Calendar.AddWorkingDays(new DateOnly(2026, 3, 7), 1));
        Assert.Equal(new DateOnly(2026, 3, 13), Calendar.AddWorkingDays(new DateOnly(2026, 3, 8), 5));
        // Sent Friday: one working day is Monday, not Saturday.
        Assert.Equal(new DateOnly(2026, 3, 9), Calendar.AddWorkingDays(new DateOnly(2026, 3, 6), 1));
    }

    [Fact]
    public void HemelvaartAndPinksteren_AreSkipped()
    {
        // Hemelvaartsdag Thu 14 May 2026, Tweede Pinksterdag Mon 25 May 2026.
        Assert.Equal(new DateOnly(2026, 5, 15), Calendar.AddWorkingDays(new DateOnly(2026, 5, 13), 1));
        Assert.Equal(new DateOnly(2026, 5, 26), Calendar.AddWorkingDays(new DateOnly(2026, 5, 22), 1));
    }

    [Fact]
    public void Bevrijdingsdag_IsConfigurable_EveryYearByDefault_OrOnlyInLustrumYears()
    {
        var lustrum = new WorkingDays(new CalendarSettings(LiberationDayRule.LustrumOnly, new HashSet<DateOnly>()));
        Assert.False(Calendar.IsWorkingDay(new DateOnly(2026, 5, 5)));
        Assert.True(lustrum.IsWorkingDay(new DateOnly(2026, 5, 5)));
        Assert.False(lustrum.IsWorkingDay(new DateOnly(2025, 5, 5)));
        Assert.False(lustrum.IsWorkingDay(new DateOnly(2030, 5, 5)));
    }

    [Fact]
    public void Settings_AreReadFromConfiguration_IncludingExtraHolidays()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Calendar:LiberationDay"] = "lustrum",
            ["Calendar:ExtraHolidays:0"] = "2026-03-10",
            ["Calendar:ExtraHolidays:1"] = "2026-03-11",
        }).Build();
        var settings = CalendarSettings.FromConfiguration(configuration);
        Assert.Equal(LiberationDayRule.LustrumOnly, settings.LiberationDay);
        var calendar = new WorkingDays(settings);
        Assert.Equal(new DateOnly(2026, 3, 12), calendar.AddWorkingDays(new DateOnly(2026, 3, 9), 1));

        var commaSeparated = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Calendar:ExtraHolidays"] = "2026-03-10, 2026-03-11",
        }).Build();
        Assert.Equal(2, CalendarSettings.FromConfiguration(commaSeparated).ExtraHolidays.Count);

        var wrong = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Calendar:ExtraHolidays"] = "10-03-2026",
        }).Build();
        Assert.Throws<InvalidOperationException>(() => CalendarSettings.FromConfiguration(wrong));
    }

    [Fact]
    public void Suspension_AddsTheSuspendedWorkingDaysBack()
    {
        var due = Calendar.DueAt(Amsterdam(2026, 3, 2, 9, 0, "+01:00"), 5); // Mon 9 March
        // Suspended Tue 3 March, resumed Thu 5 March: Wed 4 and Thu 5 were lost, so two working days are added.
        var extended = Calendar.ExtendBySuspension(due, Amsterdam(2026, 3, 3, 10, 0, "+01:00"), Amsterdam(2026, 3, 5, 15, 0, "+01:00"));
        Assert.Equal(new DateOnly(2026, 3, 11), WorkingDays.LocalDate(extended));
        // Suspended Friday, resumed Monday: only Monday counts.
        var overWeekend = Calendar.ExtendBySuspension(due, Amsterdam(2026, 3, 6, 10, 0, "+01:00"), Amsterdam(2026, 3, 9, 8, 0, "+01:00"));
        Assert.Equal(new DateOnly(2026, 3, 10), WorkingDays.LocalDate(overWeekend));
        // Suspended and resumed on the same day: nothing changes.
        Assert.Equal(due, Calendar.ExtendBySuspension(due, Amsterdam(2026, 3, 3, 9, 0, "+01:00"), Amsterdam(2026, 3, 3, 17, 0, "+01:00")));
    }
}
