using System.Globalization;
using System.Text;
using Frontlijn.Web.Features.Requests;
using Microsoft.Net.Http.Headers;

namespace Frontlijn.Web.Features.Reports;

/// <summary>One column of a CSV table: a Dutch header for people and the value of a row.</summary>
public sealed record CsvColumn<TRow>(string Header, Func<TRow, object?> Value);

/// <summary>
/// Reports answer JSON by default and CSV on <c>Accept: text/csv</c> (SPEC). The CSV is written for the program a team
/// lead opens it with: Excel with Dutch regional settings. That Excel splits on the list separator of nl-NL (<c>;</c>)
/// and reads <c>1,5</c> as a number, so the CSV uses <c>;</c>, decimal commas, no thousands separators, Dutch column
/// headers and yes/no as <c>ja</c>/<c>nee</c>; dates stay ISO (<c>yyyy-MM-dd</c>, which Excel reads as a date), moments
/// are Amsterdam local time <c>yyyy-MM-dd HH:mm:ss</c>. UTF-8 with a BOM (without it Excel reads "Financiën" as
/// ANSI), CRLF line ends, RFC 4180 double quotes. Text cells that a spreadsheet would run as a formula are prefixed with
/// an apostrophe (CSV injection, OWASP); numbers are never text, so "-1,5" stays a number.
/// </summary>
public static class CsvOutput
{
    public const string MediaType = "text/csv";
    public const char Separator = ';';

    private static readonly NumberFormatInfo DecimalComma = new() { NumberDecimalSeparator = ",", NegativeSign = "-" };

    public static bool IsRequested(HttpRequest request) =>
        request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals(MediaType, StringComparison.OrdinalIgnoreCase));

    /// <summary>JSON of <paramref name="report"/>, or the CSV <paramref name="csv"/> writes when the client asked for CSV.</summary>
    public static IResult Negotiate<TReport>(HttpRequest request, TReport report, Func<string> csv, string fileName) =>
        IsRequested(request) ? File(csv(), fileName) : Results.Ok(report);

    public static IResult File(string csv, string fileName) =>
        Results.File(Bytes(csv), $"{MediaType}; charset=utf-8", fileName);

    /// <summary>UTF-8 with the byte order mark Excel needs to recognise UTF-8.</summary>
    public static byte[] Bytes(string csv) => [.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(csv)];

    public static string Write<TRow>(IReadOnlyList<CsvColumn<TRow>> columns, IEnumerable<TRow> rows)
    {
        var csv = new StringBuilder();
        csv.AppendJoin(Separator, columns.Select(c => Escape(c.Header))).Append("\r\n");
        foreach (var row in rows)
        {
            csv.AppendJoin(Separator, columns.Select(c => Cell(c.Value(row)))).Append("\r\n");
        }
        return csv.ToString();
    }

    internal static string Cell(object? value) => value switch
    {
        null => "",
        string s => Escape(s),
        bool b => b ? "ja" : "nee",
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTimeOffset t => WorkingDays.InAmsterdam(t).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
        double d => d.ToString("0.###", DecimalComma),
        float f => f.ToString("0.###", DecimalComma),
        decimal d => d.ToString("0.###", DecimalComma),
        Guid g => g.ToString("D"),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => Escape(value.ToString() ?? ""),
    };

    internal static string Escape(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }
        return value.IndexOfAny([Separator, '"', '\r', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}
