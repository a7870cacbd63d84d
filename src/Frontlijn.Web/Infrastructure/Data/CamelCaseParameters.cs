using System.Collections.Concurrent;
using System.Reflection;
using Dapper;

namespace Frontlijn.Web.Infrastructure.Data;

/// <summary>
/// SQL parameters are written camelCase (<c>@organisationId</c>). SQLite matches parameter names case-sensitively,
/// so <c>new { command.OrganisationId }</c> would not bind there while it does on PostgreSQL and SQL Server. Passing
/// every parameter object through here gives all three databases the same, camelCase names.
/// </summary>
internal static class CamelCaseParameters
{
    private static readonly ConcurrentDictionary<Type, (string Name, PropertyInfo Property)[]> Properties = new();

    public static object? From(object? param)
    {
        if (param is null or DynamicParameters or SqlMapper.IDynamicParameters) return param;
        var properties = Properties.GetOrAdd(param.GetType(), static type => type
            .GetProperties(BindingFlags.Instance | BindingFlags.Public)
            .Where(p => p.CanRead && p.GetIndexParameters().Length == 0)
            .Select(p => (char.ToLowerInvariant(p.Name[0]) + p.Name[1..], p))
            .ToArray());
        var parameters = new DynamicParameters();
        foreach (var (name, property) in properties)
        {
            parameters.Add(name, property.GetValue(param));
        }
        return parameters;
    }
}
