using System.Text.RegularExpressions;
using Microsoft.SqlServer.TransactSql.ScriptDom;

namespace Frontlijn.UnitTests.Sql;

/// <summary>The only SQL Server check possible without an engine: does T-SQL parse it (SQL Server 2025 grammar)?</summary>
internal static partial class TSql
{
    public static IReadOnlyList<string> Errors(string sql)
    {
        var parser = new TSql170Parser(initialQuotedIdentifiers: true);
        using var reader = new StringReader(sql);
        parser.Parse(reader, out var errors);
        return errors.Select(e => $"line {e.Line}, column {e.Column}: {e.Message}").ToList();
    }

    /// <summary>
    /// Dapper expands a list parameter at run time (<c>IN @ids</c> becomes <c>IN (@ids1, @ids2)</c>) on SQL Server;
    /// the parser has to see what SQL Server sees.
    /// </summary>
    public static string ExpandListParameters(string sql) => ListParameter().Replace(sql, "IN (@${name}1, @${name}2)");

    [GeneratedRegex(@"\bIN\s+@(?<name>\w+)", RegexOptions.IgnoreCase)]
    private static partial Regex ListParameter();
}
