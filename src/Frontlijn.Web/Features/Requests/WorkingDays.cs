using System.Collections.Concurrent;
using System.Collections.Frozen;
using System.Globalization;

namespace Frontlijn.Web.Features.Requests;

/// <summary>Whether Bevrijdingsdag (5 May) is a day off every year or only in lustrum years (2025, 2030, ...).</summary>
public enum LiberationDayRule
{
    /// <summary>Every year: the rule for government organisations (rijksoverheid and most municipalities).</summary>
    EveryYear,

    /// <summary>Only when the year is divisible by five, as in many collective labour agreements.</summary>
    LustrumOnly,
}

/// <summary>
/// <c>Calendar:LiberationDay</c> = <c>every-year</c> (default) | <c>lustrum</c>; <c>Calendar:ExtraHolidays</c> = dates
/// (<c>yyyy-MM-dd</c>) a municipality closes besides the national holidays, as an array or a comma-separated string.
/// </summary>
public sealed record CalendarSettings(LiberationDayRule LiberationDay, IReadOnlySet<DateOnly> ExtraHolidays)
{
    public static CalendarSettings Default { get; } = new(LiberationDayRule.EveryYear, new HashSet<DateOnly>());

    public static CalendarSettings FromConfiguration(IConfiguration configuration)
    {
        var ruleText = configuration["Calendar:LiberationDay"];
        var rule = ruleText?.Trim().ToLowerInvariant() switch
        {
            null or "" or "every-year" or "everyyear" => LiberationDayRule.EveryYear,
            "lustrum" or "lustrum-only" or "lustrumonly" => LiberationDayRule.LustrumOnly,
            _ => throw new InvalidOperationException(
                $"Calendar:LiberationDay '{ruleText}' is not supported; use 'every-year' or 'lustrum'."),
        };
        var section = configuration.GetSection("Calendar:ExtraHolidays");
        var texts = section.Value is { } single
            ? single.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            : section.GetChildren().Select(c => c.Value ?? "").Where(v => v.Length > 0).ToArray();
        var extra = new HashSet<DateOnly>();
        foreach (var text in texts)
        {
            if (!DateOnly.TryParseExact(text.Trim(), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                throw new InvalidOperationException($"Calendar:ExtraHolidays contains '{text}', which is not a yyyy-MM-dd date.");
            }
            extra.Add(date);
        }
        return new CalendarSettings(rule, extra);
    }
}

/// <summary>
/// Dutch working days: Monday to Friday minus the national public holidays (and any configured extra days off).
/// Due dates of requests are "the N-th working day after the day of sending, at 23:59:59 in Amsterdam": the day of
/// sending never counts, so a request sent at 23:50 on a Monday gets the same due date as one sent at 08:00.
/// </summary>
public sealed class WorkingDays(CalendarSettings settings)
{
    /// <summary>IANA id; .NET on Linux and on Windows (ICU) both resolve it.</summary>
    public static readonly TimeZoneInfo Amsterdam = TimeZoneInfo.FindSystemTimeZoneById("Europe/Amsterdam");

    private static readonly TimeOnly EndOfDayTime = new(23, 59, 59);

    private readonly ConcurrentDictionary<int, FrozenDictionary<DateOnly, string>> _holidays = new();

    public WorkingDays() : this(CalendarSettings.Default)
    {
    }

    /// <summary>Easter Sunday by the anonymous Gregorian algorithm (Meeus/Jones/Butcher).</summary>
    public static DateOnly EasterSunday(int year)
    {
        var a = year % 19;
        var b = year / 100;
        var c = year % 100;
        var d = b / 4;
        var e = b % 4;
        var f = (b + 8) / 25;
        var g = (b - f + 1) / 3;
        var h = ((19 * a) + b - d - g + 15) % 30;
        var i = c / 4;
        var k = c % 4;
        var l = (32 + (2 * e) + (2 * i) - h - k) % 7;
        var m = (a + (11 * h) + (22 * l)) / 451;
        var month = (h + l - (7 * m) + 114) / 31;
        var day = ((h + l - (7 * m) + 114) % 31) + 1;
        return new DateOnly(year, month, day);
    }

    /// <summary>The holidays of one year with their Dutch names (weekend holidays included; they change nothing).</summary>
    public IReadOnlyDictionary<DateOnly, string> HolidaysOf(int year) => _holidays.GetOrAdd(year, Compute);

