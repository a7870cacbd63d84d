using System.Reflection;
using Frontlijn.Web.Infrastructure.Data;

namespace Frontlijn.UnitTests.Sql;

/// <summary>Every SQL statement of the service: the <c>const string</c> fields whose name ends in "Sql", in any type.</summary>
internal static class SqlStatements
{
    public sealed record Statement(string Name, string Sql)
    {
        public override string ToString() => Name;
    }

    public static IReadOnlyList<Statement> All { get; } = typeof(SqlDialect).Assembly.GetTypes()
        .SelectMany(type => type.GetFields(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly)
            .Where(f => f is { IsLiteral: true, IsInitOnly: false } && f.FieldType == typeof(string) &&
                        f.Name.EndsWith("Sql", StringComparison.Ordinal))
            .Select(f => new Statement($"{type.FullName}.{f.Name}", (string)f.GetRawConstantValue()!)))
        .OrderBy(s => s.Name, StringComparer.Ordinal)
        .ToList();
}
