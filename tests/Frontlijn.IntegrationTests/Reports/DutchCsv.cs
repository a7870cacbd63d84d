using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Frontlijn.IntegrationTests.Reports;

/// <summary>
/// Reads a report CSV the way Dutch Excel does, written from RFC 4180 and the nl-NL regional settings, not from the
/// application's writer: the bytes start with the UTF-8 BOM, fields are split on <c>;</c>, a quoted field may hold
/// <c>;</c>, quotes (doubled) and line breaks, and numbers use a decimal comma. A number with a decimal point would not
/// parse as nl-NL (it would be read as a thousands separator), so <see cref="Number"/> refuses it outright.
/// </summary>
public sealed class DutchCsv
{
    private static readonly CultureInfo Dutch = CultureInfo.GetCultureInfo("nl-NL");

    public IReadOnlyList<string> Headers { get; }
    public IReadOnlyList<IReadOnlyDictionary<string, string>> Rows { get; }

    private DutchCsv(IReadOnlyList<string> headers, IReadOnlyList<IReadOnlyDictionary<string, string>> rows)
    {
        Headers = headers;
        Rows = rows;
    }

    public static async Task<DutchCsv> GetAsync(HttpClient client, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/csv"));
        using var response = await client.SendAsync(request);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{path}: {(int)response.StatusCode} {Encoding.UTF8.GetString(bytes)}");
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        return Parse(bytes);
    }

    public static DutchCsv Parse(byte[] bytes)
    {
        Assert.True(bytes.Length >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF, "The CSV starts with a UTF-8 BOM.");
        var text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes, 3, bytes.Length - 3);
        var records = Records(text);
        Assert.NotEmpty(records);
        var headers = records[0];
        var rows = new List<IReadOnlyDictionary<string, string>>();
        foreach (var record in records.Skip(1))
        {
            Assert.Equal(headers.Count, record.Count);
            rows.Add(headers.Zip(record).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal));
        }
        return new DutchCsv(headers, rows);
    }

    private static List<List<string>> Records(string text)
    {
        var records = new List<List<string>>();
        var record = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else field.Append(c);
            }
            else if (c == '"' && field.Length == 0) quoted = true;
            else if (c == ';') { record.Add(field.ToString()); field.Clear(); }
            else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                record.Add(field.ToString());
                field.Clear();
                records.Add(record);
                record = [];
                i++;
            }
            else field.Append(c);
        }
        Assert.False(quoted, "Unterminated quoted field.");
        if (field.Length > 0 || record.Count > 0)
        {
            record.Add(field.ToString());
            records.Add(record);
        }
        return records;
    }

    /// <summary>A cell as Dutch Excel reads a number: decimal comma, no decimal point.</summary>
    public static double Number(string cell)
    {
        Assert.DoesNotContain(".", cell, StringComparison.Ordinal);
        Assert.True(double.TryParse(cell, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, Dutch, out var value),
            $"'{cell}' is not a Dutch number.");
        return value;
    }
}
