using System.Collections.Concurrent;
using System.Data;
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
            var value = property.GetValue(param);
            // A null carries no type; PostgreSQL needs one to plan "@teamId IS NULL OR team_id = @teamId".
            parameters.Add(name, value, value is null ? DbTypeOf(property.PropertyType) : null);
        }
        return parameters;
    }

    private static DbType? DbTypeOf(Type type) => (Nullable.GetUnderlyingType(type) ?? type) switch
    {
        var t when t == typeof(Guid) => DbType.Guid,
        var t when t == typeof(string) => DbType.String,
        var t when t == typeof(int) => DbType.Int32,
        var t when t == typeof(long) => DbType.Int64,
        var t when t == typeof(bool) => DbType.Boolean,
        var t when t == typeof(DateTimeOffset) => DbType.DateTimeOffset,
        var t when t == typeof(DateOnly) => DbType.Date,
        var t when t == typeof(decimal) => DbType.Decimal,
        _ => null,
    };
}
