using System.Globalization;
using System.Reflection;
using System.Text;
using Microsoft.Net.Http.Headers;

namespace Frontlijn.Web.Features.Reports;

/// <summary>
/// Reports answer JSON by default and CSV on <c>Accept: text/csv</c> (SPEC). CSV is RFC 4180 (comma, CRLF, double
/// quotes), UTF-8 with a BOM so that spreadsheet programs read accents correctly, columns named as the JSON
/// properties (camelCase). Cells that a spreadsheet would run as a formula are prefixed with an apostrophe
/// (CSV injection, OWASP).
/// </summary>
public static class CsvOutput
{
    public const string MediaType = "text/csv";

    public static bool IsRequested(HttpRequest request) =>
        request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals(MediaType, StringComparison.OrdinalIgnoreCase));

    /// <summary>JSON of <paramref name="report"/>, or CSV of its <paramref name="rows"/> when the client asked for CSV.</summary>
    public static IResult Negotiate<TReport, TRow>(HttpRequest request, TReport report, IEnumerable<TRow> rows, string fileName) =>
        IsRequested(request)
            ? Results.File(Encoding.UTF8.GetPreamble().Concat(Encoding.UTF8.GetBytes(Write(rows))).ToArray(),
                $"{MediaType}; charset=utf-8", fileName)
            : Results.Ok(report);

    public static string Write<TRow>(IEnumerable<TRow> rows)
    {
        var properties = typeof(TRow).GetProperties(BindingFlags.Instance | BindingFlags.Public)
            .Where(p => p.GetIndexParameters().Length == 0)
            .ToArray();
        var csv = new StringBuilder();
        csv.AppendJoin(',', properties.Select(p => Escape(char.ToLowerInvariant(p.Name[0]) + p.Name[1..]))).Append("\r\n");
        foreach (var row in rows)
        {
            csv.AppendJoin(',', properties.Select(p => Escape(Format(p.GetValue(row))))).Append("\r\n");
        }
        return csv.ToString();
    }

    private static string Format(object? value) => value switch
    {
        null => "",
        bool b => b ? "true" : "false",
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTimeOffset t => t.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture),
        double d => d.ToString("0.###", CultureInfo.InvariantCulture),
        decimal d => d.ToString("0.###", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    internal static string Escape(string value)
    {
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' &&
            !double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
        {
            value = "'" + value;
        }
        return value.IndexOfAny([',', '"', '\r', '\n']) >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }
}