    private FrozenDictionary<DateOnly, string> Compute(int year)
    {
        var easter = EasterSunday(year);
        var kingsDay = new DateOnly(year, 4, 27);
        var holidays = new Dictionary<DateOnly, string>
        {
            [new DateOnly(year, 1, 1)] = "Nieuwjaarsdag",
            [easter.AddDays(-2)] = "Goede Vrijdag",
            [easter.AddDays(1)] = "Tweede Paasdag",
            // Koningsdag moves to the Saturday before when 27 April is a Sunday (Wet viering Koningsdag).
            [kingsDay.DayOfWeek == DayOfWeek.Sunday ? kingsDay.AddDays(-1) : kingsDay] = "Koningsdag",
            [easter.AddDays(39)] = "Hemelvaartsdag",
            [easter.AddDays(50)] = "Tweede Pinksterdag",
            [new DateOnly(year, 12, 25)] = "Eerste Kerstdag",
            [new DateOnly(year, 12, 26)] = "Tweede Kerstdag",
        };
        if (settings.LiberationDay == LiberationDayRule.EveryYear || year % 5 == 0)
        {
            // In rare years Bevrijdingsdag coincides with Hemelvaartsdag; either name will do.
            holidays.TryAdd(new DateOnly(year, 5, 5), "Bevrijdingsdag");
        }
        foreach (var extra in settings.ExtraHolidays.Where(d => d.Year == year))
        {
            holidays.TryAdd(extra, "Extra vrije dag");
        }
        return holidays.ToFrozenDictionary();
    }

    public bool IsHoliday(DateOnly date) => HolidaysOf(date.Year).ContainsKey(date);

    public bool IsWorkingDay(DateOnly date) =>
        date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !IsHoliday(date);

    /// <summary>The <paramref name="count"/>-th working day after <paramref name="start"/> (start itself never counts).</summary>
    public DateOnly AddWorkingDays(DateOnly start, int count)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(count);
        var date = start;
        for (var found = 0; found < count;)
        {
            date = date.AddDays(1);
            if (IsWorkingDay(date)) found++;
        }
        return date;
    }

    /// <summary>Working days in the half-open range (<paramref name="after"/>, <paramref name="until"/>].</summary>
    public int CountWorkingDays(DateOnly after, DateOnly until)
    {
        var count = 0;
        for (var date = after.AddDays(1); date <= until; date = date.AddDays(1))
        {
            if (IsWorkingDay(date)) count++;
        }
        return count;
    }

    /// <summary>The calendar day in Amsterdam on which <paramref name="instant"/> falls.</summary>
    public static DateOnly LocalDate(DateTimeOffset instant) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, Amsterdam).DateTime);

    /// <summary>00:00 in Amsterdam on <paramref name="date"/>, as a UTC instant (the start of that calendar day).</summary>
    public static DateTimeOffset StartOfDay(DateOnly date)
    {
        var local = date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, Amsterdam.GetUtcOffset(local)).ToUniversalTime();
    }

    /// <summary>23:59:59 in Amsterdam on <paramref name="date"/>, with that moment's offset (+01:00 or +02:00).</summary>
    public static DateTimeOffset EndOfDay(DateOnly date)
    {
        var local = date.ToDateTime(EndOfDayTime, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, Amsterdam.GetUtcOffset(local));
    }

    /// <summary>The due moment of a request sent at <paramref name="sentAt"/> with <paramref name="workingDays"/> to answer.</summary>
    public DateTimeOffset DueAt(DateTimeOffset sentAt, int workingDays) =>
        EndOfDay(AddWorkingDays(LocalDate(sentAt), workingDays));

    /// <summary>
    /// The clock stops while a request is suspended: every working day after the day of suspension up to and including
    /// the day of resumption is added back to the due date. Suspending and resuming on one day adds nothing.
    /// </summary>
    public DateTimeOffset ExtendBySuspension(DateTimeOffset dueAt, DateTimeOffset suspendedAt, DateTimeOffset resumedAt)
    {
        var suspendedDays = CountWorkingDays(LocalDate(suspendedAt), LocalDate(resumedAt));
        return EndOfDay(AddWorkingDays(LocalDate(dueAt), suspendedDays));
    }

    /// <summary>Presents a stored (UTC) moment in Amsterdam time, so the API shows +01:00/+02:00 as the contract asks.</summary>
    public static DateTimeOffset InAmsterdam(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Amsterdam);
}
